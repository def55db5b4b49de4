/**
 * RDB strings (rdb.c rdbSaveRawString / rdbGenericLoadStringObject): a length and the bytes, or
 * after the 11 length marker an integer (8, 16 or 32 bits, little endian) or an LZF-compressed
 * string (compressed length, original length, data).
 *
 * The writer encodes like Redis: canonical decimal integers of up to 11 chars that fit 32 bits
 * as integers, strings longer than 20 bytes LZF-compressed when that saves at least 4 bytes.
 */

import { parseIntegerBytes } from '@rc/resp';
import { ENCODING_INT16, ENCODING_INT32, ENCODING_INT8, ENCODING_LZF } from './constants.js';
import { RdbErrors } from './errors.js';
import type { InputCursor } from './input-cursor.js';
import { decodeLatin1, encodeLatin1 } from './latin1.js';
import { lengthAfter, writeLength } from './length-encoding.js';
import { lzfCompress, lzfDecompressInto } from './lzf.js';
import type { OutputBuffer } from './output-buffer.js';

function readEncodedInteger(input: InputCursor, encoding: number): number {
  switch (encoding) {
    case ENCODING_INT8:
      return input.buffer.readInt8(input.take(1));
    case ENCODING_INT16:
      return input.buffer.readInt16LE(input.take(2));
    case ENCODING_INT32:
      return input.buffer.readInt32LE(input.take(4));
    default:
      return input.fail(RdbErrors.badEncoding(`string encoding ${encoding}`), input.position - 1);
  }
}

function readCompressed(input: InputCursor): Buffer {
  const compressedLength = readPlainLength(input);
  const length = readPlainLength(input);
  const at = input.take(compressedLength);
  const output = Buffer.allocUnsafe(length);
  decompressInto(input, at, compressedLength, output, 0, length);
  return output;
}

/**
 * Decompresses the `compressedLength` bytes at `at` of the input into output[outputAt,
 * outputAt + length), failing the read at `at` as Redis does when they do not decompress.
 */
export function decompressInto(
  input: InputCursor,
  at: number,
  compressedLength: number,
  output: Uint8Array,
  outputAt: number,
  length: number,
): void {
  try {
    lzfDecompressInto(input.buffer, at, at + compressedLength, output, outputAt, length);
  } catch {
    input.fail(RdbErrors.lzf, at);
  }
}

export function readPlainLength(input: InputCursor): number {
  return lengthAfter(input, input.uint8());
}

/** Reads a string as latin1 text. */
export function readString(input: InputCursor): string {
  const first = input.uint8();
  if (first < 0xc0) {
    const length = lengthAfter(input, first);
    const at = input.take(length);
    return decodeLatin1(input.buffer, at, at + length);
  }
  const encoding = first & 0x3f;
  if (encoding === ENCODING_LZF) {
    // Decompressed into scratch memory: the text is what is kept.
    const compressedLength = readPlainLength(input);
    const length = readPlainLength(input);
    const at = input.take(compressedLength);
    const target = scratch(scratchText, length);
    if (length <= SCRATCH_LIMIT) scratchText = target;
    decompressInto(input, at, compressedLength, target, 0, length);
    return decodeLatin1(target, 0, length);
  }
  return String(readEncodedInteger(input, encoding));
}

/**
 * Reads a string as bytes (for listpacks, ziplists and other blobs): a view into the input when
 * stored plain, a new buffer when compressed.
 */
export function readBlob(input: InputCursor): Buffer {
  const first = input.uint8();
  if (first < 0xc0) return input.view(lengthAfter(input, first));
  const encoding = first & 0x3f;
  if (encoding === ENCODING_LZF) return readCompressed(input);
  return Buffer.from(String(readEncodedInteger(input, encoding)), 'latin1');
}

/**
 * The value of `text` if it is the canonical decimal form of an integer of at most 11 chars
 * (what Redis's string2ll + ll2string round trip accepts), otherwise NaN.
 */
export function canonicalSmallInteger(text: string): number {
  const length = text.length;
  if (length === 0 || length > 11) return NaN;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    if (length === 1) return NaN;
    negative = true;
    i = 1;
  }
  let code = text.charCodeAt(i);
  if (code === 48) return length === 1 ? 0 : NaN;
  if (code < 49 || code > 57) return NaN;
  let value = 0;
  for (; i < length; i++) {
    code = text.charCodeAt(i);
    if (code < 48 || code > 57) return NaN;
    value = value * 10 + (code - 48);
  }
  return negative ? -value : value;
}

/** Reused for strings up to 1 MiB; larger ones get buffers of their own, freed after use. */
const SCRATCH_LIMIT = 1 << 20;
let scratchIn: Buffer = Buffer.allocUnsafe(64 * 1024);
let scratchOut: Buffer = Buffer.allocUnsafe(64 * 1024);
let scratchText: Buffer = Buffer.allocUnsafe(64 * 1024);

function scratch(current: Buffer, length: number): Buffer {
  if (length <= current.length) return current;
  if (length > SCRATCH_LIMIT) return Buffer.allocUnsafe(length);
  return Buffer.allocUnsafe(Math.min(SCRATCH_LIMIT, Math.max(length, current.length * 2)));
}

/**
 * Writes bytes[start, end) as a string, as writeString would write their latin1 text (an
 * integer encoding for a canonical integer, LZF when `compress` and worthwhile), without
 * making that string.
 */
export function writeBytes(
  out: OutputBuffer,
  bytes: Uint8Array,
  start: number,
  end: number,
  compress: boolean,
): void {
  const length = end - start;
  if (length <= 11 && tryWriteInteger(out, parseIntegerBytes(bytes, start, end))) return;
  if (compress && length > 20 && tryWriteCompressed(out, bytes, start, end)) return;
  writeLength(out, length);
  out.bytes(bytes, start, end);
}

function tryWriteCompressed(
  out: OutputBuffer,
  bytes: Uint8Array,
  start: number,
  end: number,
): boolean {
  const length = end - start;
  // Redis gives LZF room for length - 4 bytes: smaller savings are not worth a decompression.
  const target = scratch(scratchOut, length);
  if (length <= SCRATCH_LIMIT) scratchOut = target;
  const compressedLength = lzfCompress(bytes, start, end, target, length - 4);
  if (compressedLength === 0) return false;
  out.byte(0xc0 | ENCODING_LZF);
  writeLength(out, compressedLength);
  writeLength(out, length);
  out.bytes(target, 0, compressedLength);
  return true;
}

/** Writes a latin1 string the way Redis's rdbSaveRawString does. */
export function writeString(out: OutputBuffer, text: string, compress: boolean): void {
  const length = text.length;
  if (length <= 11) {
    if (tryWriteInteger(out, canonicalSmallInteger(text))) return;
  } else if (compress && length > 20) {
    const source = scratch(scratchIn, length);
    if (length <= SCRATCH_LIMIT) scratchIn = source;
    encodeLatin1(source, text, 0);
    if (tryWriteCompressed(out, source, 0, length)) return;
    writeLength(out, length);
    out.bytes(source, 0, length);
    return;
  }
  writeLength(out, length);
  out.latin1(text);
}

/** The integer encodings, for a value that fits 32 bits (NaN never does); false otherwise. */
function tryWriteInteger(out: OutputBuffer, value: number): boolean {
  let width: number;
  if (value >= -128 && value <= 127) width = 1;
  else if (value >= -32768 && value <= 32767) width = 2;
  else if (value >= -2147483648 && value <= 2147483647) width = 4;
  else return false;
  const encoding = width === 1 ? ENCODING_INT8 : width === 2 ? ENCODING_INT16 : ENCODING_INT32;
  out.reserve(1 + width);
  out.buffer[out.length++] = 0xc0 | encoding;
  out.buffer.writeIntLE(value, out.length, width);
  out.length += width;
  return true;
}
