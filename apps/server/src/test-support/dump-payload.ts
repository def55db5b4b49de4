import { crc64 } from '@rc/rdb';

/** A DUMP payload around hand-written value bytes: RDB version 10 and a valid CRC64. */
export function dumpPayload(valueBytes: ReadonlyArray<number | string>): string {
  const bytes = valueBytes.flatMap((each) =>
    typeof each === 'string' ? [...Buffer.from(each, 'latin1')] : [each],
  );
  const body = Buffer.from([...bytes, 10, 0]);
  const checksum = Buffer.alloc(8);
  checksum.writeBigUInt64LE(crc64(0, body));
  return Buffer.concat([body, checksum]).toString('latin1');
}

// Builders of the bytes of encodings, to write payloads by hand (corrupt ones too).

export const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
export const u16 = (n: number) => [n & 0xff, n >> 8];
/** An RDB string of raw bytes (length below 64). */
export const blob = (bytes: number[]) => [bytes.length, ...bytes];

/** A listpack element: a small integer, or a string of up to 63 bytes. */
export function element(value: number | string): number[] {
  const encoded =
    typeof value === 'number' ? [value] : [0x80 | value.length, ...Buffer.from(value, 'latin1')];
  return [...encoded, encoded.length];
}

export function listpack(elements: number[][]): number[] {
  const body = elements.flat();
  return [...u32(6 + body.length + 1), ...u16(elements.length), ...body, 0xff];
}

/**
 * A stream of one entry {f: v} at 1-1 (RDB_TYPE_STREAM_LISTPACKS), with `lpCount` recorded in
 * `countElement` (by default a valid element).
 */
export function stream(
  lpCount: number,
  groups: number[] = [0],
  countElement: number[] = element(lpCount),
): number[] {
  const nodeKey = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
  const head = [1, 0, 1, 'f', 0, 2, 0, 0, 'v'].map((each) => element(each));
  const node = listpack([...head, countElement]);
  return [15, 1, ...blob(nodeKey), ...blob(node), 1, 1, 1, ...groups];
}
