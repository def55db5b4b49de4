/**
 * Walks over one value without decoding it: only lengths are read, string bytes are jumped
 * over. The streaming reader uses it before decoding a record again that was incomplete
 * before, so waiting for a large value creates no garbage (decoding a partial 100 MB hash
 * would allocate millions of strings only to throw them away).
 */

import * as T from './constants.js';
import type { InputCursor } from './input-cursor.js';
import { readLength } from './length-encoding.js';

export function skipString(input: InputCursor): void {
  const first = input.uint8();
  if (first < 0x40) {
    input.take(first);
  } else if (first < 0x80) {
    input.take(((first & 0x3f) << 8) | input.uint8());
  } else if (first < 0xc0) {
    input.position--;
    input.take(readLength(input));
  } else {
    switch (first & 0x3f) {
      case T.ENCODING_INT8:
        input.take(1);
        return;
      case T.ENCODING_INT16:
        input.take(2);
        return;
      case T.ENCODING_INT32:
        input.take(4);
        return;
      default: {
        const compressedLength = readLength(input);
        readLength(input);
        input.take(compressedLength);
      }
    }
  }
}

function skipStrings(input: InputCursor, count: number): void {
  for (let i = 0; i < count; i++) skipString(input);
}

/**
 * Skips a value of `type`. Returns false for types it cannot walk (modules, unknown types):
 * the caller then decodes, which reports them.
 */
export function skipValue(input: InputCursor, type: number): boolean {
  switch (type) {
    case T.TYPE_STRING:
    case T.TYPE_HASH_ZIPMAP:
    case T.TYPE_LIST_ZIPLIST:
    case T.TYPE_SET_INTSET:
    case T.TYPE_SET_LISTPACK:
    case T.TYPE_ZSET_ZIPLIST:
    case T.TYPE_ZSET_LISTPACK:
    case T.TYPE_HASH_ZIPLIST:
    case T.TYPE_HASH_LISTPACK:
    case T.TYPE_HASH_LISTPACK_EX_PRE_GA:
      skipString(input);
      return true;
    case T.TYPE_HASH_LISTPACK_EX:
      input.take(8);
      skipString(input);
      return true;
    case T.TYPE_LIST:
    case T.TYPE_SET:
      skipStrings(input, readLength(input));
      return true;
    case T.TYPE_HASH:
      skipStrings(input, readLength(input) * 2);
      return true;
    case T.TYPE_ZSET:
    case T.TYPE_ZSET_2: {
      const count = readLength(input);
      for (let i = 0; i < count; i++) {
        skipString(input);
        if (type === T.TYPE_ZSET_2) {
          input.take(8);
        } else {
          const length = input.uint8();
          if (length < 253) input.take(length);
        }
      }
      return true;
    }
    case T.TYPE_LIST_QUICKLIST:
    case T.TYPE_LIST_QUICKLIST_2: {
      const nodes = readLength(input);
      for (let i = 0; i < nodes; i++) {
        if (type === T.TYPE_LIST_QUICKLIST_2) readLength(input);
        skipString(input);
      }
      return true;
    }
    case T.TYPE_HASH_METADATA_PRE_GA:
    case T.TYPE_HASH_METADATA: {
      if (type === T.TYPE_HASH_METADATA) input.take(8);
      const count = readLength(input);
      for (let i = 0; i < count; i++) {
        readLength(input);
        skipString(input);
        skipString(input);
      }
      return true;
    }
    case T.TYPE_STREAM_LISTPACKS:
    case T.TYPE_STREAM_LISTPACKS_2:
    case T.TYPE_STREAM_LISTPACKS_3:
      skipStream(input, type);
      return true;
    default:
      return false;
  }
}

function skipLengths(input: InputCursor, count: number): void {
  for (let i = 0; i < count; i++) readLength(input);
}

function skipStream(input: InputCursor, type: number): void {
  skipStrings(input, readLength(input) * 2);
  skipLengths(input, type >= T.TYPE_STREAM_LISTPACKS_2 ? 8 : 3);
  const groups = readLength(input);
  for (let g = 0; g < groups; g++) {
    skipString(input);
    skipLengths(input, type >= T.TYPE_STREAM_LISTPACKS_2 ? 3 : 2);
    const pending = readLength(input);
    for (let p = 0; p < pending; p++) {
      input.take(16 + 8);
      readLength(input);
    }
    const consumers = readLength(input);
    for (let c = 0; c < consumers; c++) {
      skipString(input);
      input.take(type >= T.TYPE_STREAM_LISTPACKS_3 ? 16 : 8);
      input.take(16 * readLength(input));
    }
  }
}
