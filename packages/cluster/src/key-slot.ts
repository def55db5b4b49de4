/** Redis Cluster splits the key space into this many hash slots. */
export const SLOT_COUNT = 16384;

/** CRC-16/XMODEM (polynomial 0x1021, initial 0), the checksum Redis Cluster hashes keys with. */
const CRC16_TABLE = buildCrc16Table();

function buildCrc16Table(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** CRC-16/XMODEM of a latin1 string's bytes from `start` to `end`. */
export function crc16(text: string, start = 0, end = text.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

/**
 * The hash slot of a key (a latin1 string, one char per byte). A non-empty `{tag}` hashes only
 * the tag, so that related keys land in one slot; an empty `{}` or an unclosed `{` hashes the
 * whole key.
 */
export function keyHashSlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
