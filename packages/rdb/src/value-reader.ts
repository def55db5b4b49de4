/**
 * Decodes one value of any RDB type, from Redis 2.x's zipmaps to Redis 7.4's hashes with field
 * TTLs, into the format-neutral RdbValue. Returns null for an empty collection: Redis skips
 * those when loading (they could be written by old versions with a bug, see redis#8453).
 */

import * as T from './constants.js';
import { parseDoubleText, readTextDouble } from './double.js';
import { corrupt, RdbError, RdbErrors, RedisReports, reportedAs } from './errors.js';
import type { InputCursor } from './input-cursor.js';
import { decodeIntset, narrowestIntsetWidth } from './intset.js';
import { decodeLatin1 } from './latin1.js';
import { readLength, readLengthBig } from './length-encoding.js';
import { decodeListpack, listpackHeaderValid, type ListpackValue } from './listpack.js';
import { INVALID_ELEMENT, readStream } from './stream.js';
import { readBlob, readString } from './string-encoding.js';
import type { RdbFault, RdbUnreadable, RdbValue } from './types.js';
import { decodeZiplist } from './ziplist.js';
import { decodeZipmap } from './zipmap.js';

/** Characters of module type names, 6 bits each (module.c). */
const MODULE_NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-char module type name encoded in the top 54 bits of a module id. */
export function moduleTypeName(id: bigint): string {
  let name = '';
  let rest = id >> 10n;
  for (let i = 0; i < 9; i++) {
    name = MODULE_NAME_CHARS[Number(rest & 63n)] + name;
    rest >>= 6n;
  }
  return name;
}

function toScore(input: InputCursor, value: ListpackValue, at: number): number {
  const score = typeof value === 'string' ? parseDoubleText(value) : Number(value);
  if (score !== score) input.fail(RdbErrors.badEncoding('sorted set score (NaN)'), at);
  return score;
}

function pairs(input: InputCursor, values: string[], at: number): Array<[string, string]> {
  if (values.length % 2 !== 0) input.fail(RdbErrors.badEncoding('odd number of hash elements'), at);
  const entries = new Array<[string, string]>(values.length / 2);
  for (let i = 0; i < entries.length; i++) entries[i] = [values[2 * i], values[2 * i + 1]];
  return entries;
}

function scoredPairs(
  input: InputCursor,
  values: ListpackValue[],
  at: number,
): Array<[string, number]> {
  if (values.length % 2 !== 0)
    input.fail(RdbErrors.badEncoding('odd number of sorted set elements'), at);
  const entries = new Array<[string, number]>(values.length / 2);
  for (let i = 0; i < entries.length; i++) {
    const member = values[2 * i];
    entries[i] = [
      typeof member === 'string' ? member : String(member),
      toScore(input, values[2 * i + 1], at),
    ];
  }
  return entries;
}

/** Fails with `report` when a collection names the same member twice. */
function checkUnique(names: Iterable<string>, count: number, report: string): void {
  if (new Set(names).size !== count) corrupt(report);
}

/** Pairs of a ziplist (hash or zset): Redis checks their count and duplicates as it converts. */
function checkUniqueFirsts<T>(entries: ReadonlyArray<readonly [string, T]>, what: string): void {
  checkUnique(
    entries.map(([first]) => first),
    entries.length,
    RedisReports.integrity(what),
  );
}

function readHashWithFieldTtls(input: InputCursor, type: number): RdbValue | null {
  // RDB_TYPE_HASH_METADATA stores TTLs relative to the smallest one (+1, 0 meaning none);
  // the pre-GA type stores them absolute.
  const minExpire = type === T.TYPE_HASH_METADATA ? input.int64LE() : 0;
  const count = readLength(input);
  const entries = new Array<[string, string]>(count);
  const fieldExpireAt: Array<[string, number]> = [];
  for (let i = 0; i < count; i++) {
    const ttl = readLength(input);
    const field = readString(input);
    entries[i] = [field, readString(input)];
    if (ttl !== 0)
      fieldExpireAt.push([field, type === T.TYPE_HASH_METADATA ? ttl + minExpire - 1 : ttl]);
  }
  if (count === 0) return null;
  return { type: 'hash', entries, fieldExpireAt };
}

function readListpackHashWithFieldTtls(input: InputCursor, type: number): RdbValue | null {
  if (type === T.TYPE_HASH_LISTPACK_EX) input.int64LE(); // smallest TTL, informational
  const at = input.position;
  const values = decodeListpack(readBlob(input), false, input.base + at);
  if (values.length % 3 !== 0) input.fail(RdbErrors.badEncoding('hash listpack with TTLs'), at);
  const entries = new Array<[string, string]>(values.length / 3);
  const fieldExpireAt: Array<[string, number]> = [];
  for (let i = 0; i < entries.length; i++) {
    const field = String(values[3 * i]);
    entries[i] = [field, String(values[3 * i + 1])];
    const ttl = Number(values[3 * i + 2]);
    if (ttl !== 0) fieldExpireAt.push([field, ttl]);
  }
  if (entries.length === 0) return null;
  return { type: 'hash', entries, fieldExpireAt };
}

/**
 * Under shallow checks: the value from `start` (after its type byte) to where the reader is,
 * kept as read, with the fault Redis would meet walking it.
 */
function unreadable(
  input: InputCursor,
  start: number,
  rdbType: number,
  of: RdbUnreadable['of'],
  length: number,
  fault: RdbFault,
): RdbUnreadable {
  const encoded = Buffer.from(input.buffer.subarray(start, input.position));
  return { type: 'unreadable', of, rdbType, encoded, length, fault };
}

/** Converting a listpack hash with a field twice (hashTypeConvertListpack), Redis panics. */
function duplicateFieldsFault(blob: Buffer): RdbFault {
  return {
    kind: 'panic',
    message: 'Listpack corruption detected',
    dump: { title: 'listpack with dup elements dump', bytes: Buffer.from(blob) },
  };
}

/** Converting a listpack sorted set with a member twice (zsetConvert), Redis's assert fails. */
const DUPLICATE_MEMBER: RdbFault = { kind: 'assertion', message: 'a sorted set member is unique' };

/**
 * A listpack hash or sorted set under shallow checks: Redis checks its header only (a bad one
 * is refused) and keeps the rest unread, so elements that do not decode, or a field twice,
 * make an unreadable value. Null for an empty one, which Redis skips.
 */
function readPairsListpackUnchecked(
  input: InputCursor,
  rdbType: number,
  start: number,
  of: 'hash' | 'zset',
): RdbValue | null {
  const at = input.position;
  const blob = readBlob(input);
  const what = of === 'hash' ? 'Hash listpack' : 'Zset listpack';
  if (!listpackHeaderValid(blob)) corrupt(RedisReports.integrity(what), input.base + at);
  const counted = blob.readUInt16LE(4);
  const fault = (length: number, reason: RdbFault): RdbUnreadable =>
    unreadable(input, start, rdbType, of, Math.floor(length / 2), reason);
  let values: ListpackValue[];
  try {
    values = decodeListpack(blob, of === 'hash', input.base + at);
  } catch (error) {
    if (!(error instanceof RdbError)) throw error;
    return counted === 0 ? null : fault(counted, INVALID_ELEMENT);
  }
  if (values.length === 0) return null;
  if (values.length % 2 !== 0) return fault(values.length, INVALID_ELEMENT);
  let entries: Array<[string, string]> | Array<[string, number]>;
  try {
    entries = of === 'hash' ? pairs(input, values as string[], at) : scoredPairs(input, values, at);
  } catch (error) {
    if (!(error instanceof RdbError)) throw error;
    return fault(values.length, INVALID_ELEMENT);
  }
  if (new Set(entries.map(([first]) => first)).size !== entries.length) {
    return fault(values.length, of === 'hash' ? duplicateFieldsFault(blob) : DUPLICATE_MEMBER);
  }
  return of === 'hash'
    ? { type: 'hash', entries: entries as Array<[string, string]>, compact: true }
    : { type: 'zset', entries: entries as Array<[string, number]>, compact: true };
}

/**
 * One value of RDB type `type`. With `shallow` (Redis's sanitize-dump-payload no), the
 * listpacks of hashes, sorted sets, lists and streams get Redis's header checks only and one
 * that does not decode makes an RdbUnreadable instead of an error; everything else, and the
 * ziplists Redis converts as it loads them, is checked in full either way.
 */
export function readValue(input: InputCursor, type: number, shallow = false): RdbValue | null {
  const start = input.position;
  if (shallow && (type === T.TYPE_HASH_LISTPACK || type === T.TYPE_ZSET_LISTPACK)) {
    return readPairsListpackUnchecked(
      input,
      type,
      start,
      type === T.TYPE_HASH_LISTPACK ? 'hash' : 'zset',
    );
  }
  switch (type) {
    case T.TYPE_STRING:
      return { type: 'string', value: readString(input) };
    case T.TYPE_LIST: {
      const count = readLength(input);
      const items = new Array<string>(count);
      for (let i = 0; i < count; i++) items[i] = readString(input);
      return count === 0 ? null : { type: 'list', items };
    }
    case T.TYPE_SET: {
      const count = readLength(input);
      const members = new Array<string>(count);
      for (let i = 0; i < count; i++) members[i] = readString(input);
      checkUnique(members, count, RedisReports.duplicateSetMembers);
      return count === 0 ? null : { type: 'set', members };
    }
    case T.TYPE_ZSET:
    case T.TYPE_ZSET_2: {
      // Redis writes a skiplist from its greatest entry down: read back, they are ascending.
      const count = readLength(input);
      const entries = new Array<[string, number]>(count);
      for (let i = count - 1; i >= 0; i--) {
        const member = readString(input);
        const at = input.position;
        const score = type === T.TYPE_ZSET_2 ? input.doubleLE() : readTextDouble(input);
        if (score !== score) input.fail(RdbErrors.badEncoding('sorted set score (NaN)'), at);
        entries[i] = [member, score];
      }
      checkUnique(
        entries.map(([member]) => member),
        count,
        RedisReports.duplicateZsetFields,
      );
      return count === 0 ? null : { type: 'zset', entries };
    }
    case T.TYPE_HASH: {
      const count = readLength(input);
      const entries = new Array<[string, string]>(count);
      for (let i = 0; i < count; i++) {
        const field = readString(input);
        entries[i] = [field, readString(input)];
      }
      checkUnique(
        entries.map(([field]) => field),
        count,
        RedisReports.duplicateHashFields,
      );
      return count === 0 ? null : { type: 'hash', entries };
    }
    case T.TYPE_HASH_ZIPMAP: {
      const at = input.position;
      const blob = readBlob(input);
      const entries = reportedAs(RedisReports.integrity('Zipmap'), () => {
        const decoded = decodeZipmap(blob, input.base + at);
        // zipmapValidateIntegrity refuses an empty zipmap.
        if (decoded.length === 0) corrupt(RedisReports.integrity('Zipmap'));
        return decoded;
      });
      checkUnique(
        entries.map(([field]) => field),
        entries.length,
        `Hash zipmap with dup elements, or big length (${entries.length})`,
      );
      return { type: 'hash', entries };
    }
    case T.TYPE_LIST_ZIPLIST: {
      const at = input.position;
      const blob = readBlob(input);
      const items = reportedAs(RedisReports.integrity('List ziplist'), () =>
        decodeZiplist(blob, true, input.base + at),
      );
      return items.length === 0 ? null : { type: 'list', items };
    }
    case T.TYPE_SET_INTSET: {
      const at = input.position;
      const blob = readBlob(input);
      const members = reportedAs(RedisReports.integrity('Intset'), () =>
        decodeIntset(blob, input.base + at),
      );
      if (members.length === 0) return null;
      // decodeIntset checked the header: its first 4 bytes are the width, little-endian.
      const width = blob[0];
      return width > narrowestIntsetWidth(members)
        ? { type: 'set', members, compact: true, intsetWidth: width }
        : { type: 'set', members, compact: true };
    }
    case T.TYPE_SET_LISTPACK: {
      const at = input.position;
      const members = decodeListpack(readBlob(input), true, input.base + at);
      return members.length === 0 ? null : { type: 'set', members };
    }
    case T.TYPE_ZSET_ZIPLIST:
    case T.TYPE_ZSET_LISTPACK: {
      const at = input.position;
      const blob = readBlob(input);
      const what = type === T.TYPE_ZSET_ZIPLIST ? 'Zset ziplist' : 'Zset listpack';
      const entries = reportedAs(RedisReports.integrity(what), () => {
        const values =
          type === T.TYPE_ZSET_ZIPLIST
            ? decodeZiplist(blob, false, input.base + at)
            : decodeListpack(blob, false, input.base + at);
        const pairs = scoredPairs(input, values, at);
        checkUniqueFirsts(pairs, what);
        return pairs;
      });
      return entries.length === 0 ? null : { type: 'zset', entries, compact: true };
    }
    case T.TYPE_HASH_ZIPLIST:
    case T.TYPE_HASH_LISTPACK: {
      const at = input.position;
      const blob = readBlob(input);
      const what = type === T.TYPE_HASH_ZIPLIST ? 'Hash ziplist' : 'Hash listpack';
      const entries = reportedAs(RedisReports.integrity(what), () => {
        const values =
          type === T.TYPE_HASH_ZIPLIST
            ? decodeZiplist(blob, true, input.base + at)
            : decodeListpack(blob, true, input.base + at);
        const fields = pairs(input, values, at);
        checkUniqueFirsts(fields, what);
        return fields;
      });
      return entries.length === 0 ? null : { type: 'hash', entries, compact: true };
    }
    case T.TYPE_LIST_QUICKLIST:
    case T.TYPE_LIST_QUICKLIST_2: {
      const nodes = readLength(input);
      let items: string[] = [];
      // Under shallow checks: the elements the headers of the nodes that did not decode count.
      let unread = 0;
      for (let n = 0; n < nodes; n++) {
        let container = T.QUICKLIST_NODE_PACKED;
        if (type === T.TYPE_LIST_QUICKLIST_2) {
          const at = input.position;
          container = readLength(input);
          if (container !== T.QUICKLIST_NODE_PACKED && container !== T.QUICKLIST_NODE_PLAIN) {
            corrupt(RedisReports.integrity('Quicklist'), input.base + at);
          }
        }
        const at = input.position;
        // A node of no bytes cannot be (rdbLoadObject refuses it).
        const blob = readBlob(input);
        if (blob.length === 0) input.fail(RdbErrors.badEncoding('empty quicklist node'), at);
        if (container === T.QUICKLIST_NODE_PLAIN) {
          items.push(decodeLatin1(blob, 0, blob.length));
          continue;
        }
        if (shallow && type === T.TYPE_LIST_QUICKLIST_2) {
          if (!listpackHeaderValid(blob)) {
            corrupt(RedisReports.integrity('Listpack'), input.base + at);
          }
          try {
            const nodeItems = decodeListpack(blob, true, input.base + at);
            for (const item of nodeItems) items.push(item);
          } catch (error) {
            if (!(error instanceof RdbError)) throw error;
            unread += blob.readUInt16LE(4);
          }
          continue;
        }
        const nodeItems =
          type === T.TYPE_LIST_QUICKLIST
            ? reportedAs(RedisReports.integrity('Ziplist'), () =>
                decodeZiplist(blob, true, input.base + at),
              )
            : reportedAs(RedisReports.integrity('Listpack'), () =>
                decodeListpack(blob, true, input.base + at),
              );
        if (items.length === 0) items = nodeItems;
        else for (const item of nodeItems) items.push(item);
      }
      if (unread > 0) return unreadable(input, start, type, 'list', 0, INVALID_ELEMENT);
      return items.length === 0 ? null : { type: 'list', items };
    }
    case T.TYPE_STREAM_LISTPACKS:
    case T.TYPE_STREAM_LISTPACKS_2:
    case T.TYPE_STREAM_LISTPACKS_3: {
      const { stream, fault } = readStream(input, type, shallow);
      if (fault !== null) return unreadable(input, start, type, 'stream', 0, fault);
      return { type: 'stream', stream };
    }
    case T.TYPE_HASH_METADATA_PRE_GA:
    case T.TYPE_HASH_METADATA:
      return readHashWithFieldTtls(input, type);
    case T.TYPE_HASH_LISTPACK_EX_PRE_GA:
    case T.TYPE_HASH_LISTPACK_EX:
      return readListpackHashWithFieldTtls(input, type);
    case T.TYPE_MODULE_PRE_GA:
      return input.fail(RdbErrors.preGaModule);
    case T.TYPE_MODULE_2: {
      const at = input.position;
      const id = readLengthBig(input);
      return input.fail(RdbErrors.unsupportedModule(moduleTypeName(id), id), at);
    }
    default:
      return input.fail(RdbErrors.unknownType(type));
  }
}
