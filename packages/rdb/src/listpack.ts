/**
 * Listpacks (listpack.c), the compact encoding of small lists, sets, hashes and sorted sets
 * since Redis 7.0 and of stream nodes since 5.0. Layout: total bytes (uint32 LE), element
 * count (uint16 LE, 65535 = unknown), the elements, 0xFF. Each element is an encoding byte
 * (with inline 7-bit unsigned, 13-bit signed integer or short string length, or a tag for a
 * 12/32-bit string length or a 16/24/32/64-bit integer), its data, and a "backlen": the
 * element's size written backwards in 7-bit groups so the list can be walked from the end.
 */

import { RdbError, RdbErrors } from './errors.js';
import { decodeLatin1 } from './latin1.js';
import { OutputBuffer } from './output-buffer.js';
import { canonicalSmallInteger } from './string-encoding.js';

/** A listpack element: text, or an integer (a bigint only beyond 2^53). */
export type ListpackValue = string | number | bigint;

const HEADER_SIZE = 6;
const EOF = 0xff;

export function backlenSize(encodedSize: number): number {
  if (encodedSize <= 127) return 1;
  if (encodedSize < 16383) return 2;
  if (encodedSize < 2097151) return 3;
  if (encodedSize < 268435455) return 4;
  return 5;
}

/**
 * The element size a backlen ending at `end` (exclusive) records, read backwards 7 bits a byte
 * (lpDecodeBacklen); -1 if it runs on past `start`.
 */
function readBacklen(bytes: Buffer, start: number, end: number): number {
  let value = 0;
  let shift = 0;
  for (let p = end - 1; p >= start; p--) {
    value += (bytes[p] & 0x7f) * 2 ** shift;
    if ((bytes[p] & 0x80) === 0) return p === start ? value : -1;
    shift += 7;
  }
  return -1;
}

function corrupt(what: string, offset?: number): never {
  throw new RdbError(RdbErrors.badEncoding(`listpack: ${what}`), offset);
}

/**
 * Decodes every element. With `asStrings`, integers come back in their decimal form (the
 * strings Redis's commands see); otherwise as numbers (bigint beyond the safe range).
 */
export function decodeListpack(blob: Uint8Array, asStrings: true, offset?: number): string[];
export function decodeListpack(
  blob: Uint8Array,
  asStrings: boolean,
  offset?: number,
): ListpackValue[];
export function decodeListpack(
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
  if (bytes[size - 1] !== EOF) corrupt('missing end marker', offset);
  const declared = bytes.readUInt16LE(4);
  const values: ListpackValue[] = [];
  const last = size - 1;
  let p = HEADER_SIZE;
  while (p < last) {
    const b = bytes[p];
    let value: ListpackValue;
    let entrySize: number;
    if (b < 0x80) {
      value = asStrings ? String(b) : b;
      entrySize = 1;
    } else if (b < 0xc0) {
      const length = b & 0x3f;
      entrySize = 1 + length;
      if (p + entrySize > last) corrupt('string past the end', offset);
      value = decodeLatin1(bytes, p + 1, p + entrySize);
    } else if (b < 0xe0) {
      if (p + 2 > last) corrupt('integer past the end', offset);
      let v = ((b & 0x1f) << 8) | bytes[p + 1];
      if (v >= 4096) v -= 8192;
      value = asStrings ? String(v) : v;
      entrySize = 2;
    } else if (b < 0xf0) {
      if (p + 2 > last) corrupt('string past the end', offset);
      const length = ((b & 0x0f) << 8) | bytes[p + 1];
      entrySize = 2 + length;
      if (p + entrySize > last) corrupt('string past the end', offset);
      value = decodeLatin1(bytes, p + 2, p + entrySize);
    } else {
      switch (b) {
        case 0xf0: {
          if (p + 5 > last) corrupt('string past the end', offset);
          const length = bytes.readUInt32LE(p + 1);
          entrySize = 5 + length;
          if (p + entrySize > last) corrupt('string past the end', offset);
          value = decodeLatin1(bytes, p + 5, p + entrySize);
          break;
        }
        case 0xf1:
          entrySize = 3;
          if (p + entrySize > last) corrupt('integer past the end', offset);
          value = bytes.readInt16LE(p + 1);
          break;
        case 0xf2:
          entrySize = 4;
          if (p + entrySize > last) corrupt('integer past the end', offset);
          value = bytes.readIntLE(p + 1, 3);
          break;
        case 0xf3:
          entrySize = 5;
          if (p + entrySize > last) corrupt('integer past the end', offset);
          value = bytes.readInt32LE(p + 1);
          break;
        case 0xf4: {
          entrySize = 9;
          if (p + entrySize > last) corrupt('integer past the end', offset);
          const big = bytes.readBigInt64LE(p + 1);
          value =
            big >= -9007199254740991n && big <= 9007199254740991n
              ? Number(big)
              : asStrings
                ? big.toString()
                : big;
          break;
        }
        default:
          return corrupt(`unknown element encoding 0x${b.toString(16)}`, offset);
      }
      if (asStrings && typeof value !== 'string') value = String(value);
    }
    // lpValidateNext: the backlen must record this element's size.
    const backlenEnd = p + entrySize + backlenSize(entrySize);
    if (backlenEnd > last) corrupt('element past the end', offset);
    if (readBacklen(bytes, p + entrySize, backlenEnd) !== entrySize) corrupt('backlen', offset);
    p = backlenEnd;
    values.push(value);
  }
  if (p !== last) corrupt('element runs past the end', offset);
  if (declared !== 0xffff && declared !== values.length)
    corrupt('element count does not match', offset);
  return values;
}

/** lpValidateIntegrity without `deep`: the header's size matches and the end marker is there. */
export function listpackHeaderValid(blob: Uint8Array): boolean {
  const size = blob.length;
  if (size < HEADER_SIZE + 1 || blob[size - 1] !== EOF) return false;
  return (blob[0] | (blob[1] << 8) | (blob[2] << 16)) + blob[3] * 2 ** 24 === size;
}

/** Bytes an element's encoding byte says its length field takes (lpCurrentEncodedSizeBytes). */
function lengthFieldSize(b: number): number {
  if (b < 0xc0 || (b >= 0xf1 && b <= 0xf4)) return 1;
  if (b < 0xf0) return 2;
  return b === 0xf0 ? 5 : 0;
}

/** The element's size without its backlen, from its encoding (lpCurrentEncodedSizeUnsafe). */
export function elementSize(bytes: Uint8Array, p: number): number {
  const b = bytes[p];
  if (b < 0x80) return 1;
  if (b < 0xc0) return 1 + (b & 0x3f);
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 2 + (((b & 0x0f) << 8) | bytes[p + 1]);
  if (b === 0xf0)
    return (
      5 + bytes[p + 1] + bytes[p + 2] * 2 ** 8 + bytes[p + 3] * 2 ** 16 + bytes[p + 4] * 2 ** 24
    );
  return [3, 4, 5, 9][b - 0xf1];
}

/**
 * Whether the element at `p` lies inside the listpack and its backlen records its size, as
 * Redis's lpValidateNext checks one element (the first one, each time a walk starts: lpFirst).
 */
export function listpackElementValid(blob: Uint8Array, p: number): boolean {
  const last = blob.length - 1;
  if (p < HEADER_SIZE || p > last) return false;
  if (blob[p] === EOF) return true;
  const lengthBytes = lengthFieldSize(blob[p]);
  if (lengthBytes === 0 || p + lengthBytes > last) return false;
  const size = elementSize(blob, p);
  const end = p + size + backlenSize(size);
  if (end > last) return false;
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return readBacklen(bytes, p + size, end) === size;
}

/**
 * The integer a valid element holds, from its integer encoding or its text (lpGet, then
 * string2ll); null for text that is not an integer.
 */
export function elementInteger(blob: Buffer, p: number): number | bigint | null {
  const b = blob[p];
  if (b < 0x80) return b;
  if (b >= 0xc0 && b < 0xe0) {
    const v = ((b & 0x1f) << 8) | blob[p + 1];
    return v >= 4096 ? v - 8192 : v;
  }
  switch (b) {
    case 0xf1:
      return blob.readInt16LE(p + 1);
    case 0xf2:
      return blob.readIntLE(p + 1, 3);
    case 0xf3:
      return blob.readInt32LE(p + 1);
    case 0xf4:
      return blob.readBigInt64LE(p + 1);
  }
  const size = elementSize(blob, p);
  const header = b < 0xc0 ? 1 : b < 0xf0 ? 2 : 5;
  const text = decodeLatin1(blob, p + header, p + size);
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(text)) return null;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : null;
}

/** Builds one listpack into a reusable buffer. */
export class ListpackBuilder {
  readonly out = new OutputBuffer(4096);
  count = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    // Do not keep the memory of one huge listpack for the rest of the process.
    if (this.out.buffer.length > 1 << 20) this.out.buffer = Buffer.allocUnsafe(4096);
    this.out.length = HEADER_SIZE;
    this.count = 0;
  }

  /** Size so far, without the end marker. */
  get size(): number {
    return this.out.length;
  }

  private backlen(encodedSize: number): void {
    const out = this.out;
    const n = backlenSize(encodedSize);
    out.reserve(n);
    const buffer = out.buffer;
    let at = out.length;
    // Most significant group first; every byte but the first has the high bit set.
    for (let i = n - 1; i >= 0; i--) {
      const group = Math.floor(encodedSize / 2 ** (7 * i)) & 127;
      buffer[at++] = i === n - 1 ? group : group | 128;
    }
    out.length = at;
  }

  integer(value: number | bigint): void {
    const out = this.out;
    this.count++;
    if (typeof value === 'bigint') {
      if (value >= -9007199254740991n && value <= 9007199254740991n) {
        value = Number(value);
      } else {
        out.reserve(10);
        out.buffer[out.length++] = 0xf4;
        out.buffer.writeBigInt64LE(BigInt.asIntN(64, value), out.length);
        out.length += 8;
        this.backlen(9);
        return;
      }
    }
    const v = value;
    out.reserve(10);
    const buffer = out.buffer;
    let size: number;
    if (v >= 0 && v <= 127) {
      buffer[out.length] = v;
      size = 1;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? v + 8192 : v;
      buffer[out.length] = 0xc0 | (u >> 8);
      buffer[out.length + 1] = u & 0xff;
      size = 2;
    } else if (v >= -32768 && v <= 32767) {
      buffer[out.length] = 0xf1;
      buffer.writeInt16LE(v, out.length + 1);
      size = 3;
    } else if (v >= -8388608 && v <= 8388607) {
      buffer[out.length] = 0xf2;
      buffer.writeIntLE(v, out.length + 1, 3);
      size = 4;
    } else if (v >= -2147483648 && v <= 2147483647) {
      buffer[out.length] = 0xf3;
      buffer.writeInt32LE(v, out.length + 1);
      size = 5;
    } else {
      buffer[out.length] = 0xf4;
      buffer.writeBigInt64LE(BigInt(v), out.length + 1);
      size = 9;
    }
    out.length += size;
    this.backlen(size);
  }

  /** Appends a string; canonical small integers are stored as integers, as Redis does. */
  string(text: string): void {
    const length = text.length;
    if (length <= 11) {
      const value = canonicalSmallInteger(text);
      if (value === value) {
        this.integer(value);
        return;
      }
    }
    const out = this.out;
    this.count++;
    let size: number;
    if (length < 64) {
      out.byte(0x80 | length);
      size = 1 + length;
    } else if (length < 4096) {
      out.byte(0xe0 | (length >> 8));
      out.byte(length & 0xff);
      size = 2 + length;
    } else {
      out.byte(0xf0);
      out.uint32LE(length);
      size = 5 + length;
    }
    out.latin1(text);
    this.backlen(size);
  }

  /** Completes the listpack; returns a view of it (valid until the next reset). */
  finish(): Buffer {
    const out = this.out;
    out.byte(EOF);
    out.buffer.writeUInt32LE(out.length, 0);
    out.buffer.writeUInt16LE(this.count < 0xffff ? this.count : 0xffff, 4);
    return out.buffer.subarray(0, out.length);
  }
}
