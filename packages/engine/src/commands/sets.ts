import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { filterByPattern } from '../scan-cursor.js';
import {
  createSetFor,
  fitsIntset,
  intsetOrder,
  setAdd,
  setFromMembers,
  encodingLimits,
} from '../encodings.js';
import { RedisSet } from '../values.js';
import { pickRandom } from '../random-picks.js';
import { collectionScan, replyScan, scanCollection } from '../collection-scan.js';
import { WRONG_TYPE, lookupTyped } from '../typed-lookup.js';
import {
  integerArgument,
  intercardLimit,
  positiveArgument,
  randomCountArgument,
} from '../arguments.js';
import { storeResult } from '../store-result.js';
import { resizePolicy, setShape } from '../set-shapes.js';
import type { ResizePolicy } from '../dict-shape.js';

function lookupSet(client: Client, key: string) {
  return lookupTyped(client, key, RedisSet);
}

function replyMembers(client: Client, members: Iterable<string>, size: number): void {
  client.out.set(size);
  for (const member of members) client.out.bulk(member);
}

export function sadd(client: Client, argv: string[], engine: Engine): void {
  let set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  if (set === undefined) {
    set = createSetFor(argv[2]);
    client.db.add(argv[1], set);
  }
  const maxIntsetEntries = encodingLimits(engine.config).intsetEntries;
  const policy = resizePolicy(engine);
  let added = 0;
  for (let i = 2; i < argv.length; i++) {
    if (addMember(set, maxIntsetEntries, argv[i], policy)) added++;
  }
  if (added > 0) {
    client.db.touch(argv[1]);
    engine.notify(client.db, EventClass.set, 'sadd', argv[1]);
  }
  engine.countChanges(added);
  client.out.integer(added);
}

/** GETFAIR_NUM_ENTRIES: the rehash steps one random pick of a member takes in Redis. */
const RANDOM_PICK_STEPS = 15;

/** setTypeAdd, with the dict's rehash step and growth; true when the member is new. */
function addMember(
  set: RedisSet,
  maxIntsetEntries: number,
  member: string,
  policy: ResizePolicy,
): boolean {
  const shape = setShape(set);
  shape?.beforeAdd(set.size, policy);
  const added = setAdd(set, maxIntsetEntries, member);
  if (added) shape?.added(member);
  return added;
}

/** setTypeRemove, with the dict's rehash step and shrink; true when the member was there. */
function removeMember(set: RedisSet, member: string, policy: ResizePolicy): boolean {
  const shape = setShape(set);
  shape?.lookedUp(policy);
  if (!set.delete(member)) return false;
  shape?.removed(member, set, set.size, policy);
  return true;
}

/** setTypeIsMember, with the dict's rehash step. */
function isMember(engine: Engine, set: RedisSet | undefined, member: string): boolean {
  if (set === undefined) return false;
  setShape(set)?.lookedUp(resizePolicy(engine));
  return set.has(member);
}

/** The rehash steps `picks` random picks of members take. */
function sampleMembers(engine: Engine, set: RedisSet, picks: number): void {
  setShape(set)?.sampled(picks * RANDOM_PICK_STEPS, resizePolicy(engine));
}

/** After members left a set: announce `event`, and drop (and announce) the key once empty. */
function afterRemoval(
  client: Client,
  engine: Engine,
  key: string,
  set: RedisSet,
  event: string,
): void {
  if (set.size === 0) client.db.delete(key);
  else client.db.touch(key);
  engine.notify(client.db, EventClass.set, event, key);
  if (set.size === 0) engine.notify(client.db, EventClass.generic, 'del', key);
}

export function srem(client: Client, argv: string[], engine: Engine): void {
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  let removed = 0;
  const policy = resizePolicy(engine);
  for (let i = 2; set && i < argv.length; i++) if (removeMember(set, argv[i], policy)) removed++;
  if (set && removed > 0) afterRemoval(client, engine, argv[1], set, 'srem');
  engine.countChanges(removed);
  client.out.integer(removed);
}

export function smembers(client: Client, argv: string[]): void {
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  // An intset walks its members ascending, as Redis does.
  replyMembers(client, set ?? [], set?.size ?? 0);
}

export function sismember(client: Client, argv: string[], engine: Engine): void {
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  client.out.integer(isMember(engine, set, argv[2]) ? 1 : 0);
}

export function smismember(client: Client, argv: string[], engine: Engine): void {
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) client.out.integer(isMember(engine, set, argv[i]) ? 1 : 0);
}

export function scard(client: Client, argv: string[]): void {
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  client.out.integer(set?.size ?? 0);
}

function countArgument(
  client: Client,
  argv: string[],
  allowNegative: boolean,
): number | null | undefined {
  if (argv.length === 2) return undefined;
  if (argv.length > 3) {
    client.out.error(Errors.syntax);
    return null;
  }
  const count = allowNegative
    ? randomCountArgument(client, argv[2])
    : integerArgument(client, argv[2], Errors.countPositive);
  if (count === null) return null;
  if (!allowNegative && count < 0) {
    client.out.error(Errors.countPositive);
    return null;
  }
  return count;
}

/** SPOP with a count rebuilds the set when fewer than count / 5 members stay. */
const SPOP_MOVE_STRATEGY_MUL = 5;

export function spop(client: Client, argv: string[], engine: Engine): void {
  const count = countArgument(client, argv, false);
  if (count === null) return;
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  if (set === undefined) {
    if (count === undefined) client.out.nullBulk();
    else replyMembers(client, [], 0);
    return;
  }
  const size = set.size;
  // All of it: Redis replies as SUNION of the one set would, ascending if an intset holds it.
  const all = count !== undefined && count >= size;
  const picked = !all
    ? pickRandom([...set], count ?? 1)
    : fitsIntset(set, encodingLimits(engine.config).intsetEntries)
      ? intsetOrder(set)
      : [...set];
  const policy = resizePolicy(engine);
  for (const member of picked) {
    if (!all) setShape(set)?.sampled(RANDOM_PICK_STEPS, policy);
    removeMember(set, member, policy);
  }
  if (count !== undefined && count < size && (size - count) * SPOP_MOVE_STRATEGY_MUL <= count) {
    // Redis builds a new set of what stays (spopWithCountCommand's third case): it gets the
    // encoding a set of those members gets, an intset again when they fit one.
    const rest = setFromMembers(set, encodingLimits(engine.config).intsetEntries);
    client.db.set(argv[1], rest, true);
  }
  if (picked.length > 0) afterRemoval(client, engine, argv[1], set, 'spop');
  engine.countChanges(picked.length);
  if (picked.length > 0 && engine.propagation.active)
    propagateSpop(engine, client, argv, picked, size);
  if (count === undefined) client.out.bulk(picked[0]);
  else replyMembers(client, picked, picked.length);
}

/**
 * SPOP is propagated as what it removed, as Redis 7.0's spopWithCountCommand: SREM of the
 * member, DEL when the count took the whole set, else one SREM per member (in MULTI/EXEC).
 */
function propagateSpop(
  engine: Engine,
  client: Client,
  argv: string[],
  picked: string[],
  size: number,
): void {
  const key = argv[1];
  if (argv.length === 2) {
    engine.propagation.replaceCurrent(['SREM', key, picked[0]]);
  } else if (picked.length >= size) {
    engine.propagation.replaceCurrent(['DEL', key]);
  } else {
    engine.propagation.preventCurrent();
    for (const member of picked) engine.propagation.also(client.db.id, ['SREM', key, member]);
  }
}

export function srandmember(client: Client, argv: string[], engine: Engine): void {
  const count = countArgument(client, argv, true);
  if (count === null) return;
  const set = lookupSet(client, argv[1]);
  if (set === WRONG_TYPE) return;
  // All of it comes back in the set's own order (ascending for an intset): pickRandom keeps it.
  const members = set === undefined ? [] : [...set];
  // Redis draws each member of a negative count, and of a positive one well under the size, alone.
  if (set !== undefined && count !== undefined && (count < 0 || count * 3 <= members.length)) {
    sampleMembers(engine, set, Math.abs(count));
  } else if (set !== undefined && count === undefined) sampleMembers(engine, set, 1);
  if (count === undefined) {
    if (members.length === 0) client.out.nullBulk();
    else client.out.bulk(members[Math.floor(Math.random() * members.length)]);
    return;
  }
  const picked = pickRandom(members, count);
  client.out.array(picked.length);
  for (const member of picked) client.out.bulk(member);
}

export function smove(client: Client, argv: string[], engine: Engine): void {
  const [, sourceKey, destinationKey, member] = argv;
  const source = lookupSet(client, sourceKey);
  if (source === WRONG_TYPE) return;
  // As Redis: a missing source answers 0 before the destination's type is looked at.
  if (source === undefined) {
    client.out.integer(0);
    return;
  }
  const destination = lookupSet(client, destinationKey);
  if (destination === WRONG_TYPE) return;
  if (source === destination) {
    client.out.integer(isMember(engine, source, member) ? 1 : 0);
    return;
  }
  const policy = resizePolicy(engine);
  if (!removeMember(source, member, policy)) {
    client.out.integer(0);
    return;
  }
  afterRemoval(client, engine, sourceKey, source, 'srem');
  if (destination === undefined) {
    const created = createSetFor(member);
    setAdd(created, encodingLimits(engine.config).intsetEntries, member);
    client.db.add(destinationKey, created);
    engine.notify(client.db, EventClass.set, 'sadd', destinationKey);
  } else if (addMember(destination, encodingLimits(engine.config).intsetEntries, member, policy)) {
    client.db.touch(destinationKey);
    engine.notify(client.db, EventClass.set, 'sadd', destinationKey);
  }
  client.out.integer(1);
}

type Operation = 'inter' | 'union' | 'diff';

/** Looks up every key as a set (missing = empty); null after a WRONGTYPE. */
function setsOf(
  client: Client,
  engine: Engine,
  keys: string[],
): Array<RedisSet | undefined> | null {
  const sets: Array<RedisSet | undefined> = [];
  for (const key of keys) {
    // Read as a read command reads, for the STORE forms too: keyspace hits and misses.
    const set = engine.readingKeys(() => lookupSet(client, key));
    if (set === WRONG_TYPE) return null;
    sets.push(set);
  }
  return sets;
}

function combine(sets: Array<RedisSet | undefined>, operation: Operation): Set<string> {
  if (operation === 'union') {
    const result = new Set<string>();
    for (const set of sets) for (const member of set ?? []) result.add(member);
    return result;
  }
  if (operation === 'diff') {
    const result = new Set(sets[0] ?? []);
    for (let i = 1; i < sets.length; i++) for (const member of sets[i] ?? []) result.delete(member);
    return result;
  }
  if (sets.some((set) => set === undefined || set.size === 0)) return new Set();
  const ordered = [...(sets as RedisSet[])].sort((a, b) => a.size - b.size);
  const result = new Set<string>();
  for (const member of ordered[0]) if (ordered.every((set) => set.has(member))) result.add(member);
  return result;
}

function setOperation(client: Client, argv: string[], engine: Engine, operation: Operation): void {
  const sets = setsOf(client, engine, argv.slice(1));
  if (sets === null) return;
  const result = combine(sets, operation);
  // Redis gathers the result in a set of its own, walked as it is encoded: ascending when
  // it is an intset.
  const ordered = fitsIntset(result, encodingLimits(engine.config).intsetEntries)
    ? intsetOrder(result)
    : result;
  replyMembers(client, ordered, result.size);
}

function setOperationStore(
  client: Client,
  argv: string[],
  engine: Engine,
  operation: Operation,
): void {
  const sets = setsOf(client, engine, argv.slice(2));
  if (sets === null) return;
  const result = combine(sets, operation);
  const stored =
    result.size > 0 ? setFromMembers(result, encodingLimits(engine.config).intsetEntries) : null;
  storeResult(client, engine, argv[1], stored, EventClass.set, `s${operation}store`);
  client.out.integer(result.size);
}

/** SINTERCARD numkeys key... [LIMIT limit] */
export function sintercard(client: Client, argv: string[], engine: Engine): void {
  const numkeys = positiveArgument(client, argv[1], 'ERR numkeys should be greater than 0');
  if (numkeys === null) return;
  if (numkeys > argv.length - 2) {
    client.out.error("ERR Number of keys can't be greater than number of args");
    return;
  }
  const limit = intercardLimit(client, argv, 2 + numkeys);
  if (limit === null) return;
  const sets = setsOf(client, engine, argv.slice(2, 2 + numkeys));
  if (sets === null) return;
  const size = combine(sets, 'inter').size;
  client.out.integer(limit > 0 ? Math.min(limit, size) : size);
}

export function sscan(client: Client, argv: string[], engine: Engine): void {
  const scan = collectionScan(client, argv, (key) => lookupSet(client, key));
  if (scan === null) return;
  const { value: set, cursor, options } = scan;
  const shape = setShape(set);
  const page =
    shape === null
      ? scanCollection(engine, set, [...set], cursor, options.count)
      : shape.scan(set, set.size, cursor, options.count);
  replyScan(client, page.cursor, filterByPattern(page.items, options.pattern));
}

export function sinter(client: Client, argv: string[], engine: Engine): void {
  setOperation(client, argv, engine, 'inter');
}

export function sunion(client: Client, argv: string[], engine: Engine): void {
  setOperation(client, argv, engine, 'union');
}

export function sdiff(client: Client, argv: string[], engine: Engine): void {
  setOperation(client, argv, engine, 'diff');
}

export function sinterstore(client: Client, argv: string[], engine: Engine): void {
  setOperationStore(client, argv, engine, 'inter');
}

export function sunionstore(client: Client, argv: string[], engine: Engine): void {
  setOperationStore(client, argv, engine, 'union');
}

export function sdiffstore(client: Client, argv: string[], engine: Engine): void {
  setOperationStore(client, argv, engine, 'diff');
}
