import { formatFloat } from './lib/printf.js';

const PERCENT_14G = { flags: '', width: 0, precision: 14, conversion: 'g' };

/**
 * How Lua 5.1 prints a number: C's "%.14g" as glibc prints it (exact value, ties to even:
 * 123456789012345 is 1.2345678901234e+14), 1e+15, 0.1, inf, -nan (the NaN of 0/0 on x86).
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) return Object.is(n, -0) ? '-0' : String(n);
  return formatFloat(PERCENT_14G, n);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEXADECIMAL = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan(?:\([0-9a-zA-Z_]*\))?)$/i;

/**
 * A string read as a number the way Lua 5.1 does (`tonumber`, arithmetic on strings,
 * numerals): C's strtod after optional spaces, which on glibc also reads hexadecimal
 * (`0x10`, `0x1p4`), `inf` and `nan`, then nothing but spaces. Undefined when it is no number.
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = trimSpaces(text);
  if (trimmed.length === 0) return undefined;
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const hex = HEXADECIMAL.exec(trimmed);
  if (hex !== null) return parseHex(hex[1], hex[2], hex[3] ?? '', hex[4]);
  const special = SPECIAL.exec(trimmed);
  if (special === null) return undefined;
  if (special[2].toLowerCase().startsWith('nan')) return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

function parseHex(sign: string, whole: string, fraction: string, exponent: string | undefined) {
  if (whole.length === 0 && fraction.length === 0) return undefined;
  let value = 0;
  for (const digit of whole) value = value * 16 + parseInt(digit, 16);
  let scale = 1 / 16;
  for (const digit of fraction) {
    value += parseInt(digit, 16) * scale;
    scale /= 16;
  }
  if (exponent !== undefined) value *= 2 ** Number(exponent);
  return sign === '-' ? -value : value;
}

/** C's isdigit: whether text[i] is 0-9 (false past the end). */
export function isDigitAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 48 && code <= 57;
}

/** C's isspace in the "C" locale. */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
