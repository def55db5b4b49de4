import type { ReplyWriter } from '@rc/resp';
import { fengari, bytesLatin1, type LuaState } from './lua.js';

const { lua } = fengari;

/** Field names of the tables Redis uses for non-array replies, pre-encoded once. */
const FIELD = {
  err: fengari.to_luastring('err'),
  ok: fengari.to_luastring('ok'),
  double: fengari.to_luastring('double'),
  bigNumber: fengari.to_luastring('big_number'),
  verbatim: fengari.to_luastring('verbatim_string'),
  format: fengari.to_luastring('format'),
  string: fengari.to_luastring('string'),
  map: fengari.to_luastring('map'),
  set: fengari.to_luastring('set'),
  ignoreStats: fengari.to_luastring('ignore_error_stats_update'),
  source: fengari.to_luastring('source'),
  line: fengari.to_luastring('line'),
};
export { FIELD };

/**
 * Pushes Redis's error table `{err = "CODE message"}`. As Redis's luaPushErrorBuff: "-CODE msg"
 * keeps its code, a text without the leading dash gets "ERR", trailing CR/LF are trimmed.
 */
export function pushErrorTable(L: LuaState, error: string, ignoreStats = false): void {
  let message: string;
  if (error.charCodeAt(0) === 45 /* - */) {
    const space = error.indexOf(' ');
    message =
      space === -1 ? `ERR ${error.slice(1)}` : `${error.slice(1, space)} ${error.slice(space + 1)}`;
  } else {
    message = `ERR ${error}`;
  }
  let end = message.length;
  while (end > 0 && (message.charCodeAt(end - 1) === 13 || message.charCodeAt(end - 1) === 10))
    end--;
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushstring(L, Buffer.from(message.slice(0, end), 'latin1'));
  lua.lua_setfield(L, -2, FIELD.err);
  if (ignoreStats) {
    lua.lua_pushboolean(L, true);
    lua.lua_setfield(L, -2, FIELD.ignoreStats);
  }
}

/**
 * Converts one RESP reply a command wrote (RESP2 or RESP3) into a Lua value on the stack, as
 * Redis's redisProtocolToLuaType: integer → number, bulk → string, null bulk/array → false
 * (RESP3 null → nil), array → table, status → {ok=...}, error → {err=...}, and the RESP3 types
 * to {map=}, {set=}, {double=}, {big_number=}, {verbatim_string=}, booleans. Returns the offset
 * after the reply.
 */
export function pushReply(L: LuaState, bytes: Buffer, at: number, push = true): number {
  const type = bytes[at];
  const lineEnd = bytes.indexOf(13, at);
  const next = lineEnd + 2;
  switch (type) {
    case 58 /* : */:
      if (push) lua.lua_pushnumber(L, Number(bytes.toString('latin1', at + 1, lineEnd)));
      return next;
    case 36 /* $ */: {
      const length = Number(bytes.toString('latin1', at + 1, lineEnd));
      if (length < 0) {
        if (push) lua.lua_pushboolean(L, false);
        return next;
      }
      if (push) lua.lua_pushstring(L, bytes.subarray(next, next + length));
      return next + length + 2;
    }
    case 43 /* + */:
      if (push) {
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, bytes.subarray(at + 1, lineEnd));
        lua.lua_setfield(L, -2, FIELD.ok);
      }
      return next;
    case 45 /* - */:
      if (push) pushErrorTable(L, bytes.toString('latin1', at, lineEnd), true);
      return next;
    case 42 /* * */: {
      const length = Number(bytes.toString('latin1', at + 1, lineEnd));
      if (length < 0) {
        if (push) lua.lua_pushboolean(L, false);
        return next;
      }
      if (push) {
        lua.lua_checkstack(L, 4);
        lua.lua_createtable(L, length, 0);
      }
      let offset = next;
      for (let i = 1; i <= length; i++) {
        offset = pushReply(L, bytes, offset, push);
        if (push) lua.lua_rawseti(L, -2, i);
      }
      return offset;
    }
    case 37 /* % */:
    case 126 /* ~ */: {
      const isMap = type === 37;
      const length = Number(bytes.toString('latin1', at + 1, lineEnd));
      if (push) {
        lua.lua_checkstack(L, 6);
        lua.lua_createtable(L, 0, 1);
        lua.lua_createtable(L, 0, length);
      }
      let offset = next;
      for (let i = 0; i < length; i++) {
        offset = pushReply(L, bytes, offset, push);
        if (isMap) offset = pushReply(L, bytes, offset, push);
        else if (push) lua.lua_pushboolean(L, true);
        if (push) lua.lua_settable(L, -3);
      }
      if (push) lua.lua_setfield(L, -2, isMap ? FIELD.map : FIELD.set);
      return offset;
    }
    case 95 /* _ */:
      if (push) lua.lua_pushnil(L);
      return next;
    case 35 /* # */:
      if (push) lua.lua_pushboolean(L, bytes[at + 1] === 116 /* t */);
      return next;
    case 44 /* , */:
      if (push) {
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushnumber(L, parseRespDouble(bytes.toString('latin1', at + 1, lineEnd)));
        lua.lua_setfield(L, -2, FIELD.double);
      }
      return next;
    case 40 /* ( */:
      if (push) {
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, bytes.subarray(at + 1, lineEnd));
        lua.lua_setfield(L, -2, FIELD.bigNumber);
      }
      return next;
    case 61 /* = */: {
      const length = Number(bytes.toString('latin1', at + 1, lineEnd));
      if (push) {
        lua.lua_createtable(L, 0, 1);
        lua.lua_createtable(L, 0, 2);
        lua.lua_pushstring(L, bytes.subarray(next + 4, next + length));
        lua.lua_setfield(L, -2, FIELD.string);
        lua.lua_pushstring(L, bytes.subarray(next, next + 3));
        lua.lua_setfield(L, -2, FIELD.format);
        lua.lua_setfield(L, -2, FIELD.verbatim);
      }
      return next + length + 2;
    }
    case 124 /* | */: {
      // Attributes are not exposed to scripts: skip them, convert what they annotate.
      const pairs = Number(bytes.toString('latin1', at + 1, lineEnd));
      let offset = next;
      for (let i = 0; i < pairs * 2; i++) offset = pushReply(L, bytes, offset, false);
      return pushReply(L, bytes, offset, push);
    }
    default:
      throw new Error(`rc: cannot convert reply type ${String.fromCharCode(type)} for Lua`);
  }
}

function parseRespDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  return Number(text);
}

/** What the caller needs to know about an error reply a script returned. */
export interface ReplyTarget {
  readonly out: ReplyWriter;
  /** Writes an error reply; `counted` false when the command inside already counted it. */
  error(message: string, counted: boolean): void;
}

const LLONG_MIN = -9223372036854775808n;

/** C's (long long) cast of a double, as Redis converts Lua numbers: truncation, UB → LLONG_MIN. */
export function luaNumberToInteger(n: number): number | bigint {
  if (n !== n || n >= 2 ** 63 || n < -(2 ** 63)) return LLONG_MIN;
  const truncated = Math.trunc(n);
  if (truncated > -1e15 && truncated < 1e15) return truncated === 0 ? 0 : truncated;
  return BigInt(truncated);
}

/**
 * Writes the Lua value on top of the stack as a reply and pops it, as Redis's
 * luaReplyToRedisReply: string → bulk, number → integer (truncated), boolean → 1 / null (RESP2
 * scripts) or a RESP3 boolean, {err=} → error, {ok=} → status, {double=}, {big_number=},
 * {verbatim_string=}, {map=}, {set=}, and any other table → array up to its first nil.
 */
export function writeLuaValue(
  L: LuaState,
  target: ReplyTarget,
  scriptProtocol: 2 | 3,
  depth = 0,
): void {
  const out = target.out;
  if (depth > 200 || !lua.lua_checkstack(L, 4)) {
    lua.lua_pop(L, 1);
    target.error('ERR reached lua stack limit', true);
    return;
  }
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      out.bulk(bytesLatin1(lua.lua_tolstring(L, -1) as Uint8Array));
      break;
    case lua.LUA_TBOOLEAN:
      if (scriptProtocol === 2) {
        if (lua.lua_toboolean(L, -1)) out.integer(1);
        else out.nullBulk();
      } else {
        out.boolean(lua.lua_toboolean(L, -1));
      }
      break;
    case lua.LUA_TNUMBER:
      out.integer(luaNumberToInteger(lua.lua_tonumber(L, -1)));
      break;
    case lua.LUA_TTABLE:
      writeTable(L, target, scriptProtocol, depth);
      break;
    default:
      out.nullBulk();
  }
  lua.lua_pop(L, 1);
}

/** Reads a string field of the table on top of the stack (raw access), or null. */
function stringField(L: LuaState, name: Uint8Array): string | null {
  lua.lua_pushstring(L, name);
  lua.lua_rawget(L, -2);
  const value =
    lua.lua_type(L, -1) === lua.LUA_TSTRING || lua.lua_type(L, -1) === lua.LUA_TNUMBER
      ? bytesLatin1(lua.lua_tolstring(L, -1) as Uint8Array)
      : null;
  lua.lua_pop(L, 1);
  return value;
}

function rawFieldType(L: LuaState, name: Uint8Array): number {
  lua.lua_pushstring(L, name);
  lua.lua_rawget(L, -2);
  return lua.lua_type(L, -1);
}

function spaced(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

function writeTable(L: LuaState, target: ReplyTarget, scriptProtocol: 2 | 3, depth: number): void {
  const out = target.out;
  if (rawFieldType(L, FIELD.err) === lua.LUA_TSTRING) {
    const message = bytesLatin1(lua.lua_tolstring(L, -1) as Uint8Array);
    lua.lua_pop(L, 1);
    lua.lua_pushstring(L, FIELD.ignoreStats);
    lua.lua_rawget(L, -2);
    const ignore = lua.lua_type(L, -1) === lua.LUA_TBOOLEAN && lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    target.error(spaced(message), !ignore);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawFieldType(L, FIELD.ok) === lua.LUA_TSTRING) {
    out.simple(spaced(bytesLatin1(lua.lua_tolstring(L, -1) as Uint8Array)));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawFieldType(L, FIELD.double) === lua.LUA_TNUMBER) {
    out.double(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawFieldType(L, FIELD.bigNumber) === lua.LUA_TSTRING) {
    out.bigNumber(spaced(bytesLatin1(lua.lua_tolstring(L, -1) as Uint8Array)));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawFieldType(L, FIELD.verbatim) === lua.LUA_TTABLE) {
    const format = stringField(L, FIELD.format);
    const text = stringField(L, FIELD.string);
    if (format !== null && text !== null && lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      out.verbatim(format.slice(0, 3), text);
      lua.lua_pop(L, 1);
      return;
    }
  }
  lua.lua_pop(L, 1);
  const mapType = rawFieldType(L, FIELD.map);
  if (mapType === lua.LUA_TTABLE) {
    writeMapOrSet(L, target, scriptProtocol, depth, true);
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawFieldType(L, FIELD.set) === lua.LUA_TTABLE) {
    writeMapOrSet(L, target, scriptProtocol, depth, false);
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  let length = 0;
  while (lua.lua_rawgeti(L, -1, length + 1) !== lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    length++;
  }
  lua.lua_pop(L, 1);
  out.array(length);
  for (let i = 1; i <= length; i++) {
    lua.lua_rawgeti(L, -1, i);
    writeLuaValue(L, target, scriptProtocol, depth + 1);
  }
}

/** The table on top of the stack is the {map=} / {set=} inner table. */
function writeMapOrSet(
  L: LuaState,
  target: ReplyTarget,
  scriptProtocol: 2 | 3,
  depth: number,
  isMap: boolean,
): void {
  let count = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    count++;
  }
  if (isMap) target.out.map(count);
  else target.out.set(count);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    // Stack: table, key, value.
    if (isMap) {
      lua.lua_pushvalue(L, -2);
      writeLuaValue(L, target, scriptProtocol, depth + 1);
      writeLuaValue(L, target, scriptProtocol, depth + 1);
    } else {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      writeLuaValue(L, target, scriptProtocol, depth + 1);
    }
  }
}
