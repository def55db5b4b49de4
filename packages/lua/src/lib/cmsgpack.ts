import { argumentError, LuaError } from '../error.js';
import { LuaTable } from '../table.js';
import type { LuaValue } from '../value.js';
import { checkInteger, checkString, libraryTable } from './arguments.js';

/** Deeper tables encode as nil, so circular references end (LUACMSGPACK_MAX_NESTING). */
const MAX_NESTING = 16;

/**
 * The `cmsgpack` library Redis bundles (lua-cmsgpack 0.4): MessagePack from and to Lua values.
 * Numbers with an integral value pack as integers, others as float 32 when that is exact, else
 * as float 64; a table whose keys are exactly 1..n packs as an array, any other as a map.
 */
export function installCmsgpack(): LuaTable {
  const table = libraryTable({
    pack: cmsgpackPack,
    unpack: (...args) => unpack(args, 'unpack', 0, 0),
    unpack_one: (...args) => unpack(args, 'unpack_one', 1, optionalInteger(args, 2, 'unpack_one')),
    unpack_limit: (...args) =>
      unpack(
        args,
        'unpack_limit',
        checkInteger(args, 2, 'unpack_limit'),
        optionalInteger(args, 3, 'unpack_limit'),
      ),
  });
  table.set('_NAME', 'cmsgpack');
  table.set('_VERSION', 'lua-cmsgpack 0.4.0');
  table.set('_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo');
  table.set('_DESCRIPTION', 'MessagePack C implementation for Lua');
  return table;
}

// Encoding

const scratch = new DataView(new ArrayBuffer(8));

/** The first `size` bytes of the scratch view as a byte string. */
function scratchBytes(size: number): string {
  let bytes = '';
  for (let i = 0; i < size; i++) bytes += String.fromCharCode(scratch.getUint8(i));
  return bytes;
}

/** A type byte, then `value` big endian in `size` bytes. */
function header(type: number, size: 1 | 2 | 4, value: number): string {
  let bytes = '';
  for (let i = 0; i < size; i++) {
    bytes = String.fromCharCode(value & 0xff) + bytes;
    value = Math.floor(value / 256);
  }
  return String.fromCharCode(type) + bytes;
}

function cmsgpackPack(...args: LuaValue[]): LuaValue[] {
  if (args.length === 0) throw argumentError(0, 'pack', 'MessagePack pack needs input.');
  const parts: string[] = [];
  for (const value of args) encodeValue(value, parts, 0);
  return [parts.join('')];
}

function encodeValue(value: LuaValue, parts: string[], level: number): void {
  switch (typeof value) {
    case 'string':
      parts.push(stringHeader(value.length), value);
      return;
    case 'boolean':
      parts.push(value ? '\xc3' : '\xc2');
      return;
    case 'number':
      parts.push(encodeNumber(value));
      return;
  }
  if (value instanceof LuaTable && level < MAX_NESTING) {
    if (isArray(value)) encodeArray(value, parts, level);
    else encodeMap(value, parts, level);
    return;
  }
  parts.push('\xc0');
}

function stringHeader(length: number): string {
  if (length < 32) return String.fromCharCode(0xa0 | length);
  if (length <= 0xff) return header(0xd9, 1, length);
  if (length <= 0xffff) return header(0xda, 2, length);
  return header(0xdb, 4, length);
}

function encodeNumber(n: number): string {
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return encodeInteger(n);
  if (Math.fround(n) === n) {
    scratch.setFloat32(0, n);
    return `\xca${scratchBytes(4)}`;
  }
  // x86's NaN (what 0/0 gives) has the sign bit set; JavaScript writes a positive one.
  if (n !== n) return '\xcb\xff\xf8\0\0\0\0\0\0';
  scratch.setFloat64(0, n);
  return `\xcb${scratchBytes(8)}`;
}

function encodeInteger(n: number): string {
  if (n >= 0) {
    if (n <= 0x7f) return String.fromCharCode(n);
    if (n <= 0xff) return header(0xcc, 1, n);
    if (n <= 0xffff) return header(0xcd, 2, n);
    if (n <= 0xffffffff) return header(0xce, 4, n);
    scratch.setBigUint64(0, BigInt(n));
    return `\xcf${scratchBytes(8)}`;
  }
  if (n >= -32) return String.fromCharCode(n & 0xff);
  if (n >= -128) return header(0xd0, 1, n & 0xff);
  if (n >= -32768) return header(0xd1, 2, n & 0xffff);
  if (n >= -2147483648) return header(0xd2, 4, n >>> 0);
  scratch.setBigInt64(0, BigInt(n));
  return `\xd3${scratchBytes(8)}`;
}

/** Whether a table has exactly the keys 1..n (table_is_an_array). */
function isArray(table: LuaTable): boolean {
  let count = 0;
  let max = 0;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    const key = entry[0];
    if (typeof key !== 'number' || !(key > 0) || !Number.isInteger(key)) return false;
    if (key > max) max = key;
    count++;
  }
  return count === max;
}

function encodeArray(table: LuaTable, parts: string[], level: number): void {
  const length = table.length();
  if (length <= 15) parts.push(String.fromCharCode(0x90 | length));
  else if (length <= 0xffff) parts.push(header(0xdc, 2, length));
  else parts.push(header(0xdd, 4, length));
  for (let i = 1; i <= length; i++) encodeValue(table.get(i), parts, level + 1);
}

function encodeMap(table: LuaTable, parts: string[], level: number): void {
  let size = 0;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    size++;
  }
  if (size <= 15) parts.push(String.fromCharCode(0x80 | size));
  else if (size <= 0xffff) parts.push(header(0xde, 2, size));
  else parts.push(header(0xdf, 4, size));
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    encodeValue(entry[0], parts, level + 1);
    encodeValue(entry[1], parts, level + 1);
  }
}

// Decoding

/** Why decoding stopped: the input ends too soon, or holds something this library doesn't. */
const MISSING_BYTES = 'Missing bytes in input.';
const BAD_FORMAT = 'Bad data format in input.';

class Cursor {
  constructor(
    readonly bytes: string,
    public position: number,
  ) {}

  get left(): number {
    return this.bytes.length - this.position;
  }

  need(count: number): void {
    if (this.left < count) throw new LuaError(MISSING_BYTES);
  }

  /** An unsigned big-endian integer of `size` bytes after the type byte. */
  unsigned(size: number): number {
    this.need(1 + size);
    let value = 0;
    for (let i = 1; i <= size; i++) value = value * 256 + this.bytes.charCodeAt(this.position + i);
    this.position += 1 + size;
    return value;
  }

  /** The `size` bytes after the type byte, in the scratch view. */
  fixed(size: number): DataView {
    this.need(1 + size);
    for (let i = 0; i < size; i++)
      scratch.setUint8(i, this.bytes.charCodeAt(this.position + 1 + i));
    this.position += 1 + size;
    return scratch;
  }
}

/** A missing or nil argument is 0. */
function optionalInteger(args: LuaValue[], position: number, name: string): number {
  return args[position - 1] === undefined ? 0 : checkInteger(args, position, name);
}

/** mp_unpack_full: up to `limit` values from `offset`; limit and offset 0 mean all of them. */
function unpack(args: LuaValue[], name: string, limit: number, offset: number): LuaValue[] {
  const bytes = checkString(args, 1, name);
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    throw new LuaError(
      `Invalid request to unpack with offset of ${offset} and limit of ${bytes.length}.`,
    );
  }
  if (offset > bytes.length) {
    throw new LuaError(`Start offset ${offset} greater than input length ${bytes.length}.`);
  }
  const cursor = new Cursor(bytes, offset);
  const values: LuaValue[] = [];
  while (cursor.left > 0 && (decodeAll || values.length < limit)) values.push(decodeValue(cursor));
  if (decodeAll) return values;
  return [cursor.left === 0 ? -1 : cursor.position, ...values];
}

function decodeValue(cursor: Cursor): LuaValue {
  const type = cursor.bytes.charCodeAt(cursor.position);
  switch (type) {
    case 0xcc:
      return cursor.unsigned(1);
    case 0xcd:
      return cursor.unsigned(2);
    case 0xce:
      return cursor.unsigned(4);
    case 0xcf:
      return Number(cursor.fixed(8).getBigUint64(0));
    case 0xd0:
      return cursor.fixed(1).getInt8(0);
    case 0xd1:
      return cursor.fixed(2).getInt16(0);
    case 0xd2:
      return cursor.fixed(4).getInt32(0);
    case 0xd3:
      return Number(cursor.fixed(8).getBigInt64(0));
    case 0xc0:
      cursor.position++;
      return undefined;
    case 0xc2:
    case 0xc3:
      cursor.position++;
      return type === 0xc3;
    case 0xca:
      return cursor.fixed(4).getFloat32(0);
    case 0xcb:
      return cursor.fixed(8).getFloat64(0);
    case 0xd9:
      return decodeString(cursor, cursor.unsigned(1));
    case 0xda:
      return decodeString(cursor, cursor.unsigned(2));
    case 0xdb:
      return decodeString(cursor, cursor.unsigned(4));
    case 0xdc:
      return decodeArray(cursor, cursor.unsigned(2));
    case 0xdd:
      return decodeArray(cursor, cursor.unsigned(4));
    case 0xde:
      return decodeMap(cursor, cursor.unsigned(2));
    case 0xdf:
      return decodeMap(cursor, cursor.unsigned(4));
  }
  cursor.position++;
  if ((type & 0x80) === 0) return type;
  if ((type & 0xe0) === 0xe0) return type - 256;
  if ((type & 0xe0) === 0xa0) return decodeString(cursor, type & 0x1f);
  if ((type & 0xf0) === 0x90) return decodeArray(cursor, type & 0xf);
  if ((type & 0xf0) === 0x80) return decodeMap(cursor, type & 0xf);
  throw new LuaError(BAD_FORMAT);
}

function decodeString(cursor: Cursor, length: number): string {
  cursor.need(length);
  const at = cursor.position;
  cursor.position = at + length;
  return cursor.bytes.slice(at, at + length);
}

function decodeArray(cursor: Cursor, length: number): LuaTable {
  const table = new LuaTable();
  for (let i = 1; i <= length; i++) {
    if (cursor.left === 0) throw new LuaError(MISSING_BYTES);
    table.set(i, decodeValue(cursor));
  }
  return table;
}

function decodeMap(cursor: Cursor, size: number): LuaTable {
  const table = new LuaTable();
  for (let i = 0; i < size; i++) {
    if (cursor.left === 0) throw new LuaError(MISSING_BYTES);
    const key = decodeValue(cursor);
    if (cursor.left === 0) throw new LuaError(MISSING_BYTES);
    table.set(key, decodeValue(cursor));
  }
  return table;
}
