/**
 * Encodes values for RDB 10 (and 11/12, which Redis 7.2/7.4 load the same way). Collections use
 * the plain encodings (every element a string, scores binary doubles): compact for small
 * elements, cheap to produce, and Redis converts them to listpacks on load where its size
 * limits allow. Streams have no plain encoding and are written as listpack nodes.
 */

import * as T from './constants.js';
import { writeLength } from './length-encoding.js';
import type { OutputBuffer } from './output-buffer.js';
import { writeStream } from './stream.js';
import { writeString } from './string-encoding.js';
import type { RdbValue } from './types.js';

/** The type byte written for `value`. */
export function valueType(value: RdbValue, version: number): number {
  switch (value.type) {
    case 'string':
      return T.TYPE_STRING;
    case 'list':
      return T.TYPE_LIST;
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
    case 'list': {
      const items = value.items;
      writeLength(out, items.length);
      for (let i = 0; i < items.length; i++) writeString(out, items[i], compress);
      return;
    }
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
