import type { Client } from './client.js';
import { Errors } from './errors.js';
import type { RedisValue } from './values.js';

/**
 * Lookups of a key that must hold one type: the value, undefined when the key is missing, or
 * WRONG_TYPE once Redis's WRONGTYPE error was replied.
 */

export const WRONG_TYPE = Symbol('wrong type');

export function wrongType(client: Client): void {
  client.out.error(Errors.wrongType);
}

/** The string at key, undefined when missing, or WRONG_TYPE after replying the error. */
export function lookupString(client: Client, key: string): string | undefined | typeof WRONG_TYPE {
  const value = client.db.lookup(key);
  if (value === undefined || typeof value === 'string') return value;
  wrongType(client);
  return WRONG_TYPE;
}

/**
 * Looks up a value that must be an instance of `kind`; see lookupString. The value's class is
 * compared (no value class has subclasses): `instanceof` with a class passed in is V8's generic
 * check, about 30 ns of each lookup.
 */
export function lookupTyped<T extends RedisValue>(
  client: Client,
  key: string,
  kind: abstract new (...args: never[]) => T,
): T | undefined | typeof WRONG_TYPE {
  const value = client.db.lookup(key);
  if (value === undefined) return undefined;
  if (value.constructor === kind) return value as T;
  wrongType(client);
  return WRONG_TYPE;
}
