import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { invalidExpireError } from './errors.js';
import { integerArgument } from './commands/reply-helpers.js';

export type ExpireUnit = 'seconds' | 'milliseconds';

const MAX_SECONDS = Number.MAX_SAFE_INTEGER / 1000;

/**
 * Turns an expire argument into an absolute time in ms, as Redis's getExpireMillisecondsOrReply:
 * non-integers are "not an integer", zero or negative times and overflows are "invalid expire
 * time in '<command>' command". Returns null after replying the error.
 */
export function expireArgument(
  client: Client,
  engine: Engine,
  text: string,
  unit: ExpireUnit,
  relative: boolean,
  commandName: string,
): number | null {
  const value = integerArgument(client, engine, text);
  if (value === null) return null;
  if (value <= 0 || (unit === 'seconds' && value > MAX_SECONDS)) {
    engine.replyError(client, invalidExpireError(commandName));
    return null;
  }
  let at = unit === 'seconds' ? value * 1000 : value;
  if (relative) at += Date.now();
  if (at > Number.MAX_SAFE_INTEGER) {
    engine.replyError(client, invalidExpireError(commandName));
    return null;
  }
  return at;
}
