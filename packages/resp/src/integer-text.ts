const LLONG_MAX_DIGITS = '9223372036854775807';
const LLONG_MIN_DIGITS = '9223372036854775808';

/**
 * Parses the decimal integer in bytes [start, end) with the rules of Redis's string2ll
 * (util.c): an optional '-', then digits with no leading zero (only "0" itself), no '+', no
 * spaces, at most 20 characters, and within the range of a signed 64-bit integer. Returns NaN
 * when the text is not such an integer. Values beyond 2^53 come back rounded, which is enough
 * for the length checks this serves (they only compare against limits far below 2^53).
 */
export function parseIntegerBytes(buffer: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length <= 0 || length >= 21) return NaN;
  if (length === 1 && buffer[start] === 48 /* 0 */) return 0;
  let i = start;
  const negative = buffer[i] === 45; /* - */
  if (negative) {
    i++;
    if (i === end) return NaN;
  }
  const first = buffer[i];
  if (first < 49 || first > 57) return NaN; // first digit 1-9: no leading zero, no "-0"
  let value = 0;
  for (; i < end; i++) {
    const digit = buffer[i] - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  const digits = end - start - (negative ? 1 : 0);
  if (digits > 19) return NaN;
  if (digits === 19 && !withinInt64(buffer, end - 19, negative)) return NaN;
  return negative ? -value : value;
}

/** Whether the 19 digits at `from` fit in a long long (string2ll's overflow checks). */
function withinInt64(buffer: Uint8Array, from: number, negative: boolean): boolean {
  const limit = negative ? LLONG_MIN_DIGITS : LLONG_MAX_DIGITS;
  for (let i = 0; i < 19; i++) {
    const digit = buffer[from + i];
    const bound = limit.charCodeAt(i);
    if (digit !== bound) return digit < bound;
  }
  return true;
}
