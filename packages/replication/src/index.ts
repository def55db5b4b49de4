export { ReplicaCursor, ReplicationBuffer } from './replication-buffer.js';
export {
  ConnectedReplica,
  randomHexId,
  replicaOutputLimit,
  type OutputLimit,
  type ReplicaAnnouncement,
  type ReplicaState,
} from './connected-replica.js';
export { sendSnapshot, type TransferOutcome } from './full-sync.js';
export {
  MasterLink,
  type LinkOwner,
  type LinkState,
  type MasterConnection,
} from './master-link.js';
export {
  Replication,
  type FailoverState,
  type ReplicationLogLevel,
  type ReplicationOptions,
  type TransferChild,
} from './replication.js';
export { EOF_MARK_LENGTH, ReplyLineReader, SyncPayloadReader } from './sync-payload.js';
