import { SortedSet, type LexBound, type ScoreBound, type SortedSetEntry } from '@rc/datatypes/zset';
import type { Client } from '../client.js';
import type { CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import type { Database } from '../keyspace.js';
import { EventClass } from '../keyspace-events.js';
import { encodingLimits, zsetFromEntries } from '../encodings.js';
import { RedisSet, RedisZset } from '../values.js';
import { parseFloatLoosely } from '../numbers.js';
import { filterByPattern } from '../scan-cursor.js';
import { blockOnKeys } from '../block-on-keys.js';
import {
  timeoutArgument,
  floatArgument,
  integerArgument,
  isKeyword,
  intercardLimit,
  multiPopArguments,
  randomCountArgument,
  optionalCount,
} from '../arguments.js';
import { formatDouble } from '@rc/resp';
import { pickRandom } from '../random-picks.js';
import { storeResult } from '../store-result.js';
import { collectionScan, replyScan, scanCollection } from '../collection-scan.js';
import { WRONG_TYPE, lookupTyped, wrongType } from '../typed-lookup.js';
import { addToZset, NO_ZADD_FLAGS, type ZaddFlags } from '../zset-add.js';

const Z_ERRORS = {
  minMaxNotFloat: 'ERR min or max is not a float',
  notLexRange: 'ERR min or max not valid string range item',
} as const;

function lookupZset(client: Client, key: string) {
  return lookupTyped(client, key, RedisZset);
}

/** Announces `event`, and removes (and announces) the key if the set became empty. */
function afterChange(
  engine: Engine,
  db: Database,
  key: string,
  zset: RedisZset,
  event: string,
): void {
  if (zset.size === 0) db.delete(key);
  else db.touch(key);
  engine.notify(db, EventClass.zset, event, key);
  if (zset.size === 0) engine.notify(db, EventClass.generic, 'del', key);
}

/** "1.5", "(1.5", "-inf", "+inf": a ZRANGEBYSCORE endpoint, or null. */
function parseScoreBound(text: string): ScoreBound | null {
  const exclusive = text.startsWith('(');
  const value = parseFloatLoosely(exclusive ? text.slice(1) : text);
  return value === null ? null : { value, exclusive };
}

/** "-", "+", "[a", "(a": a ZRANGEBYLEX endpoint, or null. */
function parseLexBound(text: string): LexBound | null {
  if (text === '-') return { kind: 'min' };
  if (text === '+') return { kind: 'max' };
  if (text.startsWith('[')) return { kind: 'value', value: text.slice(1), exclusive: false };
  if (text.startsWith('(')) return { kind: 'value', value: text.slice(1), exclusive: true };
  return null;
}

/** Writes entries as [member, score] pairs: flat in RESP2, nested pairs in RESP3 (or `nested`). */
function replyEntries(
  client: Client,
  entries: SortedSetEntry[],
  withScores: boolean,
  nested = client.protocol === 3,
): void {
  const out = client.out;
  if (!withScores) {
    out.array(entries.length);
    for (const entry of entries) out.bulk(entry.member);
    return;
  }
  out.array(nested ? entries.length : entries.length * 2);
  for (const entry of entries) {
    if (nested) out.array(2);
    out.bulk(entry.member);
    out.double(entry.score);
  }
}

/** ZADD's option at `text` (case-insensitive), or null: the scores start there. */
function zaddOption(text: string): keyof ZaddFlags | null {
  // Every option is two or four letters; a score of another length is not compared at all.
  if (text.length === 2) {
    if (isKeyword(text, 'nx')) return 'nx';
    if (isKeyword(text, 'xx')) return 'xx';
    if (isKeyword(text, 'gt')) return 'gt';
    if (isKeyword(text, 'lt')) return 'lt';
    if (isKeyword(text, 'ch')) return 'ch';
  } else if (text.length === 4 && isKeyword(text, 'incr')) return 'incr';
  return null;
}

/** A ZADD of one pair's score and member, filled in by each such call (see `zadd`). */
const ONE_SCORE: number[] = [0];
const ONE_MEMBER: string[] = [''];

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
export function zadd(client: Client, argv: string[], engine: Engine): void {
  // Without options (the usual call) the shared NO_ZADD_FLAGS: no object made per call.
  let flags: ZaddFlags = NO_ZADD_FLAGS;
  let at = 2;
  for (; at < argv.length; at++) {
    const option = zaddOption(argv[at]);
    if (option === null) break;
    if (flags === NO_ZADD_FLAGS) flags = { ...NO_ZADD_FLAGS };
    flags[option] = true;
  }
  const pairs = argv.length - at;
  if (pairs === 0 || pairs % 2 !== 0) {
    client.out.error(Errors.syntax);
    return;
  }
  if (flags.nx && flags.xx) {
    client.out.error('ERR XX and NX options at the same time are not compatible');
    return;
  }
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    client.out.error('ERR GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (flags.incr && pairs > 2) {
    client.out.error('ERR INCR option supports a single increment-element pair');
    return;
  }
  // One pair (the usual call) goes through ONE_SCORE and ONE_MEMBER: no arrays made per call.
  // More are sized up front: an array grown by push takes room for 17 elements at once.
  const count = pairs / 2;
  const scores = count === 1 ? ONE_SCORE : new Array<number>(count);
  const members = count === 1 ? ONE_MEMBER : new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const score = floatArgument(client, argv[at + 2 * i]);
    if (score === null) return;
    scores[i] = score;
    members[i] = argv[at + 2 * i + 1];
  }
  addToZset(client, engine, argv[1], scores, members, flags);
  // addToZset keeps neither array; the member is let go of at once.
  ONE_MEMBER[0] = '';
}

/** ZINCRBY is ZADD key INCR increment member. */
const ZINCRBY_FLAGS: Readonly<ZaddFlags> = Object.freeze({ ...NO_ZADD_FLAGS, incr: true });

export function zincrby(client: Client, argv: string[], engine: Engine): void {
  const increment = floatArgument(client, argv[2]);
  if (increment === null) return;
  addToZset(client, engine, argv[1], [increment], [argv[3]], ZINCRBY_FLAGS);
}

export function zrem(client: Client, argv: string[], engine: Engine): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  let removed = 0;
  for (let i = 2; zset && i < argv.length; i++) if (zset.remove(argv[i])) removed++;
  engine.countChanges(removed);
  if (zset && removed > 0) afterChange(engine, client.db, argv[1], zset, 'zrem');
  client.out.integer(removed);
}

export function zcard(client: Client, argv: string[]): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.integer(zset?.size ?? 0);
}

export function zscore(client: Client, argv: string[]): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  const score = zset?.score(argv[2]);
  if (score === undefined) client.out.nullBulk();
  else client.out.double(score);
}

export function zmscore(client: Client, argv: string[]): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = zset?.score(argv[i]);
    if (score === undefined) client.out.nullBulk();
    else client.out.double(score);
  }
}

function zrankCommand(client: Client, argv: string[], reverse: boolean): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  const rank = zset?.rank(argv[2], reverse);
  if (rank === undefined) client.out.nullBulk();
  else client.out.integer(rank);
}

type RangeType = 'auto' | 'rank' | 'score' | 'lex';

interface RangeRequest {
  type: RangeType;
  reverse: boolean | null;
  withScores: boolean;
  offset: number;
  count: number;
  limited: boolean;
}

/**
 * The one range engine behind ZRANGE, ZRANGESTORE and the legacy ZREVRANGE/ZRANGEBYSCORE/
 * ZRANGEBYLEX family, with zrangeGenericCommand's parsing rules and error texts. `store` is the
 * destination for ZRANGESTORE. Legacy commands preset the type and direction, which makes
 * BYSCORE/BYLEX/REV syntax errors for them.
 */
function zrangeGeneric(
  client: Client,
  engine: Engine,
  argv: string[],
  keyIndex: number,
  preset: { type: RangeType; reverse: boolean | null },
  store: string | null,
): void {
  // Spelled out: an object spread here took most of a ZRANGE's time (V8's slow clone path).
  const request: RangeRequest = {
    type: preset.type,
    reverse: preset.reverse,
    withScores: false,
    offset: 0,
    count: -1,
    limited: false,
  };
  for (let j = keyIndex + 3; j < argv.length; j++) {
    const option = argv[j];
    const left = argv.length - j - 1;
    if (store === null && isKeyword(option, 'withscores')) request.withScores = true;
    else if (isKeyword(option, 'limit') && left >= 2) {
      const offset = integerArgument(client, argv[j + 1]);
      if (offset === null) return;
      const count = integerArgument(client, argv[j + 2]);
      if (count === null) return;
      request.offset = offset;
      request.count = count;
      request.limited = true;
      j += 2;
    } else if (request.reverse === null && isKeyword(option, 'rev')) request.reverse = true;
    else if (request.type === 'auto' && isKeyword(option, 'bylex')) request.type = 'lex';
    else if (request.type === 'auto' && isKeyword(option, 'byscore')) request.type = 'score';
    else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const reverse = request.reverse === true;
  const type = request.type === 'auto' ? 'rank' : request.type;
  if (request.limited && type === 'rank') {
    client.out.error(
      'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    );
    return;
  }
  if (request.withScores && type === 'lex') {
    client.out.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return;
  }
  let minText = argv[keyIndex + 1];
  let maxText = argv[keyIndex + 2];
  if (reverse && type !== 'rank') [minText, maxText] = [maxText, minText];
  let select: (zset: RedisZset) => SortedSetEntry[];
  const limit = { reverse, offset: request.offset, count: request.count };
  if (type === 'rank') {
    const start = integerArgument(client, minText);
    if (start === null) return;
    const stop = integerArgument(client, maxText);
    if (stop === null) return;
    select = (zset) => zset.rangeByRank(start, stop, reverse);
  } else if (type === 'score') {
    const min = parseScoreBound(minText);
    const max = parseScoreBound(maxText);
    if (min === null || max === null) {
      client.out.error(Z_ERRORS.minMaxNotFloat);
      return;
    }
    select = (zset) => zset.rangeByScore(min, max, limit);
  } else {
    const min = parseLexBound(minText);
    const max = parseLexBound(maxText);
    if (min === null || max === null) {
      client.out.error(Z_ERRORS.notLexRange);
      return;
    }
    select = (zset) => zset.rangeByLex(min, max, limit);
  }
  // ZRANGESTORE reads its source as ZRANGE does: a keyspace hit or miss.
  const zset = engine.readingKeys(() => lookupZset(client, argv[keyIndex]));
  if (zset === WRONG_TYPE) return;
  const entries = zset === undefined ? [] : select(zset);
  if (store === null) {
    replyEntries(client, entries, request.withScores);
    return;
  }
  storeEntries(client, engine, store, entries, 'zrangestore');
  client.out.integer(entries.length);
}

/** Replaces `key` with a sorted set of the entries (deleting it when there are none). */
function storeEntries(
  client: Client,
  engine: Engine,
  key: string,
  entries: Iterable<SortedSetEntry>,
  event: string,
): number {
  const result = zsetFromEntries(entries, encodingLimits(engine.config));
  storeResult(client, engine, key, result.size > 0 ? result : null, EventClass.zset, event);
  return result.size;
}

export function zrangestore(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 2, { type: 'auto', reverse: null }, argv[1]);
}

export function zcount(client: Client, argv: string[]): void {
  const min = parseScoreBound(argv[2]);
  const max = parseScoreBound(argv[3]);
  if (min === null || max === null) {
    client.out.error(Z_ERRORS.minMaxNotFloat);
    return;
  }
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.integer(zset?.countByScore(min, max) ?? 0);
}

export function zlexcount(client: Client, argv: string[]): void {
  const min = parseLexBound(argv[2]);
  const max = parseLexBound(argv[3]);
  if (min === null || max === null) {
    client.out.error(Z_ERRORS.notLexRange);
    return;
  }
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.integer(zset?.countByLex(min, max) ?? 0);
}

function zremrangeCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  type: 'rank' | 'score' | 'lex',
): void {
  let remove: (zset: RedisZset) => number;
  if (type === 'rank') {
    const start = integerArgument(client, argv[2]);
    if (start === null) return;
    const stop = integerArgument(client, argv[3]);
    if (stop === null) return;
    remove = (zset) => zset.removeRangeByRank(start, stop);
  } else if (type === 'score') {
    const min = parseScoreBound(argv[2]);
    const max = parseScoreBound(argv[3]);
    if (min === null || max === null) {
      client.out.error(Z_ERRORS.minMaxNotFloat);
      return;
    }
    remove = (zset) => zset.removeRangeByScore(min, max);
  } else {
    const min = parseLexBound(argv[2]);
    const max = parseLexBound(argv[3]);
    if (min === null || max === null) {
      client.out.error(Z_ERRORS.notLexRange);
      return;
    }
    remove = (zset) => zset.removeRangeByLex(min, max);
  }
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  const removed = zset === undefined ? 0 : remove(zset);
  engine.countChanges(removed);
  if (zset && removed > 0) afterChange(engine, client.db, argv[1], zset, `zremrangeby${type}`);
  client.out.integer(removed);
}

type Side = 'min' | 'max';

function popEntries(
  engine: Engine,
  db: Database,
  key: string,
  zset: RedisZset,
  side: Side,
  count: number,
): SortedSetEntry[] {
  const popped = side === 'min' ? zset.popMin(count) : zset.popMax(count);
  engine.countChanges(popped.length);
  if (popped.length > 0) afterChange(engine, db, key, zset, side === 'min' ? 'zpopmin' : 'zpopmax');
  return popped;
}

function popName(side: Side): string {
  return side === 'min' ? 'ZPOPMIN' : 'ZPOPMAX';
}

function zpopCommand(client: Client, argv: string[], engine: Engine, side: Side): void {
  if (argv.length > 3) {
    client.out.error(Errors.syntax);
    return;
  }
  const count = optionalCount(client, argv);
  if (count === null) return;
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  if (zset === undefined || count === 0) {
    client.out.array(0);
    return;
  }
  const popped = popEntries(engine, client.db, argv[1], zset, side, count === -1 ? 1 : count);
  // A single pop is a flat [member, score] even in RESP3; with a count RESP3 nests pairs.
  replyEntries(client, popped, true, client.protocol === 3 && count !== -1);
}

function bzpopCommand(client: Client, argv: string[], engine: Engine, side: Side): CommandResult {
  const timeout = timeoutArgument(client, argv[argv.length - 1]);
  if (timeout === null) return;
  const keys = argv.slice(1, -1);
  const serve = (key: string): boolean => {
    const zset = client.db.lookup(key);
    if (!(zset instanceof RedisZset) || zset.size === 0) return false;
    const [entry] = popEntries(engine, client.db, key, zset, side, 1);
    if (engine.propagation.active) engine.propagation.replaceCurrent([popName(side), key]);
    client.out.array(3);
    client.out.bulk(key);
    client.out.bulk(entry.member);
    client.out.double(entry.score);
    return true;
  };
  for (const key of keys) {
    const zset = lookupZset(client, key);
    if (zset === WRONG_TYPE) return;
    if (zset !== undefined && serve(key)) return;
  }
  if (client.executing) {
    client.out.nullArray();
    return;
  }
  return blockOnKeys(client, engine, argv, 'zset', keys, timeout, serve, () =>
    client.out.nullArray(),
  );
}

function replyMultiPop(
  client: Client,
  engine: Engine,
  key: string,
  zset: RedisZset,
  side: Side,
  count: number,
): void {
  // Propagated as ZPOPMIN/ZPOPMAX key count, the count capped at the set's size, as Redis.
  if (engine.propagation.active) {
    engine.propagation.replaceCurrent([popName(side), key, String(Math.min(count, zset.size))]);
  }
  const popped = popEntries(engine, client.db, key, zset, side, count);
  client.out.array(2);
  client.out.bulk(key);
  replyEntries(client, popped, true, true);
}

export function zmpop(client: Client, argv: string[], engine: Engine): void {
  const parsed = multiPopArguments(client, argv, 1, ['min', 'max'] as const);
  if (parsed === null) return;
  for (const key of parsed.keys) {
    const zset = lookupZset(client, key);
    if (zset === WRONG_TYPE) return;
    if (zset === undefined) continue;
    replyMultiPop(client, engine, key, zset, parsed.where, parsed.count);
    return;
  }
  client.out.nullArray();
}

export function bzmpop(client: Client, argv: string[], engine: Engine): CommandResult {
  // As Redis, the timeout is read after the other arguments.
  const parsed = multiPopArguments(client, argv, 2, ['min', 'max'] as const);
  if (parsed === null) return;
  const timeout = timeoutArgument(client, argv[1]);
  if (timeout === null) return;
  for (const key of parsed.keys) {
    const zset = lookupZset(client, key);
    if (zset === WRONG_TYPE) return;
    if (zset === undefined) continue;
    replyMultiPop(client, engine, key, zset, parsed.where, parsed.count);
    return;
  }
  if (client.executing) {
    client.out.nullArray();
    return;
  }
  return blockOnKeys(
    client,
    engine,
    argv,
    'zset',
    parsed.keys,
    timeout,
    (key) => {
      const zset = client.db.lookup(key);
      if (!(zset instanceof RedisZset) || zset.size === 0) return false;
      replyMultiPop(client, engine, key, zset, parsed.where, parsed.count);
      return true;
    },
    () => client.out.nullArray(),
  );
}

type SetOperation = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** Sets count as sorted sets whose members all score 1, as in Redis. */
function readInput(
  client: Client,
  engine: Engine,
  key: string,
): Map<string, number> | null | typeof WRONG_TYPE {
  // Read as a read command reads, for the STORE forms too: keyspace hits and misses.
  const value = engine.readingKeys(() => client.db.lookup(key));
  if (value === undefined) return null;
  if (value instanceof RedisZset)
    return new Map([...value].map((entry) => [entry.member, entry.score]));
  if (value instanceof RedisSet) return new Map([...value].map((member) => [member, 1]));
  wrongType(client);
  return WRONG_TYPE;
}

/** Redis's zunionInterAggregate: C comparisons, so NaN and signed zeros keep the current score. */
function aggregate(how: Aggregate, current: number, next: number): number {
  if (how === 'min') return next < current ? next : current;
  if (how === 'max') return next > current ? next : current;
  const sum = current + next;
  // inf + -inf: Redis settles on 0 rather than NaN.
  return Number.isNaN(sum) ? 0 : sum;
}

/** ZUNION/ZINTER/ZDIFF and their STORE forms: numkeys key... [WEIGHTS ...] [AGGREGATE ...] [WITHSCORES] */
function setOperationCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  operation: SetOperation,
  store: boolean,
): void {
  const at = store ? 2 : 1;
  const name = argv[0].toLowerCase();
  const numkeys = integerArgument(client, argv[at]);
  if (numkeys === null) return;
  if (numkeys < 1) {
    client.out.error(`ERR at least 1 input key is needed for '${name}' command`);
    return;
  }
  if (numkeys > argv.length - at - 1) {
    client.out.error(Errors.syntax);
    return;
  }
  const keys = argv.slice(at + 1, at + 1 + numkeys);
  // As Redis, the inputs' types are checked before the options are read.
  const inputs = readInputs(client, engine, keys);
  if (inputs === null) return;
  const weights = keys.map(() => 1);
  let how: Aggregate = 'sum';
  let withScores = false;
  for (let i = at + 1 + numkeys; i < argv.length; i++) {
    const left = argv.length - i - 1;
    if (operation !== 'diff' && isKeyword(argv[i], 'weights') && left >= numkeys) {
      for (let w = 0; w < numkeys; w++) {
        const weight = floatArgument(client, argv[i + 1 + w], 'ERR weight value is not a float');
        if (weight === null) return;
        weights[w] = weight;
      }
      i += numkeys;
    } else if (operation !== 'diff' && isKeyword(argv[i], 'aggregate') && left >= 1) {
      const value = argv[++i].toLowerCase();
      if (value !== 'sum' && value !== 'min' && value !== 'max') {
        client.out.error(Errors.syntax);
        return;
      }
      how = value;
    } else if (!store && isKeyword(argv[i], 'withscores')) {
      withScores = true;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const result = combine(operation, inputs, weights, how);
  const entries = [...result].map(([member, score]) => ({ member, score }));
  if (store) {
    client.out.integer(storeEntries(client, engine, argv[1], entries, `z${operation}store`));
    return;
  }
  const sorted = new SortedSet();
  for (const entry of entries) sorted.add(entry.member, entry.score);
  replyEntries(client, [...sorted], withScores);
}

/** Every key read as a set operation's input (missing = null); null after a WRONGTYPE. */
function readInputs(
  client: Client,
  engine: Engine,
  keys: string[],
): Array<Map<string, number> | null> | null {
  const inputs: Array<Map<string, number> | null> = [];
  for (const key of keys) {
    const input = readInput(client, engine, key);
    if (input === WRONG_TYPE) return null;
    inputs.push(input);
  }
  return inputs;
}

function combine(
  operation: SetOperation,
  inputs: Array<Map<string, number> | null>,
  weights: number[],
  how: Aggregate,
): Map<string, number> {
  const result = new Map<string, number>();
  if (operation === 'diff') {
    for (const [member, score] of inputs[0] ?? []) {
      if (!inputs.slice(1).some((input) => input?.has(member))) result.set(member, score);
    }
    return result;
  }
  // As Redis, smallest input first (a stable sort): the order decides which product is checked
  // for NaN, how MIN and MAX settle ties of signed zeros, and how sums round.
  const sources = inputs
    .map((input, index) => ({ input: input ?? new Map<string, number>(), weight: weights[index] }))
    .sort((a, b) => a.input.size - b.input.size);
  const weighted = (score: number, weight: number): number => {
    const value = score * weight;
    return Number.isNaN(value) ? 0 : value;
  };
  if (operation === 'union') {
    for (const { input, weight } of sources) {
      for (const [member, score] of input) {
        const value = weighted(score, weight);
        const current = result.get(member);
        result.set(member, current === undefined ? value : aggregate(how, current, value));
      }
    }
    return result;
  }
  const [first, ...rest] = sources;
  for (const [member, score] of first.input) {
    // Only the first product is checked for NaN; later ones go to the aggregate as they are.
    let value = weighted(score, first.weight);
    let everywhere = true;
    for (let i = 0; i < rest.length && everywhere; i++) {
      const other = rest[i].input.get(member);
      if (other === undefined) everywhere = false;
      else value = aggregate(how, value, other * rest[i].weight);
    }
    if (everywhere) result.set(member, value);
  }
  return result;
}

/** ZINTERCARD numkeys key... [LIMIT limit] */
export function zintercard(client: Client, argv: string[], engine: Engine): void {
  const numkeys = integerArgument(client, argv[1]);
  if (numkeys === null) return;
  if (numkeys < 1) {
    client.out.error("ERR at least 1 input key is needed for 'zintercard' command");
    return;
  }
  if (numkeys > argv.length - 2) {
    client.out.error(Errors.syntax);
    return;
  }
  const inputs = readInputs(client, engine, argv.slice(2, 2 + numkeys));
  if (inputs === null) return;
  const limit = intercardLimit(client, argv, 2 + numkeys);
  if (limit === null) return;
  const size = combine(
    'inter',
    inputs,
    inputs.map(() => 1),
    'sum',
  ).size;
  client.out.integer(limit > 0 ? Math.min(limit, size) : size);
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
export function zrandmember(client: Client, argv: string[]): void {
  let count: number | null = null;
  let withScores = false;
  if (argv.length >= 3) {
    count = randomCountArgument(client, argv[2]);
    if (count === null) return;
    if (argv.length === 4 && isKeyword(argv[3], 'withscores')) withScores = true;
    else if (argv.length > 3) {
      client.out.error(Errors.syntax);
      return;
    }
    if (withScores && count < -Number.MAX_SAFE_INTEGER) {
      client.out.error('ERR value is out of range');
      return;
    }
  }
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  const members = zset ? [...zset].map((entry) => entry.member) : [];
  if (count === null) {
    if (members.length === 0) client.out.nullBulk();
    else client.out.bulk(members[Math.floor(Math.random() * members.length)]);
    return;
  }
  // All of it is walked as Redis's zuiNext walks a sorted set: from the highest score down.
  if (count >= members.length) members.reverse();
  const picked = pickRandom(members, count).map((member) => ({
    member,
    score: zset?.score(member) ?? 0,
  }));
  replyEntries(client, picked, withScores);
}

export function zscan(client: Client, argv: string[], engine: Engine): void {
  const scan = collectionScan(client, argv, (key) => lookupZset(client, key));
  if (scan === null) return;
  const { value: zset, cursor, options } = scan;
  const members = [...zset].map((entry) => entry.member);
  const page = scanCollection(engine, zset, members, cursor, options.count);
  const items: string[] = [];
  for (const member of filterByPattern(page.items, options.pattern)) {
    items.push(member, formatDouble(zset.score(member) ?? 0));
  }
  replyScan(client, page.cursor, items);
}

export function zrank(client: Client, argv: string[]): void {
  zrankCommand(client, argv, false);
}

export function zrevrank(client: Client, argv: string[]): void {
  zrankCommand(client, argv, true);
}

export function zrange(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'auto', reverse: null }, null);
}

export function zrevrange(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'rank', reverse: true }, null);
}

export function zrangebyscore(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'score', reverse: false }, null);
}

export function zrevrangebyscore(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'score', reverse: true }, null);
}

export function zrangebylex(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'lex', reverse: false }, null);
}

export function zrevrangebylex(client: Client, argv: string[], engine: Engine): void {
  zrangeGeneric(client, engine, argv, 1, { type: 'lex', reverse: true }, null);
}

export function zremrangebyrank(client: Client, argv: string[], engine: Engine): void {
  zremrangeCommand(client, argv, engine, 'rank');
}

export function zremrangebyscore(client: Client, argv: string[], engine: Engine): void {
  zremrangeCommand(client, argv, engine, 'score');
}

export function zremrangebylex(client: Client, argv: string[], engine: Engine): void {
  zremrangeCommand(client, argv, engine, 'lex');
}

export function zpopmin(client: Client, argv: string[], engine: Engine): void {
  zpopCommand(client, argv, engine, 'min');
}

export function zpopmax(client: Client, argv: string[], engine: Engine): void {
  zpopCommand(client, argv, engine, 'max');
}

export function bzpopmin(client: Client, argv: string[], engine: Engine): CommandResult {
  return bzpopCommand(client, argv, engine, 'min');
}

export function bzpopmax(client: Client, argv: string[], engine: Engine): CommandResult {
  return bzpopCommand(client, argv, engine, 'max');
}

export function zunion(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'union', false);
}

export function zinter(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'inter', false);
}

export function zdiff(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'diff', false);
}

export function zunionstore(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'union', true);
}

export function zinterstore(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'inter', true);
}

export function zdiffstore(client: Client, argv: string[], engine: Engine): void {
  setOperationCommand(client, argv, engine, 'diff', true);
}
