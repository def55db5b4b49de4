import type { RdbValue } from '@rc/rdb';
import { PackedList } from '@rc/datatypes/packed';
import { Stream, type StreamNodeLimits } from '@rc/datatypes/stream';
import type { Config } from '../config.js';
import { encodingLimits, hashFromRdb, setFromRdb, zsetFromRdb } from '../encodings.js';
import { RedisHash, RedisSet, RedisZset, UnreadableValue, type RedisValue } from '../values.js';
import { fromRdbStream, toRdbStream } from './rdb-streams.js';

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
  if (value instanceof RedisSet) {
    if (!value.isIntset) return { type: 'set', members: [...value], compact: false };
    return { type: 'set', members: [...value], compact: true, intsetWidth: value.intsetWidth };
  }
  if (value instanceof RedisZset) {
    const entries: Array<[string, number]> = [];
    for (const { member, score } of value) entries.push([member, score]);
    return { type: 'zset', entries, compact: value.isListpack };
  }
  if (value instanceof Stream) return { type: 'stream', stream: toRdbStream(value) };
  if (value instanceof UnreadableValue) return value.source;
  return { type: 'list', items: [...value] };
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
      const list = new PackedList();
      for (const item of value.items) list.pushTail(item);
      return list;
    }
    case 'set':
      return setFromRdb(
        value.members,
        value.compact === true ? (value.intsetWidth ?? 2) : 0,
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

/** Values a loaded key must not hold: Redis drops empty collections on load too. */
export function isEmptyValue(value: RedisValue): boolean {
  if (typeof value === 'string' || value instanceof Stream || value instanceof UnreadableValue) {
    return false;
  }
  return value instanceof PackedList ? value.length === 0 : value.size === 0;
}
