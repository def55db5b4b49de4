import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { expireArgument, type ExpireUnit } from '../expire-time.js';
import { globMatch } from '../glob.js';
import { waitKindOf, type Database } from '../keyspace.js';
import { filterByPattern, scanPage } from '../scan-cursor.js';
import { cloneValue, encodingOf, isSharedInteger, typeOf, type RedisValue } from '../values.js';
import { ok, replyHelp } from '../replies.js';
import { intArgument, isKeyword } from '../arguments.js';
import { cursorArgument, replyScan, scanOptions } from '../collection-scan.js';

/** delGenericCommand: `lazy` as Redis frees the values in the background (UNLINK). */
function deleteKeys(client: Client, argv: string[], engine: Engine, lazy: boolean): void {
  let removed = 0;
  for (let i = 1; i < argv.length; i++) {
    const value = client.db.peek(argv[i]);
    if (value === undefined || !client.db.delete(argv[i])) continue;
    engine.valueDeleted(value, lazy);
    engine.notify(client.db, EventClass.generic, 'del', argv[i]);
    removed++;
  }
  client.out.integer(removed);
}

export function del(client: Client, argv: string[], engine: Engine): void {
  deleteKeys(client, argv, engine, engine.config.get('lazyfree-lazy-user-del') === 'yes');
}

export function unlink(client: Client, argv: string[], engine: Engine): void {
  deleteKeys(client, argv, engine, true);
}

/** EXISTS leaves access times alone; TOUCH is the same count, recording an access. */
function countExisting(client: Client, argv: string[], touching: boolean): void {
  const db = client.db;
  let found = 0;
  for (let i = 1; i < argv.length; i++) {
    if ((touching ? db.lookupWhole(argv[i]) : db.peek(argv[i])) !== undefined) found++;
  }
  client.out.integer(found);
}

export function type(client: Client, argv: string[]): void {
  const value = client.db.peek(argv[1]);
  client.out.simple(value === undefined ? 'none' : typeOf(value));
}

function isLive(db: Database, key: string, now: number): boolean {
  const at = db.expires.size === 0 ? undefined : db.expires.get(key);
  return at === undefined || at > now;
}

export function keys(client: Client, argv: string[], engine: Engine): void {
  const pattern = argv[1];
  const db = client.db;
  const now = engine.clock.now();
  const matched: string[] = [];
  const all = pattern === '*';
  for (const key of db.data.keys()) {
    if ((all || globMatch(pattern, key)) && isLive(db, key, now)) matched.push(key);
  }
  client.out.array(matched.length);
  for (const key of matched) client.out.bulk(key);
}

export function scan(client: Client, argv: string[], engine: Engine): void {
  const cursor = cursorArgument(client, argv[1]);
  if (cursor === null) return;
  const options = scanOptions(client, argv, 2, true);
  if (options === null) return;
  const db = client.db;
  const page = scanPage(db.data.keys(), cursor, options.count);
  const now = engine.clock.now();
  const type = options.type;
  const items = filterByPattern(page.items, options.pattern).filter((key) => {
    if (type !== null) {
      // Redis looks each key up to learn its type: a keyspace hit or miss.
      const value = db.peek(key);
      return value !== undefined && typeOf(value) === type;
    }
    if (isLive(db, key, now)) return true;
    db.expireIfNeeded(key, now);
    return false;
  });
  replyScan(client, page.cursor, items);
}

export function randomkey(client: Client): void {
  const db = client.db;
  for (let attempt = 0; attempt < 100 && db.size > 0; attempt++) {
    // Picked in constant time, as Redis's dictGetFairRandomKey: an expired pick is tried again.
    const key = db.randomKey();
    if (key !== undefined && db.find(key) !== undefined) {
      client.out.bulk(key);
      return;
    }
  }
  client.out.nullBulk();
}

function renameGeneric(
  client: Client,
  argv: string[],
  engine: Engine,
  onlyIfAbsent: boolean,
): void {
  const [, source, destination] = argv;
  const db = client.db;
  const value = db.lookupWhole(source);
  if (value === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  if (source === destination) {
    if (onlyIfAbsent) client.out.integer(0);
    else ok(client);
    return;
  }
  if (onlyIfAbsent && db.has(destination)) {
    client.out.integer(0);
    return;
  }
  const expireAt = db.expireAt(source);
  // Redis deletes and adds the destination before deleting the source, and its waiters are
  // woken in that order; trackers hear of the source first.
  const replaced = db.find(destination);
  if (replaced !== undefined && waitKindOf(replaced) === 'stream') {
    engine.keyReady(db, destination, 'stream');
  }
  const kind = waitKindOf(value);
  if (kind !== null) engine.keyReady(db, destination, kind);
  // The object moves: a string keeps the encoding recorded for it.
  const encoding = db.stringEncoding(source);
  db.delete(source);
  db.delete(destination);
  db.add(destination, value);
  db.stringMoved(destination, encoding);
  if (expireAt !== undefined) db.setExpire(destination, expireAt);
  engine.countChanges(1);
  engine.notify(db, EventClass.generic, 'rename_from', source);
  engine.notify(db, EventClass.generic, 'rename_to', destination);
  if (onlyIfAbsent) client.out.integer(1);
  else ok(client);
}

export function rename(client: Client, argv: string[], engine: Engine): void {
  renameGeneric(client, argv, engine, false);
}

export function renamenx(client: Client, argv: string[], engine: Engine): void {
  renameGeneric(client, argv, engine, true);
}

/** A database index argument, or null after replying Redis's error. */
function databaseArgument(client: Client, engine: Engine, text: string): Database | null {
  const index = intArgument(client, text);
  if (index === null) return null;
  if (index < 0 || index >= engine.databases.length) {
    client.out.error(Errors.dbIndexOutOfRange);
    return null;
  }
  return engine.databases[index];
}

/** COPY source destination [DB index] [REPLACE] */
export function copy(client: Client, argv: string[], engine: Engine): void {
  let target = client.db;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'replace')) {
      replace = true;
    } else if (isKeyword(argv[i], 'db') && i + 1 < argv.length) {
      const db = databaseArgument(client, engine, argv[++i]);
      if (db === null) return;
      target = db;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const [, source, destination] = argv;
  if (target === client.db && source === destination) {
    client.out.error(Errors.sameObject);
    return;
  }
  const value = engine.readingKeys(() => client.db.lookupWhole(source));
  if (value === undefined || (!replace && target.has(destination))) {
    client.out.integer(0);
    return;
  }
  const expireAt = client.db.expireAt(source);
  target.delete(destination);
  target.add(destination, cloneValue(value));
  target.stringCopied(destination, client.db.stringEncoding(source));
  if (expireAt !== undefined) target.setExpire(destination, expireAt);
  engine.notify(target, EventClass.generic, 'copy_to', destination);
  client.out.integer(1);
}

export function move(client: Client, argv: string[], engine: Engine): void {
  const target = databaseArgument(client, engine, argv[2]);
  if (target === null) return;
  if (target === client.db) {
    client.out.error(Errors.sameObject);
    return;
  }
  const key = argv[1];
  const value = client.db.lookupWhole(key);
  if (value === undefined || target.has(key)) {
    client.out.integer(0);
    return;
  }
  const expireAt = client.db.expireAt(key);
  const encoding = client.db.stringEncoding(key);
  client.db.delete(key);
  target.add(key, value);
  target.stringMoved(key, encoding);
  if (expireAt !== undefined) target.setExpire(key, expireAt);
  engine.countChanges(1);
  engine.notify(client.db, EventClass.generic, 'move_from', key);
  engine.notify(target, EventClass.generic, 'move_to', key);
  client.out.integer(1);
}

interface ExpireConditions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function expireConditions(client: Client, engine: Engine, argv: string[]): ExpireConditions | null {
  const conditions = { nx: false, xx: false, gt: false, lt: false };
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i];
    if (isKeyword(option, 'nx')) conditions.nx = true;
    else if (isKeyword(option, 'xx')) conditions.xx = true;
    else if (isKeyword(option, 'gt')) conditions.gt = true;
    else if (isKeyword(option, 'lt')) conditions.lt = true;
    else {
      client.out.error(`ERR Unsupported option ${option}`);
      return null;
    }
  }
  const { nx, xx, gt, lt } = conditions;
  if (nx && (xx || gt || lt)) {
    client.out.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if (gt && lt) {
    client.out.error('ERR GT and LT options at the same time are not compatible');
    return null;
  }
  return conditions;
}

/** Whether the options allow setting `at` over the current TTL (none counts as infinite). */
function allowsExpire(
  conditions: ExpireConditions,
  current: number | undefined,
  at: number,
): boolean {
  if (conditions.nx && current !== undefined) return false;
  if (conditions.xx && current === undefined) return false;
  if (conditions.gt && (current === undefined || at <= current)) return false;
  if (conditions.lt && current !== undefined && at >= current) return false;
  return true;
}

function expireCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  unit: ExpireUnit,
  relative: boolean,
  name: string,
): void {
  const conditions = expireConditions(client, engine, argv);
  if (conditions === null) return;
  const now = engine.clock.now();
  const at = expireArgument(client, now, argv[2], unit, relative, name, false);
  if (at === null) return;
  const key = argv[1];
  const db = client.db;
  if (!db.has(key) || !allowsExpire(conditions, db.expireAt(key), at)) {
    client.out.integer(0);
    return;
  }
  // As checkAlreadyExpired: while loading (an AOF replayed) the time is set, not acted on.
  if (at <= now && !engine.loading) {
    db.delete(key);
    engine.notify(db, EventClass.generic, 'del', key);
    const lazy = engine.config.get('lazyfree-lazy-expire') === 'yes';
    engine.propagation.replaceCurrent([lazy ? 'UNLINK' : 'DEL', key]);
  } else {
    db.setExpire(key, at);
    engine.notify(db, EventClass.generic, 'expire', key);
    // Propagated as PEXPIREAT with the absolute time, keeping NX/XX/GT/LT, as Redis 7.0.
    if ((relative || unit === 'seconds') && engine.propagation.active) {
      const rewritten = argv.slice();
      rewritten[0] = 'PEXPIREAT';
      rewritten[2] = String(at);
      engine.propagation.replaceCurrent(rewritten);
    }
  }
  client.out.integer(1);
}

function ttlCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  inMilliseconds: boolean,
  absolute: boolean,
): void {
  const db = client.db;
  if (db.peek(argv[1]) === undefined) {
    client.out.integer(-2);
    return;
  }
  const at = db.expireAt(argv[1]);
  if (at === undefined) {
    client.out.integer(-1);
    return;
  }
  if (absolute) {
    client.out.integer(inMilliseconds ? at : Math.floor((at + 500) / 1000));
    return;
  }
  const remaining = Math.max(0, at - engine.clock.now());
  client.out.integer(inMilliseconds ? remaining : Math.floor((remaining + 500) / 1000));
}

export function persist(client: Client, argv: string[], engine: Engine): void {
  const db = client.db;
  const removed = db.has(argv[1]) && db.removeExpire(argv[1]);
  if (removed) engine.notify(db, EventClass.generic, 'persist', argv[1]);
  client.out.integer(removed ? 1 : 0);
}

const OBJECT_HELP: readonly string[] = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** OBJECT REFCOUNT of an object Redis shares (OBJ_SHARED_REFCOUNT, INT_MAX). */
const SHARED_REFCOUNT = 2147483647;

/** OBJECT's subcommands share the lookup: a missing key is a null reply. */
function objectInspector(
  client: Client,
  argv: string[],
  engine: Engine,
  reply: (client: Client, value: RedisValue, engine: Engine, key: string) => void,
): void {
  const value = client.db.peek(argv[2]);
  if (value === undefined) client.out.nullBulk();
  else reply(client, value, engine, argv[2]);
}

export function objectEncoding(client: Client, argv: string[], engine: Engine): void {
  objectInspector(client, argv, engine, (client, value, engine, key) =>
    client.out.bulk(encodingOf(value, engine.config, client.db.stringEncoding(key))),
  );
}

export function objectFreq(client: Client, argv: string[], engine: Engine): void {
  objectInspector(client, argv, engine, (client, _value, engine, key) => {
    if (engine.lfu === null) {
      client.out.error(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    } else client.out.integer(client.db.frequency(key, engine.lfu));
  });
}

export function objectIdletime(client: Client, argv: string[], engine: Engine): void {
  objectInspector(client, argv, engine, (client, _value, engine, key) => {
    if (engine.config.get('maxmemory-policy').includes('lfu')) {
      client.out.error(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    } else client.out.integer(client.db.idleSeconds(key));
  });
}

export function objectRefcount(client: Client, argv: string[], engine: Engine): void {
  objectInspector(client, argv, engine, (client, value, engine, key) => {
    const shared = isSharedInteger(value, client.db.stringEncoding(key));
    client.out.integer(shared ? SHARED_REFCOUNT : 1);
  });
}

export function objectHelp(client: Client): void {
  replyHelp(client, OBJECT_HELP);
}

export function exists(client: Client, argv: string[]): void {
  countExisting(client, argv, false);
}

export function touch(client: Client, argv: string[]): void {
  countExisting(client, argv, true);
}

export function expire(client: Client, argv: string[], engine: Engine): void {
  expireCommand(client, argv, engine, 'seconds', true, 'expire');
}

export function pexpire(client: Client, argv: string[], engine: Engine): void {
  expireCommand(client, argv, engine, 'milliseconds', true, 'pexpire');
}

export function expireat(client: Client, argv: string[], engine: Engine): void {
  expireCommand(client, argv, engine, 'seconds', false, 'expireat');
}

export function pexpireat(client: Client, argv: string[], engine: Engine): void {
  expireCommand(client, argv, engine, 'milliseconds', false, 'pexpireat');
}

export function ttl(client: Client, argv: string[], engine: Engine): void {
  ttlCommand(client, argv, engine, false, false);
}

export function pttl(client: Client, argv: string[], engine: Engine): void {
  ttlCommand(client, argv, engine, true, false);
}

export function expiretime(client: Client, argv: string[], engine: Engine): void {
  ttlCommand(client, argv, engine, false, true);
}

export function pexpiretime(client: Client, argv: string[], engine: Engine): void {
  ttlCommand(client, argv, engine, true, true);
}
