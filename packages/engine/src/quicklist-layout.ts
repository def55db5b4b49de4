import type { PackedList } from '@rc/datatypes/packed';
import { parseInteger } from './numbers.js';

/**
 * The listpack nodes Redis would keep a list in. rc keeps a list in one packed string while
 * small, in nodes of its own byte format after (PackedList, QuickList), which hold other counts
 * than Redis's listpacks; DEBUG LISTPACK/QUICKLIST output and lazy free's effort are measured on
 * Redis's layout.
 */

/** Redis's default packed_threshold (1 GiB): longer elements get a plain node of their own. */
export const DEFAULT_PACKED_THRESHOLD = 2 ** 30;

/** lpEncodeBacklen's size: how many bytes a listpack entry of `length` bytes ends with. */
function backlenSize(length: number): number {
  if (length < 128) return 1;
  if (length < 16384) return 2;
  if (length < 2097152) return 3;
  if (length < 268435456) return 4;
  return 5;
}

/** The bytes an element takes in a listpack: integers in their smallest encoding. */
function listpackEntrySize(element: string): number {
  let encoded: number;
  const integer = element.length <= 20 ? parseInteger(element) : null;
  if (integer !== null) {
    const value = Number(integer);
    if (value >= 0 && value <= 127) encoded = 1;
    else if (value >= -4096 && value <= 4095) encoded = 2;
    else if (value >= -32768 && value <= 32767) encoded = 3;
    else if (value >= -8388608 && value <= 8388607) encoded = 4;
    else if (value >= -2147483648 && value <= 2147483647) encoded = 5;
    else encoded = 9;
  } else if (element.length < 64) encoded = 1 + element.length;
  else if (element.length < 4096) encoded = 2 + element.length;
  else encoded = 5 + element.length;
  return encoded + backlenSize(encoded);
}

/** A listpack's header (total bytes, element count) and its end byte. */
const LISTPACK_EMPTY_SIZE = 7;
/** quicklist.c's limits for a negative list-max-listpack-size (-1 to -5). */
const NODE_SIZE_LIMITS = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;

export interface QuicklistNode {
  count: number;
  bytes: number;
  plain: boolean;
}

/**
 * The quicklist Redis builds when the list's elements are pushed at the tail one by one
 * (_quicklistNodeAllowInsert), whatever nodes rc's own list has.
 */
export function quicklistNodes(
  list: PackedList,
  fill: number,
  packedThreshold: number,
): QuicklistNode[] {
  const nodes: QuicklistNode[] = [];
  for (const element of list) {
    if (element.length >= packedThreshold) {
      nodes.push({ count: 1, bytes: element.length, plain: true });
      continue;
    }
    const tail = nodes.at(-1);
    if (tail !== undefined && !tail.plain) {
      const estimate = tail.bytes + element.length + SIZE_ESTIMATE_OVERHEAD;
      const sizeLimit = fill < 0 ? NODE_SIZE_LIMITS[-fill - 1] : undefined;
      const fits =
        sizeLimit !== undefined
          ? estimate <= sizeLimit
          : estimate <= SIZE_SAFETY_LIMIT && tail.count < fill;
      if (fits) {
        tail.count++;
        tail.bytes += listpackEntrySize(element);
        continue;
      }
    }
    nodes.push({ count: 1, bytes: LISTPACK_EMPTY_SIZE + listpackEntrySize(element), plain: false });
  }
  return nodes;
}
