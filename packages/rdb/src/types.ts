/**
 * The values the reader produces and the writer accepts. Every byte string (keys, values,
 * members, fields, stream fields and values, group and consumer names) is a latin1 JavaScript
 * string: one char per byte, lossless for any bytes (`Buffer.from(s, 'latin1')` gives the bytes
 * back).
 */

/** A stream entry ID, the same shape as @rc/datatypes'. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export type RdbValue =
  | { type: 'string'; value: string }
  | { type: 'list'; items: string[] }
  | {
      type: 'set';
      members: string[];
      /**
       * Written as an intset (every member an int64), as Redis writes a small set of integers;
       * read: the value was stored as one.
       */
      compact?: boolean;
      /**
       * The intset's width in bytes (2, 4 or 8), when wider than its members need (an intset
       * never narrows: removing its widest members leaves the width); read: the width stored.
       */
      intsetWidth?: number;
    }
  | {
      type: 'hash';
      entries: Array<[field: string, value: string]>;
      /** Written as a listpack, as Redis writes a compact hash; read: stored as a listpack or ziplist. */
      compact?: boolean;
      /**
       * Only for hashes read from Redis 7.4 types with field TTLs (HEXPIRE): the fields that
       * have one and their absolute expire time in ms. The writer ignores it (RDB 10 has no
       * field TTLs).
       */
      fieldExpireAt?: Array<[field: string, expireAt: number]>;
    }
  | {
      type: 'zset';
      entries: Array<[member: string, score: number]>;
      /** Written as a listpack, as Redis writes a compact sorted set; read: stored as one (or a ziplist). */
      compact?: boolean;
    }
  | { type: 'stream'; stream: RdbStream }
  | RdbUnreadable;

/**
 * What Redis runs into when it walks a value it loaded without looking inside: an assertion
 * that fails (its condition), or a panic (its message, after an optional hex dump it logs).
 */
export interface RdbFault {
  kind: 'assertion' | 'panic';
  message: string;
  /** serverLogHexDump before the panic: what it calls the bytes, and the bytes. */
  dump?: { title: string; bytes: Buffer };
}

/**
 * A value read under shallow checks (Redis's sanitize-dump-payload no) whose compact encoding
 * passed Redis's header checks but does not decode: Redis stores such a value as it is and
 * fails on it when a command walks it; rc keeps its encoding to write back as it came.
 */
export interface RdbUnreadable {
  type: 'unreadable';
  of: 'list' | 'hash' | 'zset' | 'stream';
  /** The type byte and the encoding that follows it, as read. */
  rdbType: number;
  encoded: Buffer;
  /** Elements (hash fields, zset members) the listpack header counts: Redis's conversion test. */
  length: number;
  fault: RdbFault;
}

export interface RdbStream {
  /** Fields flat: [f1, v1, f2, v2, ...]; ascending ids; deleted entries omitted. */
  entries: Array<{ id: StreamId; fields: string[] }>;
  length: number;
  lastId: StreamId;
  /** 0-0 when empty (derived from the entries for files older than RDB 10). */
  firstId: StreamId;
  maxDeletedId: StreamId;
  entriesAdded: bigint;
  groups: RdbStreamGroup[];
}

export interface RdbStreamGroup {
  name: string;
  lastId: StreamId;
  /** null = unknown (Redis's -1, SCG_INVALID_ENTRIES_READ). */
  entriesRead: bigint | null;
  pending: Array<{ id: StreamId; deliveryTime: number; deliveryCount: number; consumer: string }>;
  /** activeTime equals seenTime for files older than RDB 11. */
  consumers: Array<{ name: string; seenTime: number; activeTime: number }>;
}

export interface RdbKey {
  db: number;
  key: string;
  value: RdbValue;
  /** Absolute unix time in ms, or null for no expiry. */
  expireAt: number | null;
}

/**
 * A string key whose value comes as its bytes, bytes[start, end): a view into the input pushed
 * to the reader, not a copy, or into a block the reader decompressed it to (see
 * RdbReaderOptions.stringBytesUpTo).
 */
export interface RdbStringBytesKey {
  kind: 'string-bytes';
  db: number;
  key: string;
  bytes: Buffer;
  start: number;
  end: number;
  expireAt: number | null;
}

export type RdbRecord =
  | { kind: 'aux'; name: string; value: string }
  | { kind: 'db'; db: number }
  | { kind: 'resize'; size: number; expiresSize: number }
  | { kind: 'key'; db: number; key: string; value: RdbValue; expireAt: number | null }
  | RdbStringBytesKey
  | { kind: 'function'; payload: string }
  | { kind: 'end'; checksum: 'verified' | 'absent' };
