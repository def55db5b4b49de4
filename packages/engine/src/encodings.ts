import type { SortedSetEntry } from '@rc/datatypes/zset';
import { RedisHash, RedisSet, RedisZset } from './values.js';

/**
 * When hashes, sets and sorted sets get their encoding, and when they convert: Redis 7.0's
 * rules (t_hash.c, t_set.c, t_zset.c, rdb.c). A write that grows a compact value checks the
 * limits as Redis checks them, at the same moment, and converts it for good; nothing shrinks a
 * value back. The limits in force when the check is made count, so CONFIG SET only affects
 * later conversions. Values built whole (STORE results, loading) get the encoding Redis ends
 * with.
 *
 * Redis also converts a listpack that would pass 1 GB (lpSafeToAdd); rc's values never get
 * there under any limits rc accepts, and that check is not made.
 */

/** What the rules need of the configuration: its values, followed as they change. */
interface ConfigReader {
  follow(name: string, apply: (value: string) => void): void;
}

/**
 * The limits Redis converts values at, kept up to date by CONFIG SET (Config.follow), so a
 * write reads numbers instead of parsing settings: one object per configuration.
 */
export interface EncodingLimits {
  hashEntries: number;
  hashValue: number;
  /** set-max-intset-entries, capped at 2^30 as Redis caps it (intset internals). */
  intsetEntries: number;
  zsetEntries: number;
  zsetValue: number;
}

const LIMITS = new WeakMap<ConfigReader, EncodingLimits>();
/** The configuration asked about last and its limits: a server has one, a write asks each time. */
let lastConfig: ConfigReader | null = null;
let lastLimits: EncodingLimits | null = null;

export function encodingLimits(config: ConfigReader): EncodingLimits {
  if (config === lastConfig) return lastLimits!;
  const known = LIMITS.get(config) ?? followedLimits(config);
  lastConfig = config;
  lastLimits = known;
  return known;
}

function followedLimits(config: ConfigReader): EncodingLimits {
  const limits: EncodingLimits = {
    hashEntries: 0,
    hashValue: 0,
    intsetEntries: 0,
    zsetEntries: 0,
    zsetValue: 0,
  };
  config.follow('hash-max-listpack-entries', (value) => (limits.hashEntries = Number(value)));
  config.follow('hash-max-listpack-value', (value) => (limits.hashValue = Number(value)));
  config.follow('set-max-intset-entries', (value) => {
    limits.intsetEntries = Math.min(Number(value), 2 ** 30);
  });
  config.follow('zset-max-listpack-entries', (value) => (limits.zsetEntries = Number(value)));
  config.follow('zset-max-listpack-value', (value) => (limits.zsetValue = Number(value)));
  LIMITS.set(config, limits);
  return limits;
}

/** A new hash (createHashObject): always a listpack, converted as it is filled. */
export function createHash(): RedisHash {
  return new RedisHash('listpack');
}

/**
 * hashTypeTryConversion: before HSET/HSETNX write anything, any field or value given
 * (`texts[from..to]`) longer than hash-max-listpack-value converts the hash, whether or not
 * its field is new.
 */
export function hashTryConversion(
  hash: RedisHash,
  limits: EncodingLimits,
  texts: readonly string[],
  from: number,
  to: number,
): void {
  if (!hash.isListpack) return;
  for (let i = from; i <= to; i++) {
    if (texts[i].length > limits.hashValue) {
      hash.convertToHashtable();
      return;
    }
  }
}

/**
 * hashTypeSet: writes a field (true when it is new). A listpack converts first when the field
 * or value is too long (HINCRBY and HINCRBYFLOAT, which skip hashTryConversion), and after
 * the write when it holds more than hash-max-listpack-entries fields.
 */
export function hashSet(
  hash: RedisHash,
  limits: EncodingLimits,
  field: string,
  value: string,
): boolean {
  if (hash.isListpack && (field.length > limits.hashValue || value.length > limits.hashValue)) {
    hash.convertToHashtable();
  }
  const size = hash.size;
  hash.set(field, value);
  if (hash.isListpack && hash.size > limits.hashEntries) hash.convertToHashtable();
  return hash.size !== size;
}

/**
 * A hash read from an RDB file or DUMP payload. One stored as a listpack stays one unless it
 * has too many fields (a long value does not convert it); one stored as a hash table is a
 * listpack again when it has few enough fields, none of them too long.
 */
export function hashFromRdb(
  entries: ReadonlyArray<readonly [string, string]>,
  listpackInFile: boolean,
  limits: EncodingLimits,
): RedisHash {
  const fits = listpackInFile
    ? entries.length <= limits.hashEntries
    : entries.length <= limits.hashEntries &&
      entries.every(
        ([field, value]) => field.length <= limits.hashValue && value.length <= limits.hashValue,
      );
  const hash = new RedisHash(fits ? 'listpack' : 'hashtable');
  for (const [field, value] of entries) hash.set(field, value);
  return hash;
}

/** Whether an intset can hold the member: an int64 in canonical form (string2ll). */
function isIntsetMember(member: string): boolean {
  return RedisSet.canPack(member);
}

/** setTypeCreate: a new set for a first member, an intset when that member is an integer. */
export function createSetFor(member: string): RedisSet {
  return new RedisSet(isIntsetMember(member) ? 'intset' : 'hashtable');
}

/**
 * setTypeAdd: adds a member (true when new). A non-integer converts an intset before it is
 * added; an intset that passes set-max-intset-entries converts after.
 */
export function setAdd(set: RedisSet, maxIntsetEntries: number, member: string): boolean {
  if (!set.isIntset) {
    const size = set.size;
    return set.add(member).size !== size;
  }
  if (!isIntsetMember(member)) set.convertToHashtable();
  const size = set.size;
  set.add(member);
  if (set.size === size) return false;
  if (set.isIntset && set.size > maxIntsetEntries) set.convertToHashtable();
  return true;
}

/**
 * A set built whole, as Redis builds SINTERSTORE/SUNIONSTORE/SDIFFSTORE results and the rest
 * of a set SPOP takes most of: an intset, then each member added.
 */
export function setFromMembers(members: Iterable<string>, maxIntsetEntries: number): RedisSet {
  const set = new RedisSet('intset');
  for (const member of members) setAdd(set, maxIntsetEntries, member);
  return set;
}

/** Integers in canonical text, ascending: the order an intset keeps its members in. */
export function intsetOrder(members: Iterable<string>): string[] {
  return [...members].sort(compareIntegerText);
}

function compareIntegerText(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (x !== y) return x < y ? -1 : 1;
  if (a === b) return 0;
  // Beyond 2^53 two integers can share a double.
  const bigA = BigInt(a);
  const bigB = BigInt(b);
  return bigA < bigB ? -1 : bigA > bigB ? 1 : 0;
}

/** Whether a set of these members would be an intset (all int64, few enough). */
export function fitsIntset(
  members: Iterable<string> & { readonly size: number },
  maxIntsetEntries: number,
): boolean {
  if (members.size > maxIntsetEntries) return false;
  for (const member of members) if (!isIntsetMember(member)) return false;
  return true;
}

/**
 * A set read from an RDB file or DUMP payload: one stored as an intset (`intsetWidthInFile`
 * bytes a member; 0 when stored otherwise) stays one, as wide, unless it has too many members;
 * one stored as a hash table is built as `setFromMembers` builds it.
 */
export function setFromRdb(
  members: readonly string[],
  intsetWidthInFile: number,
  maxIntsetEntries: number,
): RedisSet {
  if (intsetWidthInFile === 0) return setFromMembers(members, maxIntsetEntries);
  const set = new RedisSet(members.length <= maxIntsetEntries ? 'intset' : 'hashtable');
  set.widenTo(intsetWidthInFile);
  for (const member of members) set.add(member);
  return set;
}

/**
 * ZADD (and ZINCRBY, GEOADD) creating the key: a skiplist when listpacks are off
 * (zset-max-listpack-entries 0) or the first member given is too long, else a listpack.
 */
export function createZsetFor(firstMember: string, limits: EncodingLimits): RedisZset {
  const listpack = limits.zsetEntries !== 0 && firstMember.length <= limits.zsetValue;
  return new RedisZset(listpack ? 'listpack' : 'skiplist');
}

/**
 * zsetAdd's check before a member is inserted into a listpack: a member that is new (and
 * will be added: not under XX) converts the set when the set would pass
 * zset-max-listpack-entries or the member is too long.
 */
export function zsetBeforeAdd(
  zset: RedisZset,
  limits: EncodingLimits,
  member: string,
  xx: boolean,
): void {
  if (!zset.isListpack || xx) return;
  if (zset.size + 1 <= limits.zsetEntries && member.length <= limits.zsetValue) return;
  if (!zset.has(member)) zset.convertToSkiplist();
}

/**
 * A sorted set built whole: ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE, ZRANGESTORE, GEORADIUS and
 * GEOSEARCH STORE results and sorted sets loaded in skiplist form all end as a listpack when
 * they have few enough members, none too long (zsetConvertToListpackIfNeeded). A listpack
 * stores a whole score as an integer, so -0 becomes 0 there.
 */
export function zsetFromEntries(
  entries: Iterable<SortedSetEntry>,
  limits: EncodingLimits,
): RedisZset {
  const all = [...entries];
  let fits = all.length <= limits.zsetEntries;
  for (let i = 0; fits && i < all.length; i++) fits = all[i].member.length <= limits.zsetValue;
  return filledZset(all, fits);
}

/**
 * A sorted set read from an RDB file or DUMP payload. One stored as a listpack stays one
 * unless it has too many members (a long member does not convert it); one stored as a
 * skiplist is built as `zsetFromEntries` builds it.
 */
export function zsetFromRdb(
  entries: Iterable<SortedSetEntry>,
  listpackInFile: boolean,
  limits: EncodingLimits,
): RedisZset {
  if (!listpackInFile) return zsetFromEntries(entries, limits);
  const all = [...entries];
  return filledZset(all, all.length <= limits.zsetEntries);
}

function filledZset(entries: readonly SortedSetEntry[], listpack: boolean): RedisZset {
  const zset = new RedisZset(listpack ? 'listpack' : 'skiplist');
  for (const { member, score } of entries) {
    zset.add(member, listpack && Object.is(score, -0) ? 0 : score);
  }
  return zset;
}
