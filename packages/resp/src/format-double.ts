/**
 * Formats a double exactly as C's printf("%.17g"), which Redis 7.0 uses for scores and other
 * double replies: 0.1 → "0.10000000000000001", 1e17 → "1e+17", Infinity → "inf".
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (Number.isInteger(value) && Math.abs(value) < 1e17) return String(value);
  const exponential = value.toExponential(16);
  const marker = exponential.indexOf('e');
  const exponent = Number(exponential.slice(marker + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = trimZeros(exponential.slice(0, marker));
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return trimZeros(value.toFixed(16 - exponent));
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}
