import { constants } from 'node:buffer';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { Errors } from './errors.js';
import { INFINITE, ceilThousandTimes, readLongDouble } from './long-double.js';
import { parseFloatStrict, parseInteger } from './numbers.js';

/**
 * Argument parsing shared by command handlers: each reads one argument as Redis does and, when
 * it is not valid, replies Redis's error and returns null, so a handler reads
 * `if (x === null) return;`.
 */

const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** An integer argument (string2ll rules) or null after replying `error`. */
export function integerArgument(
  client: Client,
  text: string,
  error: string = Errors.notInteger,
): number | null {
  const value = parseInteger(text);
  if (value === null) {
    client.out.error(error);
    return null;
  }
  return typeof value === 'bigint' ? Number(value) : value;
}

/** A float argument (strtod rules) or null after replying the error. */
export function floatArgument(
  client: Client,
  text: string,
  error: string = Errors.notFloat,
): number | null {
  const value = parseFloatStrict(text);
  if (value === null) {
    client.out.error(error);
    return null;
  }
  return value;
}

/** Case-insensitive comparison against a lower-case keyword without allocating. */
export function isKeyword(text: string, lower: string): boolean {
  if (text.length !== lower.length) return false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A count that must be ≥ 1, as Redis's getRangeLongFromObjectOrReply(1, LONG_MAX, msg): a
 * non-integer gets the same message as a zero or negative value.
 */
export function positiveArgument(client: Client, text: string, error: string): number | null {
  const value = parseInteger(text);
  if (value === null || value < 1) {
    client.out.error(error);
    return null;
  }
  return Number(value);
}

/**
 * An int argument as Redis's getIntFromObjectOrReply reads it (database indexes): a 64-bit
 * integer, then the int range; `error`, when given, replaces both of its errors. Null after
 * replying.
 */
export function intArgument(client: Client, text: string, error?: string): number | null {
  const value = parseInteger(text);
  if (value === null) {
    client.out.error(error ?? Errors.notInteger);
    return null;
  }
  if (value < INT_MIN || value > INT_MAX) {
    client.out.error(
      error ?? `ERR value is out of range, value must between ${INT_MIN} and ${INT_MAX}`,
    );
    return null;
  }
  return Number(value);
}

/**
 * SRANDMEMBER/HRANDFIELD's count: any integer but LONG_MIN, whose negation would overflow.
 * Null after replying the error.
 */
export function randomCountArgument(client: Client, text: string): number | null {
  const value = parseInteger(text);
  if (value === null) {
    client.out.error(Errors.notInteger);
    return null;
  }
  if (BigInt(value) < -LONG_MAX) {
    client.out.error(`ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`);
    return null;
  }
  return Number(value);
}

/**
 * LMPOP/ZMPOP-style arguments from `at`: numkeys key... <where> [COUNT n], where <where> is
 * one of two keywords (LEFT|RIGHT, MIN|MAX). Null after replying Redis's error.
 */
export function multiPopArguments<W extends string>(
  client: Client,
  argv: string[],
  at: number,
  choices: readonly [W, W],
): { keys: string[]; where: W; count: number } | null {
  const numkeys = positiveArgument(client, argv[at], 'ERR numkeys should be greater than 0');
  if (numkeys === null) return null;
  const whereIndex = at + 1 + numkeys;
  const where = choices.find(
    (choice) => whereIndex < argv.length && isKeyword(argv[whereIndex], choice),
  );
  if (where === undefined) {
    client.out.error(Errors.syntax);
    return null;
  }
  let count = 1;
  let countSeen = false;
  for (let i = whereIndex + 1; i < argv.length; i++) {
    if (!countSeen && isKeyword(argv[i], 'count') && i + 1 < argv.length) {
      const value = positiveArgument(client, argv[++i], 'ERR count should be greater than 0');
      if (value === null) return null;
      count = value;
      countSeen = true;
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  return { keys: argv.slice(at + 1, whereIndex), where, count };
}

/** SINTERCARD/ZINTERCARD's optional LIMIT from `from`; 0 means none. Null after an error. */
export function intercardLimit(client: Client, argv: string[], from: number): number | null {
  let limit = 0;
  for (let i = from; i < argv.length; i++) {
    if (isKeyword(argv[i], 'limit') && i + 1 < argv.length) {
      const value = parseInteger(argv[++i]);
      if (value === null || value < 0) {
        client.out.error("ERR LIMIT can't be negative");
        return null;
      }
      limit = Number(value);
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  return limit;
}

/** LPOP/ZPOPMIN's optional count at argv[2]: -1 when absent, null after replying the error. */
export function optionalCount(client: Client, argv: string[]): number | null {
  if (argv.length < 3) return -1;
  const count = integerArgument(client, argv[2], Errors.countPositive);
  if (count === null) return null;
  if (count < 0) {
    client.out.error(Errors.countPositive);
    return null;
  }
  return count;
}

/**
 * Replaces a secret argument (a password) in the call's own argv, as Redis's
 * redactClientCommandArgument: SLOWLOG and MONITOR, which read argv after the call, show
 * "(redacted)" instead.
 */
export function redactArgument(argv: string[], index: number): void {
  argv[index] = '(redacted)';
}

/**
 * Whether a string value may grow to `length` bytes, replying Redis's error when not: up to
 * proto-max-bulk-len, and never beyond the longest string V8 can hold (24 bytes short of the
 * default 512 MiB), which rc's string values are.
 */
export function checkStringLength(client: Client, engine: Engine, length: number): boolean {
  const limit = Math.min(
    engine.config.getNumber('proto-max-bulk-len'),
    constants.MAX_STRING_LENGTH,
  );
  if (length > limit) {
    client.out.error(Errors.stringTooLong);
    return false;
  }
  return true;
}

/**
 * A blocking timeout in seconds as milliseconds; 0 waits forever. Null after an error. As
 * Redis: a long double, ceil(seconds * 1000) as a 64-bit integer, where infinities and numbers
 * past the int64 range turn into its lowest value, hence "negative".
 */
export function timeoutArgument(client: Client, text: string): number | null {
  const seconds = readLongDouble(text);
  if (seconds === null) {
    client.out.error(Errors.timeoutNotFloat);
    return null;
  }
  const ms = seconds === INFINITE ? -1n : ceilThousandTimes(seconds);
  if (ms < 0n) {
    client.out.error(Errors.timeoutNegative);
    return null;
  }
  return Number(ms);
}

/**
 * A bit offset, or null when it is not an integer or out of range: offsets address at most
 * proto-max-bulk-len bytes (512 MiB → 2^32 bits). With `fieldBits` (BITFIELD), `#n` means the
 * n-th field of that width, as in Redis's getBitOffsetFromArgument.
 */
export function parseBitOffset(text: string, engine: Engine, fieldBits = 0): number | null {
  const byIndex = fieldBits > 0 && text[0] === '#';
  const parsed = parseInteger(byIndex ? text.slice(1) : text);
  if (parsed === null) return null;
  const offset = BigInt(parsed) * (byIndex ? BigInt(fieldBits) : 1n);
  const maxBytes = BigInt(engine.config.getNumber('proto-max-bulk-len'));
  if (offset < 0n || offset >> 3n >= maxBytes) return null;
  return Number(offset);
}
