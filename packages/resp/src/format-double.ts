/**
 * Formats a double exactly as C's printf("%.17g"), which Redis 7.0 uses for scores and other
 * double replies: 0.1 → "0.10000000000000001", 1e17 → "1e+17", Infinity → "inf".
 *
 * JavaScript's toExponential rounds exact ties away from zero where glibc rounds them to even;
 * ties at the 17th digit are real (1000000000000000.25 prints "1000000000000000.2" in C), so
 * they are detected and corrected.
 */
export function formatDouble(value: number): string {
  if (value !== value) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // Integers up to 2^53 print exactly as JavaScript prints them (at most 16 digits). Beyond,
  // String() gives the shortest round-trip digits, not the exact ones C prints.
  if (Number.isInteger(value) && value <= 2 ** 53 && value >= -(2 ** 53)) return String(value);

  const negative = value < 0;
  const magnitude = negative ? -value : value;
  const exponential = magnitude.toExponential(16); // "d.dddddddddddddddde±X"
  const marker = exponential.indexOf('e');
  const exponent = Number(exponential.slice(marker + 1));
  let digits = exponential.charAt(0) + exponential.slice(2, marker); // 17 digits
  if (isExactTie(magnitude, exponent)) {
    const last = digits.charCodeAt(16) - 48;
    // toExponential rounded the tie up; C keeps the even neighbour, one unit below an odd one.
    if (last % 2 === 1) digits = digits.slice(0, 16) + String.fromCharCode(47 + last);
  }

  let text: string;
  if (exponent < -4 || exponent >= 17) {
    const fraction = trimZeros(digits.slice(1));
    const power = exponent < 0 ? -exponent : exponent;
    text =
      digits.charAt(0) +
      (fraction === '' ? '' : '.' + fraction) +
      (exponent < 0 ? 'e-' : 'e+') +
      (power < 10 ? '0' + power : String(power));
  } else if (exponent >= 0) {
    const fraction = trimZeros(digits.slice(exponent + 1));
    text = digits.slice(0, exponent + 1) + (fraction === '' ? '' : '.' + fraction);
  } else {
    text = '0.' + '0'.repeat(-exponent - 1) + trimZeros(digits);
  }
  return negative ? '-' + text : text;
}

/**
 * Whether `magnitude` lies exactly halfway between two 17-significant-digit decimals, given
 * its decimal exponent. That needs magnitude × 10^(17 - exponent) to be an odd multiple of 5,
 * i.e. magnitude × 2^(17 - exponent) to be an odd integer (scaling by a power of two is exact).
 */
function isExactTie(magnitude: number, exponent: number): boolean {
  if (exponent > 16) return false;
  const scaled = magnitude * 2 ** (17 - exponent);
  return Number.isInteger(scaled) && scaled % 2 === 1;
}

function trimZeros(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, end);
}
