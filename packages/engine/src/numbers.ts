/**
 * Number parsing and formatting with Redis's exact acceptance rules (string2ll, strtold-based
 * string2ld) and output formats, which differ from JavaScript's Number() in many corners.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a signed 64-bit integer the way Redis's string2ll does: optional '-', no '+', no
 * spaces, no leading zeros. Returns a number when it is exactly representable, else a bigint,
 * or null when the text is not such an integer.
 */
export function parseInteger(text: string): number | bigint | null {
  const length = text.length;
  if (length === 0 || length > 20) return null;
  let i = 0;
  const negative = text.charCodeAt(0) === 45;
  if (negative) {
    i = 1;
    if (length === 1) return null;
  }
  const first = text.charCodeAt(i);
  if (first === 48) return length === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  let value = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  if (value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  const big = BigInt(text);
  return big < INT64_MIN || big > INT64_MAX ? null : big;
}

/** An integer argument used as a count or index: bigints clamp to a far-away number. */
export function parseIndex(text: string): number | null {
  const value = parseInteger(text);
  if (value === null) return null;
  return typeof value === 'bigint' ? Number(value) : value;
}

export function inInt64Range(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * A plain decimal integer of at most 15 characters (most scores), which a double holds
 * exactly, read without a regular expression; null for anything else.
 */
function shortInteger(text: string): number | null {
  const length = text.length;
  if (length > 15) return null;
  const negative = text.charCodeAt(0) === 45; /* - */
  let i = negative ? 1 : 0;
  if (i === length) return null;
  let value = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** What C's strtod (glibc) reads at the start of a text. */
export interface Strtod {
  readonly value: number;
  /** Characters read, leading spaces included; 0 when no number starts the text. */
  readonly length: number;
  /** strtod would set errno to ERANGE: the magnitude overflowed, or fell below normal. */
  readonly outOfRange: boolean;
}

const LEADING_SPACE = /^[ \t\n\v\f\r]*/;
const DECIMAL_PREFIX = /^(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE][+-]?\d+)?/;
const HEX_PREFIX = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const WORD_PREFIX = /^(?:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * C's strtod: leading spaces, a sign, then a decimal or hexadecimal (0x, with p exponent)
 * number, or inf/infinity/nan in any case. Redis checks what it read in several ways, so this
 * reports what was read and leaves the verdict to the caller.
 */
export function strtod(text: string): Strtod {
  let at = LEADING_SPACE.exec(text)![0].length;
  const sign = text[at] === '-' ? -1 : 1;
  if (text[at] === '-' || text[at] === '+') at++;
  const rest = text.slice(at);
  const word = WORD_PREFIX.exec(rest);
  if (word !== null) {
    const value = word[0][0] === 'n' || word[0][0] === 'N' ? NaN : sign * Infinity;
    return { value, length: at + word[0].length, outOfRange: false };
  }
  const hex = HEX_PREFIX.exec(rest);
  if (hex !== null) {
    const [read, whole = '', fraction = '', onlyFraction, power = '0'] = hex;
    const digits = whole + (onlyFraction ?? fraction);
    const mantissa = BigInt(`0x${digits}`);
    let exponent = Number(power) - 4 * (onlyFraction ?? fraction).length;
    let magnitude = Number(mantissa);
    // Scaled in steps: 2 ** exponent alone leaves the double range first.
    for (; exponent > 1000; exponent -= 1000) magnitude *= 2 ** 1000;
    for (; exponent < -1000; exponent += 1000) magnitude *= 2 ** -1000;
    magnitude *= 2 ** exponent;
    return {
      value: sign * magnitude,
      length: at + read.length,
      outOfRange: outOfRange(magnitude, mantissa !== 0n),
    };
  }
  const decimal = DECIMAL_PREFIX.exec(rest);
  if (decimal === null) return { value: 0, length: 0, outOfRange: false };
  const magnitude = Number(decimal[0]);
  const nonZero = /[1-9]/.test((decimal[1] ?? '') + (decimal[2] ?? '') + (decimal[3] ?? ''));
  return {
    value: sign * magnitude,
    length: at + decimal[0].length,
    outOfRange: outOfRange(magnitude, nonZero),
  };
}

/** ERANGE: an overflow to infinity, or a non-zero number read as subnormal or zero. */
function outOfRange(magnitude: number, nonZero: boolean): boolean {
  return magnitude === Infinity || (nonZero && magnitude < MIN_NORMAL);
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * A double as Redis's getDoubleFromObject takes one (ZADD scores, WEIGHTS, coordinates,
 * radii): strtod must read the whole text, with no leading space; inf is fine but a number
 * too large or too small to hold (ERANGE to infinity or zero) is not, nor is NaN. Null when
 * invalid.
 */
export function parseFloatStrict(text: string): number | null {
  if (text.length === 0) return null;
  const integer = shortInteger(text);
  if (integer !== null) return integer;
  const read = strtod(text);
  if (read.length !== text.length || isSpace(text.charCodeAt(0))) return null;
  if (Number.isNaN(read.value)) return null;
  if (read.outOfRange && (read.value === 0 || !Number.isFinite(read.value))) return null;
  return read.value;
}

/**
 * A double where Redis calls strtod and only checks that it read everything and got no NaN
 * (score ranges, zslParseRange): leading spaces and an empty text (0) pass, and a number too
 * large is infinity. With `rejectOutOfRange`, ERANGE fails it as well (SORT's weights).
 */
export function parseFloatLoosely(text: string, rejectOutOfRange = false): number | null {
  const read = strtod(text);
  if (read.length !== text.length || Number.isNaN(read.value)) return null;
  if (rejectOutOfRange && read.outOfRange) return null;
  return read.value;
}
