/**
 * Encodes values for RDB 10 (and 11/12, which Redis 7.2/7.4 load the same way).
 *
 * Sets, hashes and sorted sets use the plain encodings (every element a string, scores binary
 * doubles): as small as Redis's listpacks for short elements, cheap to produce, and Redis
 * converts them to listpacks on load where its size limits allow. Lists are written as Redis
 * 7.0 writes them, quicklist 2 nodes of listpacks up to 8 KiB (list-max-listpack-size -2),
 * which LZF compresses well as a block: a list of short items takes half the space or less.
 * Streams have no plain encoding and are written as listpack nodes.
 */

import * as T from './constants.js';
import { writeLength } from './length-encoding.js';
import type { OutputBuffer } from './output-buffer.js';
import { writeStream } from './stream.js';
import { writeBytes, writeString } from './string-encoding.js';
import { ListpackBuilder } from './listpack.js';
import type { RdbValue } from './types.js';

/** The type byte written for `value`. */
export function valueType(value: RdbValue, version: number): number {
  switch (value.type) {
    case 'string':
      return T.TYPE_STRING;
    case 'list':
      return T.TYPE_LIST_QUICKLIST_2;
    case 'set':
      return T.TYPE_SET;
    case 'zset':
      return T.TYPE_ZSET_2;
    case 'hash':
      return T.TYPE_HASH;
    case 'stream':
      return version >= 11 ? T.TYPE_STREAM_LISTPACKS_3 : T.TYPE_STREAM_LISTPACKS_2;
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
      const members = value.members;
      writeLength(out, members.length);
      for (let i = 0; i < members.length; i++) writeString(out, members[i], compress);
      return;
    }
    case 'zset': {
      const entries = value.entries;
      writeLength(out, entries.length);
      for (let i = 0; i < entries.length; i++) {
        writeString(out, entries[i][0], compress);
        out.doubleLE(entries[i][1]);
      }
      return;
    }
    case 'hash': {
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
  }
}
