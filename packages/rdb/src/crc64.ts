/**
 * CRC-64 as Redis computes it (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected
 * input and output, initial value 0, no final xor. The check value (CRC of "123456789") is
 * 0xe9c6d914c4b8d9ca. Stored little endian at the end of RDB files and DUMP payloads.
 *
 * The 64-bit state is kept as two uint32 halves so the hot loop never touches BigInt, and bytes
 * are processed eight at a time with eight lookup tables ("slicing by 8").
 */

const POLYNOMIAL = 0xad93d23594c935a9n;

function reflect64(value: bigint): bigint {
  let result = 0n;
  for (let bit = 0; bit < 64; bit++) {
    result = (result << 1n) | ((value >> BigInt(bit)) & 1n);
  }
  return result;
}

/**
 * lo[k * 256 + byte] / hi[...]: the CRC of `byte` followed by k zero bytes. Built at the first
 * CRC, not at import: about 2 ms of a daemon's start (BigInt and cold loops) that a server
 * which never saves or dumps does not need.
 */
interface CrcTables {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

let tables: CrcTables | undefined;

function crcTables(): CrcTables {
  return (tables ??= buildTables());
}

function buildTables(): CrcTables {
  const TABLES_LO = new Uint32Array(8 * 256);
  const TABLES_HI = new Uint32Array(8 * 256);
  const reflected = reflect64(POLYNOMIAL);
  const polyLo = Number(reflected & 0xffffffffn);
  const polyHi = Number(reflected >> 32n);
  for (let byte = 0; byte < 256; byte++) {
    let lo = byte;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    TABLES_LO[byte] = lo;
    TABLES_HI[byte] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let byte = 0; byte < 256; byte++) {
      const prevLo = TABLES_LO[(k - 1) * 256 + byte];
      const prevHi = TABLES_HI[(k - 1) * 256 + byte];
      const index = prevLo & 0xff;
      TABLES_LO[k * 256 + byte] = (TABLES_LO[index] ^ ((prevLo >>> 8) | (prevHi << 24))) >>> 0;
      TABLES_HI[k * 256 + byte] = (TABLES_HI[index] ^ (prevHi >>> 8)) >>> 0;
    }
  }
  return { lo: TABLES_LO, hi: TABLES_HI };
}

/** An incremental CRC-64 (Redis's variant). */
export class Crc64 {
  lo = 0;
  hi = 0;

  constructor(initial: bigint | number = 0) {
    const value = BigInt.asUintN(64, BigInt(initial));
    this.lo = Number(value & 0xffffffffn);
    this.hi = Number(value >> 32n);
  }

  /** Feeds bytes[start, end). */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const { lo: t, hi: u } = crcTables();
    const blockEnd = end - ((end - start) & 7);
    while (i < blockEnd) {
      const b0 = (lo ^ bytes[i]) & 0xff;
      const b1 = ((lo >>> 8) ^ bytes[i + 1]) & 0xff;
      const b2 = ((lo >>> 16) ^ bytes[i + 2]) & 0xff;
      const b3 = ((lo >>> 24) ^ bytes[i + 3]) & 0xff;
      const b4 = (hi ^ bytes[i + 4]) & 0xff;
      const b5 = ((hi >>> 8) ^ bytes[i + 5]) & 0xff;
      const b6 = ((hi >>> 16) ^ bytes[i + 6]) & 0xff;
      const b7 = ((hi >>> 24) ^ bytes[i + 7]) & 0xff;
      lo =
        t[1792 + b0] ^
        t[1536 + b1] ^
        t[1280 + b2] ^
        t[1024 + b3] ^
        t[768 + b4] ^
        t[512 + b5] ^
        t[256 + b6] ^
        t[b7];
      hi =
        u[1792 + b0] ^
        u[1536 + b1] ^
        u[1280 + b2] ^
        u[1024 + b3] ^
        u[768 + b4] ^
        u[512 + b5] ^
        u[256 + b6] ^
        u[b7];
      i += 8;
    }
    while (i < end) {
      const index = (lo ^ bytes[i]) & 0xff;
      lo = t[index] ^ ((lo >>> 8) | (hi << 24));
      hi = u[index] ^ (hi >>> 8);
      i++;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** Writes the CRC little endian (as it is stored in files and payloads). */
  writeLE(target: Uint8Array, offset: number): void {
    const lo = this.lo >>> 0;
    const hi = this.hi >>> 0;
    target[offset] = lo & 0xff;
    target[offset + 1] = (lo >>> 8) & 0xff;
    target[offset + 2] = (lo >>> 16) & 0xff;
    target[offset + 3] = lo >>> 24;
    target[offset + 4] = hi & 0xff;
    target[offset + 5] = (hi >>> 8) & 0xff;
    target[offset + 6] = (hi >>> 16) & 0xff;
    target[offset + 7] = hi >>> 24;
  }

  /** Whether bytes[offset, offset + 8) hold this CRC little endian. */
  equalsLE(bytes: Uint8Array, offset: number): boolean {
    const lo =
      (bytes[offset] |
        (bytes[offset + 1] << 8) |
        (bytes[offset + 2] << 16) |
        (bytes[offset + 3] << 24)) >>>
      0;
    const hi =
      (bytes[offset + 4] |
        (bytes[offset + 5] << 8) |
        (bytes[offset + 6] << 16) |
        (bytes[offset + 7] << 24)) >>>
      0;
    return lo === this.lo >>> 0 && hi === this.hi >>> 0;
  }
}

/** CRC-64 of `bytes`, continuing from `crc` (0 to start). */
export function crc64(crc: bigint | number, bytes: Uint8Array): bigint {
  return new Crc64(crc).update(bytes).value;
}
