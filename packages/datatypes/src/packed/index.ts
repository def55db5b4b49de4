export { PackedList, PACKED_CHARS, PACKED_ENTRIES } from './packed-list.js';
export { PackedMap } from './packed-map.js';
export {
  ByteHashTable,
  seededStringHash,
  stringHash,
  type Latin1Decoder,
} from './byte-hash-table.js';
export { PackedSet } from './packed-set.js';
export { PackedSortedSet } from './packed-sorted-set.js';
