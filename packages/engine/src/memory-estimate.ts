import { PackedList } from '@rc/datatypes/packed';
import { Stream } from '@rc/datatypes/stream';
import { RedisHash, RedisSet, RedisZset, type RedisValue, type UnreadableValue } from './values.js';

/*
 * What keys and values would cost in Redis, in the sizes of its structures and its allocator's
 * size classes: the figures MEMORY USAGE reports, and the ones used_memory and maxmemory add up
 * (see DatasetMemory). An estimate rather than a measure of V8's heap, so that it moves only
 * with the data, exactly and at once, and costs a few integer operations per write.
 */

/**
 * An empty server's memory (Redis's used_memory_startup): what Redis 7.0 reports, about 860 KB,
 * so that a limit sized for Redis's data leaves room for as much in rc. What V8 and Node hold
 * for themselves is not data, and no limit could bring it down.
 */
export const STARTUP_BYTES = 880_000;

/** Redis's dictEntry: key, value and next pointers. */
export const DICT_ENTRY_BYTES = 24;
/** A dict's table slot per entry (a table is as large as its entries, at load factor 1). */
export const DICT_SLOT_BYTES = 8;
/** Redis's robj header. */
const OBJECT_BYTES = 16;
/** A quicklist's own structure, and each of its nodes. */
const QUICKLIST_BYTES = 40;
const QUICKLIST_NODE_BYTES = 32;
/** A dict's own structure (hash table encodings of hashes, sets and sorted sets). */
const DICT_BYTES = 96;
/** A skiplist node with its average 1.33 levels, and the skiplist's own structure. */
const SKIPLIST_NODE_BYTES = 48;
const SKIPLIST_BYTES = 32;
/** Entries per quicklist node, roughly, at the default list-max-listpack-size. */
const QUICKLIST_NODE_ENTRIES = 128;
/** An intset's header. */
const INTSET_BYTES = 8;
/** A listpack's header and end byte; each entry's length and back-length bytes. */
const LISTPACK_BYTES = 7;
const LISTPACK_ENTRY_BYTES = 2;
/** A stream entry (in listpacks inside radix tree nodes) and a radix tree node with its listpack. */
const STREAM_ENTRY_BYTES = 64;
const STREAM_NODE_BYTES = 128;
/** Strings up to this length share one allocation with their object (Redis's embstr). */
const EMBSTR_LIMIT = 44;

/** The size jemalloc gives a request of `bytes`: its size classes, four per doubling. */
export function allocationSize(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return (bytes + 15) & ~15;
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** An sds string of `length` bytes: its header (by the length it must hold), bytes and NUL. */
function sdsBytes(length: number, shortHeader: boolean): number {
  let header: number;
  if (length < 32 && shortHeader) header = 1;
  else if (length < 256) header = 3;
  else if (length < 65536) header = 5;
  else header = 9;
  return allocationSize(header + length + 1);
}

/** A key's dict entry and its name, as MEMORY USAGE counts them. */
export function keyBytes(key: string): number {
  return DICT_ENTRY_BYTES + sdsBytes(key.length, true);
}

/** A string value of `length` bytes with its object header: one allocation when short, two otherwise. */
export function stringBytes(length: number): number {
  if (length <= EMBSTR_LIMIT) return allocationSize(OBJECT_BYTES + 3 + length + 1);
  return OBJECT_BYTES + sdsBytes(length, false);
}

/** An element in a hash table: its sds string; in a listpack: its bytes and lengths. */
const tableElement = (element: string) => sdsBytes(element.length, true);
const tableMember = (member: string) => tableElement(member) + DICT_ENTRY_BYTES + DICT_SLOT_BYTES;
const tableField = ([field, element]: [string, string]) =>
  tableMember(field) + tableElement(element);
/** A sorted set's member in its dict and skiplist. */
const skiplistMember = ({ member }: { member: string }) =>
  tableMember(member) + SKIPLIST_NODE_BYTES;

/**
 * A value's bytes with its object header, in the encoding Redis holds it in. Collections are
 * sampled as Redis's objectComputeSize samples them: the first `samples` elements (all when 0)
 * stand for the rest. Told apart by class (no value class has subclasses): a chain of
 * `instanceof` walked a hash's prototypes for each class before its own, about 20 ns of each
 * HSET.
 */
export function valueBytes(value: RedisValue, samples: number): number {
  if (typeof value === 'string') return stringBytes(value.length);
  const kind = value.constructor;
  if (kind === RedisHash) return hashBytes(value as RedisHash, samples);
  if (kind === RedisSet) return setBytes(value as RedisSet, samples);
  if (kind === RedisZset) return zsetBytes(value as RedisZset, samples);
  if (kind === PackedList) return listBytes(value as PackedList, samples);
  if (kind === Stream) {
    const stream = value as Stream;
    return (
      OBJECT_BYTES + stream.length * STREAM_ENTRY_BYTES + stream.blockCount * STREAM_NODE_BYTES
    );
  }
  // Its encoding as it came, which Redis holds as it is.
  return OBJECT_BYTES + (value as UnreadableValue).source.encoded.length;
}

function listBytes(list: PackedList, samples: number): number {
  const length = list.length;
  const nodes = Math.ceil(length / QUICKLIST_NODE_ENTRIES);
  // As sample() would count each element, its chars and LISTPACK_ENTRY_BYTES, from the
  // chars the list sums itself: every push re-counts the list, and an iterator cost more.
  const seen = samples !== 0 && samples < length ? samples : length;
  const bytes = list.charsOfFirst(seen) + seen * LISTPACK_ENTRY_BYTES;
  const elements = seen === 0 ? 0 : Math.round((bytes / seen) * length);
  return (
    OBJECT_BYTES + QUICKLIST_BYTES + nodes * (QUICKLIST_NODE_BYTES + LISTPACK_BYTES) + elements
  );
}

function zsetBytes(zset: RedisZset, samples: number): number {
  // A listpack holds a member and its score as two entries, each with a length before and
  // after it; the packed string holds each with one length char (a short score as its text,
  // as Redis writes it), so its length plus one byte per entry is their sum, without a walk.
  if (zset.isListpack) return OBJECT_BYTES + LISTPACK_BYTES + zset.packedLength + 2 * zset.size;
  return (
    OBJECT_BYTES + DICT_BYTES + SKIPLIST_BYTES + sample(zset, zset.size, samples, skiplistMember)
  );
}

function hashBytes(hash: RedisHash, samples: number): number {
  // Its packed string holds each element with a one-char length (below 128 chars), so its
  // length plus one byte per element is the elements' chars plus LISTPACK_ENTRY_BYTES each,
  // without walking it.
  if (hash.isListpack) return OBJECT_BYTES + LISTPACK_BYTES + hash.packedLength + 2 * hash.size;
  return OBJECT_BYTES + DICT_BYTES + sample(hash.entries(), hash.size, samples, tableField);
}

function setBytes(set: RedisSet, samples: number): number {
  if (set.isIntset) return OBJECT_BYTES + INTSET_BYTES + set.size * set.intsetWidth;
  return OBJECT_BYTES + DICT_BYTES + sample(set, set.size, samples, tableMember);
}

/** The elements' bytes, from the first `samples` of them (all when 0) scaled to `total`. */
function sample<T>(
  elements: Iterable<T>,
  total: number,
  samples: number,
  bytesOf: (element: T) => number,
): number {
  let bytes = 0;
  let seen = 0;
  for (const element of elements) {
    if (samples !== 0 && seen >= samples) break;
    bytes += bytesOf(element);
    seen++;
  }
  return seen === 0 ? 0 : Math.round((bytes / seen) * total);
}

/** MEMORY USAGE: a key's entry, name and value. */
export function estimateBytes(key: string, value: RedisValue, samples: number): number {
  return keyBytes(key) + valueBytes(value, samples);
}
