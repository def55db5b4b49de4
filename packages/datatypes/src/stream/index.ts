export {
  Stream,
  type AddError,
  type IdRequest,
  type StreamEntry,
  type TrimOptions,
} from './stream.js';
export {
  MAX_ID,
  MAX_PART,
  MIN_ID,
  compareIds,
  formatId,
  idKey,
  nextId,
  parseId,
  previousId,
  type StreamId,
} from './stream-id.js';
export { Consumer, ConsumerGroup, type PendingEntry } from './consumer-groups.js';
