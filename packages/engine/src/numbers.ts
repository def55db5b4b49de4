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

const FLOAT_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT_SYNTAX = /^[+-]?0[xX][0-9a-fA-F]+$/;
const INFINITY_SYNTAX = /^([+-]?)(?:inf|infinity)$/i;

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

/**
 * Parses a double as Redis does with strtod/strtold: no surrounding spaces, "inf"/"infinity"
 * in any case with an optional sign, hex integers accepted; NaN rejected. Returns null when
 * invalid.
 */
export function parseFloatStrict(text: string): number | null {
  if (text.length === 0) return null;
  const integer = shortInteger(text);
  if (integer !== null) return integer;
  if (FLOAT_SYNTAX.test(text)) return Number(text);
  const infinity = INFINITY_SYNTAX.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (HEX_FLOAT_SYNTAX.test(text)) {
    const negative = text[0] === '-';
    const digits = text.replace(/^[+-]?0[xX]/, '');
    const value = Number.parseInt(digits, 16);
    return negative ? -value : value;
  }
  return null;
}
