export { NODE_BYTES, QuickList, type BulkSink } from './quicklist.js';
