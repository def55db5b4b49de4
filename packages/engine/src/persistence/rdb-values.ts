import type { RdbStream, RdbValue } from '@rc/rdb';
import { QuickList } from '@rc/datatypes/list';
import { MAX_ID, MIN_ID, Stream, type Consumer, type StreamNodeLimits } from '@rc/datatypes/stream';
import type { Config } from '../config.js';
import { encodingLimits, hashFromRdb, setFromRdb, zsetFromRdb } from '../encodings.js';
import { RedisHash, RedisSet, RedisZset, UnreadableValue, type RedisValue } from '../values.js';

/** Stream block sizes from stream-node-max-entries and stream-node-max-bytes. */
export function streamLimits(config: Config): StreamNodeLimits {
  return {
    maxEntries: config.getNumber('stream-node-max-entries'),
    maxBytes: config.getNumber('stream-node-max-bytes'),
  };
}

/**
 * The RDB model of a value: plain arrays, so it no longer shares state with the keyspace.
 * Hashes, sets and sorted sets are marked to be written in the encoding they carry (listpack,
 * intset or the large forms), as Redis writes them (DUMP, SAVE).
 */
export function toRdbValue(value: RedisValue, _config?: Config): RdbValue {
  if (typeof value === 'string') return { type: 'string', value };
  if (value instanceof RedisHash) {
    return { type: 'hash', entries: [...value], compact: value.isListpack };
  }
  if (value instanceof RedisSet)
    return { type: 'set', members: [...value], compact: value.isIntset };
  if (value instanceof RedisZset) {
    const entries: Array<[string, number]> = [];
    for (const { member, score } of value) entries.push([member, score]);
    return { type: 'zset', entries, compact: value.isListpack };
  }
  if (value instanceof Stream) return { type: 'stream', stream: toRdbStream(value) };
  if (value instanceof UnreadableValue) return value.source;
  return { type: 'list', items: [...value] };
}

export function toRdbStream(stream: Stream): RdbStream {
  const entries = stream.range(MIN_ID, MAX_ID).map(({ id, fields }) => ({ id, fields }));
  return {
    entries,
    length: stream.length,
    lastId: stream.lastId,
    firstId: entries.length === 0 ? MIN_ID : entries[0].id,
    maxDeletedId: stream.maxDeletedId,
    entriesAdded: stream.entriesAdded,
    groups: [...stream.groups.values()].map((group) => ({
      name: group.name,
      lastId: group.lastId,
      entriesRead: group.entriesRead,
      pending: [...group.pending.ascending()].map(([, entry]) => ({
        id: entry.id,
        deliveryTime: entry.deliveryTime,
        deliveryCount: entry.deliveryCount,
        consumer: entry.consumer.name,
      })),
      consumers: [...group.consumers.values()].map((consumer) => ({
        name: consumer.name,
        seenTime: consumer.seenTime,
        activeTime: consumer.activeTime,
      })),
    })),
  };
}

/**
 * Builds the keyspace's representation of a value read from an RDB file or DUMP payload;
 * streams get blocks of the given size. Hashes, sets and sorted sets get the encoding Redis's
 * rdbLoadObject gives them under `config`'s limits: the one they were stored in (`compact`),
 * unless a rule converts them on load (see encodings.ts).
 */
export function fromRdbValue(
  value: RdbValue,
  limits: StreamNodeLimits,
  config: Config,
): RedisValue {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'list': {
      const list = new QuickList<string>(value.items.length);
      for (const item of value.items) list.pushTail(item);
      return list;
    }
    case 'set':
      return setFromRdb(
        value.members,
        value.compact === true,
        encodingLimits(config).intsetEntries,
      );
    case 'hash':
      return hashFromRdb(value.entries, value.compact === true, encodingLimits(config));
    case 'zset':
      return zsetFromRdb(
        value.entries.map(([member, score]) => ({ member, score })),
        value.compact === true,
        encodingLimits(config),
      );
    case 'stream':
      return fromRdbStream(value.stream, limits);
    case 'unreadable':
      return new UnreadableValue(value);
  }
}

export function fromRdbStream(source: RdbStream, limits: StreamNodeLimits): Stream {
  const stream = new Stream(limits);
  for (const { id, fields } of source.entries) stream.append(id, fields);
  stream.setLastId(source.lastId, source.entriesAdded, source.maxDeletedId);
  for (const group of source.groups) {
    const target = stream.createGroup(group.name, group.lastId, group.entriesRead);
    if (target === undefined) continue;
    for (const consumer of group.consumers) {
      target.consumer(consumer.name, consumer.seenTime).consumer.activeTime = consumer.activeTime;
    }
    for (const entry of group.pending) {
      const owner = target.consumer(entry.consumer, entry.deliveryTime).consumer as Consumer;
      const pending = target.deliver(entry.id, owner, entry.deliveryTime, false);
      pending.deliveryCount = entry.deliveryCount;
    }
  }
  return stream;
}

/** Values a loaded key must not hold: Redis drops empty collections on load too. */
export function isEmptyValue(value: RedisValue): boolean {
  if (typeof value === 'string' || value instanceof Stream || value instanceof UnreadableValue) {
    return false;
  }
  return value instanceof QuickList ? value.length === 0 : value.size === 0;
}
