import { QuickList } from '@rc/datatypes/list';
import { Stream } from '@rc/datatypes/stream';
import { SortedSet } from '@rc/datatypes/zset';
import { parseInteger } from './numbers.js';
import { fromRdbValue, toRdbValue } from './persistence/rdb-values.js';

/** Strings are latin1 JavaScript strings (one char per byte): binary safe and fast Map keys. */
export type RedisString = string;
export type RedisHash = Map<string, string>;
export type RedisSet = Set<string>;
export type RedisValue = RedisString | QuickList | RedisHash | RedisSet | SortedSet | Stream;

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export function typeOf(value: RedisValue): TypeName {
  if (typeof value === 'string') return 'string';
  if (value instanceof Map) return 'hash';
  if (value instanceof Set) return 'set';
  if (value instanceof SortedSet) return 'zset';
  if (value instanceof Stream) return 'stream';
  return 'list';
}

/** A deep copy for COPY: containers are mutated in place, strings are immutable. */
export function cloneValue(value: RedisValue): RedisValue {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return new Map(value);
  if (value instanceof Set) return new Set(value);
  if (value instanceof SortedSet) {
    const copy = new SortedSet();
    for (const { member, score } of value) copy.add(member, score);
    return copy;
  }
  if (value instanceof Stream) {
    // Entries, metadata, groups, consumers and PEL: the RDB model already carries them all.
    return fromRdbValue(toRdbValue(value), {
      maxEntries: value.blockCapacity,
      maxBytes: value.blockMaxBytes,
    });
  }
  const copy = new QuickList();
  for (const element of value) copy.pushTail(element);
  return copy;
}

const INTEGER_TEXT = /^-?[1-9]\d{0,18}$|^0$/;

/**
 * OBJECT ENCODING, answered as Redis 7.0 would for the same value (small hashes are listpacks,
 * sets of integers intsets...), so tools reading it see familiar names.
 */
export function encodingOf(value: RedisValue, config: { get(name: string): string }): string {
  if (typeof value === 'string') {
    if (INTEGER_TEXT.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n) {
      return 'int';
    }
    return value.length <= 44 ? 'embstr' : 'raw';
  }
  if (value instanceof Map) {
    const maxEntries = Number(config.get('hash-max-listpack-entries'));
    const maxValue = Number(config.get('hash-max-listpack-value'));
    if (value.size > maxEntries) return 'hashtable';
    for (const [field, element] of value) {
      if (field.length > maxValue || element.length > maxValue) return 'hashtable';
    }
    return 'listpack';
  }
  if (value instanceof Set) {
    if (value.size > Number(config.get('set-max-intset-entries'))) return 'hashtable';
    // An intset holds int64s only: string2ll's canonical integers.
    for (const member of value) if (parseInteger(member) === null) return 'hashtable';
    return 'intset';
  }
  if (value instanceof SortedSet) {
    if (value.size > Number(config.get('zset-max-listpack-entries'))) return 'skiplist';
    const maxValue = Number(config.get('zset-max-listpack-value'));
    for (const { member } of value) if (member.length > maxValue) return 'skiplist';
    return 'listpack';
  }
  if (value instanceof Stream) return 'stream';
  return 'quicklist';
}
