import {
  ConsumerGroup,
  MAX_ID,
  MIN_ID,
  Stream,
  compareIds,
  formatId,
  nextId,
  parseId,
  type Consumer,
  type PendingEntry,
  type StreamEntry,
  type StreamId,
} from '@rc/datatypes/stream';
import type { Client } from '../client.js';
import type { CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { streamLimits } from '../stream-limits.js';
import { Errors, subcommandSyntaxError } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { parseInteger } from '../numbers.js';
import { blockOnKeys } from '../block-on-keys.js';
import {
  INVALID_STREAM_ID,
  intervalId,
  lookupStream,
  readOptions,
  replyEntry,
  strictId,
  replyId,
  sortedConsumers,
  hasTombstonesFrom,
  estimateEntriesRead,
} from './stream-replies.js';
import { WRONG_TYPE, wrongType } from '../typed-lookup.js';
import { integerArgument, isKeyword } from '../arguments.js';

const MAX_AUTOCLAIM_COUNT = (2n ** 63n - 1n) / 16n;

function noGroup(key: string, group: string): string {
  return `NOGROUP No such key '${key}' or consumer group '${group}'`;
}

/** After delivering `id`: the group's read counter, kept exact while it can be. */
function advanceEntriesRead(stream: Stream, group: ConsumerGroup, id: StreamId): void {
  if (group.entriesRead !== null && !hasTombstonesFrom(stream, id)) group.entriesRead++;
  else if (stream.entriesAdded !== 0n) group.entriesRead = estimateEntriesRead(stream, id);
}

// XGROUP

export function xgroupCreate(client: Client, argv: string[], engine: Engine): void {
  const [, , key, name, idText] = argv;
  let makeStream = false;
  let entriesRead: bigint | null = null;
  for (let i = 5; i < argv.length; i++) {
    if (isKeyword(argv[i], 'mkstream')) makeStream = true;
    else if (isKeyword(argv[i], 'entriesread') && i + 1 < argv.length) {
      const value = integerArgument(client, argv[++i]);
      if (value === null) return;
      if (value < 0 && value !== -1) {
        client.out.error('ERR value for ENTRIESREAD must be positive or -1');
        return;
      }
      entriesRead = value === -1 ? null : BigInt(value);
    } else {
      client.out.error(subcommandSyntaxError('xgroup', argv[1]));
      return;
    }
  }
  let stream = lookupStream(client, key);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined && !makeStream) {
    client.out.error(
      'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
    );
    return;
  }
  let id: StreamId;
  if (idText === '$') id = stream?.lastId ?? MIN_ID;
  else {
    const parsed = strictId(client, idText);
    if (parsed === null) return;
    id = parsed;
  }
  if (stream === undefined) {
    stream = new Stream(streamLimits(engine.config));
    client.db.add(key, stream);
  }
  if (stream.groups.has(name)) {
    client.out.error('BUSYGROUP Consumer Group name already exists');
    return;
  }
  stream.groups.set(name, new ConsumerGroup(name, id, entriesRead));
  // A change, but not one to the key's value (no WATCH or tracking invalidation), as in Redis.
  engine.stats.dirty++;
  engine.notify(client.db, EventClass.stream, 'xgroup-create', key);
  client.out.simple('OK');
}

/** Looks up the stream and group for XGROUP subcommands that need both. */
function existingGroup(client: Client, key: string, name: string) {
  const stream = lookupStream(client, key);
  if (stream === WRONG_TYPE) return null;
  if (stream === undefined) {
    client.out.error(
      'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
    );
    return null;
  }
  const group = stream.groups.get(name);
  if (group === undefined) {
    client.out.error(`NOGROUP No such consumer group '${name}' for key name '${key}'`);
    return null;
  }
  return { stream, group };
}

export function xgroupSetid(client: Client, argv: string[], engine: Engine): void {
  let entriesRead: bigint | null = null;
  if (argv.length === 7) {
    if (!isKeyword(argv[5], 'entriesread')) {
      client.out.error(subcommandSyntaxError('xgroup', argv[1]));
      return;
    }
    const value = integerArgument(client, argv[6]);
    if (value === null) return;
    if (value < 0 && value !== -1) {
      client.out.error('ERR value for ENTRIESREAD must be positive or -1');
      return;
    }
    entriesRead = value === -1 ? null : BigInt(value);
  } else if (argv.length !== 5) {
    client.out.error(subcommandSyntaxError('xgroup', argv[1]));
    return;
  }
  const found = existingGroup(client, argv[2], argv[3]);
  if (found === null) return;
  let id: StreamId;
  if (argv[4] === '$') id = found.stream.lastId;
  else if (argv[4] === '-') id = MIN_ID;
  else if (argv[4] === '+') id = MAX_ID;
  else {
    const parsed = strictId(client, argv[4]);
    if (parsed === null) return;
    id = parsed;
  }
  found.group.lastId = id;
  found.group.entriesRead = entriesRead;
  // Group metadata changes count as changes (and so propagate) without touching the key.
  engine.stats.dirty++;
  engine.notify(client.db, EventClass.stream, 'xgroup-setid', argv[2]);
  client.out.simple('OK');
}

export function xgroupDestroy(client: Client, argv: string[], engine: Engine): void {
  const stream = lookupStream(client, argv[2]);
  if (stream === WRONG_TYPE) return;
  if (stream === undefined) {
    client.out.error(
      'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
    );
    return;
  }
  if (!stream.groups.delete(argv[3])) {
    client.out.integer(0);
    return;
  }
  // XREADGROUP waiters wake up to get NOGROUP; the key's value counts as unchanged (WATCH and
  // tracking hold), as in Redis.
  engine.stats.dirty++;
  engine.keyReady(client.db, argv[2], 'stream');
  engine.notify(client.db, EventClass.stream, 'xgroup-destroy', argv[2]);
  client.out.integer(1);
}

export function xgroupCreateconsumer(client: Client, argv: string[], engine: Engine): void {
  const found = existingGroup(client, argv[2], argv[3]);
  if (found === null) return;
  const { created } = found.group.consumer(argv[4], engine.clock.now());
  if (created) {
    engine.stats.dirty++;
    engine.notify(client.db, EventClass.stream, 'xgroup-createconsumer', argv[2]);
  }
  client.out.integer(created ? 1 : 0);
}

export function xgroupDelconsumer(client: Client, argv: string[], engine: Engine): void {
  const found = existingGroup(client, argv[2], argv[3]);
  if (found === null) return;
  const pending = found.group.deleteConsumer(argv[4]);
  if (pending !== null) {
    engine.stats.dirty++;
    engine.notify(client.db, EventClass.stream, 'xgroup-delconsumer', argv[2]);
  }
  client.out.integer(pending ?? 0);
}

// XREADGROUP

interface GroupRead {
  key: string;
  group: ConsumerGroup;
  /** null for ">" (new entries), else history after this ID. */
  after: StreamId | null;
}

/**
 * XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last: the idempotent
 * form in which Redis propagates a PEL change (streamPropagateXCLAIM).
 */
function propagateClaim(
  engine: Engine,
  client: Client,
  key: string,
  groupName: string,
  idText: string,
  pending: PendingEntry,
  lastId: StreamId,
): void {
  engine.propagation.also(client.db.id, [
    'XCLAIM',
    key,
    groupName,
    pending.consumer.name,
    '0',
    idText,
    'TIME',
    String(pending.deliveryTime),
    'RETRYCOUNT',
    String(pending.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    formatId(lastId),
  ]);
}

/** XGROUP SETID key group last ENTRIESREAD n, as Redis's streamPropagateGroupID. */
function propagateGroupId(engine: Engine, client: Client, key: string, group: ConsumerGroup): void {
  engine.propagation.also(client.db.id, [
    'XGROUP',
    'SETID',
    key,
    group.name,
    formatId(group.lastId),
    'ENTRIESREAD',
    String(group.entriesRead ?? -1),
  ]);
}

/**
 * What XREADGROUP propagates for entries it delivered: an XCLAIM per entry, or with NOACK the
 * group's new last ID.
 */
function propagateDelivery(
  engine: Engine,
  client: Client,
  read: GroupRead,
  entries: StreamEntry[],
  noAck: boolean,
): void {
  if (entries.length === 0 || !engine.propagation.active) return;
  const group = read.group;
  if (noAck) {
    propagateGroupId(engine, client, read.key, group);
    return;
  }
  for (const entry of entries) {
    const pending = group.pending.find(idKeyOf(entry.id));
    if (pending === undefined) continue;
    const id = formatId(entry.id);
    propagateClaim(engine, client, read.key, group.name, id, pending, entry.id);
  }
}

/** Delivers new entries to the consumer: PEL updates, last ID and the read counter. */
function deliverNew(
  stream: Stream,
  read: GroupRead,
  consumerOf: () => Consumer,
  count: number,
  noAck: boolean,
  now: number,
): StreamEntry[] {
  const from = nextId(read.group.lastId);
  if (from === null) return [];
  const entries = stream.range(from, MAX_ID, count);
  if (entries.length === 0) return entries;
  const consumer = consumerOf();
  for (const entry of entries) {
    const group = read.group;
    group.lastId = entry.id;
    advanceEntriesRead(stream, group, entry.id);
    if (!noAck) {
      const pending = group.deliver(entry.id, consumer, now, false);
      pending.deliveryCount = 1;
    }
  }
  if (entries.length > 0) consumer.activeTime = now;
  return entries;
}

/** History: the consumer's own pending entries after the ID; deleted ones come back as nil. */
function replyHistory(
  client: Client,
  stream: Stream,
  read: GroupRead,
  consumer: Consumer,
  count: number,
  now: number,
): void {
  const from = nextId(read.after as StreamId);
  const pending: PendingEntry[] = [];
  if (from !== null) {
    for (const [, entry] of consumer.pending.ascending(idKeyOf(from))) {
      pending.push(entry);
      if (count > 0 && pending.length >= count) break;
    }
  }
  client.out.array(pending.length);
  for (const entry of pending) {
    entry.deliveryTime = now;
    entry.deliveryCount++;
    const found = stream.entry(entry.id);
    if (found) replyEntry(client, found);
    else {
      client.out.array(2);
      replyId(client.out, entry.id);
      client.out.nullArray();
    }
  }
}

function idKeyOf(id: StreamId): string {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeBigUInt64BE(id.ms, 0);
  bytes.writeBigUInt64BE(id.seq, 8);
  return bytes.toString('latin1');
}

function replyStreamsHeader(client: Client, count: number): void {
  if (client.protocol === 3) client.out.map(count);
  else client.out.array(count);
}

function replyStreamKey(client: Client, key: string): void {
  if (client.protocol !== 3) client.out.array(2);
  client.out.bulk(key);
}

/** XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id... */
export function xreadgroup(client: Client, argv: string[], engine: Engine): CommandResult {
  const options = readOptions(client, argv, true);
  if (options === null) return;
  const { count, block, noAck, streamsAt } = options;
  const { name: groupName, consumer: consumerName } = options.group as {
    name: string;
    consumer: string;
  };
  const half = (argv.length - streamsAt) / 2;
  const reads: GroupRead[] = [];
  for (let k = 0; k < half; k++) {
    const key = argv[streamsAt + k];
    const text = argv[streamsAt + half + k];
    // Redis reads each stream twice, checking then serving, as XREAD does: keyspace hits.
    const stream = engine.readingKeys(() => client.db.lookup(key));
    if (stream !== undefined && !(stream instanceof Stream)) {
      wrongType(client);
      return;
    }
    const group = stream?.groups.get(groupName);
    if (group === undefined) {
      client.out.error(`${noGroup(key, groupName)} in XREADGROUP with GROUP option`);
      return;
    }
    if (text === '$') {
      client.out.error(
        'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
      );
      return;
    }
    let after: StreamId | null = null;
    if (text !== '>') {
      after = parseId(text);
      if (after === null) {
        client.out.error(INVALID_STREAM_ID);
        return;
      }
    }
    reads.push({ key, group, after });
  }
  // Propagated as the XCLAIM / XGROUP forms of what it delivered, never as itself.
  engine.propagation.preventCurrent();
  // As Redis's server.dirty: one per consumer created, one per stream answered.
  let changes = 0;
  const consumerOf = (read: GroupRead): Consumer => {
    const { consumer, created } = read.group.consumer(consumerName, engine.clock.now());
    consumer.seenTime = engine.clock.now();
    if (created) {
      changes++;
      engine.notify(client.db, EventClass.stream, 'xgroup-createconsumer', read.key);
      // With NOACK no XCLAIM will make the consumer on replicas: Redis announces it, even
      // when nothing is delivered (a history read).
      if (noAck && engine.propagation.active) {
        engine.propagation.also(client.db.id, [
          'XGROUP',
          'CREATECONSUMER',
          read.key,
          read.group.name,
          consumerName,
        ]);
      }
    }
    return consumer;
  };
  // Histories are always answered; new entries only for streams that have some. The consumer
  // is created only for a stream answered, as in Redis.
  const answers: Array<() => void> = [];
  for (const read of reads) {
    const stream = engine.readingKeys(() => client.db.lookup(read.key)) as Stream;
    if (read.after !== null) {
      const consumer = consumerOf(read);
      changes++;
      answers.push(() => {
        replyStreamKey(client, read.key);
        replyHistory(client, stream, read, consumer, count, engine.clock.now());
      });
      continue;
    }
    const entries = deliverNew(
      stream,
      read,
      () => consumerOf(read),
      count,
      noAck,
      engine.clock.now(),
    );
    if (entries.length > 0) {
      changes++;
      propagateDelivery(engine, client, read, entries, noAck);
      answers.push(() => {
        replyStreamKey(client, read.key);
        client.out.array(entries.length);
        for (const entry of entries) replyEntry(client, entry);
      });
    }
  }
  engine.countChanges(changes);
  if (answers.length > 0) {
    replyStreamsHeader(client, answers.length);
    for (const answer of answers) answer();
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
    reads.map((read) => read.key),
    block,
    (key) => {
      const read = reads.find((each) => each.key === key) as GroupRead;
      const stream = client.db.lookup(key);
      if (!(stream instanceof Stream)) {
        client.out.error('UNBLOCKED the stream key no longer exists');
        return true;
      }
      // Looked up by name again: RENAME may have brought another stream with such a group.
      const group = stream.groups.get(read.group.name);
      if (group !== undefined) read.group = group;
      else {
        client.out.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return true;
      }
      // Served once the stream's last ID passes the group's, as in Redis: with an empty list of
      // entries when those were deleted since, the consumer made all the same.
      if (compareIds(stream.lastId, read.group.lastId) <= 0) return false;
      const consumer = consumerOf(read);
      const entries = deliverNew(stream, read, () => consumer, count, noAck, engine.clock.now());
      // Served, Redis counts the consumer it created, not the stream answered.
      engine.countChanges(changes);
      propagateDelivery(engine, client, read, entries, noAck);
      replyStreamsHeader(client, 1);
      replyStreamKey(client, key);
      client.out.array(entries.length);
      for (const entry of entries) replyEntry(client, entry);
      return true;
    },
    () => client.out.nullArray(),
  );
}

// XACK, XPENDING, XCLAIM, XAUTOCLAIM

function groupFor(
  client: Client,
  engine: Engine,
  key: string,
  name: string,
): { stream: Stream; group: ConsumerGroup } | null | undefined {
  // XACK and XCLAIM too read the key as a read command does: a keyspace hit or miss.
  const stream = engine.readingKeys(() => lookupStream(client, key));
  if (stream === WRONG_TYPE) return null;
  const group = stream?.groups.get(name);
  return stream === undefined || group === undefined ? undefined : { stream, group };
}

export function xack(client: Client, argv: string[], engine: Engine): void {
  // As Redis: no key or no group acknowledges nothing, before the IDs are read.
  const found = groupFor(client, engine, argv[1], argv[2]);
  if (found === null) return;
  if (found === undefined) {
    client.out.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let i = 3; i < argv.length; i++) {
    const id = strictId(client, argv[i]);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) if (found.group.acknowledge(id)) acknowledged++;
  // A change to the group (propagated), though not to the key: WATCH is not invalidated.
  engine.stats.dirty += acknowledged;
  client.out.integer(acknowledged);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
export function xpending(client: Client, argv: string[], engine: Engine): void {
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) {
    client.out.error(Errors.syntax);
    return;
  }
  let minIdle = 0;
  let at = 3;
  let start = MIN_ID;
  let end = MAX_ID;
  let count = -1;
  let consumerName: string | null = null;
  if (argv.length > 3) {
    if (isKeyword(argv[3], 'idle')) {
      const value = integerArgument(client, argv[4]);
      if (value === null) return;
      minIdle = value;
      at = 5;
      if (argv.length < 8) {
        client.out.error(Errors.syntax);
        return;
      }
    }
    // Redis reads the count before the range, and ignores what follows the consumer.
    const parsedCount = integerArgument(client, argv[at + 2]);
    if (parsedCount === null) return;
    const parsedStart = intervalId(client, argv[at], 0n, true);
    if (parsedStart === null) return;
    const parsedEnd = intervalId(client, argv[at + 1], MAX_ID.seq, false);
    if (parsedEnd === null) return;
    start = parsedStart;
    end = parsedEnd;
    count = Math.max(0, parsedCount);
    if (argv.length > at + 3) consumerName = argv[at + 3];
  }
  const found = groupFor(client, engine, argv[1], argv[2]);
  if (found === null) return;
  if (found === undefined) {
    client.out.error(noGroup(argv[1], argv[2]));
    return;
  }
  const { group } = found;
  const out = client.out;
  if (count === -1) {
    if (group.pending.size === 0) {
      out.array(4);
      out.integer(0);
      out.nullBulk();
      out.nullBulk();
      out.nullArray();
      return;
    }
    const first = group.pending.ascending().next().value as [string, PendingEntry];
    const last = group.pending.descending().next().value as [string, PendingEntry];
    const owners = sortedConsumers(group).filter((consumer) => consumer.pending.size > 0);
    out.array(4);
    out.integer(group.pending.size);
    replyId(out, first[1].id);
    replyId(out, last[1].id);
    out.array(owners.length);
    for (const owner of owners) {
      out.array(2);
      out.bulk(owner.name);
      out.bulk(String(owner.pending.size));
    }
    return;
  }
  const source = consumerName === null ? group.pending : group.consumers.get(consumerName)?.pending;
  const now = engine.clock.now();
  const rows: PendingEntry[] = [];
  if (source !== undefined && count > 0) {
    for (const [, entry] of source.ascending(idKeyOf(start))) {
      if (compareIds(entry.id, end) > 0) break;
      if (now - entry.deliveryTime < minIdle) continue;
      rows.push(entry);
      if (rows.length >= count) break;
    }
  }
  out.array(rows.length);
  for (const entry of rows) {
    out.array(4);
    replyId(out, entry.id);
    out.bulk(entry.consumer.name);
    out.integer(now - entry.deliveryTime);
    out.integer(entry.deliveryCount);
  }
}

/**
 * Who XCLAIM or XAUTOCLAIM hands entries to: the consumer is looked up (and created, and
 * announced) only at the first entry claimed, as in Redis; `changes` counts what the command
 * changed as Redis's server.dirty does (the consumer created, each entry claimed or dropped).
 */
class Claimant {
  private consumer: Consumer | null = null;
  changes = 0;

  constructor(
    private readonly client: Client,
    private readonly engine: Engine,
    private readonly key: string,
    private readonly group: ConsumerGroup,
    private readonly name: string,
    private readonly now: number,
  ) {}

  /** The consumer, seen and active now, for an entry it is about to claim (a change). */
  claiming(): Consumer {
    this.changes++;
    if (this.consumer !== null) return this.consumer;
    const { consumer, created } = this.group.consumer(this.name, this.now);
    if (created) {
      this.changes++;
      this.engine.notify(this.client.db, EventClass.stream, 'xgroup-createconsumer', this.key);
    }
    consumer.seenTime = this.now;
    consumer.activeTime = this.now;
    this.consumer = consumer;
    return consumer;
  }
}

/** XCLAIM key group consumer min-idle-time id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
export function xclaim(client: Client, argv: string[], engine: Engine): void {
  const found = groupFor(client, engine, argv[1], argv[2]);
  if (found === null) return;
  if (found === undefined) {
    client.out.error(noGroup(argv[1], argv[2]));
    return;
  }
  const minIdle = parseInteger(argv[4]);
  if (minIdle === null) {
    client.out.error('ERR Invalid min-idle-time argument for XCLAIM');
    return;
  }
  const ids: StreamId[] = [];
  let i = 5;
  for (; i < argv.length; i++) {
    const id = parseId(argv[i]);
    if (id === null) break;
    ids.push(id);
  }
  const now = engine.clock.now();
  let deliveryTime: number | null = null;
  let retryCount: number | null = null;
  let force = false;
  let justId = false;
  let lastId: StreamId | null = null;
  for (; i < argv.length; i++) {
    const option = argv[i];
    const more = argv.length - i - 1;
    if (isKeyword(option, 'force')) force = true;
    else if (isKeyword(option, 'justid')) justId = true;
    else if (isKeyword(option, 'idle') && more > 0) {
      const value = parseInteger(argv[++i]);
      if (value === null) {
        client.out.error('ERR Invalid IDLE option argument for XCLAIM');
        return;
      }
      deliveryTime = now - Number(value);
    } else if (isKeyword(option, 'time') && more > 0) {
      const value = parseInteger(argv[++i]);
      if (value === null) {
        client.out.error('ERR Invalid TIME option argument for XCLAIM');
        return;
      }
      deliveryTime = Number(value);
    } else if (isKeyword(option, 'retrycount') && more > 0) {
      const value = parseInteger(argv[++i]);
      if (value === null) {
        client.out.error('ERR Invalid RETRYCOUNT option argument for XCLAIM');
        return;
      }
      retryCount = Number(value);
    } else if (isKeyword(option, 'lastid') && more > 0) {
      lastId = strictId(client, argv[++i]);
      if (lastId === null) return;
    } else {
      client.out.error(`ERR Unrecognized XCLAIM option '${option}'`);
      return;
    }
  }
  const { stream, group } = found;
  // Propagated as idempotent XCLAIMs (and XGROUP SETID for a LASTID alone), as Redis.
  engine.propagation.preventCurrent();
  const propagating = engine.propagation.active;
  let propagateLastId = false;
  if (lastId !== null && compareIds(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  const claimant = new Claimant(client, engine, argv[1], group, argv[3], now);
  const claimed: Array<StreamEntry | StreamId> = [];
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    const key = idKeyOf(id);
    let pending = group.pending.find(key);
    const entry = stream.entry(id);
    if (pending === undefined) {
      if (!force || entry === undefined) continue;
    } else if (entry === undefined) {
      // Deleted from the stream: drop it from the PEL instead of claiming it.
      if (propagating) {
        propagateClaim(engine, client, argv[1], argv[2], argv[5 + n], pending, group.lastId);
      }
      propagateLastId = false;
      group.acknowledge(id);
      claimant.changes++;
      continue;
    }
    if (pending !== undefined && minIdle > 0 && now - pending.deliveryTime < Number(minIdle))
      continue;
    pending = group.deliver(id, claimant.claiming(), now, false);
    if (deliveryTime !== null) pending.deliveryTime = deliveryTime;
    if (retryCount !== null) pending.deliveryCount = retryCount;
    else if (!justId) pending.deliveryCount++;
    claimed.push(justId ? id : (entry as StreamEntry));
    if (propagating) {
      propagateClaim(engine, client, argv[1], argv[2], argv[5 + n], pending, group.lastId);
    }
    propagateLastId = false;
  }
  if (propagateLastId) {
    claimant.changes++;
    if (propagating) propagateGroupId(engine, client, argv[1], group);
  }
  engine.countChanges(claimant.changes);
  client.out.array(claimed.length);
  for (const item of claimed) {
    if ('fields' in item) replyEntry(client, item);
    else replyId(client.out, item);
  }
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
export function xautoclaim(client: Client, argv: string[], engine: Engine): void {
  const minIdle = parseInteger(argv[4]);
  if (minIdle === null) {
    client.out.error('ERR Invalid min-idle-time argument for XAUTOCLAIM');
    return;
  }
  const start = intervalId(client, argv[5], 0n, true);
  if (start === null) return;
  let count = 100;
  let justId = false;
  for (let i = 6; i < argv.length; i++) {
    if (isKeyword(argv[i], 'count') && i + 1 < argv.length) {
      const value = parseInteger(argv[++i]);
      // Redis bounds COUNT so that its per-call buffers cannot overflow.
      if (value === null || value < 1 || BigInt(value) > MAX_AUTOCLAIM_COUNT) {
        client.out.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(value);
    } else if (isKeyword(argv[i], 'justid')) justId = true;
    else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const found = groupFor(client, engine, argv[1], argv[2]);
  if (found === null) return;
  if (found === undefined) {
    client.out.error(noGroup(argv[1], argv[2]));
    return;
  }
  const { stream, group } = found;
  engine.propagation.preventCurrent();
  const propagating = engine.propagation.active;
  const now = engine.clock.now();
  const claimant = new Claimant(client, engine, argv[1], group, argv[3], now);
  const claimed: StreamEntry[] = [];
  const claimedIds: StreamId[] = [];
  const deleted: StreamId[] = [];
  let next: StreamId = MIN_ID;
  let attempts = count * 10;
  const candidates = [...group.pending.ascending(idKeyOf(start))].map(([, entry]) => entry);
  let index = 0;
  for (
    ;
    index < candidates.length && attempts > 0 && claimedIds.length + deleted.length < count;
    index++
  ) {
    attempts--;
    const pending = candidates[index];
    const entry = stream.entry(pending.id);
    if (entry === undefined) {
      if (propagating) {
        const idText = formatId(pending.id);
        propagateClaim(engine, client, argv[1], argv[2], idText, pending, group.lastId);
      }
      group.acknowledge(pending.id);
      deleted.push(pending.id);
      claimant.changes++;
      continue;
    }
    if (now - pending.deliveryTime < Number(minIdle)) continue;
    const claimedEntry = group.deliver(pending.id, claimant.claiming(), now, false);
    if (!justId) claimedEntry.deliveryCount++;
    if (propagating) {
      const idText = formatId(pending.id);
      propagateClaim(engine, client, argv[1], argv[2], idText, claimedEntry, group.lastId);
    }
    claimedIds.push(pending.id);
    claimed.push(entry);
  }
  if (index < candidates.length) next = candidates[index].id;
  engine.countChanges(claimant.changes);
  const out = client.out;
  out.array(3);
  replyId(out, next);
  out.array(claimedIds.length);
  if (justId) for (const id of claimedIds) replyId(out, id);
  else for (const entry of claimed) replyEntry(client, entry);
  out.array(deleted.length);
  for (const id of deleted) replyId(out, id);
}
