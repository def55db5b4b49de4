import { fengari, formatLuaNumber, type LuaState } from './lua.js';

const { lua, lauxlib } = fengari;

/** lua-cjson's settings, per Lua state, changed by its encode_* / decode_* functions. */
interface CjsonSettings {
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0: refuse NaN and Inf, 1: write them ("nan", "inf"), 2: write null. */
  encodeInvalidNumbers: 0 | 1 | 2;
  decodeInvalidNumbers: boolean;
  encodeKeepBuffer: boolean;
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  numberPrecision: number;
}

/**
 * The `cjson` library Redis bundles (lua-cjson 2.1): JSON from and to Lua values. Objects
 * decode to tables, arrays to 1-based tables, null to `cjson.null`; a table encodes as an array
 * when its keys are positive integers (holes become null), else as an object.
 */
export function openCjson(L: LuaState): void {
  const settings: CjsonSettings = {
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: true,
    encodeKeepBuffer: true,
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    numberPrecision: 14,
  };
  const functions: Array<[string, (L: LuaState) => number]> = [
    ['encode', (L) => encode(L, settings)],
    ['decode', (L) => decode(L, settings)],
    ['encode_max_depth', integerOption(settings, 'encodeMaxDepth', 1, 2147483647)],
    ['decode_max_depth', integerOption(settings, 'decodeMaxDepth', 1, 2147483647)],
    ['encode_number_precision', integerOption(settings, 'numberPrecision', 1, 14)],
    [
      'encode_keep_buffer',
      (L) => {
        if (lua.lua_gettop(L) >= 1) settings.encodeKeepBuffer = booleanArgument(L, 1);
        lua.lua_pushboolean(L, settings.encodeKeepBuffer);
        return 1;
      },
    ],
    [
      'encode_invalid_numbers',
      (L) => {
        if (lua.lua_gettop(L) >= 1) {
          settings.encodeInvalidNumbers = isNullOption(L, 1) ? 2 : booleanArgument(L, 1) ? 1 : 0;
        }
        if (settings.encodeInvalidNumbers === 2) lua.lua_pushstring(L, 'null');
        else lua.lua_pushboolean(L, settings.encodeInvalidNumbers === 1);
        return 1;
      },
    ],
    [
      'decode_invalid_numbers',
      (L) => {
        if (lua.lua_gettop(L) >= 1) settings.decodeInvalidNumbers = booleanArgument(L, 1);
        lua.lua_pushboolean(L, settings.decodeInvalidNumbers);
        return 1;
      },
    ],
    [
      'encode_sparse_array',
      (L) => {
        if (lua.lua_gettop(L) >= 1) settings.sparseConvert = booleanArgument(L, 1);
        if (lua.lua_gettop(L) >= 2) settings.sparseRatio = checkRange(L, 2, 0, 2147483647);
        if (lua.lua_gettop(L) >= 3) settings.sparseSafe = checkRange(L, 3, 0, 2147483647);
        lua.lua_pushboolean(L, settings.sparseConvert);
        lua.lua_pushnumber(L, settings.sparseRatio);
        lua.lua_pushnumber(L, settings.sparseSafe);
        return 3;
      },
    ],
  ];
  lua.lua_createtable(L, 0, functions.length + 3);
  for (const [name, fn] of functions) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_pushlightuserdata(L, null);
  lua.lua_setfield(L, -2, 'null');
  lua.lua_pushstring(L, 'cjson');
  lua.lua_setfield(L, -2, '_NAME');
  lua.lua_pushstring(L, '2.1.0');
  lua.lua_setfield(L, -2, '_VERSION');
  lua.lua_setglobal(L, 'cjson');
}

type NumericSetting = 'encodeMaxDepth' | 'decodeMaxDepth' | 'numberPrecision';

function integerOption(settings: CjsonSettings, name: NumericSetting, min: number, max: number) {
  return (L: LuaState): number => {
    if (lua.lua_gettop(L) >= 1 && !lua.lua_isnil(L, 1)) settings[name] = checkRange(L, 1, min, max);
    lua.lua_pushnumber(L, settings[name]);
    return 1;
  };
}

function checkRange(L: LuaState, index: number, min: number, max: number): number {
  const value = lauxlib.luaL_checkinteger(L, index);
  if (value < min || value > max) {
    return lauxlib.luaL_argerror(L, index, `expected integer between ${min} and ${max}`);
  }
  return value;
}

/** A boolean, or lua-cjson's "on" / "off". */
function booleanArgument(L: LuaState, index: number): boolean {
  if (lua.lua_isboolean(L, index)) return lua.lua_toboolean(L, index);
  const text = lua.lua_isstring(L, index) ? lua.lua_tojsstring(L, index) : null;
  if (text === 'on') return true;
  if (text === 'off') return false;
  return lauxlib.luaL_argerror(L, index, "invalid option '" + String(text) + "'");
}

function isNullOption(L: LuaState, index: number): boolean {
  return lua.lua_type(L, index) === lua.LUA_TSTRING && lua.lua_tojsstring(L, index) === 'null';
}

// Encoding

/** JSON escapes of bytes, as lua-cjson's char2escape (it escapes '/' and DEL too). */
const ESCAPES: ReadonlyArray<string | null> = Array.from({ length: 256 }, (_, byte) => {
  switch (byte) {
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    case 0x22:
      return '\\"';
    case 0x2f:
      return '\\/';
    case 0x5c:
      return '\\\\';
  }
  return byte < 0x20 || byte === 0x7f ? `\\u${byte.toString(16).padStart(4, '0')}` : null;
});

function encode(L: LuaState, settings: CjsonSettings): number {
  if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
  const parts: string[] = [];
  encodeValue(L, settings, 0, parts);
  lua.lua_pushstring(L, Buffer.from(parts.join(''), 'latin1'));
  return 1;
}

function fail(L: LuaState, index: number, reason: string): never {
  const type = lua.lua_typename(L, lua.lua_type(L, index));
  return lauxlib.luaL_error(L, `Cannot serialise %s: ${reason}`, type);
}

/** Appends the value on top of the stack (left there). */
function encodeValue(L: LuaState, settings: CjsonSettings, depth: number, parts: string[]): void {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      parts.push(quote(lua.lua_tolstring(L, -1) as Uint8Array));
      return;
    case lua.LUA_TNUMBER:
      parts.push(encodeNumber(L, settings, -1));
      return;
    case lua.LUA_TBOOLEAN:
      parts.push(lua.lua_toboolean(L, -1) ? 'true' : 'false');
      return;
    case lua.LUA_TNIL:
      parts.push('null');
      return;
    case lua.LUA_TTABLE: {
      depth++;
      if (depth > settings.encodeMaxDepth || !lua.lua_checkstack(L, 3)) {
        lauxlib.luaL_error(L, `Cannot serialise, excessive nesting (${depth})`);
      }
      const length = arrayLength(L, settings);
      if (length > 0) encodeArray(L, settings, depth, parts, length);
      else encodeObject(L, settings, depth, parts);
      return;
    }
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, -1) === null) {
        parts.push('null');
        return;
      }
  }
  fail(L, -1, 'type not supported');
}

function quote(bytes: Uint8Array): string {
  let text = '"';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    text += ESCAPES[byte] ?? String.fromCharCode(byte);
  }
  return text + '"';
}

function encodeNumber(L: LuaState, settings: CjsonSettings, index: number): string {
  const n = lua.lua_tonumber(L, index);
  const invalid = !Number.isFinite(n);
  if (invalid && settings.encodeInvalidNumbers === 0) fail(L, index, 'must not be NaN or Inf');
  if (invalid && settings.encodeInvalidNumbers === 2) return 'null';
  if (n !== n) return 'nan';
  if (settings.numberPrecision === 14) return formatLuaNumber(n);
  return String(Number(n.toPrecision(settings.numberPrecision)));
}

/** The array length of the table on top of the stack, or -1 when it must be an object. */
function arrayLength(L: LuaState, settings: CjsonSettings): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    const key = lua.lua_type(L, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -2) : 0;
    if (key >= 1 && Math.floor(key) === key) {
      if (key > max) max = key;
      items++;
      lua.lua_pop(L, 1);
      continue;
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (settings.sparseRatio > 0 && max > items * settings.sparseRatio && max > settings.sparseSafe) {
    if (!settings.sparseConvert) fail(L, -1, 'excessively sparse array');
    return -1;
  }
  return max;
}

function encodeArray(
  L: LuaState,
  settings: CjsonSettings,
  depth: number,
  parts: string[],
  length: number,
): void {
  parts.push('[');
  for (let i = 1; i <= length; i++) {
    if (i > 1) parts.push(',');
    lua.lua_rawgeti(L, -1, i);
    encodeValue(L, settings, depth, parts);
    lua.lua_pop(L, 1);
  }
  parts.push(']');
}

function encodeObject(L: LuaState, settings: CjsonSettings, depth: number, parts: string[]): void {
  parts.push('{');
  let first = true;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (!first) parts.push(',');
    first = false;
    const keyType = lua.lua_type(L, -2);
    if (keyType === lua.LUA_TNUMBER) parts.push(`"${encodeNumber(L, settings, -2)}":`);
    else if (keyType === lua.LUA_TSTRING) {
      parts.push(`${quote(lua.lua_tolstring(L, -2) as Uint8Array)}:`);
    } else fail(L, -2, 'table key must be a number or string');
    encodeValue(L, settings, depth, parts);
    lua.lua_pop(L, 1);
  }
  parts.push('}');
}

// Decoding

class JsonParser {
  position = 0;
  depth = 0;

  constructor(
    private readonly L: LuaState,
    private readonly text: Uint8Array,
    private readonly settings: CjsonSettings,
  ) {}

  /** Pushes the whole document's value. */
  parseDocument(): void {
    this.parseValue();
    this.skipSpace();
    if (this.position < this.text.length) this.fail('the end', this.tokenName());
  }

  private fail(expected: string, found: string, at = this.position): never {
    return lauxlib.luaL_error(
      this.L,
      `Expected ${expected} but found ${found} at character ${at + 1}`,
    );
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const c = text[this.position];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.position++;
    }
  }

  /** What lua-cjson calls the token at the current position, for errors. */
  private tokenName(): string {
    if (this.position >= this.text.length) return 'T_END';
    switch (this.text[this.position]) {
      case 0x7b:
        return 'T_OBJ_BEGIN';
      case 0x7d:
        return 'T_OBJ_END';
      case 0x5b:
        return 'T_ARR_BEGIN';
      case 0x5d:
        return 'T_ARR_END';
      case 0x2c:
        return 'T_COMMA';
      case 0x3a:
        return 'T_COLON';
      case 0x22:
        return 'T_STRING';
    }
    return 'invalid token';
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.settings.decodeMaxDepth || !lua.lua_checkstack(this.L, 3)) {
      lauxlib.luaL_error(
        this.L,
        `Found too many nested data structures (${this.depth}) at character ${this.position + 1}`,
      );
    }
  }

  private parseValue(): void {
    const L = this.L;
    this.skipSpace();
    const text = this.text;
    const c = text[this.position];
    if (c === 0x7b) return this.parseObject();
    if (c === 0x5b) return this.parseArray();
    if (c === 0x22) {
      lua.lua_pushstring(L, this.parseString());
      return;
    }
    if (this.matchWord('true')) return lua.lua_pushboolean(L, true);
    if (this.matchWord('false')) return lua.lua_pushboolean(L, false);
    if (this.matchWord('null')) return lua.lua_pushlightuserdata(L, null);
    const number = this.parseNumber();
    if (number === null) this.fail('value', this.tokenName());
    lua.lua_pushnumber(L, number);
  }

  private matchWord(word: string): boolean {
    for (let i = 0; i < word.length; i++) {
      if (this.text[this.position + i] !== word.charCodeAt(i)) return false;
    }
    this.position += word.length;
    return true;
  }

  /** A number as strtod reads one (lua-cjson's number token), or null. */
  private parseNumber(): number | null {
    const rest = Buffer.from(this.text.buffer, this.text.byteOffset + this.position).toString(
      'latin1',
      0,
      Math.min(this.text.length - this.position, 400),
    );
    const match = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest);
    if (match !== null) {
      this.position += match[0].length;
      return Number(match[0]);
    }
    if (!this.settings.decodeInvalidNumbers) return null;
    const special = /^[-+]?(?:inf(?:inity)?|nan|0x[0-9a-f]+)/i.exec(rest);
    if (special === null) return null;
    this.position += special[0].length;
    const word = special[0].toLowerCase().replace('+', '');
    if (word.includes('nan')) return NaN;
    if (word.includes('inf')) return word.startsWith('-') ? -Infinity : Infinity;
    const negative = word.startsWith('-');
    const value = parseInt(word.replace('-', '').slice(2), 16);
    return negative ? -value : value;
  }

  /** A string token's bytes; \u escapes become UTF-8. */
  private parseString(): Uint8Array {
    const text = this.text;
    const start = this.position;
    const bytes: number[] = [];
    this.position++;
    for (;;) {
      if (this.position >= text.length) this.fail('value', 'unexpected end of string', start);
      const c = text[this.position++];
      if (c === 0x22) return Uint8Array.from(bytes);
      if (c !== 0x5c) {
        bytes.push(c);
        continue;
      }
      const escape = text[this.position++];
      switch (escape) {
        case 0x22:
        case 0x5c:
        case 0x2f:
          bytes.push(escape);
          break;
        case 0x62:
          bytes.push(0x08);
          break;
        case 0x66:
          bytes.push(0x0c);
          break;
        case 0x6e:
          bytes.push(0x0a);
          break;
        case 0x72:
          bytes.push(0x0d);
          break;
        case 0x74:
          bytes.push(0x09);
          break;
        case 0x75:
          this.parseUnicodeEscape(bytes, start);
          break;
        default:
          this.fail('value', 'invalid escape code', start);
      }
    }
  }

  private parseUnicodeEscape(bytes: number[], start: number): void {
    let code = this.hex4(start);
    if (code >= 0xd800 && code <= 0xdbff) {
      // A high surrogate must be followed by an escaped low one.
      if (this.text[this.position] !== 0x5c || this.text[this.position + 1] !== 0x75) {
        this.fail('value', 'invalid unicode escape code', start);
      }
      this.position += 2;
      const low = this.hex4(start);
      if (low < 0xdc00 || low > 0xdfff) this.fail('value', 'invalid unicode escape code', start);
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      this.fail('value', 'invalid unicode escape code', start);
    }
    for (const byte of Buffer.from(String.fromCodePoint(code), 'utf8')) bytes.push(byte);
  }

  private hex4(start: number): number {
    const digits = Buffer.from(this.text.subarray(this.position, this.position + 4)).toString(
      'latin1',
    );
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('value', 'invalid unicode escape code', start);
    this.position += 4;
    return parseInt(digits, 16);
  }

  private parseObject(): void {
    const L = this.L;
    this.descend();
    this.position++;
    lua.lua_createtable(L, 0, 0);
    this.skipSpace();
    if (this.text[this.position] === 0x7d) {
      this.position++;
      this.depth--;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== 0x22) this.fail('object key string', this.tokenName());
      lua.lua_pushstring(L, this.parseString());
      this.skipSpace();
      if (this.text[this.position] !== 0x3a) this.fail('colon', this.tokenName());
      this.position++;
      this.parseValue();
      lua.lua_rawset(L, -3);
      this.skipSpace();
      const c = this.text[this.position];
      this.position++;
      if (c === 0x7d) break;
      if (c !== 0x2c) this.fail('comma or object end', this.tokenName(), this.position - 1);
    }
    this.depth--;
  }

  private parseArray(): void {
    const L = this.L;
    this.descend();
    this.position++;
    lua.lua_createtable(L, 0, 0);
    this.skipSpace();
    if (this.text[this.position] === 0x5d) {
      this.position++;
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.parseValue();
      lua.lua_rawseti(L, -2, i);
      this.skipSpace();
      const c = this.text[this.position];
      this.position++;
      if (c === 0x5d) break;
      if (c !== 0x2c) this.fail('comma or array end', this.tokenName(), this.position - 1);
    }
    this.depth--;
  }
}

function decode(L: LuaState, settings: CjsonSettings): number {
  if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
  const text = lauxlib.luaL_checklstring(L, 1);
  new JsonParser(L, text, settings).parseDocument();
  return 1;
}
