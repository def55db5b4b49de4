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
