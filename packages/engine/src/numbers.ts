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
 * Parses a double as Redis does with strtod/strtold: no surrounding spaces, "inf"/"infinity"
 * in any case with an optional sign, hex integers accepted; NaN rejected. Returns null when
 * invalid.
 */
export function parseFloatStrict(text: string): number | null {
  if (text.length === 0) return null;
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

/**
 * Formats a long double as Redis's ld2string in "human" mode (INCRBYFLOAT, HINCRBYFLOAT):
 * "%.17Lf" with trailing zeros and a trailing dot removed.
 */
export function formatHumanFloat(value: number): string {
  if (Object.is(value, -0)) return '0';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  let text = value.toFixed(17);
  if (text.includes('e')) return text;
  text = text.replace(/0+$/, '');
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/**
 * Adds two decimal strings exactly, rounding to 17 fractional digits as %.17Lf would; long
 * double keeps more precision than a JavaScript double, so 0.1 + 0.2 prints "0.3" in Redis.
 * Returns null when either operand is not a plain decimal (exponents, hex, inf): the caller then
 * falls back to double arithmetic.
 */
export function addDecimalStrings(a: string, b: string): string | null {
  const left = toScaled(a);
  const right = toScaled(b);
  if (left === null || right === null) return null;
  return fromScaled(left + right);
}

const SCALE_DIGITS = 17;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function toScaled(text: string): bigint | null {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const fraction = (match[3] ?? '').padEnd(SCALE_DIGITS, '0');
  if (fraction.length > SCALE_DIGITS && /[1-9]/.test(fraction.slice(SCALE_DIGITS))) return null;
  const magnitude = BigInt(match[2] || '0') * SCALE + BigInt(fraction.slice(0, SCALE_DIGITS));
  return match[1] === '-' ? -magnitude : magnitude;
}

function fromScaled(value: bigint): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const integer = magnitude / SCALE;
  let fraction = (magnitude % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  if (fraction !== '') fraction = '.' + fraction;
  if (integer === 0n && fraction === '') return '0';
  return (negative ? '-' : '') + integer.toString() + fraction;
}
