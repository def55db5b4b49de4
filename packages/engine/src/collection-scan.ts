import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { Errors } from './errors.js';
import { integerArgument, isKeyword } from './arguments.js';
import { parseCursor, scanPage, type ScanPage } from './scan-cursor.js';
import { WRONG_TYPE } from './typed-lookup.js';
import { encodingOf, type RedisValue } from './values.js';

// SCAN's options and HSCAN/SSCAN/ZSCAN's paging, shared by the keyspace and collection commands.

/** Writes a SCAN-family reply: [cursor, [items...]]. */
export function replyScan(client: Client, cursor: number, items: string[]): void {
  client.out.array(2);
  client.out.bulk(String(cursor));
  client.out.array(items.length);
  for (const item of items) client.out.bulk(item);
}

/**
 * A page of a hash, set or sorted set. Small collections, which Redis keeps compact (listpack,
 * intset), come back whole with cursor 0 in their stored order, as Redis returns them;
 * larger ones are paged by hash order.
 */
export function scanCollection(
  engine: Engine,
  value: RedisValue,
  names: string[],
  cursor: number,
  count: number,
): ScanPage {
  const encoding = encodingOf(value, engine.config);
  if (encoding === 'intset') {
    return { cursor: 0, items: [...names].sort((a, b) => Number(BigInt(a) - BigInt(b))) };
  }
  if (encoding === 'listpack') return { cursor: 0, items: names };
  return scanPage(names, cursor, count);
}

/** What HSCAN, SSCAN and ZSCAN page through once their arguments are checked. */
export interface CollectionScan<T> {
  readonly value: T;
  readonly cursor: number;
  readonly options: { pattern: string | null; count: number };
}

/**
 * HSCAN/SSCAN/ZSCAN's checks in Redis's order: the cursor, then the key (missing: an empty
 * page, whatever the options; another type: WRONGTYPE), then the options. Null once a reply
 * was written.
 */
export function collectionScan<T>(
  client: Client,
  argv: string[],
  lookup: (key: string) => T | typeof WRONG_TYPE | undefined,
): CollectionScan<T> | null {
  const cursor = cursorArgument(client, argv[2]);
  if (cursor === null) return null;
  const value = lookup(argv[1]);
  if (value === WRONG_TYPE) return null;
  if (value === undefined) {
    replyScan(client, 0, []);
    return null;
  }
  const options = scanOptions(client, argv, 3, false);
  return options === null ? null : { value, cursor, options };
}

export function cursorArgument(client: Client, text: string): number | null {
  const cursor = parseCursor(text);
  if (cursor === null) client.out.error('ERR invalid cursor');
  return cursor;
}

/** Parses SCAN's MATCH/COUNT/TYPE options from `start`; null after replying an error. */
export function scanOptions(
  client: Client,
  argv: string[],
  start: number,
  allowType: boolean,
): { pattern: string | null; count: number; type: string | null } | null {
  let pattern: string | null = null;
  let count = 10;
  let type: string | null = null;
  for (let i = start; i < argv.length; i++) {
    const option = argv[i];
    const hasValue = i + 1 < argv.length;
    if (isKeyword(option, 'count') && hasValue) {
      const value = integerArgument(client, argv[++i]);
      if (value === null) return null;
      if (value < 1) {
        client.out.error(Errors.syntax);
        return null;
      }
      count = value;
    } else if (isKeyword(option, 'match') && hasValue) {
      pattern = argv[++i];
    } else if (allowType && isKeyword(option, 'type') && hasValue) {
      type = argv[++i].toLowerCase();
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  return { pattern, count, type };
}
