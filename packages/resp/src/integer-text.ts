/**
 * Parses the decimal integer in bytes [start, end) with Redis's string2ll rules: optional '-',
 * no '+', no spaces, no leading zeros. Returns NaN when the text is not such an integer.
 * Values beyond 2^53 lose precision, which only matters for lengths that are rejected anyway.
 */
export function parseIntegerBytes(buffer: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 20) return NaN;
  let i = start;
  let negative = false;
  if (buffer[i] === 45 /* - */) {
    negative = true;
    i++;
    if (i === end) return NaN;
  }
  if (buffer[i] === 48 /* 0 */) return end - i === 1 && !negative ? 0 : NaN;
  let value = 0;
  for (; i < end; i++) {
    const digit = buffer[i] - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
