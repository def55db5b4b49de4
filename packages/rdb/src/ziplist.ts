/**
 * Ziplists (ziplist.c), the compact encoding before listpacks (RDB 9 and older, and quicklist
 * nodes of RDB 7 to 9). Layout: total bytes (uint32 LE), tail offset (uint32 LE), count
 * (uint16 LE), entries, 0xFF. An entry: previous entry length (1 byte, or 0xFE + uint32 LE),
 * an encoding (string of 6/14/32-bit length, or an int16/32/64/24/8 tag, or an immediate 0-12
 * in 0xF1-0xFD) and the data.
 */

import { RdbError, RdbErrors } from './errors.js';
import { decodeLatin1 } from './latin1.js';
import type { ListpackValue } from './listpack.js';

const HEADER_SIZE = 10;

function corrupt(what: string, offset?: number): never {
  throw new RdbError(RdbErrors.badEncoding(`ziplist: ${what}`), offset);
}

export function decodeZiplist(blob: Uint8Array, asStrings: true, offset?: number): string[];
export function decodeZiplist(
  blob: Uint8Array,
  asStrings: boolean,
  offset?: number,
): ListpackValue[];
export function decodeZiplist(
  blob: Uint8Array,
  asStrings: boolean,
  offset?: number,
): ListpackValue[] {
  const bytes = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = bytes.length;
  if (size < HEADER_SIZE + 1) corrupt('shorter than its header', offset);
  if (bytes.readUInt32LE(0) !== size) corrupt('total size does not match', offset);
  if (bytes[size - 1] !== 0xff) corrupt('missing end marker', offset);
  const declared = bytes.readUInt16LE(8);
  const last = size - 1;
  const values: ListpackValue[] = [];
  let p = HEADER_SIZE;
  // As ziplistValidateIntegrity: each entry records the length of the one before it, and the
  // header's tail offset points at the last one.
  let entryStart = HEADER_SIZE;
  let previousLength = 0;
  while (p < last) {
    entryStart = p;
    const small = bytes[p] < 254;
    if (!small && p + 5 > last) corrupt('entry past the end', offset);
    const recordedPrevious = small ? bytes[p] : bytes.readUInt32LE(p + 1);
    if (recordedPrevious !== previousLength) corrupt('previous entry length', offset);
    p += small ? 1 : 5;
    if (p >= last) corrupt('entry past the end', offset);
    const b = bytes[p];
    let value: ListpackValue;
    const kind = b >> 6;
    if (kind < 3) {
      let length: number;
      if (kind === 0) {
        length = b & 0x3f;
        p += 1;
      } else if (kind === 1) {
        if (p + 2 > last) corrupt('entry past the end', offset);
        length = ((b & 0x3f) << 8) | bytes[p + 1];
        p += 2;
      } else {
        if (p + 5 > last) corrupt('entry past the end', offset);
        length = bytes.readUInt32BE(p + 1);
        p += 5;
      }
      if (p + length > last) corrupt('string past the end', offset);
      values.push(decodeLatin1(bytes, p, p + length));
      p += length;
      previousLength = p - entryStart;
      continue;
    }
    let width: number;
    switch (b) {
      case 0xc0:
        width = 2;
        break;
      case 0xd0:
        width = 4;
        break;
      case 0xe0:
        width = 8;
        break;
      case 0xf0:
        width = 3;
        break;
      case 0xfe:
        width = 1;
        break;
      default:
        if (b >= 0xf1 && b <= 0xfd) {
          width = 0;
          break;
        }
        return corrupt(`unknown entry encoding 0x${b.toString(16)}`, offset);
    }
    if (p + 1 + width > last) corrupt('integer past the end', offset);
    if (width === 0) {
      value = (b & 0x0f) - 1;
    } else if (width === 8) {
      const big = bytes.readBigInt64LE(p + 1);
      value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    } else {
      value = bytes.readIntLE(p + 1, width);
    }
    values.push(asStrings ? String(value) : value);
    p += 1 + width;
    previousLength = p - entryStart;
  }
  if (p !== last) corrupt('entry runs past the end', offset);
  if (bytes.readUInt32LE(4) !== entryStart) corrupt('tail offset', offset);
  if (declared !== 0xffff && declared !== values.length)
    corrupt('entry count does not match', offset);
  return values;
}
