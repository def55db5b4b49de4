import {
  ByteHashTable,
  PackedList,
  PackedMap,
  PackedSet,
  PackedSortedSet,
} from '@rc/datatypes/packed';
import { decodeLatin1 } from '@rc/resp';
import { keyHash } from './key-index.js';
import { Stream } from '@rc/datatypes/stream';
import type { RdbUnreadable } from '@rc/rdb';
import { fromRdbStream, toRdbStream } from './persistence/rdb-streams.js';

/** Strings are latin1 JavaScript strings (one char per byte): binary safe and fast Map keys. */
export type RedisString = string;
export type RedisValue =
  RedisString | PackedList | RedisHash | RedisSet | RedisZset | Stream | UnreadableValue;

/**
 * Whether any UnreadableValue was ever made: until then a lookup need not ask each value (an
 * `instanceof` that walks a value's whole prototype chain cost 15-20 ns per lookup).
 */
export let unreadableValuesMade = false;

/**
 * A value RESTORE took without deep checks (sanitize-dump-payload no) whose encoding rc cannot
 * decode. Redis keeps such a value as it came and fails an assertion, or panics, when a command
 * walks it (the fault the payload reader worked out). rc keeps the encoding, which DUMP, SAVE
 * and replication write back as it came, and crashes with Redis's report when a command reads
 * the value (Database.lookup); commands that only look at the key (TYPE, EXISTS, DEL, EXPIRE,
 * RENAME, OBJECT ENCODING) work on it.
 */
export class UnreadableValue {
  constructor(readonly source: RdbUnreadable) {
    unreadableValuesMade = true;
  }

  get type(): TypeName {
    return this.source.of;
  }
}

export type HashEncoding = 'listpack' | 'hashtable';
export type SetEncoding = 'intset' | 'hashtable';
export type ZsetEncoding = 'listpack' | 'skiplist';

/*
 * Hashes, sets and sorted sets carry the encoding Redis would hold them in. It is chosen when
 * the value is created and changed only by the one-way conversion Redis makes when a write
 * outgrows the compact form (the rules, and the limits they read, are in encodings.ts): a value
 * never goes back to its compact encoding, however small it gets, as in Redis. Nothing here is
 * derived from the contents, so the tag costs one field and no work on reads.
 */

/**
 * A hash: a listpack (one packed string, fields in insertion order) until converted to a hash
 * table (Redis's hashTypeConvert), a ByteHashTable from then on.
 */
export class RedisHash extends PackedMap {
  constructor(encoding: HashEncoding) {
    super();
    if (encoding === 'hashtable') this.convertToMap();
  }

  get encoding(): HashEncoding {
    return this.isPacked ? 'listpack' : 'hashtable';
  }

  get isListpack(): boolean {
    return this.isPacked;
  }

  /** To a hash table, for good. */
  convertToHashtable(): void {
    this.convertToMap();
  }

  protected override newTable(): ByteHashTable {
    // Seeded as the keyspace's index: clients choose fields, so they must not choose collisions.
    return new ByteHashTable(decodeLatin1, keyHash);
  }
}

/**
 * A set: an intset (int64 members only, one packed string, ascending) until converted to a
 * hash table (setTypeConvert), a Set from then on.
 */
export class RedisSet extends PackedSet {
  constructor(encoding: SetEncoding) {
    super();
    if (encoding === 'hashtable') this.convertToSet();
  }

  get encoding(): SetEncoding {
    return this.isPacked ? 'intset' : 'hashtable';
  }

  get isIntset(): boolean {
    return this.isPacked;
  }

  /** To a hash table, for good. */
  convertToHashtable(): void {
    this.convertToSet();
  }
}

/**
 * A sorted set: a listpack (one packed string, ordered by score and member) until converted to
 * a skiplist (zsetConvert), a SortedSet from then on. Redis builds some values as skiplists and
 * makes them listpacks before storing them (ZUNIONSTORE, GEO stores, loading); those are
 * created here with the encoding they end with.
 */
export class RedisZset extends PackedSortedSet {
  constructor(encoding: ZsetEncoding) {
    super();
    if (encoding === 'skiplist') this.convertToSkiplist();
  }

  get encoding(): ZsetEncoding {
    return this.isPacked ? 'listpack' : 'skiplist';
  }

  get isListpack(): boolean {
    return this.isPacked;
  }
}

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export function typeOf(value: RedisValue): TypeName {
  if (typeof value === 'string') return 'string';
  if (value instanceof UnreadableValue) return value.type;
  if (value instanceof RedisHash) return 'hash';
  if (value instanceof RedisSet) return 'set';
  if (value instanceof RedisZset) return 'zset';
  if (value instanceof Stream) return 'stream';
  return 'list';
}

/** A deep copy for COPY: containers are mutated in place, strings are immutable. */
export function cloneValue(value: RedisValue): RedisValue {
  // Neither is ever changed in place.
  if (typeof value === 'string' || value instanceof UnreadableValue) return value;
  // Copies keep the encoding, as Redis's hashTypeDup, setTypeDup and zsetDup.
  if (value instanceof RedisHash) {
    const copy = new RedisHash(value.encoding);
    for (const [field, element] of value) copy.set(field, element);
    return copy;
  }
  if (value instanceof RedisSet) {
    const copy = new RedisSet(value.encoding);
    copy.widenTo(value.intsetWidth);
    for (const member of value) copy.add(member);
    return copy;
  }
  if (value instanceof RedisZset) {
    const copy = new RedisZset(value.encoding);
    for (const { member, score } of value) copy.add(member, score);
    return copy;
  }
  if (value instanceof Stream) {
    // Entries, metadata, groups, consumers and PEL: the RDB model already carries them all.
    return fromRdbStream(toRdbStream(value), {
      maxEntries: value.blockCapacity,
      maxBytes: value.blockMaxBytes,
    });
  }
  const copy = new PackedList();
  for (const element of value) copy.pushTail(element);
  return copy;
}

const INTEGER_TEXT = /^-?[1-9]\d{0,18}$|^0$/;

export type StringEncoding = 'int' | 'embstr' | 'raw';

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT: longer strings are never embedded. */
const EMBSTR_LIMIT = 44;

/**
 * The encoding Redis's tryObjectEncoding gives a string it stores (SET, GETSET, MSET, APPEND
 * to a missing key, RESTORE and loading): int for an int64 in canonical form, embstr up to 44
 * bytes, raw beyond.
 */
export function storedStringEncoding(text: string): StringEncoding {
  if (text.length <= 20 && INTEGER_TEXT.test(text)) {
    const value = BigInt(text);
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return 'int';
  }
  return text.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
}

/**
 * How a command made a string, for the ones Redis does not pass through tryObjectEncoding:
 * `raw`, an sds built or changed in place (APPEND to an existing key, SETRANGE, SETBIT,
 * BITFIELD, BITOP, the HyperLogLog commands); `created`, createStringObject's choice of
 * embstr or raw by length alone (INCRBYFLOAT), so an integer result stays a string.
 */
export type StringOrigin = 'raw' | 'created';

/**
 * The encoding a string made so has when it is not the one `storedStringEncoding` names, or
 * undefined: what the keyspace keeps beside such a value.
 */
export function unusualStringEncoding(
  text: string,
  origin: StringOrigin,
): StringEncoding | undefined {
  const stored = storedStringEncoding(text);
  const made = origin === 'raw' || text.length > EMBSTR_LIMIT ? 'raw' : 'embstr';
  return made === stored ? undefined : made;
}

/** OBJ_SHARED_INTEGERS: Redis keeps one object for each of 0..9999 and stores it by reference. */
export const SHARED_INTEGERS = 10000;

/**
 * Whether Redis holds the string as one of its shared integers (OBJECT REFCOUNT and DEBUG
 * OBJECT then show OBJ_SHARED_REFCOUNT): an int-encoded 0..9999 named from its bytes. A
 * recorded encoding (see `Database.stringEncoding`) is never a shared object: a recorded `int`
 * is an integer in an object of its own, COPY's duplicate (dupStringObject) or one stored
 * under an LRU or LFU maxmemory policy.
 */
export function isSharedInteger(
  value: RedisValue,
  stringEncoding: StringEncoding | undefined,
): boolean {
  if (typeof value !== 'string' || stringEncoding !== undefined) return false;
  if (value.length > 4 || storedStringEncoding(value) !== 'int') return false;
  const number = Number(value);
  return number >= 0 && number < SHARED_INTEGERS;
}

/**
 * OBJECT ENCODING: the encoding the value carries (hashes, sets, sorted sets), as Redis 7.0
 * holds it. A string's is `stringEncoding`, what the keyspace keeps for a string written by a
 * command that makes raw or embedded strings (`Database.stringEncoding`), else the one its
 * bytes name.
 */
export function encodingOf(
  value: RedisValue,
  _config?: { get(name: string): string },
  stringEncoding?: StringEncoding,
): string {
  if (typeof value === 'string') return stringEncoding ?? storedStringEncoding(value);
  if (value instanceof RedisHash || value instanceof RedisSet || value instanceof RedisZset) {
    return value.encoding;
  }
  if (value instanceof Stream) return 'stream';
  if (value instanceof UnreadableValue) {
    // The encoding it came in: Redis converts none of them without walking them.
    return value.type === 'list' ? 'quicklist' : value.type === 'stream' ? 'stream' : 'listpack';
  }
  return 'quicklist';
}
