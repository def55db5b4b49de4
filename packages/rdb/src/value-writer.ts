/**
 * Encodes values for RDB 10 (and 11/12, which Redis 7.2/7.4 load the same way), as Redis 7.0
 * writes them, so that DUMP payloads are byte-identical to Redis's.
 *
 * Sets, hashes and sorted sets marked `compact` are written in the compact encodings Redis
 * keeps small ones in (intset, listpack); the others in the plain encodings (every element a
 * string, scores binary doubles). Lists are quicklist 2 nodes of listpacks up to 8 KiB
 * (list-max-listpack-size -2), which LZF compresses well as a block. Streams have no plain
 * encoding and are written as listpack nodes.
 */

import * as T from './constants.js';
import { writeLength } from './length-encoding.js';
import type { OutputBuffer } from './output-buffer.js';
import { writeStream } from './stream.js';
import { writeBytes, writeString } from './string-encoding.js';
import { ListpackBuilder } from './listpack.js';
import type { RdbValue } from './types.js';
import { formatDouble } from '@rc/resp';

/** The type byte written for `value`. */
export function valueType(value: RdbValue, version: number): number {
  switch (value.type) {
    case 'string':
      return T.TYPE_STRING;
    case 'list':
      return T.TYPE_LIST_QUICKLIST_2;
    case 'set':
      return value.compact === true ? T.TYPE_SET_INTSET : T.TYPE_SET;
    case 'zset':
      return value.compact === true ? T.TYPE_ZSET_LISTPACK : T.TYPE_ZSET_2;
    case 'hash':
      return value.compact === true ? T.TYPE_HASH_LISTPACK : T.TYPE_HASH;
    case 'stream':
      return version >= 11 ? T.TYPE_STREAM_LISTPACKS_3 : T.TYPE_STREAM_LISTPACKS_2;
    case 'unreadable':
      return value.rdbType;
  }
}

/** Redis's quicklist node size limit for list-max-listpack-size -2. */
const QUICKLIST_NODE_BYTES = 8192;
const listpack = new ListpackBuilder();

function writeQuicklist(out: OutputBuffer, items: string[], compress: boolean): void {
  const nodes: Buffer[] = [];
  listpack.reset();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // An item's entry takes at most its length + 10 bytes (5 header, 5 backlen).
    if (listpack.count > 0 && listpack.size + item.length + 10 > QUICKLIST_NODE_BYTES) {
      nodes.push(Buffer.from(listpack.finish()));
      listpack.reset();
    }
    listpack.string(item);
  }
  if (listpack.count > 0) nodes.push(Buffer.from(listpack.finish()));
  writeLength(out, nodes.length);
  for (const node of nodes) {
    writeLength(out, T.QUICKLIST_NODE_PACKED);
    writeBytes(out, node, 0, node.length, compress);
  }
}

/**
 * An intset: element width (2, 4 or 8 bytes, the narrowest that holds every member, or
 * `minimumWidth` when wider), count, then the members ascending, little-endian.
 */
function writeIntset(
  out: OutputBuffer,
  members: string[],
  compress: boolean,
  minimumWidth = 2,
): void {
  const values = members.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fits = (bits: bigint) => (v: bigint) => v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n);
  const needed = values.every(fits(16n)) ? 2 : values.every(fits(32n)) ? 4 : 8;
  const width = Math.max(needed, minimumWidth);
  const blob = Buffer.alloc(8 + width * values.length);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  for (let i = 0; i < values.length; i++) {
    const at = 8 + i * width;
    if (width === 2) blob.writeInt16LE(Number(values[i]), at);
    else if (width === 4) blob.writeInt32LE(Number(values[i]), at);
    else blob.writeBigInt64LE(values[i], at);
  }
  writeBytes(out, blob, 0, blob.length, compress);
}

/** Scores Redis keeps as listpack integers (double2ll): whole numbers within ±2^62. */
const WHOLE_SCORE_LIMIT = 2 ** 62;

/**
 * A sorted set's score in its listpack, as zzlInsertAt stores it: a whole number as an
 * integer (-0 included, as 0), anything else as d2string's text ("%.17g", inf, -inf).
 */
function appendScore(score: number): void {
  if (Number.isInteger(score) && Math.abs(score) <= WHOLE_SCORE_LIMIT) {
    listpack.integer(Number.isSafeInteger(score) ? score + 0 : BigInt(score));
  } else {
    listpack.string(formatDouble(score));
  }
}

/** A hash's fields and values, or a sorted set's members and scores, in one listpack. */
function writePairsListpack(out: OutputBuffer, value: RdbValue, compress: boolean): void {
  listpack.reset();
  if (value.type === 'hash') {
    for (const [field, element] of value.entries) {
      listpack.string(field);
      listpack.string(element);
    }
  } else if (value.type === 'zset') {
    for (const [member, score] of value.entries) {
      listpack.string(member);
      appendScore(score);
    }
  }
  const blob = listpack.finish();
  writeBytes(out, blob, 0, blob.length, compress);
}

export function writeValue(
  out: OutputBuffer,
  value: RdbValue,
  version: number,
  compress: boolean,
): void {
  switch (value.type) {
    case 'string':
      writeString(out, value.value, compress);
      return;
    case 'list':
      writeQuicklist(out, value.items, compress);
      return;
    case 'set': {
      if (value.compact === true) {
        writeIntset(out, value.members, compress, value.intsetWidth);
        return;
      }
      const members = value.members;
      writeLength(out, members.length);
      for (let i = 0; i < members.length; i++) writeString(out, members[i], compress);
      return;
    }
    case 'zset': {
      if (value.compact === true) {
        writePairsListpack(out, value, compress);
        return;
      }
      // As Redis writes a skiplist: from the greatest entry to the smallest.
      const entries = value.entries;
      writeLength(out, entries.length);
      for (let i = entries.length - 1; i >= 0; i--) {
        writeString(out, entries[i][0], compress);
        out.doubleLE(entries[i][1]);
      }
      return;
    }
    case 'hash': {
      if (value.compact === true) {
        writePairsListpack(out, value, compress);
        return;
      }
      const entries = value.entries;
      writeLength(out, entries.length);
      for (let i = 0; i < entries.length; i++) {
        writeString(out, entries[i][0], compress);
        writeString(out, entries[i][1], compress);
      }
      return;
    }
    case 'stream':
      writeStream(out, value.stream, version >= 11, compress);
      return;
    case 'unreadable':
      // As Redis writes a value it never walked: its encoding as it came.
      out.bytes(value.encoded);
      return;
  }
}
