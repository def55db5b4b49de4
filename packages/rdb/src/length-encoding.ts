/**
 * RDB length encoding (rdb.c rdbSaveLen / rdbLoadLen). The two top bits of the first byte:
 * 00 = 6-bit length in that byte, 01 = 14-bit length (big endian, with the next byte),
 * 10 = 0x80 followed by a 32-bit or 0x81 by a 64-bit big-endian length, 11 = a specially
 * encoded string follows (integer or LZF), see string-encoding.ts.
 */

import { LENGTH_32BIT, LENGTH_64BIT } from './constants.js';
import { RdbErrors } from './errors.js';
import type { InputCursor } from './input-cursor.js';
import type { OutputBuffer } from './output-buffer.js';

/** Reads a length. Lengths beyond 2^53 lose precision; use readLengthBig where they occur. */
export function readLength(input: InputCursor): number {
  return lengthAfter(input, input.uint8());
}

/**
 * The rest of a length whose first byte, `first`, was already read (string-encoding.ts reads
 * it first to tell lengths from special encodings).
 */
export function lengthAfter(input: InputCursor, first: number): number {
  if (first < 0x40) return first;
  if (first < 0x80) return ((first & 0x3f) << 8) | input.uint8();
  if (first === LENGTH_32BIT) return input.buffer.readUInt32BE(input.take(4));
  if (first === LENGTH_64BIT) {
    const at = input.take(8);
    return input.buffer.readUInt32BE(at) * 0x100000000 + input.buffer.readUInt32BE(at + 4);
  }
  return input.fail(
    RdbErrors.badEncoding(`length encoding 0x${first.toString(16)}`),
    input.position - 1,
  );
}

/** Reads a length as a bigint: stream IDs and counters use the full 64 bits. */
export function readLengthBig(input: InputCursor): bigint {
  const first = input.uint8();
  if (first === LENGTH_64BIT) return input.buffer.readBigUInt64BE(input.take(8));
  input.position--;
  return BigInt(readLength(input));
}

export function writeLength(out: OutputBuffer, length: number): void {
  if (length < 0x40) {
    out.byte(length);
  } else if (length < 0x4000) {
    out.reserve(2);
    out.buffer[out.length++] = 0x40 | (length >> 8);
    out.buffer[out.length++] = length & 0xff;
  } else if (length <= 0xffffffff) {
    out.reserve(5);
    out.buffer[out.length++] = LENGTH_32BIT;
    out.buffer.writeUInt32BE(length, out.length);
    out.length += 4;
  } else {
    out.reserve(9);
    out.buffer[out.length++] = LENGTH_64BIT;
    out.buffer.writeUInt32BE(Math.floor(length / 0x100000000), out.length);
    out.buffer.writeUInt32BE(length % 0x100000000, out.length + 4);
    out.length += 8;
  }
}

export function writeLengthBig(out: OutputBuffer, length: bigint): void {
  if (length <= 0xffffffffn) {
    writeLength(out, Number(length));
    return;
  }
  out.reserve(9);
  out.buffer[out.length++] = LENGTH_64BIT;
  out.buffer.writeBigUInt64BE(BigInt.asUintN(64, length), out.length);
  out.length += 8;
}
