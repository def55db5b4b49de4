import { PackedList } from '@rc/datatypes/packed';
import { MAX_ID, MIN_ID, Stream } from '@rc/datatypes/stream';
import { formatDouble } from '@rc/resp';
import type { Database } from './keyspace.js';
import { RedisHash, RedisSet, RedisZset, UnreadableValue, type RedisValue } from './values.js';
import { SHA1_WORDS, sha1Hex, sha1Latin1, sha1Words, type Sha1Words } from './sha1.js';

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: the SHA1-based signature Redis computes of a dataset
 * (debug.c's computeDatasetDigest and xorObjectDigest), so two servers, or one server before
 * and after a restart, can be compared with one command. Unordered things (keys, set members,
 * hash fields) are combined with XOR; ordered ones (list elements, stream entries) are chained
 * so their order counts.
 */

/** What Redis prints for an empty dataset or a missing key. */
export const EMPTY_DIGEST = '0'.repeat(SHA1_WORDS * 8);

/** Redis's OBJ_* type numbers, which are part of each value's digest. */
const OBJECT_TYPE = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;

/** A fresh all-zero digest. */
function newDigest(): Sha1Words {
  return new Int32Array(SHA1_WORDS);
}

/** Scratch for the SHA1 of what is XORed in. */
const hashed = newDigest();

function xorHashed(digest: Sha1Words): void {
  for (let i = 0; i < SHA1_WORDS; i++) digest[i] ^= hashed[i];
}

/**
 * xorDigest: XORs SHA1(data) into the digest, so the order of such additions does not matter.
 * Data is a binary string (one byte per character) or another digest's bytes.
 */
function xorInto(digest: Sha1Words, data: string | Sha1Words): void {
  if (typeof data === 'string') sha1Latin1(data, hashed);
  else sha1Words(data, hashed);
  xorHashed(digest);
}

/** mixDigest: digest = SHA1(digest XOR SHA1(data)), so what came before changes the result. */
function mixInto(digest: Sha1Words, data: string): void {
  xorInto(digest, data);
  sha1Words(digest, digest);
}

/** A 32-bit number in network byte order, as Redis hashes DB ids and type numbers. */
function uint32(value: number): string {
  return String.fromCharCode(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

/** The digest of one field-value pair (hash) or member-score pair (sorted set). */
function pairDigest(first: string, second: string): Sha1Words {
  const digest = newDigest();
  mixInto(digest, first);
  mixInto(digest, second);
  return digest;
}

function typeNumber(value: RedisValue): number {
  if (typeof value === 'string') return OBJECT_TYPE.string;
  if (value instanceof UnreadableValue) return OBJECT_TYPE[value.type];
  if (value instanceof RedisHash) return OBJECT_TYPE.hash;
  if (value instanceof RedisSet) return OBJECT_TYPE.set;
  if (value instanceof RedisZset) return OBJECT_TYPE.zset;
  if (value instanceof Stream) return OBJECT_TYPE.stream;
  return OBJECT_TYPE.list;
}

/**
 * xorObjectDigest: mixes a value (its type, its content, and whether it has a TTL) into
 * `digest`. The expire time itself is not part of it, only its presence.
 */
function mixValue(digest: Sha1Words, value: RedisValue, hasExpire: boolean): void {
  mixInto(digest, uint32(typeNumber(value)));
  if (typeof value === 'string') {
    mixInto(digest, value);
  } else if (value instanceof PackedList) {
    for (const element of value) mixInto(digest, element);
  } else if (value instanceof RedisSet) {
    for (const member of value) xorInto(digest, member);
  } else if (value instanceof RedisZset) {
    // Scores as "%.17g", in either of Redis's encodings.
    for (const { member, score } of value) {
      xorInto(digest, pairDigest(member, formatDouble(score)));
    }
  } else if (value instanceof RedisHash) {
    for (const [field, element] of value) xorInto(digest, pairDigest(field, element));
  } else if (value instanceof UnreadableValue) {
    // Redis's walk would fail on it; its encoding as it came stands for its content.
    mixInto(digest, value.source.encoded.toString('latin1'));
  } else {
    // Entries only, in ID order: consumer groups are not part of a stream's digest.
    for (const entry of value.range(MIN_ID, MAX_ID)) {
      const { ms, seq } = entry.id;
      mixInto(digest, `${ms}.${seq}`);
      for (const part of entry.fields) mixInto(digest, part);
    }
  }
  if (hasExpire) xorInto(digest, '!!expire!!');
}

/**
 * DEBUG DIGEST-VALUE's answer for one key of `db`: the value's digest without its name, or
 * forty zeros when there is no such key. Logically expired keys still count, as in Redis.
 */
export function valueDigest(db: Database, key: string): string {
  const value = db.data.get(key);
  if (value === undefined) return EMPTY_DIGEST;
  const digest = newDigest();
  mixValue(digest, value, db.expires.has(key));
  return sha1Hex(digest);
}

/**
 * DEBUG DIGEST: every non-empty database's number chained into the result, then each of its
 * key-value pairs XORed in; forty zeros for an empty dataset.
 */
export function datasetDigest(databases: readonly Database[]): string {
  const result = newDigest();
  const digest = newDigest();
  for (let index = 0; index < databases.length; index++) {
    const db = databases[index];
    if (db.data.size === 0) continue;
    mixInto(result, uint32(index));
    for (const [key, value] of db.data) {
      digest.fill(0);
      mixInto(digest, key);
      mixValue(digest, value, db.expires.has(key));
      xorInto(result, digest);
    }
  }
  return sha1Hex(result);
}
