import type { Client } from './client.js';
import { Errors, invalidExpireError } from './errors.js';
import { parseInteger } from './numbers.js';

export type ExpireUnit = 'seconds' | 'milliseconds';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** |time| up to this (seconds or ms) converts to ms plus a clock reading exactly in a double. */
const SAFE_WITHOUT_BIGINT = 1e12;

/**
 * Turns an expire argument into an absolute time in ms, with Redis's 64-bit overflow checks
 * (exact, in bigint). SET, GETEX and SETEX (`positiveOnly`) reject zero and negative times, as
 * getExpireMillisecondsOrReply does; EXPIRE and friends accept them (the key is deleted) but
 * still reject overflows. A relative time counts from `now`, the command's one clock reading:
 * read again, a millisecond could pass between the deadline and the already-expired check, as
 * Redis's commandTimeSnapshot prevents. Returns null after replying the error.
 */
export function expireArgument(
  client: Client,
  now: number,
  text: string,
  unit: ExpireUnit,
  relative: boolean,
  commandName: string,
  positiveOnly = true,
): number | null {
  const parsed = parseInteger(text);
  if (parsed === null) {
    client.out.error(Errors.notInteger);
    return null;
  }
  const base = relative ? now : 0;
  // Common times stay far from 64-bit limits: plain numbers are exact there, and BigInt is slow.
  if (typeof parsed === 'number' && Math.abs(parsed) <= SAFE_WITHOUT_BIGINT) {
    if (positiveOnly && parsed <= 0) {
      client.out.error(invalidExpireError(commandName));
      return null;
    }
    return parsed * (unit === 'seconds' ? 1000 : 1) + base;
  }
  const value = BigInt(parsed);
  const perUnit = unit === 'seconds' ? 1000n : 1n;
  const bigBase = BigInt(base);
  const invalid =
    (positiveOnly && value <= 0n) ||
    value > INT64_MAX / perUnit ||
    value < INT64_MIN / perUnit ||
    value * perUnit > INT64_MAX - bigBase;
  if (invalid) {
    client.out.error(invalidExpireError(commandName));
    return null;
  }
  return Number(value * perUnit + bigBase);
}
