import { argumentError, LuaError } from '../error.js';
import type { LibraryHost } from '../host.js';
import { formatNumber, isDigitAt } from '../number.js';
import { LuaTable } from '../table.js';
import { NO_VALUES, typeName, type LuaFunction, type LuaValue } from '../value.js';
import {
  checkInt,
  checkInteger,
  checkNumber,
  checkString,
  libraryTable,
  optInt,
  optInteger,
  toInteger,
} from './arguments.js';
import { hasSpecials, PatternMatcher } from './pattern.js';
import { formatFloat, formatSigned, formatUnsigned, type Spec } from './printf.js';

/** The longest string we build; past it V8 would fail, Lua would run out of memory. */
const MAX_STRING_LENGTH = 0x1fffffe8;

/** A string position as 5.1's posrelat reads it: negative counts from the end. */
function relative(position: number, length: number): number {
  if (position < 0) position += length + 1;
  return position >= 0 ? position : 0;
}

/** The `string` library of Lua 5.1 with gfind, as Redis loads it. */
export function installString(host: LibraryHost): LuaTable {
  const gmatch = (...args: LuaValue[]): LuaValue[] => [stringGmatch(args)];
  return libraryTable({
    byte: stringByte,
    char: stringChar,
    dump: stringDump,
    find: (...args) => find(args, true),
    format: stringFormat,
    gfind: gmatch,
    gmatch,
    gsub: (...args) => stringGsub(host, args),
    len: (...args) => [checkString(args, 1, 'len').length],
    lower: (...args) => [checkString(args, 1, 'lower').replace(/[A-Z]+/g, (s) => s.toLowerCase())],
    match: (...args) => find(args, false),
    rep: stringRep,
    reverse: (...args) => [[...checkString(args, 1, 'reverse')].reverse().join('')],
    sub: stringSub,
    upper: (...args) => [checkString(args, 1, 'upper').replace(/[a-z]+/g, (s) => s.toUpperCase())],
  });
}

function stringByte(...args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 1, 'byte');
  const start = Math.max(relative(optInteger(args, 2, 'byte', 1), s.length), 1);
  const end = Math.min(relative(optInteger(args, 3, 'byte', start), s.length), s.length);
  if (start > end) return NO_VALUES;
  if (start === end) return [s.charCodeAt(start - 1)];
  const codes: LuaValue[] = new Array(end - start + 1);
  for (let i = start; i <= end; i++) codes[i - start] = s.charCodeAt(i - 1);
  return codes;
}

function stringChar(...args: LuaValue[]): LuaValue[] {
  let text = '';
  for (let i = 1; i <= args.length; i++) {
    const code = checkInt(args, i, 'char');
    if ((code & 255) !== code) throw argumentError(i, 'char', 'invalid value');
    text += String.fromCharCode(code);
  }
  return [text];
}

/** The header of a Lua 5.1 binary chunk as x86-64 writes it (LuaQ, little-endian, 4/8/4/8). */
const BINARY_CHUNK_HEADER = '\x1bLuaQ\x00\x01\x04\x08\x04\x08\x00';

/**
 * Compiled to JavaScript, a function has no bytecode: string.dump gives a binary chunk's header
 * alone. Redis's loadstring refuses every binary chunk anyway (reading it as source: "unexpected
 * symbol near 'char(27)'"), so a script can only look at the bytes.
 */
function stringDump(...args: LuaValue[]): LuaValue[] {
  if (typeof args[0] !== 'function') {
    const got = args.length === 0 ? 'no value' : typeName(args[0]);
    throw argumentError(1, 'dump', `function expected, got ${got}`);
  }
  return [BINARY_CHUNK_HEADER];
}

function stringRep(...args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 1, 'rep');
  const count = checkInteger(args, 2, 'rep');
  if (count <= 0 || s.length === 0) return [''];
  if (s.length * count > MAX_STRING_LENGTH) throw new LuaError('not enough memory');
  return [s.repeat(count)];
}

function stringSub(...args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 1, 'sub');
  const start = Math.max(relative(checkInteger(args, 2, 'sub'), s.length), 1);
  const end = Math.min(relative(optInteger(args, 3, 'sub', -1), s.length), s.length);
  return [start > end ? '' : s.slice(start - 1, end)];
}

/** string.find (positions then captures) and string.match (captures). */
function find(args: LuaValue[], positions: boolean): LuaValue[] {
  const name = positions ? 'find' : 'match';
  const s = checkString(args, 1, name);
  const pattern = checkString(args, 2, name);
  let start = relative(optInteger(args, 3, name, 1), s.length) - 1;
  if (start < 0) start = 0;
  else if (start > s.length) start = s.length;
  const plain = args[3] !== undefined && args[3] !== false;
  if (positions && (plain || !hasSpecials(pattern))) {
    const at = s.indexOf(pattern, start);
    return at === -1 ? [undefined] : [at + 1, at + pattern.length];
  }
  const matcher = new PatternMatcher(s, pattern);
  const anchored = matcher.pattern.charCodeAt(0) === 94; /* ^ */
  const patternStart = anchored ? 1 : 0;
  for (let at = start; ; at++) {
    matcher.reset();
    const end = matcher.match(at, patternStart);
    if (end !== -1) {
      if (!positions) return matcher.allCaptures(at, end);
      return [at + 1, end, ...(matcher.level === 0 ? [] : matcher.allCaptures(at, end))];
    }
    if (at >= s.length || anchored) return [undefined];
  }
}

/** string.gmatch's iterator: every match in turn, '^' taken literally as 5.1 does. */
function stringGmatch(args: LuaValue[]): LuaFunction {
  const s = checkString(args, 1, 'gmatch');
  const pattern = checkString(args, 2, 'gmatch');
  const matcher = new PatternMatcher(s, pattern);
  let next = 0;
  return () => {
    for (let at = next; at <= s.length; at++) {
      matcher.reset();
      const end = matcher.match(at, 0);
      if (end !== -1) {
        next = end === at ? end + 1 : end;
        return matcher.allCaptures(at, end);
      }
    }
    return NO_VALUES;
  };
}

function stringGsub(host: LibraryHost, args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 1, 'gsub');
  const pattern = checkString(args, 2, 'gsub');
  const replacement = args[2];
  const kind = typeof replacement;
  if (
    kind !== 'number' &&
    kind !== 'string' &&
    kind !== 'function' &&
    !(replacement instanceof LuaTable)
  ) {
    throw argumentError(3, 'gsub', 'string/function/table expected');
  }
  const limit = optInt(args, 4, 'gsub', s.length + 1);
  const matcher = new PatternMatcher(s, pattern);
  const anchored = matcher.pattern.charCodeAt(0) === 94; /* ^ */
  const patternStart = anchored ? 1 : 0;
  const text =
    typeof replacement === 'string' || typeof replacement === 'number'
      ? checkString(args, 3, 'gsub')
      : undefined;
  let result = '';
  let count = 0;
  let at = 0;
  /** Where the text not yet copied to the result starts (unmatched bytes are copied in runs). */
  let copied = 0;
  while (count < limit) {
    matcher.reset();
    const end = matcher.match(at, patternStart);
    if (end !== -1) {
      count++;
      result += s.slice(copied, at);
      result +=
        text !== undefined
          ? expand(matcher, text, at, end)
          : substitute(host, matcher, replacement, at, end);
      copied = end;
    }
    if (end !== -1 && end > at) at = end;
    else if (at < s.length) at++;
    else break;
    if (anchored) break;
  }
  return [result + s.slice(copied), count];
}

/** A replacement string with %0-%9 replaced by captures and %x by x. */
function expand(matcher: PatternMatcher, text: string, start: number, end: number): string {
  if (text.indexOf('%') === -1) return text;
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '%') {
      result += c;
      continue;
    }
    const next = text.charCodeAt(++i);
    if (next >= 48 && next <= 57) {
      const value =
        next === 48 ? matcher.subject.slice(start, end) : matcher.capture(next - 49, start, end);
      result += typeof value === 'number' ? formatNumber(value) : (value as string);
    } else {
      // A '%' ending the text adds the zero byte that ends a C string, as 5.1 does.
      result += text[i] ?? '\0';
    }
  }
  return result;
}

/** A match replaced by the table's value for its first capture or the function's result. */
function substitute(
  host: LibraryHost,
  matcher: PatternMatcher,
  replacement: LuaValue,
  start: number,
  end: number,
): string {
  const value =
    typeof replacement === 'function'
      ? host.call(replacement, ...matcher.allCaptures(start, end))[0]
      : host.index(replacement, matcher.capture(0, start, end));
  if (value === undefined || value === false) return matcher.subject.slice(start, end);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  throw new LuaError(`invalid replacement value (a ${typeName(value)})`);
}

const FLAGS = '-+ #0';

/** string.format: C's conversions as Lua 5.1 passes them to sprintf. */
function stringFormat(...args: LuaValue[]): LuaValue[] {
  const format = checkString(args, 1, 'format');
  let result = '';
  let position = 1;
  for (let i = 0; i < format.length;) {
    const c = format[i++];
    if (c !== '%') {
      result += c;
      continue;
    }
    if (format[i] === '%') {
      result += '%';
      i++;
      continue;
    }
    if (++position > args.length) throw argumentError(position, 'format', 'no value');
    // The common bare %s and %d, without building a spec.
    const bare = format[i];
    if (bare === 's') {
      const text = checkString(args, position, 'format');
      result += text.length >= 100 ? text : cString(text);
      i++;
      continue;
    }
    if (bare === 'd') {
      const n = Math.trunc(checkNumber(args, position, 'format'));
      result += Number.isSafeInteger(n) ? String(n) : cLong(n).toString();
      i++;
      continue;
    }
    const specStart = i;
    while (i < format.length && FLAGS.includes(format[i])) i++;
    if (i - specStart > FLAGS.length) throw new LuaError('invalid format (repeated flags)');
    const flags = format.slice(specStart, i);
    const widthStart = i;
    while (isDigitAt(format, i)) i++;
    const width = i > widthStart ? Number(format.slice(widthStart, i)) : 0;
    let precision = -1;
    let tooLong = i - widthStart > 2;
    if (format[i] === '.') {
      const precisionStart = ++i;
      while (isDigitAt(format, i)) i++;
      precision = Number(format.slice(precisionStart, i));
      tooLong ||= i - precisionStart > 2;
    }
    if (tooLong) throw new LuaError('invalid format (width or precision too long)');
    const conversion = format[i++] ?? '';
    const spec: Spec = { flags, width, precision, conversion };
    result += convert(args, position, spec);
  }
  return [result];
}

/** One conversion of string.format; C strings end at a zero byte, so does its text. */
function convert(args: LuaValue[], position: number, spec: Spec): string {
  switch (spec.conversion) {
    case 'c':
      return cString(padText(spec, String.fromCharCode(checkInt(args, position, 'format') & 255)));
    case 'd':
    case 'i': {
      const n = Math.trunc(checkNumber(args, position, 'format'));
      return formatSigned(spec, Number.isSafeInteger(n) ? n : cLong(n));
    }
    case 'o':
    case 'u':
    case 'x':
    case 'X':
      return formatUnsigned(spec, cUnsignedLong(checkNumber(args, position, 'format')));
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return formatFloat(spec, checkNumber(args, position, 'format'));
    case 'q':
      return quote(checkString(args, position, 'format'));
    case 's': {
      const text = checkString(args, position, 'format');
      // 5.1 copies a long string whole when no precision could cut it.
      if (spec.precision < 0 && text.length >= 100) return text;
      const cut = cString(text);
      return padText(spec, spec.precision < 0 ? cut : cut.slice(0, spec.precision));
    }
    default:
      throw new LuaError(`invalid option '%${spec.conversion}' to 'format'`);
  }
}

/** A double cast to a C long as x86-64 does (out of range and NaN give LONG_MIN). */
function cLong(n: number): bigint {
  return BigInt(toInteger(n));
}

const TWO_63 = 2 ** 63;

/**
 * A double cast to a C unsigned long as gcc does on x86-64: below 2^63 through the signed
 * conversion (negative values wrap), above it by subtracting 2^63 first; out of range gives 0.
 */
function cUnsignedLong(n: number): bigint {
  if (n >= TWO_63) {
    const rest = n - TWO_63;
    return rest < TWO_63 ? BigInt(Math.trunc(rest)) + (1n << 63n) : 0n;
  }
  return BigInt.asUintN(64, cLong(n));
}

function cString(text: string): string {
  const zero = text.indexOf('\0');
  return zero === -1 ? text : text.slice(0, zero);
}

function padText(spec: Spec, text: string): string {
  if (text.length >= spec.width) return text;
  const fill = ' '.repeat(spec.width - text.length);
  return spec.flags.includes('-') ? text + fill : fill + text;
}

/** %q: a string Lua reads back as the same bytes. */
function quote(text: string): string {
  let result = '"';
  for (const c of text) {
    if (c === '"' || c === '\\') result += `\\${c}`;
    else if (c === '\n') result += '\\\n';
    else if (c === '\r') result += '\\r';
    else if (c === '\0') result += '\\000';
    else result += c;
  }
  return `${result}"`;
}
