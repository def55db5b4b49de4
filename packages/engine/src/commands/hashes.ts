import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors, arityError } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { parseInteger, inInt64Range } from '../numbers.js';
import { cursorFromHash, hashFromCursor } from '../scan-cursor.js';
import { globMatch } from '../glob.js';
import { createHash, encodingLimits, hashSet, hashTryConversion } from '../encodings.js';
import { RedisHash } from '../values.js';
import { collectionScan, replyScan } from '../collection-scan.js';
import { WRONG_TYPE, lookupTyped } from '../typed-lookup.js';
import { ok } from '../replies.js';
import { randomCountArgument } from '../arguments.js';
import { addFloats, INFINITE, readLongDouble } from '../long-double.js';
import { pickRandomIndexes } from '../random-picks.js';

function lookupHash(client: Client, key: string) {
  return lookupTyped(client, key, RedisHash);
}

/** The hash at key, created empty (not yet stored) when missing. */
function hashForWrite(client: Client, key: string): RedisHash | typeof WRONG_TYPE {
  const hash = lookupHash(client, key);
  if (hash === WRONG_TYPE) return WRONG_TYPE;
  if (hash !== undefined) return hash;
  const created = createHash();
  client.db.add(key, created);
  return created;
}

function hsetGeneric(client: Client, argv: string[], engine: Engine, replyOk: boolean): void {
  if (argv.length % 2 !== 0) {
    client.out.error(arityError(argv[0].toLowerCase()));
    return;
  }
  const hash = hashForWrite(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  const limits = encodingLimits(engine.config);
  hashTryConversion(hash, limits, argv, 2, argv.length - 1);
  let added = 0;
  for (let i = 2; i < argv.length; i += 2) if (hashSet(hash, limits, argv[i], argv[i + 1])) added++;
  client.db.touch(argv[1]);
  engine.countChanges((argv.length - 2) / 2);
  engine.notify(client.db, EventClass.hash, 'hset', argv[1]);
  if (replyOk) ok(client);
  else client.out.integer(added);
}

export function hset(client: Client, argv: string[], engine: Engine): void {
  hsetGeneric(client, argv, engine, false);
}

export function hmset(client: Client, argv: string[], engine: Engine): void {
  hsetGeneric(client, argv, engine, true);
}

export function hsetnx(client: Client, argv: string[], engine: Engine): void {
  const existing = lookupHash(client, argv[1]);
  if (existing === WRONG_TYPE) return;
  if (existing?.has(argv[2])) {
    client.out.integer(0);
    return;
  }
  const hash = hashForWrite(client, argv[1]) as RedisHash;
  const limits = encodingLimits(engine.config);
  hashTryConversion(hash, limits, argv, 2, 3);
  hashSet(hash, limits, argv[2], argv[3]);
  client.db.touch(argv[1]);
  engine.notify(client.db, EventClass.hash, 'hset', argv[1]);
  client.out.integer(1);
}

export function hget(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  const value = hash?.get(argv[2]);
  if (value === undefined) client.out.nullBulk();
  else client.out.bulk(value);
}

export function hmget(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const value = hash?.get(argv[i]);
    if (value === undefined) client.out.nullBulk();
    else client.out.bulk(value);
  }
}

export function hgetall(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.map(hash?.size ?? 0);
  for (const [field, value] of hash ?? []) {
    client.out.bulk(field);
    client.out.bulk(value);
  }
}

/** HKEYS and HVALS: the fields or the values, in the hash's order. */
function hkeysOrValues(client: Client, argv: string[], values: boolean): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.array(hash?.size ?? 0);
  for (const [field, value] of hash ?? []) client.out.bulk(values ? value : field);
}

export function hkeys(client: Client, argv: string[]): void {
  hkeysOrValues(client, argv, false);
}

export function hvals(client: Client, argv: string[]): void {
  hkeysOrValues(client, argv, true);
}

export function hdel(client: Client, argv: string[], engine: Engine): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  let removed = 0;
  for (let i = 2; hash && i < argv.length; i++) if (hash.delete(argv[i])) removed++;
  engine.countChanges(removed);
  if (hash && removed > 0) {
    if (hash.size === 0) client.db.delete(argv[1]);
    else client.db.touch(argv[1]);
    engine.notify(client.db, EventClass.hash, 'hdel', argv[1]);
    if (hash.size === 0) engine.notify(client.db, EventClass.generic, 'del', argv[1]);
  }
  client.out.integer(removed);
}

export function hlen(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.integer(hash?.size ?? 0);
}

export function hexists(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.integer(hash?.has(argv[2]) ? 1 : 0);
}

export function hstrlen(client: Client, argv: string[]): void {
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  client.out.integer(hash?.get(argv[2])?.length ?? 0);
}

export function hincrby(client: Client, argv: string[], engine: Engine): void {
  const increment = parseInteger(argv[3]);
  if (increment === null) {
    client.out.error(Errors.notInteger);
    return;
  }
  const hash = hashForWrite(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  const current = parseInteger(hash.get(argv[2]) ?? '0');
  if (current === null) {
    client.out.error(Errors.hashNotInteger);
    return;
  }
  const result = BigInt(current) + BigInt(increment);
  if (!inInt64Range(result)) {
    client.out.error(Errors.overflow);
    return;
  }
  hashSet(hash, encodingLimits(engine.config), argv[2], result.toString());
  client.db.touch(argv[1]);
  engine.notify(client.db, EventClass.hash, 'hincrby', argv[1]);
  client.out.integer(Number.isSafeInteger(Number(result)) ? Number(result) : result);
}

export function hincrbyfloat(client: Client, argv: string[], engine: Engine): void {
  const increment = readLongDouble(argv[3]);
  if (increment === null) {
    client.out.error(Errors.notFloat);
    return;
  }
  if (increment === INFINITE) {
    client.out.error('ERR value is NaN or Infinity');
    return;
  }
  const hash = hashForWrite(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  const current = readLongDouble(hash.get(argv[2]) ?? '0');
  if (current === null) {
    client.out.error(Errors.hashNotFloat);
    return;
  }
  const result = addFloats(current, increment);
  if (result === null) {
    client.out.error(Errors.incrFloatNaN);
    return;
  }
  hashSet(hash, encodingLimits(engine.config), argv[2], result);
  client.db.touch(argv[1]);
  engine.notify(client.db, EventClass.hash, 'hincrbyfloat', argv[1]);
  // Propagated as HSET with the result, so float formatting can't differ on replicas.
  if (engine.propagation.active) {
    engine.propagation.replaceCurrent(['HSET', argv[1], argv[2], result]);
  }
  client.out.bulk(result);
}

/** HRANDFIELD key [count [WITHVALUES]]: negative counts may repeat fields. */
export function hrandfield(client: Client, argv: string[]): void {
  let count: number | null = null;
  let withValues = false;
  if (argv.length >= 3) {
    count = randomCountArgument(client, argv[2]);
    if (count === null) return;
    // WITHVALUES doubles the reply length, which must not overflow either.
    if (argv.length === 4 && count < -Number.MAX_SAFE_INTEGER) {
      client.out.error('ERR value is out of range');
      return;
    }
    if (argv.length === 4 && argv[3].toLowerCase() === 'withvalues') withValues = true;
    else if (argv.length > 3) {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const hash = lookupHash(client, argv[1]);
  if (hash === WRONG_TYPE) return;
  const size = hash?.size ?? 0;
  if (hash === undefined || size === 0) {
    if (count === null) client.out.nullBulk();
    else client.out.array(0);
    return;
  }
  // A listpack's entries are read out once; a hash table's where they are picked.
  const entries = hash.isListpack ? [...hash] : null;
  const fieldAt = (index: number) => (entries === null ? hash.keyAt(index) : entries[index][0]);
  const valueAt = (index: number) => (entries === null ? hash.valueAt(index) : entries[index][1]);
  if (count === null) {
    client.out.bulk(fieldAt(Math.floor(Math.random() * size)));
    return;
  }
  const pairs = withValues && client.protocol === 3;
  if (count < 0) {
    // Picked as written: a huge count stops once the client is over its output limits.
    client.out.array(withValues && !pairs ? -count * 2 : -count);
    for (let i = 0; i < -count && !client.closingAsap; i++) {
      const index = Math.floor(Math.random() * size);
      if (pairs) client.out.array(2);
      client.out.bulk(fieldAt(index));
      if (withValues) client.out.bulk(valueAt(index));
    }
    return;
  }
  const picked = pickRandomIndexes(size, count);
  client.out.array(withValues && !pairs ? picked.length * 2 : picked.length);
  for (const index of picked) {
    if (pairs) client.out.array(2);
    client.out.bulk(fieldAt(index));
    if (withValues) client.out.bulk(valueAt(index));
  }
}

export function hscan(client: Client, argv: string[]): void {
  const scan = collectionScan(client, argv, (key) => lookupHash(client, key));
  if (scan === null) return;
  const { value: hash, cursor, options } = scan;
  // A listpack comes back whole (cursor 0); a hash table by hash from the cursor's, as scanPage.
  const pairs: string[] = [];
  const next = hash.scan(hashFromCursor(cursor), options.count, pairs);
  const { pattern } = options;
  const items: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i];
    if (pattern === null || pattern === '*' || globMatch(pattern, field)) {
      items.push(field, pairs[i + 1]);
    }
  }
  replyScan(client, cursorFromHash(next), items);
}
