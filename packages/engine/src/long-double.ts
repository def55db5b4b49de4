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

/** strtold for plain decimals; null when the text is not one, or out of long double range. */
export function parseLongDouble(text: string): LongDouble | null {
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
