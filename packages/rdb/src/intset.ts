/**
 * Intsets (intset.c), the encoding of small all-integer sets: element width in bytes
 * (uint32 LE: 2, 4 or 8), count (uint32 LE), then the sorted integers, little endian.
 */

import { RdbError, RdbErrors } from './errors.js';

/** The narrowest intset width (2, 4 or 8 bytes) that holds members sorted ascending. */
export function narrowestIntsetWidth(ascending: readonly string[]): number {
  const first = BigInt(ascending[0]);
  const last = BigInt(ascending[ascending.length - 1]);
  if (first >= -(2n ** 15n) && last < 2n ** 15n) return 2;
  return first >= -(2n ** 31n) && last < 2n ** 31n ? 4 : 8;
}

export function decodeIntset(blob: Uint8Array, offset?: number): string[] {
  const bytes = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 8)
    throw new RdbError(RdbErrors.badEncoding('intset: shorter than its header'), offset);
  const width = bytes.readUInt32LE(0);
  const count = bytes.readUInt32LE(4);
  if ((width !== 2 && width !== 4 && width !== 8) || bytes.length !== 8 + width * count) {
    throw new RdbError(RdbErrors.badEncoding('intset: size does not match its header'), offset);
  }
  const members = new Array<string>(count);
  for (let i = 0, p = 8; i < count; i++, p += width) {
    members[i] =
      width === 2
        ? String(bytes.readInt16LE(p))
        : width === 4
          ? String(bytes.readInt32LE(p))
          : bytes.readBigInt64LE(p).toString();
  }
  return members;
}
