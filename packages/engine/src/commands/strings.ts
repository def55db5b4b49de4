import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors, arityError } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { expireArgument, type ExpireUnit } from '../expire-time.js';
import { readLongDouble, addFloats } from '../long-double.js';
import { inInt64Range, parseInteger } from '../numbers.js';
import { REPLIED } from '../keyspace.js';
import { WRONG_TYPE, lookupString, wrongType } from '../typed-lookup.js';
import { checkStringLength, integerArgument, isKeyword } from '../arguments.js';
import { ok } from '../replies.js';

const enum SetCondition {
  None,
  IfAbsent,
  IfPresent,
}

type ExpireOption = { unit: ExpireUnit; relative: boolean; argument: string } | null;

/** Stores a string (dropping any TTL) and announces it as Redis's "set" event. */
function setString(client: Client, engine: Engine, key: string, value: string): void {
  client.db.set(key, value);
  engine.notify(client.db, EventClass.string, 'set', key);
}

/** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ts|KEEPTTL] */
export function set(client: Client, argv: string[], engine: Engine): void {
  let condition = SetCondition.None;
  let get = false;
  let keepTtl = false;
  let expire: ExpireOption = null;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i];
    const hasNext = i + 1 < argv.length;
    if (isKeyword(option, 'nx') && condition !== SetCondition.IfPresent) {
      condition = SetCondition.IfAbsent;
    } else if (isKeyword(option, 'xx') && condition !== SetCondition.IfAbsent) {
      condition = SetCondition.IfPresent;
    } else if (isKeyword(option, 'get')) {
      get = true;
    } else if (isKeyword(option, 'keepttl') && expire === null) {
      keepTtl = true;
    } else if (hasNext && expire === null && !keepTtl && expireOption(option) !== null) {
      // Spelled out rather than spread: a spread is V8's slow object-clone path.
      const kind = expireOption(option) as Omit<NonNullable<ExpireOption>, 'argument'>;
      expire = { unit: kind.unit, relative: kind.relative, argument: argv[++i] };
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  let expireAt = -1;
  if (expire !== null) {
    const now = engine.clock.now();
    const at = expireArgument(client, now, expire.argument, expire.unit, expire.relative, 'set');
    if (at === null) return;
    expireAt = at;
  }
  const key = argv[1];
  const db = client.db;
  if (get) {
    const old = engine.readingKeys(() => lookupString(client, key));
    if (old === WRONG_TYPE) return;
    if (old === undefined) client.out.nullBulk();
    else client.out.bulk(old);
  }
  if (condition !== SetCondition.None) {
    const exists = db.has(key);
    if ((condition === SetCondition.IfAbsent) === exists) {
      if (!get) client.out.nullBulk();
      return;
    }
  }
  db.set(key, argv[2], keepTtl);
  engine.notify(db, EventClass.string, 'set', key);
  if (expireAt !== -1) {
    db.setExpire(key, expireAt);
    // One change, as Redis counts SET ... EX.
    engine.countChanges(1);
    engine.notify(db, EventClass.generic, 'expire', key);
    // Replicas and the AOF get an absolute time, as Redis 7.0 propagates SET ... PXAT.
    if (engine.propagation.active)
      engine.propagation.replaceCurrent(['SET', key, argv[2], 'PXAT', String(expireAt)]);
  } else if (get && engine.propagation.active) {
    engine.propagation.replaceCurrent(withoutGet(argv));
  }
  if (!get) ok(client);
}

/** SET's arguments minus GET, which would make a replica reply to nobody. */
function withoutGet(argv: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (i < 3 || !isKeyword(argv[i], 'get')) result.push(argv[i]);
  }
  return result;
}

/** DEL or UNLINK, as Redis picks by the lazyfree parameter that applies. */
function deletionCommand(engine: Engine, parameter: string): string {
  return engine.config.get(parameter) === 'yes' ? 'UNLINK' : 'DEL';
}

function expireOption(option: string): Omit<NonNullable<ExpireOption>, 'argument'> | null {
  if (isKeyword(option, 'ex')) return { unit: 'seconds', relative: true };
  if (isKeyword(option, 'px')) return { unit: 'milliseconds', relative: true };
  if (isKeyword(option, 'exat')) return { unit: 'seconds', relative: false };
  if (isKeyword(option, 'pxat')) return { unit: 'milliseconds', relative: false };
  return null;
}

export function get(client: Client, argv: string[]): void {
  const value = client.db.lookupOrReply(argv[1], client.out);
  if (value === REPLIED) return;
  if (value === undefined) client.out.nullBulk();
  else if (typeof value === 'string') client.out.bulk(value);
  else wrongType(client);
}

/** GETEX key [EX s|PX ms|EXAT ts|PXAT ts|PERSIST] */
export function getex(client: Client, argv: string[], engine: Engine): void {
  let expire: ExpireOption = null;
  let persist = false;
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i];
    const kind = expireOption(option);
    if (kind !== null && expire === null && !persist && i + 1 < argv.length) {
      expire = { unit: kind.unit, relative: kind.relative, argument: argv[++i] };
    } else if (isKeyword(option, 'persist') && expire === null && !persist) {
      persist = true;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const key = argv[1];
  const value = engine.readingKeys(() => lookupString(client, key));
  if (value === WRONG_TYPE) return;
  if (value === undefined) {
    client.out.nullBulk();
    return;
  }
  // As Redis, the time is checked only once the key is known to hold a string.
  const now = engine.clock.now();
  let expireAt = -1;
  if (expire !== null) {
    const at = expireArgument(client, now, expire.argument, expire.unit, expire.relative, 'getex');
    if (at === null) return;
    expireAt = at;
  }
  client.out.bulk(value);
  // GETEX is never propagated as itself: DEL/UNLINK, PEXPIREAT or PERSIST, as Redis 7.0.
  if (expireAt !== -1) {
    if (expireAt <= now) {
      client.db.delete(key);
      engine.notify(client.db, EventClass.generic, 'del', key);
      engine.propagation.replaceCurrent([deletionCommand(engine, 'lazyfree-lazy-expire'), key]);
    } else {
      client.db.setExpire(key, expireAt);
      engine.notify(client.db, EventClass.generic, 'expire', key);
      engine.propagation.replaceCurrent(['PEXPIREAT', key, String(expireAt)]);
    }
  } else if (persist && client.db.removeExpire(key)) {
    engine.notify(client.db, EventClass.generic, 'persist', key);
    engine.propagation.replaceCurrent(['PERSIST', key]);
  }
}

export function getdel(client: Client, argv: string[], engine: Engine): void {
  const value = engine.readingKeys(() => lookupString(client, argv[1]));
  if (value === WRONG_TYPE) return;
  if (value === undefined) {
    client.out.nullBulk();
    return;
  }
  client.out.bulk(value);
  client.db.delete(argv[1]);
  engine.notify(client.db, EventClass.generic, 'del', argv[1]);
  engine.propagation.replaceCurrent([deletionCommand(engine, 'lazyfree-lazy-user-del'), argv[1]]);
}

export function getset(client: Client, argv: string[], engine: Engine): void {
  const value = engine.readingKeys(() => lookupString(client, argv[1]));
  if (value === WRONG_TYPE) return;
  if (value === undefined) client.out.nullBulk();
  else client.out.bulk(value);
  setString(client, engine, argv[1], argv[2]);
  if (engine.propagation.active) engine.propagation.replaceCurrent(['SET', argv[1], argv[2]]);
}

export function mget(client: Client, argv: string[]): void {
  const out = client.out;
  out.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const value = client.db.lookup(argv[i]);
    if (typeof value === 'string') out.bulk(value);
    else out.nullBulk();
  }
}

export function mset(client: Client, argv: string[], engine: Engine): void {
  if (argv.length % 2 === 0) {
    client.out.error(arityError('mset'));
    return;
  }
  for (let i = 1; i < argv.length; i += 2) setString(client, engine, argv[i], argv[i + 1]);
  ok(client);
}

export function msetnx(client: Client, argv: string[], engine: Engine): void {
  if (argv.length % 2 === 0) {
    client.out.error(arityError('msetnx'));
    return;
  }
  for (let i = 1; i < argv.length; i += 2) {
    if (client.db.has(argv[i])) {
      client.out.integer(0);
      return;
    }
  }
  for (let i = 1; i < argv.length; i += 2) setString(client, engine, argv[i], argv[i + 1]);
  client.out.integer(1);
}

export function setnx(client: Client, argv: string[], engine: Engine): void {
  if (client.db.has(argv[1])) {
    client.out.integer(0);
    return;
  }
  setString(client, engine, argv[1], argv[2]);
  client.out.integer(1);
}

function setWithExpire(
  client: Client,
  argv: string[],
  engine: Engine,
  unit: ExpireUnit,
  name: string,
): void {
  const at = expireArgument(client, engine.clock.now(), argv[2], unit, true, name);
  if (at === null) return;
  setString(client, engine, argv[1], argv[3]);
  client.db.setExpire(argv[1], at);
  engine.countChanges(1);
  engine.notify(client.db, EventClass.generic, 'expire', argv[1]);
  if (engine.propagation.active)
    engine.propagation.replaceCurrent(['SET', argv[1], argv[3], 'PXAT', String(at)]);
  ok(client);
}

export function append(client: Client, argv: string[], engine: Engine): void {
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  if (!checkStringLength(client, engine, (value?.length ?? 0) + argv[2].length)) return;
  const next = value === undefined ? argv[2] : value + argv[2];
  client.db.set(argv[1], next, true);
  // A new key stores the argument as SET does; an existing string is grown as a raw sds.
  if (value !== undefined) client.db.stringWritten(argv[1], 'raw');
  engine.notify(client.db, EventClass.string, 'append', argv[1]);
  client.out.integer(next.length);
}

export function strlen(client: Client, argv: string[]): void {
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  client.out.integer(value === undefined ? 0 : value.length);
}

export function getrange(client: Client, argv: string[]): void {
  let start = integerArgument(client, argv[2]);
  if (start === null) return;
  let end = integerArgument(client, argv[3]);
  if (end === null) return;
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  if (value === undefined || (start < 0 && end < 0 && start > end)) {
    client.out.bulk('');
    return;
  }
  const length = value.length;
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  if (end >= length) end = length - 1;
  if (start > end || length === 0) client.out.bulk('');
  else client.out.bulk(value.slice(start, end + 1));
}

export function setrange(client: Client, argv: string[], engine: Engine): void {
  const offset = integerArgument(client, argv[2]);
  if (offset === null) return;
  if (offset < 0) {
    client.out.error('ERR offset is out of range');
    return;
  }
  const patch = argv[3];
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  const current = value ?? '';
  if (patch.length === 0) {
    client.out.integer(current.length);
    return;
  }
  if (!checkStringLength(client, engine, offset + patch.length)) return;
  const padded = current.length < offset ? current + '\0'.repeat(offset - current.length) : current;
  const next = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
  client.db.set(argv[1], next, true);
  client.db.stringWritten(argv[1], 'raw');
  engine.notify(client.db, EventClass.string, 'setrange', argv[1]);
  client.out.integer(next.length);
}

/** The stored integer or null after replying "not an integer". */
function storedInteger(client: Client, key: string): number | bigint | null {
  const value = client.db.lookupInteger(key);
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  if (typeof value !== 'string') {
    wrongType(client);
    return null;
  }
  const parsed = parseInteger(value);
  if (parsed === null) client.out.error(Errors.notInteger);
  return parsed;
}

function incrementBy(
  client: Client,
  engine: Engine,
  key: string,
  increment: number | bigint,
): void {
  // INCR and DECR of a counter kept as digits, the count of digits unchanged: stepped in them.
  if (increment === 1 || increment === -1) {
    const db = client.db;
    const slot = db.stepCounter(key, increment === 1);
    if (slot >= 0) {
      engine.notify(db, EventClass.string, 'incrby', key);
      db.replyCounter(slot, client.out);
      return;
    }
  }
  // A counter kept as digits, the sum a safe integer: read and written in place.
  const sum = typeof increment === 'number' ? client.db.incrementInteger(key, increment) : null;
  if (sum !== null) {
    engine.notify(client.db, EventClass.string, 'incrby', key);
    client.out.integer(sum);
    return;
  }
  const current = storedInteger(client, key);
  if (current === null) return;
  let result: number | bigint;
  if (typeof current === 'number' && typeof increment === 'number') {
    result = current + increment;
    if (!Number.isSafeInteger(result)) result = BigInt(current) + BigInt(increment);
  } else {
    result = BigInt(current) + BigInt(increment);
  }
  if (typeof result === 'bigint') {
    if (!inInt64Range(result)) {
      client.out.error(Errors.overflow);
      return;
    }
    if (Number.isSafeInteger(Number(result)) && BigInt(Number(result)) === result) {
      result = Number(result);
    }
  }
  // A number's digits go to the key table as bytes: a string made by String() would be kept
  // alive by V8's number-to-string cache past the young generation's collections.
  if (typeof result === 'number') client.db.setInteger(key, result);
  else client.db.set(key, String(result), true);
  engine.notify(client.db, EventClass.string, 'incrby', key);
  client.out.integer(result);
}

function incrementArgument(client: Client, text: string): number | bigint | null {
  const value = parseInteger(text);
  if (value === null) client.out.error(Errors.notInteger);
  return value;
}

export function incr(client: Client, argv: string[], engine: Engine): void {
  incrementBy(client, engine, argv[1], 1);
}

export function decr(client: Client, argv: string[], engine: Engine): void {
  incrementBy(client, engine, argv[1], -1);
}

export function incrby(client: Client, argv: string[], engine: Engine): void {
  const increment = incrementArgument(client, argv[2]);
  if (increment !== null) incrementBy(client, engine, argv[1], increment);
}

export function decrby(client: Client, argv: string[], engine: Engine): void {
  const decrement = incrementArgument(client, argv[2]);
  if (decrement === null) return;
  if (decrement === -(2n ** 63n)) {
    client.out.error('ERR decrement would overflow');
    return;
  }
  incrementBy(client, engine, argv[1], typeof decrement === 'bigint' ? -decrement : -decrement);
}

export function incrbyfloat(client: Client, argv: string[], engine: Engine): void {
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  const current = readLongDouble(value ?? '0');
  const increment = readLongDouble(argv[2]);
  if (current === null || increment === null) {
    client.out.error(Errors.notFloat);
    return;
  }
  const result = addFloats(current, increment);
  if (result === null) {
    client.out.error(Errors.incrFloatNaN);
    return;
  }
  client.db.set(argv[1], result, true);
  // createStringObject: embedded when short, even when the result is an integer.
  client.db.stringWritten(argv[1], 'created');
  engine.notify(client.db, EventClass.string, 'incrbyfloat', argv[1]);
  // The result, not the increment: float formatting must not differ on replicas.
  if (engine.propagation.active)
    engine.propagation.replaceCurrent(['SET', argv[1], result, 'KEEPTTL']);
  client.out.bulk(result);
}

export function setex(client: Client, argv: string[], engine: Engine): void {
  setWithExpire(client, argv, engine, 'seconds', 'setex');
}

export function psetex(client: Client, argv: string[], engine: Engine): void {
  setWithExpire(client, argv, engine, 'milliseconds', 'psetex');
}

export function substr(client: Client, argv: string[]): void {
  getrange(client, argv);
}
