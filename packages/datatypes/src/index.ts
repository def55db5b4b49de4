export { NODE_BYTES, QuickList, type BulkSink } from './list/index.js';
export {
  SortedSet,
  type AddOptions,
  type AddResult,
  type LexBound,
  type RangeLimit,
  type ScoreBound,
  type SortedSetEntry,
} from './zset/index.js';
export {
  ByteHashTable,
  PackedMap,
  PackedSet,
  PackedSortedSet,
  seededStringHash,
  stringHash,
  type Latin1Decoder,
} from './packed/index.js';
export { RadixTree, type SeekOperator } from './radix/index.js';
export {
  Consumer,
  ConsumerGroup,
  MAX_ID,
  MAX_PART,
  MIN_ID,
  Stream,
  compareIds,
  formatId,
  idKey,
  nextId,
  parseId,
  parseIdRequest,
  previousId,
  type AddError,
  type IdRequest,
  type PendingEntry,
  type StreamEntry,
  type StreamId,
  type StreamNodeLimits,
  type TrimOptions,
} from './stream/index.js';
