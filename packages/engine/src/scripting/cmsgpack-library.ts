import { fengari, type LuaState } from './lua.js';

const { lua, lauxlib } = fengari;

/** Deeper tables encode as nil, so circular references end (LUACMSGPACK_MAX_NESTING). */
const MAX_NESTING = 16;

/**
 * The `cmsgpack` library Redis bundles (lua-cmsgpack 0.4): MessagePack from and to Lua values.
 * Numbers with an integral value pack as integers, others as float 32 when that is exact, else
 * as float 64; a table whose keys are exactly 1..n packs as an array, any other as a map.
 */
export function openCmsgpack(L: LuaState): void {
  const functions: Array<[string, (L: LuaState) => number]> = [
    ['pack', pack],
    ['unpack', (L) => unpack(L, 0, 0)],
    ['unpack_one', unpackOne],
    ['unpack_limit', unpackLimit],
  ];
  lua.lua_createtable(L, 0, functions.length + 3);
  for (const [name, fn] of functions) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  const strings: Array<[string, string]> = [
    ['_NAME', 'lua-cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ];
  for (const [name, value] of strings) {
    lua.lua_pushstring(L, value);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'cmsgpack');
}

/** A growing byte buffer. */
class Bytes {
  buffer = new Uint8Array(64);
  length = 0;

  reserve(count: number): number {
    const at = this.length;
    if (at + count > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, at + count));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
    }
    this.length = at + count;
    return at;
  }

  byte(value: number): void {
    const at = this.reserve(1);
    this.buffer[at] = value;
  }

  /** A type byte then `size` bytes of `value`, big endian. */
  header(type: number, size: 1 | 2 | 4, value: number): void {
    const at = this.reserve(1 + size);
    this.buffer[at] = type;
    for (let i = size; i >= 1; i--) {
      this.buffer[at + i] = value & 0xff;
      value = Math.floor(value / 256);
    }
  }

  bytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }

  view(): DataView {
    return new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }
}

function pack(L: LuaState): number {
  const argc = lua.lua_gettop(L);
  if (argc === 0) return lauxlib.luaL_argerror(L, 0, 'MessagePack pack needs input.');
  const out = new Bytes();
  for (let i = 1; i <= argc; i++) {
    lua.lua_pushvalue(L, i);
    encodeValue(L, out, 0);
  }
  lua.lua_pushstring(L, out.buffer.subarray(0, out.length));
  return 1;
}

/** Encodes and pops the value on top of the stack. */
function encodeValue(L: LuaState, out: Bytes, level: number): void {
  let type = lua.lua_type(L, -1);
  if (type === lua.LUA_TTABLE && level === MAX_NESTING) type = lua.LUA_TNIL;
  switch (type) {
    case lua.LUA_TSTRING:
      encodeString(out, lua.lua_tolstring(L, -1) as Uint8Array);
      break;
    case lua.LUA_TBOOLEAN:
      out.byte(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      break;
    case lua.LUA_TNUMBER:
      encodeNumber(out, lua.lua_tonumber(L, -1));
      break;
    case lua.LUA_TTABLE:
      lua.lua_checkstack(L, 4);
      if (isArray(L)) encodeArray(L, out, level);
      else encodeMap(L, out, level);
      break;
    default:
      out.byte(0xc0);
  }
  lua.lua_pop(L, 1);
}

function encodeString(out: Bytes, bytes: Uint8Array): void {
  const length = bytes.length;
  if (length < 32) out.byte(0xa0 | length);
  else if (length <= 0xff) out.header(0xd9, 1, length);
  else if (length <= 0xffff) out.header(0xda, 2, length);
  else out.header(0xdb, 4, length);
  out.bytes(bytes);
}

function encodeNumber(out: Bytes, n: number): void {
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) {
    encodeInteger(out, n);
    return;
  }
  if (Math.fround(n) === n) {
    const at = out.reserve(5);
    out.buffer[at] = 0xca;
    out.view().setFloat32(at + 1, n);
    return;
  }
  const at = out.reserve(9);
  out.buffer[at] = 0xcb;
  out.view().setFloat64(at + 1, n);
}

function encodeInteger(out: Bytes, n: number): void {
  if (n >= 0) {
    if (n <= 0x7f) out.byte(n);
    else if (n <= 0xff) out.header(0xcc, 1, n);
    else if (n <= 0xffff) out.header(0xcd, 2, n);
    else if (n <= 0xffffffff) out.header(0xce, 4, n);
    else encodeInteger64(out, 0xcf, BigInt(n));
  } else if (n >= -32) {
    out.byte(n & 0xff);
  } else if (n >= -128) {
    out.header(0xd0, 1, n & 0xff);
  } else if (n >= -32768) {
    out.header(0xd1, 2, n & 0xffff);
  } else if (n >= -2147483648) {
    out.header(0xd2, 4, n >>> 0);
  } else {
    encodeInteger64(out, 0xd3, BigInt.asUintN(64, BigInt(n)));
  }
}

function encodeInteger64(out: Bytes, type: number, value: bigint): void {
  const at = out.reserve(9);
  out.buffer[at] = type;
  out.view().setBigUint64(at + 1, value);
}

/** Whether the table on top of the stack has exactly the keys 1..n (table_is_an_array). */
function isArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    const key = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
    if (!(key > 0) || !Number.isInteger(key)) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (key > max) max = key;
    count++;
  }
  return count === max;
}

function encodeArray(L: LuaState, out: Bytes, level: number): void {
  const length = lua.lua_rawlen(L, -1);
  if (length <= 15) out.byte(0x90 | length);
  else if (length <= 0xffff) out.header(0xdc, 2, length);
  else out.header(0xdd, 4, length);
  for (let i = 1; i <= length; i++) {
    lua.lua_rawgeti(L, -1, i);
    encodeValue(L, out, level + 1);
  }
}

function encodeMap(L: LuaState, out: Bytes, level: number): void {
  let size = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    size++;
  }
  if (size <= 15) out.byte(0x80 | size);
  else if (size <= 0xffff) out.header(0xde, 2, size);
  else out.header(0xdf, 4, size);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pushvalue(L, -2);
    encodeValue(L, out, level + 1);
    encodeValue(L, out, level + 1);
  }
}

// Decoding

/** Why decoding stopped: the input ends too soon, or holds something this library doesn't. */
const MISSING_BYTES = 'Missing bytes in input.';
const BAD_FORMAT = 'Bad data format in input.';

class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public position: number,
  ) {}

  get left(): number {
    return this.bytes.length - this.position;
  }

  need(count: number): void {
    if (this.left < count) throw new DecodeError(MISSING_BYTES);
  }

  /** An unsigned big-endian integer of `size` bytes after the type byte. */
  unsigned(size: number): number {
    this.need(1 + size);
    let value = 0;
    for (let i = 1; i <= size; i++) value = value * 256 + this.bytes[this.position + i];
    this.position += 1 + size;
    return value;
  }

  view(): DataView {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
}

class DecodeError {
  constructor(readonly message: string) {}
}

function unpackOne(L: LuaState): number {
  const offset = optionalInteger(L, 2);
  lua.lua_settop(L, 1);
  return unpack(L, 1, offset);
}

function unpackLimit(L: LuaState): number {
  const limit = lauxlib.luaL_checkinteger(L, 2);
  const offset = optionalInteger(L, 3);
  lua.lua_settop(L, 1);
  return unpack(L, limit, offset);
}

function optionalInteger(L: LuaState, index: number): number {
  return lua.lua_type(L, index) <= lua.LUA_TNIL ? 0 : lauxlib.luaL_checkinteger(L, index);
}

/** mp_unpack_full: up to `limit` values from `offset`; limit and offset 0 mean all of them. */
function unpack(L: LuaState, limit: number, offset: number): number {
  const bytes = lauxlib.luaL_checklstring(L, 1);
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    return lauxlib.luaL_error(
      L,
      `Invalid request to unpack with offset of ${offset} and limit of ${bytes.length}.`,
    );
  }
  if (offset > bytes.length) {
    return lauxlib.luaL_error(
      L,
      `Start offset ${offset} greater than input length ${bytes.length}.`,
    );
  }
  const cursor = new Cursor(bytes, offset);
  let count = 0;
  try {
    for (; cursor.left > 0 && (decodeAll || count < limit); count++) {
      lua.lua_checkstack(L, 1);
      decodeValue(L, cursor);
    }
  } catch (error) {
    if (error instanceof DecodeError) return lauxlib.luaL_error(L, error.message);
    throw error;
  }
  if (decodeAll) return count;
  lua.lua_pushnumber(L, cursor.left === 0 ? -1 : cursor.position);
  lua.lua_insert(L, 2);
  return count + 1;
}

/** Pushes the next value. */
function decodeValue(L: LuaState, cursor: Cursor): void {
  const bytes = cursor.bytes;
  const type = bytes[cursor.position];
  switch (type) {
    case 0xcc:
      return lua.lua_pushnumber(L, cursor.unsigned(1));
    case 0xcd:
      return lua.lua_pushnumber(L, cursor.unsigned(2));
    case 0xce:
      return lua.lua_pushnumber(L, cursor.unsigned(4));
    case 0xcf:
      cursor.need(9);
      lua.lua_pushnumber(L, Number(cursor.view().getBigUint64(cursor.position + 1)));
      cursor.position += 9;
      return;
    case 0xd0:
      cursor.need(2);
      lua.lua_pushnumber(L, cursor.view().getInt8(cursor.position + 1));
      cursor.position += 2;
      return;
    case 0xd1:
      cursor.need(3);
      lua.lua_pushnumber(L, cursor.view().getInt16(cursor.position + 1));
      cursor.position += 3;
      return;
    case 0xd2:
      cursor.need(5);
      lua.lua_pushnumber(L, cursor.view().getInt32(cursor.position + 1));
      cursor.position += 5;
      return;
    case 0xd3:
      cursor.need(9);
      lua.lua_pushnumber(L, Number(cursor.view().getBigInt64(cursor.position + 1)));
      cursor.position += 9;
      return;
    case 0xc0:
      cursor.position++;
      return lua.lua_pushnil(L);
    case 0xc2:
    case 0xc3:
      cursor.position++;
      return lua.lua_pushboolean(L, type === 0xc3);
    case 0xca:
      cursor.need(5);
      lua.lua_pushnumber(L, cursor.view().getFloat32(cursor.position + 1));
      cursor.position += 5;
      return;
    case 0xcb:
      cursor.need(9);
      lua.lua_pushnumber(L, cursor.view().getFloat64(cursor.position + 1));
      cursor.position += 9;
      return;
    case 0xd9:
      return decodeString(L, cursor, cursor.unsigned(1));
    case 0xda:
      return decodeString(L, cursor, cursor.unsigned(2));
    case 0xdb:
      return decodeString(L, cursor, cursor.unsigned(4));
    case 0xdc:
      return decodeArray(L, cursor, cursor.unsigned(2));
    case 0xdd:
      return decodeArray(L, cursor, cursor.unsigned(4));
    case 0xde:
      return decodeMap(L, cursor, cursor.unsigned(2));
    case 0xdf:
      return decodeMap(L, cursor, cursor.unsigned(4));
  }
  cursor.position++;
  if ((type & 0x80) === 0) lua.lua_pushnumber(L, type);
  else if ((type & 0xe0) === 0xe0) lua.lua_pushnumber(L, type - 256);
  else if ((type & 0xe0) === 0xa0) decodeString(L, cursor, type & 0x1f);
  else if ((type & 0xf0) === 0x90) decodeArray(L, cursor, type & 0xf);
  else if ((type & 0xf0) === 0x80) decodeMap(L, cursor, type & 0xf);
  else throw new DecodeError(BAD_FORMAT);
}

function decodeString(L: LuaState, cursor: Cursor, length: number): void {
  cursor.need(length);
  const at = cursor.position;
  lua.lua_pushstring(L, cursor.bytes.subarray(at, at + length));
  cursor.position = at + length;
}

function decodeArray(L: LuaState, cursor: Cursor, length: number): void {
  lua.lua_createtable(L, Math.min(length, 1024), 0);
  for (let i = 1; i <= length; i++) {
    lua.lua_checkstack(L, 1);
    if (cursor.left === 0) throw new DecodeError(MISSING_BYTES);
    decodeValue(L, cursor);
    lua.lua_rawseti(L, -2, i);
  }
}

function decodeMap(L: LuaState, cursor: Cursor, size: number): void {
  lua.lua_createtable(L, 0, Math.min(size, 1024));
  for (let i = 0; i < size; i++) {
    lua.lua_checkstack(L, 2);
    if (cursor.left === 0) throw new DecodeError(MISSING_BYTES);
    decodeValue(L, cursor);
    if (cursor.left === 0) throw new DecodeError(MISSING_BYTES);
    decodeValue(L, cursor);
    lua.lua_settable(L, -3);
  }
}
