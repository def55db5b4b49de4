export { QuickList } from './list/index.js';
export {
  SortedSet,
  type AddOptions,
  type AddResult,
  type LexBound,
  type RangeLimit,
  type ScoreBound,
  type SortedSetEntry,
} from './zset/index.js';
export { RadixTree } from './radix/index.js';
export {
  MAX_ID,
  MIN_ID,
  Stream,
  compareIds,
  formatId,
  parseId,
  type StreamEntry,
  type StreamId,
} from './stream/index.js';
