export {
  Engine,
  EngineStats,
  type EngineCrash,
  type EngineLog,
  type EngineOptions,
} from './engine.js';
export { Client, type ClientConnection, type RawOutput, type ReplyMode } from './client.js';
export {
  BLOCKED,
  CommandTable,
  type CommandEntry,
  type CommandFlag,
  type CommandGroup,
  type CommandHandler,
  type CommandResult,
  type CommandSpec,
} from './command-table.js';
export type { BlockedState } from './blocking.js';
export { Config, parseSavePoints, type SavePoint } from './config.js';
export { SMALL_STRING_LENGTH } from './small-strings.js';
export { Database, type ExpiryMode } from './keyspace.js';
export { Errors } from './errors.js';
export { globMatch } from './glob.js';
export { SERVER_VERSION } from './version.js';
export { allocationSize } from './memory-estimate.js';
export { EventClass } from './keyspace-events.js';
export type { HostReply, InfoFields, PersistenceHost } from './persistence-host.js';
export type { MigrationConnection, MigrationHost } from './migration-host.js';
export type { FailoverRequest, ReplicationHost } from './replication-host.js';
export {
  DuplicateKeyError,
  KeyspaceLoader,
  type DetachedDataset,
} from './persistence/keyspace-loader.js';
export type { Snapshot, SliceBudget } from './persistence/snapshot.js';
export {
  Propagation,
  PropagationTarget,
  type PropagatedOp,
  type PropagationListener,
} from './propagation.js';
export { PropagationEncoder } from './propagation-encoder.js';
export {
  rdbAuxFields,
  savePacing,
  snapshotChunks,
  type SnapshotOptions,
} from './persistence/snapshot-chunks.js';
export { detachedConnection } from './detached-connection.js';
export { quoteArgument } from './monitor.js';
export { formatClientInfo } from './client-info.js';
export { infoText } from './info.js';
export { describeErrno } from './errno.js';
export { redirectBlockedClients, type ClusterMode } from './cluster-mode.js';
export { UserDeclarations } from './acl/user-declarations.js';
export { loadAclFile } from './acl/acl-file.js';
export type { ShutdownSave, ShutdownSignal } from './shutdown.js';
export { CommandRenames } from './command-renames.js';
export { Clock, type ClockTimer } from './clock.js';
export { procTitle } from './proc-title.js';
