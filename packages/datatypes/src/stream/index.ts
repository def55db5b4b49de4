export {
  Stream,
  type AddError,
  type StreamEntry,
  type StreamNodeLimits,
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
  parseIdRequest,
  previousId,
  type IdRequest,
  type StreamId,
} from './stream-id.js';
export { Consumer, ConsumerGroup, type PendingEntry } from './consumer-groups.js';
