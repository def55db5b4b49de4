import {
  MAX_ID,
  MIN_ID,
  Stream,
  compareIds,
  formatId,
  nextId,
  parseId,
  type IdRequest,
  type StreamEntry,
  type StreamId,
  type TrimOptions,
} from '@rc/datatypes/stream';
import type { Client } from '../client.js';
import type { CommandResult } from '../command-table.js';
import type { RedisValue } from '../values.js';
import type { Engine } from '../engine.js';
import { streamLimits } from '../stream-limits.js';
import { Errors, arityError } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { parseInteger } from '../numbers.js';
import { blockOnKeys } from '../block-on-keys.js';
import {
  INVALID_STREAM_ID,
  intervalId,
  lookupStream,
  readOptions,
  replyEntries,
  replyEntry,
  strictId,
  replyId,
} from './stream-replies.js';
import { groupLag, sortedConsumers, sortedGroups } from './stream-replies.js';
import { WRONG_TYPE, wrongType } from '../typed-lookup.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { replyHelp } from '../replies.js';

const X_ERRORS = {
  notGreater: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  zero: 'ERR The ID specified in XADD must be greater than 0-0',
  exhausted: 'ERR The stream has exhausted the last possible ID, unable to add more items',
} as const;

const MAX_PART = MAX_ID.ms;

interface TrimArguments {
  trim: TrimOptions | null;
  /** Index of the first argument after the options (XADD's ID). */
  next: number;
  noMakeStream: boolean;
  id: IdRequest | null;
  /** Index of the MAXLEN/MINID threshold, for propagating an approximate trim exactly. */
  thresholdIndex: number;
}

/**
 * The options XADD and XTRIM share: MAXLEN|MINID [=|~] threshold [LIMIT n], and for XADD
 * NOMKSTREAM and the ID, parsed like Redis's streamParseAddOrTrimArgsOrReply.
 */
function parseAddOrTrim(
  client: Client,
  engine: Engine,
  argv: string[],
  xadd: boolean,
): TrimArguments | null {
  let strategy: TrimOptions['strategy'] | null = null;
  let approximate = false;
  let maxlen = 0;
  let minid: StreamId = MIN_ID;
  let limit = -1;
  let noMakeStream = false;
  let id: IdRequest | null = null;
  let thresholdIndex = -1;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const option = argv[i];
    if (xadd && option === '*') {
      id = { kind: 'auto' };
      break;
    } else if ((isKeyword(option, 'maxlen') || isKeyword(option, 'minid')) && more > 0) {
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        approximate = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      thresholdIndex = i + 1;
      if (isKeyword(option, 'maxlen')) {
        const value = integerArgument(client, argv[i + 1]);
        if (value === null) return null;
        if (value < 0) {
          client.out.error('ERR The MAXLEN argument must be >= 0.');
          return null;
        }
        maxlen = value;
        strategy = 'maxlen';
      } else {
        const parsed = strictId(client, argv[i + 1]);
        if (parsed === null) return null;
        minid = parsed;
        strategy = 'minid';
      }
      i++;
    } else if (isKeyword(option, 'limit') && more > 0) {
      const value = integerArgument(client, argv[i + 1]);
      if (value === null) return null;
      if (value < 0) {
        client.out.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      limit = value;
      i++;
    } else if (xadd && isKeyword(option, 'nomkstream')) {
      noMakeStream = true;
    } else if (xadd) {
      id = parseAddId(option);
      if (id === null) {
        client.out.error(INVALID_STREAM_ID);
        return null;
      }
      break;
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  if (limit !== -1 && strategy === null) {
    client.out.error(
      'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
    );
    return null;
  }
  if (!xadd && strategy === null) {
    client.out.error(Errors.syntax);
    return null;
  }
  // Replayed from an AOF or a master, "= n LIMIT m" is what Redis propagated: LIMIT is ignored.
  if (client.obeysAll) {
    if (!approximate) limit = -1;
  } else if (limit !== -1 && !approximate) {
    client.out.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
    return null;
  }
  if (limit === -1)
    limit = approximate ? 100 * engine.config.getNumber('stream-node-max-entries') : 0;
  const trim = strategy === null ? null : { strategy, maxlen, minid, approximate, limit };
  return { trim, next: i, noMakeStream, id, thresholdIndex };
}

function parseAddId(text: string): IdRequest | null {
  if (text.endsWith('-*')) {
    const ms = text.slice(0, -2);
    return /^\d{1,20}$/.test(ms) && BigInt(ms) <= MAX_PART
      ? { kind: 'auto-seq', ms: BigInt(ms) }
      : null;
  }
  const id = parseId(text);
  return id === null ? null : { kind: 'explicit', id };
}

function trimStream(
  client: Client,
  engine: Engine,
  key: string,
  stream: Stream,
  trim: TrimOptions,
): number {
  const removed = stream.trim(trim);
  if (removed > 0) {
    client.db.touch(key);
    engine.notify(client.db, EventClass.stream, 'xtrim', key);
  }
  return removed;
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ... */
export function xadd(client: Client, argv: string[], engine: Engine): void {
  const parsed = parseAddOrTrim(client, engine, argv, true);
  if (parsed === null) return;
  const fieldCount = argv.length - parsed.next - 1;
  if (parsed.id === null || fieldCount < 2 || fieldCount % 2 === 1) {
    client.out.error(arityError('xadd'));
    return;
  }
  if (parsed.id.kind === 'explicit' && parsed.id.id.ms === 0n && parsed.id.id.seq === 0n) {
    client.out.error(X_ERRORS.zero);
    return;
  }
  const key = argv[1];
  let stream = lookupStream(client, key);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    if (parsed.noMakeStream) {
      client.out.nullBulk();
      return;
    }
    stream = new Stream(streamLimits(engine.config));
    client.db.add(key, stream);
  }
  if (stream.lastId.ms === MAX_PART && stream.lastId.seq === MAX_PART) {
    client.out.error(X_ERRORS.exhausted);
    return;
  }
  const id = stream.nextIdFor(parsed.id, BigInt(engine.clock.now()));
  if (typeof id === 'string') {
    client.out.error(
      id === 'zero' ? X_ERRORS.zero : id === 'exhausted' ? X_ERRORS.exhausted : X_ERRORS.notGreater,
    );
    return;
  }
  stream.append(id, argv.slice(parsed.next + 1));
  client.db.touch(key);
  engine.keyReady(client.db, key, 'stream');
  replyId(client.out, id);
  engine.notify(client.db, EventClass.stream, 'xadd', key);
  if (parsed.trim !== null) trimStream(client, engine, key, stream, parsed.trim);
  if (engine.propagation.active) {
    // Propagated with the ID it got and an exact trim, so replicas end up identical.
    const propagated = argv.slice();
    if (parsed.trim?.approximate) exactTrim(propagated, parsed, stream);
    if (parsed.id.kind !== 'explicit') propagated[parsed.next] = formatId(id);
    engine.propagation.replaceCurrent(propagated);
  }
}

/** Rewrites "~ threshold" as "= what the stream holds now", as Redis's streamRewriteTrimArgument. */
function exactTrim(argv: string[], parsed: TrimArguments, stream: Stream): void {
  const index = parsed.thresholdIndex;
  argv[index - 1] = '=';
  argv[index] =
    parsed.trim?.strategy === 'maxlen'
      ? String(stream.length)
      : formatId(stream.firstIdWithDeleted() ?? MAX_ID);
}

export function xtrim(client: Client, argv: string[], engine: Engine): void {
  const parsed = parseAddOrTrim(client, engine, argv, false);
  if (parsed === null) return;
  if (parsed.next !== argv.length) {
    client.out.error(Errors.syntax);
    return;
  }
  const stream = lookupStream(client, argv[1]);
  if (stream === WRONG_TYPE) return;
  const removed =
    stream === undefined || parsed.trim === null
      ? 0
      : trimStream(client, engine, argv[1], stream, parsed.trim);
  engine.countChanges(removed);
  if (removed > 0 && parsed.trim?.approximate && engine.propagation.active) {
    const propagated = argv.slice();
    exactTrim(propagated, parsed, stream as Stream);
    engine.propagation.replaceCurrent(propagated);
  }
  client.out.integer(removed);
}

export function xlen(client: Client, argv: string[]): void {
  const stream = lookupStream(client, argv[1]);
  if (stream === WRONG_TYPE) return;
  client.out.integer(stream?.length ?? 0);
}

function xrangeGeneric(client: Client, argv: string[], reverse: boolean): void {
  const startText = reverse ? argv[3] : argv[2];
  const endText = reverse ? argv[2] : argv[3];
  const start = intervalId(client, startText, 0n, true);
  if (start === null) return;
  const end = intervalId(client, endText, MAX_PART, false);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isKeyword(argv[j], 'count') && j + 1 < argv.length) {
      const value = integerArgument(client, argv[++j]);
      if (value === null) return;
      count = Math.max(0, value);
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const stream = lookupStream(client, argv[1]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.array(0);
    return;
  }
  if (count === 0) {
    client.out.nullArray();
    return;
  }
  replyEntries(client, stream.range(start, end, count === -1 ? 0 : count, reverse));
}

export function xdel(client: Client, argv: string[], engine: Engine): void {
  // As Redis: the key first (missing: 0), then every ID before anything is deleted.
  const stream = lookupStream(client, argv[1]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let i = 2; i < argv.length; i++) {
    const id = strictId(client, argv[i]);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  for (const id of ids) if (stream.delete(id)) deleted++;
  if (deleted > 0) {
    client.db.touch(argv[1]);
    engine.notify(client.db, EventClass.stream, 'xdel', argv[1]);
  }
  client.out.integer(deleted);
}

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
export function xsetid(client: Client, argv: string[], engine: Engine): void {
  const id = strictId(client, argv[2]);
  if (id === null) return;
  let entriesAdded: bigint | undefined;
  let maxDeleted: StreamId | undefined;
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'entriesadded') && i + 1 < argv.length) {
      const value = parseInteger(argv[++i]);
      if (value === null) {
        client.out.error(Errors.notInteger);
        return;
      }
      if (value < 0) {
        client.out.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = BigInt(value);
    } else if (isKeyword(argv[i], 'maxdeletedid') && i + 1 < argv.length) {
      const value = strictId(client, argv[++i]);
      if (value === null) return;
      if (compareIds(id, value) < 0) {
        client.out.error(
          'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
        );
        return;
      }
      maxDeleted = value;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const stream = lookupStream(client, argv[1]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  if (entriesAdded !== undefined && BigInt(stream.length) > entriesAdded) {
    client.out.error(
      'ERR The entries_added specified in XSETID is smaller than the target stream length',
    );
    return;
  }
  const last = stream.lastEntry();
  if (last !== undefined && compareIds(id, last.id) < 0) {
    client.out.error('ERR The ID specified in XSETID is smaller than the target stream top item');
    return;
  }
  stream.setLastId(id, entriesAdded, maxDeleted);
  // As in Redis, a change that leaves WATCH and tracking alone.
  engine.stats.dirty++;
  engine.notify(client.db, EventClass.stream, 'xsetid', argv[1]);
  client.out.simple('OK');
}

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
export function xread(client: Client, argv: string[], engine: Engine): CommandResult {
  const options = readOptions(client, argv, false);
  if (options === null) return;
  const { count, block, streamsAt } = options;
  const rest = argv.length - streamsAt;
  const half = rest / 2;
  const keys = argv.slice(streamsAt, streamsAt + half);
  // By position: a key named twice is read once per naming, each after its own id.
  const after: StreamId[] = [];
  for (let k = 0; k < half; k++) {
    const text = argv[streamsAt + half + k];
    const stream = client.db.lookup(keys[k]);
    if (stream !== undefined && !(stream instanceof Stream)) {
      wrongType(client);
      return;
    }
    if (text === '$') {
      after.push(stream?.lastId ?? MIN_ID);
      continue;
    }
    if (text === '>') {
      client.out.error(
        'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
      );
      return;
    }
    const id = parseId(text);
    if (id === null) {
      client.out.error(INVALID_STREAM_ID);
      return;
    }
    after.push(id);
  }
  const newEntries = (stream: RedisValue | undefined, last: StreamId): StreamEntry[] => {
    if (!(stream instanceof Stream) || stream.length === 0) return [];
    const from = nextId(last);
    return from === null ? [] : stream.range(from, MAX_ID, count);
  };
  const ready = keys
    .map((key, k) => [key, newEntries(client.db.lookup(key), after[k])] as const)
    .filter(([, entries]) => entries.length > 0);
  if (ready.length > 0) {
    replyStreams(client, ready);
    return;
  }
  if (block === -1 || client.executing) {
    client.out.nullArray();
    return;
  }
  return blockOnKeys(
    client,
    engine,
    argv,
    'stream',
    keys,
    block,
    (key) => {
      // Blocked, a key named twice waits after the id it was first named with, as in Redis.
      const last = after[keys.indexOf(key)];
      // A waiter is served once the stream's last ID passes the one it waits after, as in
      // Redis: with an empty list of entries when those were deleted since.
      const stream = client.db.lookup(key);
      if (!(stream instanceof Stream) || compareIds(stream.lastId, last) <= 0) return false;
      replyStreams(client, [[key, newEntries(stream, last)]]);
      return true;
    },
    () => client.out.nullArray(),
  );
}

/** XREAD's reply: [[key, entries], ...], a map from key to entries in RESP3. */
function replyStreams(
  client: Client,
  streams: ReadonlyArray<readonly [string, StreamEntry[]]>,
): void {
  if (client.protocol === 3) client.out.map(streams.length);
  else client.out.array(streams.length);
  for (const [key, entries] of streams) {
    if (client.protocol !== 3) client.out.array(2);
    client.out.bulk(key);
    replyEntries(client, entries);
  }
}

function badXinfoStream(subcommand: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${subcommand}'. Try XINFO HELP.`;
}

/** XINFO STREAM key [FULL [COUNT count]] */
export function xinfoStream(client: Client, argv: string[]): void {
  // As Redis, the key is looked up before the options are read.
  const stream = lookupStream(client, argv[2]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  let full = false;
  let count = 10;
  if (argv.length > 3) {
    if (!isKeyword(argv[3], 'full')) {
      client.out.error(badXinfoStream(argv[1]));
      return;
    }
    full = true;
    if (argv.length === 6 && isKeyword(argv[4], 'count')) {
      const value = integerArgument(client, argv[5]);
      if (value === null) return;
      // 0 shows everything; Redis takes a negative COUNT for the default.
      count = value < 0 ? 10 : value;
    } else if (argv.length !== 4) {
      client.out.error(badXinfoStream(argv[1]));
      return;
    }
  }
  const out = client.out;
  const first = stream.firstEntry();
  out.map(full ? 9 : 10);
  out.bulk('length');
  out.integer(stream.length);
  out.bulk('radix-tree-keys');
  out.integer(stream.blockCount);
  out.bulk('radix-tree-nodes');
  out.integer(stream.radixNodeCount);
  out.bulk('last-generated-id');
  replyId(out, stream.lastId);
  out.bulk('max-deleted-entry-id');
  replyId(out, stream.maxDeletedId);
  out.bulk('entries-added');
  out.integer(stream.entriesAdded);
  out.bulk('recorded-first-entry-id');
  replyId(out, first?.id ?? MIN_ID);
  if (full) {
    out.bulk('entries');
    replyEntries(client, stream.range(MIN_ID, MAX_ID, count));
    out.bulk('groups');
    replyGroupsFull(client, stream, count);
    return;
  }
  out.bulk('groups');
  out.integer(stream.groups.size);
  for (const [label, entry] of [
    ['first-entry', first],
    ['last-entry', stream.lastEntry()],
  ] as const) {
    out.bulk(label);
    if (entry === undefined) out.nullBulk();
    else replyEntry(client, entry);
  }
}

function replyOptionalInteger(client: Client, value: bigint | null): void {
  if (value === null) client.out.nullBulk();
  else client.out.integer(value);
}

function replyGroupsFull(client: Client, stream: Stream, count: number): void {
  const out = client.out;
  const groups = sortedGroups(stream);
  out.array(groups.length);
  for (const group of groups) {
    out.map(7);
    out.bulk('name');
    out.bulk(group.name);
    out.bulk('last-delivered-id');
    replyId(out, group.lastId);
    out.bulk('entries-read');
    replyOptionalInteger(client, group.entriesRead);
    out.bulk('lag');
    replyOptionalInteger(client, groupLag(stream, group));
    out.bulk('pel-count');
    out.integer(group.pending.size);
    const pending = [...group.pending.ascending()].slice(0, count === 0 ? undefined : count);
    out.bulk('pending');
    out.array(pending.length);
    for (const [, entry] of pending) {
      out.array(4);
      replyId(out, entry.id);
      out.bulk(entry.consumer.name);
      out.integer(entry.deliveryTime);
      out.integer(entry.deliveryCount);
    }
    const consumers = sortedConsumers(group);
    out.bulk('consumers');
    out.array(consumers.length);
    for (const consumer of consumers) {
      out.map(4);
      out.bulk('name');
      out.bulk(consumer.name);
      out.bulk('seen-time');
      out.integer(consumer.seenTime);
      out.bulk('pel-count');
      out.integer(consumer.pending.size);
      const own = [...consumer.pending.ascending()].slice(0, count === 0 ? undefined : count);
      out.bulk('pending');
      out.array(own.length);
      for (const [, entry] of own) {
        out.array(3);
        replyId(out, entry.id);
        out.integer(entry.deliveryTime);
        out.integer(entry.deliveryCount);
      }
    }
  }
}

export function xinfoGroups(client: Client, argv: string[]): void {
  const stream = lookupStream(client, argv[2]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  const out = client.out;
  const groups = sortedGroups(stream);
  out.array(groups.length);
  for (const group of groups) {
    out.map(6);
    out.bulk('name');
    out.bulk(group.name);
    out.bulk('consumers');
    out.integer(group.consumers.size);
    out.bulk('pending');
    out.integer(group.pending.size);
    out.bulk('last-delivered-id');
    replyId(out, group.lastId);
    out.bulk('entries-read');
    replyOptionalInteger(client, group.entriesRead);
    out.bulk('lag');
    replyOptionalInteger(client, groupLag(stream, group));
  }
}

export function xinfoConsumers(client: Client, argv: string[], engine: Engine): void {
  const stream = lookupStream(client, argv[2]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.error(Errors.noSuchKey);
    return;
  }
  const group = stream.groups.get(argv[3]);
  if (group === undefined) {
    client.out.error(`NOGROUP No such consumer group '${argv[3]}' for key name '${argv[2]}'`);
    return;
  }
  const now = engine.clock.now();
  const consumers = sortedConsumers(group);
  client.out.array(consumers.length);
  for (const consumer of consumers) {
    client.out.map(3);
    client.out.bulk('name');
    client.out.bulk(consumer.name);
    client.out.bulk('pending');
    client.out.integer(consumer.pending.size);
    client.out.bulk('idle');
    client.out.integer(Math.max(0, now - consumer.seenTime));
  }
}

const XINFO_HELP: readonly string[] = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  // Redis's own text lacks the closing bracket.
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

const XGROUP_HELP: readonly string[] = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

export function xrange(client: Client, argv: string[]): void {
  xrangeGeneric(client, argv, false);
}

export function xrevrange(client: Client, argv: string[]): void {
  xrangeGeneric(client, argv, true);
}

export function xinfoHelp(client: Client): void {
  replyHelp(client, XINFO_HELP);
}

export function xgroupHelp(client: Client): void {
  replyHelp(client, XGROUP_HELP);
}
