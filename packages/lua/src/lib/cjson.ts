import { argumentError, LuaError } from '../error.js';
import { formatNumber, parseNumber } from '../number.js';
import { LuaTable } from '../table.js';
import { LuaUserdata, typeName, type LuaValue } from '../value.js';
import { checkInt, checkString } from './arguments.js';
import { formatFloat } from './printf.js';

/** lua-cjson's NULL: what JSON null decodes to, and encodes as null. */
export const CJSON_NULL = new LuaUserdata(0);

/** lua-cjson's settings, per library instance, changed by its encode_* / decode_* functions. */
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

type NumericSetting = 'encodeMaxDepth' | 'decodeMaxDepth' | 'numberPrecision';

/**
 * The `cjson` library Redis bundles (lua-cjson 2.1): JSON from and to Lua values. Objects
 * decode to tables, arrays to 1-based tables, null to `cjson.null`; a table encodes as an array
 * when its keys are positive integers (holes become null), else as an object.
 */
export function installCjson(): LuaTable {
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
  const integerOption =
    (name: string, setting: NumericSetting, max: number) =>
    (...args: LuaValue[]): LuaValue[] => {
      checkArgumentCount(args, 1, name);
      setInteger(args, 1, name, 1, max, (value) => (settings[setting] = value));
      return [settings[setting]];
    };
  const booleanSetting =
    (name: string, setting: 'decodeInvalidNumbers' | 'encodeKeepBuffer') =>
    (...args: LuaValue[]): LuaValue[] => {
      checkArgumentCount(args, 1, name);
      if (args[0] !== undefined) settings[setting] = enumOption(args, 1, name, ON_OFF) === 1;
      return [settings[setting]];
    };
  const table = new LuaTable();
  const functions: Record<string, (...args: LuaValue[]) => LuaValue[]> = {
    decode: (...args) => {
      if (args.length !== 1) throw argumentError(1, 'decode', 'expected 1 argument');
      return [new JsonParser(checkString(args, 1, 'decode'), settings).parseDocument()];
    },
    decode_invalid_numbers: booleanSetting('decode_invalid_numbers', 'decodeInvalidNumbers'),
    decode_max_depth: integerOption('decode_max_depth', 'decodeMaxDepth', INT_MAX),
    encode: (...args) => {
      if (args.length !== 1) throw argumentError(1, 'encode', 'expected 1 argument');
      const parts: string[] = [];
      encodeValue(args[0], settings, 0, parts);
      return [parts.join('')];
    },
    encode_invalid_numbers: (...args) => {
      const name = 'encode_invalid_numbers';
      checkArgumentCount(args, 1, name);
      if (args[0] !== undefined) {
        settings.encodeInvalidNumbers = enumOption(args, 1, name, INVALID_NUMBER_OPTIONS);
      }
      const setting = settings.encodeInvalidNumbers;
      return [setting === 2 ? 'null' : setting === 1];
    },
    encode_keep_buffer: booleanSetting('encode_keep_buffer', 'encodeKeepBuffer'),
    encode_max_depth: integerOption('encode_max_depth', 'encodeMaxDepth', INT_MAX),
    encode_number_precision: integerOption('encode_number_precision', 'numberPrecision', 14),
    encode_sparse_array: (...args) => {
      const name = 'encode_sparse_array';
      checkArgumentCount(args, 3, name);
      if (args[0] !== undefined) settings.sparseConvert = enumOption(args, 1, name, ON_OFF) === 1;
      setInteger(args, 2, name, 0, INT_MAX, (value) => (settings.sparseRatio = value));
      setInteger(args, 3, name, 0, INT_MAX, (value) => (settings.sparseSafe = value));
      return [settings.sparseConvert, settings.sparseRatio, settings.sparseSafe];
    },
  };
  for (const [name, fn] of Object.entries(functions)) table.set(name, fn);
  // cjson.new(): another instance with settings of its own.
  table.set('new', () => [installCjson()]);
  table.set('null', CJSON_NULL);
  table.set('_NAME', 'cjson');
  table.set('_VERSION', '2.1.0');
  return table;
}

const INT_MAX = 2147483647;
const ON_OFF = ['off', 'on'];
const INVALID_NUMBER_OPTIONS = ['off', 'on', 'null'];

/** json_arg_init: at most `count` arguments. */
function checkArgumentCount(args: LuaValue[], count: number, name: string): void {
  if (args.length > count) throw argumentError(count + 1, name, 'found too many arguments');
}

/** json_integer_option: a non-nil argument sets the value (its range error names #1). */
function setInteger(
  args: LuaValue[],
  position: number,
  name: string,
  min: number,
  max: number,
  set: (value: number) => void,
): void {
  if (args[position - 1] === undefined) return;
  const value = checkInt(args, position, name);
  if (value < min || value > max) {
    throw argumentError(1, name, `expected integer between ${min} and ${max}`);
  }
  set(value);
}

/** json_enum_option: a boolean (false 0, true 1) or one of `options` by name (its index). */
function enumOption<T extends number>(
  args: LuaValue[],
  position: number,
  name: string,
  options: string[],
): T {
  const value = args[position - 1];
  if (typeof value === 'boolean') return (value ? 1 : 0) as T;
  const text = checkString(args, position, name);
  const index = options.indexOf(text);
  if (index === -1) throw argumentError(position, name, `invalid option '${text}'`);
  return index as T;
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

function unsupported(value: LuaValue, reason: string): LuaError {
  return new LuaError(`Cannot serialise ${typeName(value)}: ${reason}`);
}

function encodeValue(
  value: LuaValue,
  settings: CjsonSettings,
  depth: number,
  parts: string[],
): void {
  switch (typeof value) {
    case 'string':
      parts.push(quote(value));
      return;
    case 'number':
      parts.push(encodeNumber(value, settings));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      parts.push('null');
      return;
  }
  if (value instanceof LuaTable) {
    depth++;
    if (depth > settings.encodeMaxDepth) {
      throw new LuaError(`Cannot serialise, excessive nesting (${depth})`);
    }
    const length = arrayLength(value, settings);
    if (length > 0) encodeArray(value, settings, depth, parts, length);
    else encodeObject(value, settings, depth, parts);
    return;
  }
  if (value === CJSON_NULL) {
    parts.push('null');
    return;
  }
  throw unsupported(value, 'type not supported');
}

function quote(text: string): string {
  let result = '"';
  for (let i = 0; i < text.length; i++) {
    result += ESCAPES[text.charCodeAt(i)] ?? text[i];
  }
  return `${result}"`;
}

function encodeNumber(n: number, settings: CjsonSettings): string {
  const invalid = !Number.isFinite(n);
  if (invalid && settings.encodeInvalidNumbers === 0)
    throw unsupported(n, 'must not be NaN or Inf');
  if (invalid && settings.encodeInvalidNumbers === 2) return 'null';
  if (n !== n) return 'nan';
  if (settings.numberPrecision === 14) return formatNumber(n);
  return formatFloat(
    { flags: '', width: 0, precision: settings.numberPrecision, conversion: 'g' },
    n,
  );
}

/** The array length of a table, or -1 when it must be an object. */
function arrayLength(table: LuaTable, settings: CjsonSettings): number {
  let max = 0;
  let items = 0;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    const key = entry[0];
    if (typeof key === 'number' && key >= 1 && Math.floor(key) === key) {
      if (key > max) max = key;
      items++;
      continue;
    }
    return -1;
  }
  if (settings.sparseRatio > 0 && max > items * settings.sparseRatio && max > settings.sparseSafe) {
    if (!settings.sparseConvert) throw unsupported(table, 'excessively sparse array');
    return -1;
  }
  return max;
}

function encodeArray(
  table: LuaTable,
  settings: CjsonSettings,
  depth: number,
  parts: string[],
  length: number,
): void {
  parts.push('[');
  for (let i = 1; i <= length; i++) {
    if (i > 1) parts.push(',');
    encodeValue(table.get(i), settings, depth, parts);
  }
  parts.push(']');
}

function encodeObject(table: LuaTable, settings: CjsonSettings, depth: number, parts: string[]) {
  parts.push('{');
  let first = true;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    if (!first) parts.push(',');
    first = false;
    const [key, value] = entry;
    if (typeof key === 'number') parts.push(`"${encodeNumber(key, settings)}":`);
    else if (typeof key === 'string') parts.push(`${quote(key)}:`);
    else throw unsupported(key, 'table key must be a number or string');
    encodeValue(value, settings, depth, parts);
  }
  parts.push('}');
}

// Decoding

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const PUNCTUATION: Record<string, TokenType> = {
  '{': 'T_OBJ_BEGIN',
  '}': 'T_OBJ_END',
  '[': 'T_ARR_BEGIN',
  ']': 'T_ARR_END',
  ',': 'T_COMMA',
  ':': 'T_COLON',
};

type TokenType =
  | 'T_OBJ_BEGIN'
  | 'T_OBJ_END'
  | 'T_ARR_BEGIN'
  | 'T_ARR_END'
  | 'T_STRING'
  | 'T_NUMBER'
  | 'T_BOOLEAN'
  | 'T_NULL'
  | 'T_COLON'
  | 'T_COMMA'
  | 'T_END';

/** A token of lua-cjson's lexer: its kind (or the error found in its place) and position. */
type Token =
  | { type: TokenType; index: number; value?: LuaValue }
  | { type: 'T_ERROR'; index: number; error: string };

/** What strtod reads at the start of a text: decimal, hexadecimal, inf(inity), nan(...). */
const STRTOD =
  /^[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)/;

/** lua-cjson's decoder: a lexer of tokens and a recursive descent over them. */
class JsonParser {
  private position = 0;
  private depth = 0;
  private readonly text: string;

  constructor(
    text: string,
    private readonly settings: CjsonSettings,
  ) {
    // The C decoder reads a C string: a zero byte is the end of the document.
    const zero = text.indexOf('\0');
    this.text = zero === -1 ? text : text.slice(0, zero);
    if (text.length >= 2 && (text[0] === '\0' || text[1] === '\0')) {
      throw new LuaError('JSON parser does not support UTF-16 or UTF-32');
    }
  }

  parseDocument(): LuaValue {
    const value = this.parseValue(this.nextToken());
    const token = this.nextToken();
    if (token.type !== 'T_END') this.fail('the end', token);
    return value;
  }

  private fail(expected: string, token: Token): never {
    const found = token.type === 'T_ERROR' ? token.error : token.type;
    throw new LuaError(`Expected ${expected} but found ${found} at character ${token.index + 1}`);
  }

  private nextToken(): Token {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.position);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.position++;
    }
    const index = this.position;
    if (index >= text.length) return { type: 'T_END', index };
    const c = text[index];
    const punctuation = PUNCTUATION[c];
    if (punctuation !== undefined) {
      this.position++;
      return { type: punctuation, index };
    }
    if (c === '"') return this.stringToken();
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (!this.settings.decodeInvalidNumbers && this.invalidNumberAhead()) {
        return { type: 'T_ERROR', index, error: 'invalid number' };
      }
      return this.numberToken();
    }
    for (const [word, value] of WORDS) {
      if (text.startsWith(word, index)) {
        this.position += word.length;
        return { type: value === CJSON_NULL ? 'T_NULL' : 'T_BOOLEAN', index, value };
      }
    }
    if ('iInN+'.includes(c) && this.settings.decodeInvalidNumbers && this.invalidNumberAhead()) {
      return this.numberToken();
    }
    return { type: 'T_ERROR', index, error: 'invalid token' };
  }

  /** json_is_invalid_number: '+', hexadecimal, leading zeros, inf or nan. */
  private invalidNumberAhead(): boolean {
    const text = this.text;
    let p = this.position;
    if (text[p] === '+') return true;
    if (text[p] === '-') p++;
    if (text[p] === '0') {
      const next = text[p + 1] ?? '';
      return next === 'x' || next === 'X' || (next >= '0' && next <= '9');
    }
    if (p >= text.length || text.charCodeAt(p) <= 0x39) return false;
    const word = text.slice(p, p + 3).toLowerCase();
    return word === 'inf' || word === 'nan';
  }

  private numberToken(): Token {
    const index = this.position;
    const match = STRTOD.exec(this.text.slice(index, index + 400));
    if (match === null) return { type: 'T_ERROR', index, error: 'invalid number' };
    this.position += match[0].length;
    return { type: 'T_NUMBER', index, value: parseNumber(match[0]) };
  }

  private stringToken(): Token {
    const text = this.text;
    const index = this.position++;
    let result = '';
    for (;;) {
      if (this.position >= text.length) {
        return { type: 'T_ERROR', index: this.position, error: 'unexpected end of string' };
      }
      const c = text[this.position];
      if (c === '"') {
        this.position++;
        return { type: 'T_STRING', index, value: result };
      }
      if (c !== '\\') {
        result += c;
        this.position++;
        continue;
      }
      const escape = text[this.position + 1];
      const simple = SIMPLE_ESCAPES[escape];
      if (simple !== undefined) {
        result += simple;
        this.position += 2;
        continue;
      }
      const error = escape === 'u' ? 'invalid unicode escape code' : 'invalid escape code';
      const decoded = escape === 'u' ? this.unicodeEscape() : undefined;
      if (decoded === undefined) return { type: 'T_ERROR', index: this.position, error };
      result += decoded;
    }
  }

  /** \uXXXX at the position (a surrogate pair takes two) as UTF-8 bytes, or undefined. */
  private unicodeEscape(): string | undefined {
    const at = this.position;
    let code = hex4(this.text, at + 2);
    let length = 6;
    if (code === undefined || (code >= 0xdc00 && code <= 0xdfff)) return undefined;
    if (code >= 0xd800 && code <= 0xdbff) {
      // A high surrogate must be followed by an escaped low one.
      if (!this.text.startsWith('\\u', at + 6)) return undefined;
      const low = hex4(this.text, at + 8);
      if (low === undefined || low < 0xdc00 || low > 0xdfff) return undefined;
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      length = 12;
    }
    this.position += length;
    return Buffer.from(String.fromCodePoint(code), 'utf8').toString('latin1');
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.settings.decodeMaxDepth) {
      throw new LuaError(
        `Found too many nested data structures (${this.depth}) at character ${this.position}`,
      );
    }
  }

  private parseValue(token: Token): LuaValue {
    switch (token.type) {
      case 'T_STRING':
      case 'T_NUMBER':
      case 'T_BOOLEAN':
      case 'T_NULL':
        return token.value;
      case 'T_OBJ_BEGIN':
        return this.parseObject();
      case 'T_ARR_BEGIN':
        return this.parseArray();
      default:
        return this.fail('value', token);
    }
  }

  private parseObject(): LuaTable {
    this.descend();
    const table = new LuaTable();
    let token = this.nextToken();
    if (token.type === 'T_OBJ_END') {
      this.depth--;
      return table;
    }
    for (;;) {
      if (token.type !== 'T_STRING') this.fail('object key string', token);
      const key = token.value;
      token = this.nextToken();
      if (token.type !== 'T_COLON') this.fail('colon', token);
      table.set(key, this.parseValue(this.nextToken()));
      token = this.nextToken();
      if (token.type === 'T_OBJ_END') break;
      if (token.type !== 'T_COMMA') this.fail('comma or object end', token);
      token = this.nextToken();
    }
    this.depth--;
    return table;
  }

  private parseArray(): LuaTable {
    this.descend();
    const table = new LuaTable();
    let token = this.nextToken();
    if (token.type === 'T_ARR_END') {
      this.depth--;
      return table;
    }
    for (let i = 1; ; i++) {
      table.set(i, this.parseValue(token));
      token = this.nextToken();
      if (token.type === 'T_ARR_END') break;
      if (token.type !== 'T_COMMA') this.fail('comma or array end', token);
      token = this.nextToken();
    }
    this.depth--;
    return table;
  }
}

const WORDS: ReadonlyArray<[string, LuaValue]> = [
  ['true', true],
  ['false', false],
  ['null', CJSON_NULL],
];

function hex4(text: string, at: number): number | undefined {
  const digits = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : undefined;
}
