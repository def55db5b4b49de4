/**
 * Zipmaps (zipmap.c), the small-hash encoding of Redis 2.x (RDB 1 to 5): a count byte, then
 * per pair a field length, the field, a value length, a "free" byte, the value and that many
 * unused bytes; 0xFF ends it. A length is one byte below 254, or 254 + uint32 LE.
 */

import { RdbError, RdbErrors } from './errors.js';
import { decodeLatin1 } from './latin1.js';

function corrupt(offset?: number): never {
  throw new RdbError(RdbErrors.badEncoding('zipmap'), offset);
}

export function decodeZipmap(blob: Uint8Array, offset?: number): Array<[string, string]> {
  const bytes = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = bytes.length;
  const entries: Array<[string, string]> = [];
  let p = 1;
  const length = (): number => {
    if (p >= size) corrupt(offset);
    const b = bytes[p];
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 255) return -1;
    if (p + 5 > size) corrupt(offset);
    const value = bytes.readUInt32LE(p + 1);
    p += 5;
    return value;
  };
  if (size < 2) corrupt(offset);
  for (;;) {
    const fieldLength = length();
    if (fieldLength < 0) break;
    if (p + fieldLength > size) corrupt(offset);
    const field = decodeLatin1(bytes, p, p + fieldLength);
    p += fieldLength;
    const valueLength = length();
    if (valueLength < 0 || p >= size) corrupt(offset);
    const free = bytes[p++];
    if (p + valueLength + free > size) corrupt(offset);
    entries.push([field, decodeLatin1(bytes, p, p + valueLength)]);
    p += valueLength + free;
  }
  if (p !== size - 1) corrupt(offset);
  return entries;
}
