import { PackedList } from '@rc/datatypes/packed';
import type { Client } from '../client.js';
import type { CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { Errors, arityError } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import type { Database } from '../keyspace.js';
import { blockOnKeys } from '../block-on-keys.js';
import {
  timeoutArgument,
  integerArgument,
  isKeyword,
  multiPopArguments,
  optionalCount,
} from '../arguments.js';
import { WRONG_TYPE, lookupTyped } from '../typed-lookup.js';
import { ok } from '../replies.js';

type End = 'left' | 'right';

function lookupList(client: Client, key: string) {
  return lookupTyped(client, key, PackedList);
}

/**
 * After elements left a list: announce `event`, then remove the key once the list is empty
 * (Redis never keeps empty lists) and announce that too.
 */
function afterRemoval(
  engine: Engine,
  db: Database,
  key: string,
  list: PackedList,
  event: string,
): void {
  if (list.length === 0) db.delete(key);
  else db.touch(key);
  engine.notify(db, EventClass.list, event, key);
  if (list.length === 0) engine.notify(db, EventClass.generic, 'del', key);
}

/** The non-blocking pop that reproduces a served or immediate blocking pop. */
function popArgv(end: End, key: string, count: number): string[] {
  const name = end === 'left' ? 'LPOP' : 'RPOP';
  return count === -1 ? [name, key] : [name, key, String(count)];
}

function popEvent(end: End): string {
  return end === 'left' ? 'lpop' : 'rpop';
}

function pushEvent(end: End): string {
  return end === 'left' ? 'lpush' : 'rpush';
}

function pushCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  end: End,
  onlyIfExists: boolean,
): void {
  const key = argv[1];
  let list = lookupList(client, key);
  if (list === WRONG_TYPE) return;
  if (list === undefined) {
    if (onlyIfExists) {
      client.out.integer(0);
      return;
    }
    list = new PackedList();
    for (let i = 2; i < argv.length; i++) push(list, end, argv[i]);
    client.db.add(key, list);
  } else {
    for (let i = 2; i < argv.length; i++) push(list, end, argv[i]);
    client.db.touch(key);
  }
  engine.countChanges(argv.length - 2);
  engine.notify(client.db, EventClass.list, pushEvent(end), key);
  client.out.integer(list.length);
}

function push(list: PackedList, end: End, value: string): void {
  if (end === 'left') list.pushHead(value);
  else list.pushTail(value);
}

function pop(list: PackedList, end: End): string | undefined {
  return end === 'left' ? list.popHead() : list.popTail();
}

/** Pops an element of a list that holds one straight into the reply (no string made). */
function popToReply(client: Client, list: PackedList, end: End): void {
  if (end === 'left') list.popHeadTo(client.out);
  else list.popTailTo(client.out);
}

function popCommand(client: Client, argv: string[], engine: Engine, end: End): void {
  if (argv.length > 3) {
    client.out.error(arityError(argv[0].toLowerCase()));
    return;
  }
  const count = optionalCount(client, argv);
  if (count === null) return;
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  if (list === undefined) {
    if (count === -1) client.out.nullBulk();
    else client.out.nullArray();
    return;
  }
  if (count === 0) {
    // Nothing popped: no event, and WATCH holds.
    client.out.array(0);
    return;
  }
  if (count === -1) {
    popToReply(client, list, end);
  } else {
    const taken = Math.min(count, list.length);
    client.out.array(taken);
    for (let i = 0; i < taken; i++) popToReply(client, list, end);
    engine.countChanges(taken);
  }
  afterRemoval(engine, client.db, argv[1], list, popEvent(end));
}

export function llen(client: Client, argv: string[]): void {
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  client.out.integer(list === undefined ? 0 : list.length);
}

export function lrange(client: Client, argv: string[]): void {
  const start = integerArgument(client, argv[2]);
  if (start === null) return;
  const stop = integerArgument(client, argv[3]);
  if (stop === null) return;
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  const bounds = list === undefined ? null : list.resolveRange(start, stop);
  if (list === undefined || bounds === null) {
    client.out.array(0);
    return;
  }
  client.out.array(bounds[1] - bounds[0] + 1);
  list.writeRange(bounds[0], bounds[1], client.out);
}

export function lindex(client: Client, argv: string[]): void {
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  // As Redis, a missing key answers before the index is read.
  if (list === undefined) {
    client.out.nullBulk();
    return;
  }
  const index = integerArgument(client, argv[2]);
  if (index === null) return;
  const value = list.at(index);
  if (value === undefined) client.out.nullBulk();
  else client.out.bulk(value);
}

export function lset(client: Client, argv: string[], engine: Engine): void {
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  if (list === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  const index = integerArgument(client, argv[2]);
  if (index === null) return;
  if (!list.set(index, argv[3])) {
    client.out.error(Errors.indexOutOfRange);
    return;
  }
  client.db.touch(argv[1]);
  engine.notify(client.db, EventClass.list, 'lset', argv[1]);
  ok(client);
}

export function linsert(client: Client, argv: string[], engine: Engine): void {
  const where = argv[2];
  const after = isKeyword(where, 'after');
  if (!after && !isKeyword(where, 'before')) {
    client.out.error(Errors.syntax);
    return;
  }
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  if (list === undefined) {
    client.out.integer(0);
    return;
  }
  const length = list.insert(argv[3], argv[4], after);
  if (length !== -1) {
    client.db.touch(argv[1]);
    engine.notify(client.db, EventClass.list, 'linsert', argv[1]);
  }
  client.out.integer(length);
}

export function lrem(client: Client, argv: string[], engine: Engine): void {
  const count = integerArgument(client, argv[2]);
  if (count === null) return;
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  if (list === undefined) {
    client.out.integer(0);
    return;
  }
  const removed = list.remove(argv[3], count);
  engine.countChanges(removed);
  if (removed > 0) afterRemoval(engine, client.db, argv[1], list, 'lrem');
  client.out.integer(removed);
}

export function ltrim(client: Client, argv: string[], engine: Engine): void {
  const start = integerArgument(client, argv[2]);
  if (start === null) return;
  const stop = integerArgument(client, argv[3]);
  if (stop === null) return;
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  if (list !== undefined) {
    const before = list.length;
    list.trim(start, stop);
    afterRemoval(engine, client.db, argv[1], list, 'ltrim');
    // Removed elements only: a no-op LTRIM is not propagated either.
    engine.countChanges(before - list.length);
  }
  ok(client);
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
const INT64_MIN = -(2 ** 63);

export function lpos(client: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i].toLowerCase();
    // As Redis: an unknown option, or one without its value, fails before any value is read.
    if ((option !== 'rank' && option !== 'count' && option !== 'maxlen') || i + 1 >= argv.length) {
      client.out.error(Errors.syntax);
      return;
    }
    const value = integerArgument(client, argv[++i]);
    if (value === null) return;
    if (option === 'rank') {
      if (value === 0) {
        client.out.error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
        return;
      }
      rank = value;
    } else if (option === 'count') {
      if (value < 0) {
        client.out.error("ERR COUNT can't be negative");
        return;
      }
      count = value;
    } else {
      if (value < 0) {
        client.out.error("ERR MAXLEN can't be negative");
        return;
      }
      maxlen = value;
    }
  }
  if (rank === INT64_MIN) {
    // Redis negates the rank to walk from the tail; -INT64_MIN wraps to itself, still
    // negative, so every match from the tail qualifies and no COUNT stops the walk.
    rank = -1;
    if (count > 0) count = 0;
  }
  const list = lookupList(client, argv[1]);
  if (list === WRONG_TYPE) return;
  const found =
    list === undefined ? [] : list.positions(argv[2], rank, count === -1 ? 1 : count, maxlen);
  if (count === -1) {
    if (found.length === 0) client.out.nullBulk();
    else client.out.integer(found[0]);
    return;
  }
  client.out.array(found.length);
  for (const index of found) client.out.integer(index);
}

function parseEnd(text: string): End | null {
  if (isKeyword(text, 'left')) return 'left';
  if (isKeyword(text, 'right')) return 'right';
  return null;
}

/**
 * Pops from source and pushes to destination, checking the destination's type first so a
 * WRONGTYPE loses nothing. Returns the moved element, null for an empty source, or WRONG_TYPE.
 */
function moveElement(
  client: Client,
  engine: Engine,
  source: string,
  destination: string,
  from: End,
  to: End,
): string | null | typeof WRONG_TYPE {
  const list = lookupList(client, source);
  if (list === WRONG_TYPE) return WRONG_TYPE;
  if (list === undefined) return null;
  const target = lookupList(client, destination);
  if (target === WRONG_TYPE) return WRONG_TYPE;
  const value = pop(list, from) as string;
  // As Redis: push to the destination first (so rotating a list onto itself never empties
  // it), then announce the pop and drop the source if it ended up empty.
  if (target === undefined) {
    const created = new PackedList();
    push(created, to, value);
    client.db.add(destination, created);
  } else {
    push(target, to, value);
    client.db.touch(destination);
  }
  engine.notify(client.db, EventClass.list, pushEvent(to), destination);
  afterRemoval(engine, client.db, source, list, popEvent(from));
  engine.countChanges(1);
  return value;
}

export function lmove(client: Client, argv: string[], engine: Engine): void {
  const from = parseEnd(argv[3]);
  const to = parseEnd(argv[4]);
  if (from === null || to === null) {
    client.out.error(Errors.syntax);
    return;
  }
  replyMoved(client, moveElement(client, engine, argv[1], argv[2], from, to));
}

export function rpoplpush(client: Client, argv: string[], engine: Engine): void {
  replyMoved(client, moveElement(client, engine, argv[1], argv[2], 'right', 'left'));
}

function replyMoved(client: Client, moved: string | null | typeof WRONG_TYPE): void {
  if (moved === WRONG_TYPE) return;
  if (moved === null) client.out.nullBulk();
  else client.out.bulk(moved);
}

/** Pops up to count from the first non-empty list; replies [key, [elements]]. */
function popFromFirst(
  client: Client,
  engine: Engine,
  keys: string[],
  end: End,
  count: number,
): boolean | null {
  for (const key of keys) {
    const list = lookupList(client, key);
    if (list === WRONG_TYPE) return null;
    if (list === undefined) continue;
    // Propagated as [LR]POP key count, the count capped at what the list held, as Redis.
    if (engine.propagation.active) {
      engine.propagation.replaceCurrent(popArgv(end, key, Math.min(count, list.length)));
    }
    replyPopped(client, engine, key, list, end, count);
    return true;
  }
  return false;
}

function replyPopped(
  client: Client,
  engine: Engine,
  key: string,
  list: PackedList,
  end: End,
  count: number,
): void {
  const taken = Math.min(count, list.length);
  client.out.array(2);
  client.out.bulk(key);
  client.out.array(taken);
  for (let i = 0; i < taken; i++) popToReply(client, list, end);
  engine.countChanges(taken);
  afterRemoval(engine, client.db, key, list, popEvent(end));
}

export function lmpop(client: Client, argv: string[], engine: Engine): void {
  const parsed = multiPopArguments(client, argv, 1, ['left', 'right'] as const);
  if (parsed === null) return;
  const popped = popFromFirst(client, engine, parsed.keys, parsed.where, parsed.count);
  if (popped === false) client.out.nullArray();
}

/**
 * Redis does not count BLPOP's or BLMOVE's pop served to a waiter in server.dirty (a served
 * BLMPOP or ZPOP it does).
 */
const SERVED_LIST_CHANGES = 0;

function blockingPop(client: Client, argv: string[], engine: Engine, end: End): CommandResult {
  const timeout = timeoutArgument(client, argv[argv.length - 1]);
  if (timeout === null) return;
  const keys = argv.slice(1, -1);
  for (const key of keys) {
    const list = lookupList(client, key);
    if (list === WRONG_TYPE) return;
    if (list === undefined) continue;
    client.out.array(2);
    client.out.bulk(key);
    popToReply(client, list, end);
    afterRemoval(engine, client.db, key, list, popEvent(end));
    if (engine.propagation.active) engine.propagation.replaceCurrent(popArgv(end, key, -1));
    return;
  }
  if (client.executing) {
    client.out.nullArray();
    return;
  }
  const db = client.db;
  return blockOnKeys(
    client,
    engine,
    argv,
    'list',
    keys,
    timeout,
    (key) => {
      const list = db.lookup(key);
      if (!(list instanceof PackedList)) return false;
      if (engine.propagation.active) engine.propagation.replaceCurrent(popArgv(end, key, -1));
      client.out.array(2);
      client.out.bulk(key);
      popToReply(client, list, end);
      afterRemoval(engine, db, key, list as PackedList, popEvent(end));
      engine.countChanges(SERVED_LIST_CHANGES);
      return true;
    },
    () => client.out.nullArray(),
  );
}

function blockingMove(
  client: Client,
  engine: Engine,
  argv: string[],
  from: End,
  to: End,
  timeoutText: string,
): CommandResult {
  const timeout = timeoutArgument(client, timeoutText);
  if (timeout === null) return;
  const [, source, destination] = argv;
  const moved = moveElement(client, engine, source, destination, from, to);
  if (moved === WRONG_TYPE) return;
  if (moved !== null && engine.propagation.active) {
    engine.propagation.replaceCurrent(
      argv.length === 4
        ? ['RPOPLPUSH', source, destination]
        : ['LMOVE', source, destination, argv[3], argv[4]],
    );
  }
  if (moved !== null || client.executing) {
    replyMoved(client, moved);
    return;
  }
  return blockOnKeys(
    client,
    engine,
    argv,
    'list',
    [source],
    timeout,
    () => {
      if (!(client.db.lookup(source) instanceof PackedList)) return false;
      const target = client.db.lookup(destination);
      // As Redis 7.0, a destination of another type ends the wait with WRONGTYPE, and the
      // element stays where it is for the next waiter.
      if (target !== undefined && !(target instanceof PackedList)) {
        client.out.error(Errors.wrongType);
        return true;
      }
      if (engine.propagation.active) {
        engine.propagation.replaceCurrent(
          argv.length === 4
            ? ['RPOPLPUSH', source, destination]
            : ['LMOVE', source, destination, from, to],
        );
      }
      replyMoved(client, moveElement(client, engine, source, destination, from, to));
      engine.countChanges(SERVED_LIST_CHANGES);
      return true;
    },
    // Redis 7.0 times out every list, sorted set and stream waiter with a null array, this
    // one included (replyToBlockedClientTimedOut), though LMOVE's own null is a bulk.
    () => client.out.nullArray(),
  );
}

export function blmove(client: Client, argv: string[], engine: Engine): CommandResult {
  const from = parseEnd(argv[3]);
  const to = parseEnd(argv[4]);
  if (from === null || to === null) {
    client.out.error(Errors.syntax);
    return;
  }
  return blockingMove(client, engine, argv, from, to, argv[5]);
}

export function brpoplpush(client: Client, argv: string[], engine: Engine): CommandResult {
  return blockingMove(client, engine, argv, 'right', 'left', argv[3]);
}

export function blmpop(client: Client, argv: string[], engine: Engine): CommandResult {
  // As Redis, the timeout is read after the other arguments.
  const parsed = multiPopArguments(client, argv, 2, ['left', 'right'] as const);
  if (parsed === null) return;
  const timeout = timeoutArgument(client, argv[1]);
  if (timeout === null) return;
  const popped = popFromFirst(client, engine, parsed.keys, parsed.where, parsed.count);
  if (popped !== false) return;
  if (client.executing) {
    client.out.nullArray();
    return;
  }
  const db = client.db;
  return blockOnKeys(
    client,
    engine,
    argv,
    'list',
    parsed.keys,
    timeout,
    (key) => {
      const list = db.lookup(key);
      if (!(list instanceof PackedList)) return false;
      if (engine.propagation.active) {
        const popped = Math.min(parsed.count, list.length);
        engine.propagation.replaceCurrent(popArgv(parsed.where, key, popped));
      }
      replyPopped(client, engine, key, list as PackedList, parsed.where, parsed.count);
      return true;
    },
    () => client.out.nullArray(),
  );
}

export function lpush(client: Client, argv: string[], engine: Engine): void {
  pushCommand(client, argv, engine, 'left', false);
}

export function rpush(client: Client, argv: string[], engine: Engine): void {
  pushCommand(client, argv, engine, 'right', false);
}

export function lpushx(client: Client, argv: string[], engine: Engine): void {
  pushCommand(client, argv, engine, 'left', true);
}

export function rpushx(client: Client, argv: string[], engine: Engine): void {
  pushCommand(client, argv, engine, 'right', true);
}

export function lpop(client: Client, argv: string[], engine: Engine): void {
  popCommand(client, argv, engine, 'left');
}

export function rpop(client: Client, argv: string[], engine: Engine): void {
  popCommand(client, argv, engine, 'right');
}

export function blpop(client: Client, argv: string[], engine: Engine): CommandResult {
  return blockingPop(client, argv, engine, 'left');
}

export function brpop(client: Client, argv: string[], engine: Engine): CommandResult {
  return blockingPop(client, argv, engine, 'right');
}
