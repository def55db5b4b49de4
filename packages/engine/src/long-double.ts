/**
 * Just enough x87 80-bit long double arithmetic to reproduce INCRBYFLOAT and HINCRBYFLOAT
 * byte for byte: Redis parses both operands with strtold, adds them in long double (64-bit
 * mantissa) and prints "%.17Lf" with trailing zeros removed. A JavaScript double has only 53
 * bits, so e.g. 5.6 + 1e3 prints 1005.6000000000000227 instead of Redis's 1005.59999999999999998.
 *
 * A value is mantissa × 2^exponent with |mantissa| < 2^64, rounded to nearest, ties to even.
 */
export interface LongDouble {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const MANTISSA_BITS = 64;
const TOP = 1n << BigInt(MANTISSA_BITS);
/** Decimal exponents beyond long double's range make strtold report ERANGE. */
const MAX_DECIMAL_EXPONENT = 4931;

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** Divides by 2^shift rounding to nearest, ties to even. */
function shiftRound(value: bigint, shift: number): bigint {
  if (shift <= 0) return value << BigInt(-shift);
  const divisor = 1n << BigInt(shift);
  const quotient = value / divisor;
  const remainder = value - quotient * divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && (quotient & 1n) === 1n)) return quotient + 1n;
  return quotient;
}

/** Rounds an exact magnitude × 2^exponent to 64 significant bits. */
function normalize(negative: boolean, magnitude: bigint, exponent: number): LongDouble {
  if (magnitude === 0n) return { mantissa: 0n, exponent: 0 };
  let shift = bitLength(magnitude) - MANTISSA_BITS;
  let mantissa = shift > 0 ? shiftRound(magnitude, shift) : magnitude;
  if (mantissa >= TOP) {
    mantissa >>= 1n;
    shift++;
  }
  return { mantissa: negative ? -mantissa : mantissa, exponent: exponent + Math.max(0, shift) };
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
/** Binary exponents beyond long double's range (largest, then smallest subnormal). */
const MAX_BINARY_EXPONENT = 16384;
const MIN_BINARY_EXPONENT = -16445;

/**
 * strtold for decimal and hexadecimal numbers; null when the text is not one, or out of long
 * double range (strtold's ERANGE, which string2ld rejects). inf and nan are left to callers.
 */
export function parseLongDouble(text: string): LongDouble | null {
  const hex = HEX.exec(text);
  if (hex !== null) return parseHexLongDouble(hex);
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const fraction = match[3] ?? '';
  const digits = BigInt((match[2] || '0') + fraction);
  const decimalExponent = Number(match[4] ?? '0') - fraction.length;
  const negative = match[1] === '-';
  if (digits === 0n) return { mantissa: 0n, exponent: 0 };
  if (Math.abs(decimalExponent + (match[2] || '0').length) > MAX_DECIMAL_EXPONENT) return null;
  if (decimalExponent >= 0) return normalize(negative, digits * 10n ** BigInt(decimalExponent), 0);
  const divisor = 10n ** BigInt(-decimalExponent);
  // Scale so the quotient has at least 64 bits before rounding.
  const scale = Math.max(0, MANTISSA_BITS + 2 - (bitLength(digits) - bitLength(divisor)));
  const numerator = digits << BigInt(scale);
  const quotient = numerator / divisor;
  const remainder = numerator - quotient * divisor;
  // Fold the remainder into a sticky bit so the final rounding sees it.
  const sticky = remainder === 0n ? 0n : 1n;
  return normalize(negative, (quotient << 1n) | sticky, -scale - 1);
}

/** 0x digits [. digits] [p exponent]: exact in binary, rounded to 64 bits like any other. */
function parseHexLongDouble(match: RegExpExecArray): LongDouble | null {
  const [, sign, whole, fraction = '', power = '0'] = match;
  if (whole === '' && fraction === '') return null;
  const digits = BigInt(`0x${whole}${fraction}`);
  if (digits === 0n) return { mantissa: 0n, exponent: 0 };
  const exponent = Number(power) - 4 * fraction.length;
  const top = bitLength(digits) + exponent;
  if (top > MAX_BINARY_EXPONENT || top < MIN_BINARY_EXPONENT) return null;
  return normalize(sign === '-', digits, exponent);
}

/**
 * ceill(value * 1000) as a 64-bit integer, as Redis turns a timeout in seconds into
 * milliseconds: the product is rounded to long double first. Out of the int64 range (the C
 * conversion's undefined case) gives what x86 gives, the lowest int64.
 */
export function ceilThousandTimes(value: LongDouble): bigint {
  const negative = value.mantissa < 0n;
  const product = normalize(
    negative,
    (negative ? -value.mantissa : value.mantissa) * 1000n,
    value.exponent,
  );
  const magnitude = product.mantissa < 0n ? -product.mantissa : product.mantissa;
  let result: bigint;
  if (product.exponent >= 0) {
    const whole = magnitude << BigInt(product.exponent);
    result = negative ? -whole : whole;
  } else {
    const divisor = 1n << BigInt(-product.exponent);
    const quotient = magnitude / divisor;
    const exact = quotient * divisor === magnitude;
    // Ceiling: up for a positive remainder, toward zero (truncation) for a negative one.
    result = negative ? -quotient : exact ? quotient : quotient + 1n;
  }
  return result >= 2n ** 63n || result < -(2n ** 63n) ? -(2n ** 63n) : result;
}

/** string2ld's answer for inf and infinity: accepted, but never a finite long double. */
export const INFINITE = 'infinite';

/**
 * A long double as Redis's string2ld reads one (INCRBYFLOAT, HINCRBYFLOAT, timeouts): strtold
 * over the whole text, under 5 KiB, no leading space, NaN and ERANGE rejected, inf accepted
 * (INFINITE). Null when invalid.
 */
export function readLongDouble(text: string): LongDouble | typeof INFINITE | null {
  if (text.length === 0 || text.length >= 5 * 1024) return null;
  if (/^[+-]?inf(?:inity)?$/i.test(text)) return INFINITE;
  return parseLongDouble(text);
}

export function addLongDoubles(a: LongDouble, b: LongDouble): LongDouble {
  const exponent = Math.min(a.exponent, b.exponent);
  const sum =
    (a.mantissa << BigInt(a.exponent - exponent)) + (b.mantissa << BigInt(b.exponent - exponent));
  return normalize(sum < 0n, sum < 0n ? -sum : sum, exponent);
}

/** printf("%.17Lf") with trailing zeros (and a bare dot) removed, as Redis's human mode. */
export function formatLongDouble(value: LongDouble): string {
  const negative = value.mantissa < 0n;
  const magnitude = negative ? -value.mantissa : value.mantissa;
  const scale = 10n ** 17n;
  const scaled =
    value.exponent >= 0
      ? (magnitude << BigInt(value.exponent)) * scale
      : shiftRound(magnitude * scale, -value.exponent);
  const integer = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(17, '0').replace(/0+$/, '');
  const text = fraction === '' ? integer.toString() : `${integer}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** The exact long double of a finite JavaScript double (a double always fits in 64 bits). */
export function longDoubleFromNumber(value: number): LongDouble {
  if (value === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: negative ? -mantissa : mantissa, exponent };
}

/**
 * left + right as Redis adds them in long double, shared with HINCRBYFLOAT; null when either
 * is infinite, which both commands report as NaN/Infinity.
 */
export function addFloats(
  left: LongDouble | typeof INFINITE,
  right: LongDouble | typeof INFINITE,
): string | null {
  if (left === INFINITE || right === INFINITE) return null;
  return formatLongDouble(addLongDoubles(left, right));
}
