import { createHash } from 'node:crypto';
import { QuickList } from '@rc/datatypes/list';
import { MAX_ID, MIN_ID, Stream } from '@rc/datatypes/stream';
import { SortedSet } from '@rc/datatypes/zset';
import { formatDouble } from '@rc/resp';
import type { Database } from './keyspace.js';
import type { RedisValue } from './values.js';

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: the SHA1-based signature Redis computes of a dataset
 * (debug.c's computeDatasetDigest and xorObjectDigest), so two servers, or one server before
 * and after a restart, can be compared with one command. Unordered things (keys, set members,
 * hash fields) are combined with XOR; ordered ones (list elements, stream entries) are chained
 * so their order counts.
 */

const DIGEST_BYTES = 20;

/** What Redis prints for an empty dataset or a missing key. */
export const EMPTY_DIGEST = '0'.repeat(DIGEST_BYTES * 2);

/** Redis's OBJ_* type numbers, which are part of each value's digest. */
const OBJECT_TYPE = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;

function sha1(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

/** xorDigest: XORs SHA1(data) into the digest, so the order of such additions does not matter. */
function xorInto(digest: Buffer, data: Buffer): void {
  const hash = sha1(data);
  for (let i = 0; i < DIGEST_BYTES; i++) digest[i] ^= hash[i];
}

/** mixDigest: digest = SHA1(digest XOR SHA1(data)), so what came before changes the result. */
function mixInto(digest: Buffer, data: Buffer): void {
  xorInto(digest, data);
  sha1(digest).copy(digest);
}

function bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A 32-bit number in network byte order, as Redis hashes DB ids and type numbers. */
function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

/** The digest of one field-value pair (hash) or member-score pair (sorted set). */
function pairDigest(first: string, second: string): Buffer {
  const digest = Buffer.alloc(DIGEST_BYTES);
  mixInto(digest, bytes(first));
  mixInto(digest, bytes(second));
  return digest;
}

function typeNumber(value: RedisValue): number {
  if (typeof value === 'string') return OBJECT_TYPE.string;
  if (value instanceof Map) return OBJECT_TYPE.hash;
  if (value instanceof Set) return OBJECT_TYPE.set;
  if (value instanceof SortedSet) return OBJECT_TYPE.zset;
  if (value instanceof Stream) return OBJECT_TYPE.stream;
  return OBJECT_TYPE.list;
}

/**
 * xorObjectDigest: mixes a value (its type, its content, and whether it has a TTL) into
 * `digest`. The expire time itself is not part of it, only its presence.
 */
function mixValue(digest: Buffer, value: RedisValue, hasExpire: boolean): void {
  mixInto(digest, uint32(typeNumber(value)));
  if (typeof value === 'string') {
    mixInto(digest, bytes(value));
  } else if (value instanceof QuickList) {
    for (const element of value) mixInto(digest, bytes(element));
  } else if (value instanceof Set) {
    for (const member of value) xorInto(digest, bytes(member));
  } else if (value instanceof SortedSet) {
    // Scores as "%.17g", in either of Redis's encodings.
    for (const { member, score } of value) {
      xorInto(digest, pairDigest(member, formatDouble(score)));
    }
  } else if (value instanceof Map) {
    for (const [field, element] of value) xorInto(digest, pairDigest(field, element));
  } else {
    // Entries only, in ID order: consumer groups are not part of a stream's digest.
    for (const entry of value.range(MIN_ID, MAX_ID)) {
      const { ms, seq } = entry.id;
      mixInto(digest, bytes(`${ms}.${seq}`));
      for (const part of entry.fields) mixInto(digest, bytes(part));
    }
  }
  if (hasExpire) xorInto(digest, bytes('!!expire!!'));
}

/**
 * DEBUG DIGEST-VALUE's answer for one key of `db`: the value's digest without its name, or
 * forty zeros when there is no such key. Logically expired keys still count, as in Redis.
 */
export function valueDigest(db: Database, key: string): string {
  const value = db.data.get(key);
  if (value === undefined) return EMPTY_DIGEST;
  const digest = Buffer.alloc(DIGEST_BYTES);
  mixValue(digest, value, db.expires.has(key));
  return digest.toString('hex');
}

/**
 * DEBUG DIGEST: every non-empty database's number chained into the result, then each of its
 * key-value pairs XORed in; forty zeros for an empty dataset.
 */
export function datasetDigest(databases: readonly Database[]): string {
  const result = Buffer.alloc(DIGEST_BYTES);
  for (let index = 0; index < databases.length; index++) {
    const db = databases[index];
    if (db.data.size === 0) continue;
    mixInto(result, uint32(index));
    for (const [key, value] of db.data) {
      const digest = Buffer.alloc(DIGEST_BYTES);
      mixInto(digest, bytes(key));
      mixValue(digest, value, db.expires.has(key));
      xorInto(result, digest);
    }
  }
  return result.toString('hex');
}
