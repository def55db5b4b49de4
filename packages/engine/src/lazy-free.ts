import { PackedList } from '@rc/datatypes/packed';
import { Stream } from '@rc/datatypes/stream';
import { DEFAULT_PACKED_THRESHOLD, quicklistNodes } from './quicklist-layout.js';
import { RedisHash, RedisSet, RedisZset, type RedisValue } from './values.js';

/** Redis's LAZYFREE_THRESHOLD: a value cheaper to free than this is freed on the spot. */
const LAZYFREE_THRESHOLD = 64;

/**
 * lazyfreeGetFreeEffort: how many allocations freeing the value takes in Redis, measured on
 * the encoding Redis would hold it in (compact encodings are a single allocation).
 */
export function freeEffort(value: RedisValue, listFill: number): number {
  if (value instanceof PackedList) {
    return quicklistNodes(value, listFill, DEFAULT_PACKED_THRESHOLD).length;
  }
  if (value instanceof RedisSet) return value.isIntset ? 1 : value.size;
  if (value instanceof RedisHash) return value.isListpack ? 1 : value.size;
  if (value instanceof RedisZset) return value.isListpack ? 1 : value.size;
  if (value instanceof Stream) {
    // Every radix tree node is an allocation; so is each group with its PEL, estimated from
    // the first group's.
    const first = value.groups.values().next();
    const perGroup = first.done === true ? 0 : 1 + first.value.pending.size;
    return value.radixNodeCount + value.groups.size * perGroup;
  }
  return 1;
}

/**
 * freeObjAsync's choice: Redis hands a value this costly to free to a background thread (INFO's
 * lazyfreed_objects counts it). rc's garbage collector frees every value, so none is pending.
 */
export function freedInBackground(value: RedisValue, listFill: number): boolean {
  return freeEffort(value, listFill) > LAZYFREE_THRESHOLD;
}
