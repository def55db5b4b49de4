export {
  SortedSet,
  type AddOptions,
  type AddResult,
  type RangeLimit,
  type SortedSetEntry,
} from './sorted-set.js';
export type { LexBound, ScoreBound } from './bounds.js';
