/*
 * C's printf conversions of numbers as glibc prints them, for string.format: exact decimal
 * expansions of doubles (BigInt arithmetic) rounded half to even, flags "-+ #0", width and
 * precision.
 */

export interface Spec {
  flags: string;
  width: number;
  /** -1 when the spec has none. */
  precision: number;
  conversion: string;
}

/** %d %i: `value` is already the C long the double was cast to. */
export function formatSigned(spec: Spec, value: bigint | number): string {
  const negative = value < 0;
  const digits = integerDigits(spec, (negative ? -value : value).toString());
  return pad(spec, signOf(spec, negative), digits, spec.precision < 0);
}

/** %u %o %x %X: `value` is the unsigned long. */
export function formatUnsigned(spec: Spec, value: bigint): string {
  const { conversion, flags } = spec;
  const radix = conversion === 'o' ? 8 : conversion === 'u' ? 10 : 16;
  let digits = integerDigits(spec, value.toString(radix));
  let prefix = '';
  if (flags.includes('#')) {
    if (radix === 8 && !digits.startsWith('0')) digits = `0${digits}`;
    else if (radix === 16 && value !== 0n) prefix = '0x';
  }
  if (conversion === 'X') {
    digits = digits.toUpperCase();
    prefix = prefix.toUpperCase();
  }
  return pad(spec, prefix, digits, spec.precision < 0);
}

function integerDigits(spec: Spec, digits: string): string {
  if (spec.precision < 0) return digits;
  if (spec.precision === 0 && digits === '0') return '';
  return digits.padStart(spec.precision, '0');
}

/** %e %E %f %g %G. */
export function formatFloat(spec: Spec, value: number): string {
  const { conversion, flags } = spec;
  const upper = conversion === 'E' || conversion === 'G';
  const negative = value < 0 || Object.is(value, -0) || value !== value;
  const sign = signOf(spec, negative);
  if (!Number.isFinite(value)) {
    const text = value !== value ? 'nan' : 'inf';
    return pad(spec, sign, upper ? text.toUpperCase() : text, false);
  }
  const magnitude = Math.abs(value);
  const precision = spec.precision < 0 ? 6 : spec.precision;
  const alternate = flags.includes('#');
  let body: string;
  if (conversion === 'f') {
    body = fixed(magnitude, precision, alternate);
  } else if (conversion === 'e' || conversion === 'E') {
    body = exponential(magnitude, precision, alternate);
  } else {
    const significant = precision === 0 ? 1 : precision;
    const exponent = magnitude === 0 ? 0 : scientific(magnitude, significant - 1).exponent;
    body =
      exponent < -4 || exponent >= significant
        ? exponential(magnitude, significant - 1, alternate)
        : fixed(magnitude, significant - 1 - exponent, alternate);
    if (!alternate) body = dropTrailingZeros(body);
  }
  return pad(spec, sign, upper ? body.toUpperCase() : body, true);
}

function signOf(spec: Spec, negative: boolean): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  return spec.flags.includes(' ') ? ' ' : '';
}

/** Fills to the width: spaces on the left or right, or zeros after the sign and prefix. */
function pad(spec: Spec, prefix: string, body: string, zeroAllowed: boolean): string {
  const missing = spec.width - prefix.length - body.length;
  if (missing <= 0) return prefix + body;
  if (spec.flags.includes('-')) return prefix + body + ' '.repeat(missing);
  if (zeroAllowed && spec.flags.includes('0')) return prefix + '0'.repeat(missing) + body;
  return ' '.repeat(missing) + prefix + body;
}

function dropTrailingZeros(body: string): string {
  const exponent = body.indexOf('e');
  const mantissa = exponent === -1 ? body : body.slice(0, exponent);
  if (!mantissa.includes('.')) return body;
  const trimmed = mantissa.replace(/\.?0+$/, '');
  return exponent === -1 ? trimmed : trimmed + body.slice(exponent);
}

const bits = new DataView(new ArrayBuffer(8));

/** `magnitude` (finite, >= 0) as exact numerator / denominator, from its bits. */
function rational(magnitude: number): [bigint, bigint] {
  if (Number.isSafeInteger(magnitude)) return [BigInt(magnitude), 1n];
  bits.setFloat64(0, magnitude);
  const high = bits.getUint32(0);
  const biased = high >>> 20;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(bits.getUint32(4));
  // Normal numbers have the implicit leading 1; subnormals scale as the smallest exponent.
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return [mantissa << BigInt(exponent), 1n];
  return [mantissa, 1n << BigInt(-exponent)];
}

/** numerator / denominator rounded to the nearest integer, ties to even (glibc's rounding). */
function roundDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** magnitude * 10^scale rounded to an integer. */
function scaledInteger(magnitude: number, scale: number): bigint {
  const [numerator, denominator] = rational(magnitude);
  if (scale >= 0) return roundDivide(numerator * 10n ** BigInt(scale), denominator);
  return roundDivide(numerator, denominator * 10n ** BigInt(-scale));
}

/**
 * Whether JavaScript's rounding (ties away from zero) may differ from glibc's (ties to even):
 * only when the value is exactly halfway, i.e. one more digit shows it exactly, ending in 5.
 */
function maybeTie(magnitude: number, oneMoreDigit: () => string): boolean {
  // A tie sits at a power of ten no finer than 10^-(precision+1): the value has few bits.
  const text = oneMoreDigit();
  const marker = text.indexOf('e');
  const mantissa = marker === -1 ? text : text.slice(0, marker);
  return mantissa.endsWith('5') && Number(text) === magnitude;
}

/**
 * Whether magnitude * 2^bits is an integer: a value exactly halfway between two decimals of
 * `bits` digits after the point must be (10^-n has a factor 2^-n), so others can't be ties.
 */
function fewBits(magnitude: number, bits: number): boolean {
  return Number.isInteger(magnitude * 2 ** bits);
}

function fixed(magnitude: number, precision: number, alternate: boolean): string {
  let text: string;
  // toFixed rounds the exact value, as glibc does, but for ties; it covers up to 1e21.
  if (
    magnitude < 1e21 &&
    precision < 100 &&
    !(
      fewBits(magnitude, precision + 1) &&
      maybeTie(magnitude, () => magnitude.toFixed(precision + 1))
    )
  ) {
    text = magnitude.toFixed(precision);
  } else {
    const digits = scaledInteger(magnitude, precision)
      .toString()
      .padStart(precision + 1, '0');
    const whole = digits.slice(0, digits.length - precision);
    text = precision === 0 ? whole : `${whole}.${digits.slice(digits.length - precision)}`;
  }
  return alternate && precision === 0 ? `${text}.` : text;
}

/** The digits d.ddd (precision after the point) and exponent of `magnitude`, rounded. */
function scientific(magnitude: number, precision: number): { digits: string; exponent: number } {
  if (magnitude === 0) return { digits: '0'.repeat(precision + 1), exponent: 0 };
  const shift = precision + 2 - Math.floor(Math.log10(magnitude));
  if (
    precision < 100 &&
    !(
      fewBits(magnitude, shift) && maybeTie(magnitude, () => magnitude.toExponential(precision + 1))
    )
  ) {
    const text = magnitude.toExponential(precision);
    const marker = text.indexOf('e');
    return {
      digits: text.slice(0, marker).replace('.', ''),
      exponent: Number(text.slice(marker + 1)),
    };
  }
  let exponent = Math.floor(Math.log10(magnitude));
  // The logarithm may be one off, and rounding may carry (9.99 -> 10.0): adjust and redo.
  for (;;) {
    const digits = scaledInteger(magnitude, precision - exponent).toString();
    if (digits.length > precision + 1) exponent++;
    else if (digits.length < precision + 1) exponent--;
    else return { digits, exponent };
  }
}

function exponential(magnitude: number, precision: number, alternate: boolean): string {
  const { digits, exponent } = scientific(magnitude, precision);
  let mantissa = digits[0];
  if (precision > 0 || alternate) mantissa += '.';
  mantissa += digits.slice(1);
  const size = Math.abs(exponent);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${size < 10 ? '0' : ''}${size}`;
}
