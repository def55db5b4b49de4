import type { Client } from './client.js';
import type { CommandResult } from './command-table.js';
import type { HostReply, InfoFields } from './persistence-host.js';

/** FAILOVER [TO host port [FORCE]] [TIMEOUT ms], its arguments parsed. */
export interface FailoverRequest {
  /** The replica to fail over to; null for the first one to catch up. */
  readonly target: { readonly host: string; readonly port: number } | null;
  /** After the timeout, fail over to the target even if it did not catch up. */
  readonly force: boolean;
  /** 0 for no timeout. */
  readonly timeoutMs: number;
}

/**
 * What the engine asks of whoever runs replication (the daemon's @rc/replication): the
 * REPLCONF / PSYNC / SYNC / WAIT / ROLE / REPLICAOF commands and INFO replication. The engine
 * stays free of sockets; an engine without a host answers as a master with no replicas.
 */
export interface ReplicationHost {
  /**
   * Redis's master_repl_offset: the engine copies it into a client after each of its commands
   * (Redis's `woff`), which is what that client's WAIT waits for.
   */
  readonly offset: number;
  /** A replica with replica-read-only: writes from anyone but its master are refused. */
  readonly readOnly: boolean;
  /** min-replicas-to-write is met (or off): writes are accepted. */
  readonly enoughGoodReplicas: boolean;
  /** False on a replica whose link is down with replica-serve-stale-data no. */
  readonly servesStaleData: boolean;
  /** A snapshot is being sent to replicas (Redis's rdb child with a socket target). */
  readonly transferInProgress: boolean;
  /** Stops the transfers under way (FLUSHALL kills Redis's rdb child); their replicas resync. */
  killTransfers(): void;
  /** INFO stats' sync_full, sync_partial_ok and sync_partial_err. */
  readonly stats: {
    readonly fullSyncs: number;
    readonly partialSyncsAccepted: number;
    readonly partialSyncsRejected: number;
  };
  /** Every replica acknowledged the whole stream (Redis's isReadyToShutdown). */
  readonly replicasInSync: boolean;
  /** REPLCONF GETACK * to the replicas now: a shutdown waits for their acknowledgements. */
  sendGetack(): void;
  /** finishShutdown's lines: each lagging replica, then how many are in sync. */
  logShutdownReport(): void;
  /** CONFIG RESETSTAT: those counters restart from zero. */
  resetStats(): void;
  /** REPLCONF option value ...; null when nothing is replied (ACK, GETACK). */
  replconf(client: Client, argv: readonly string[]): HostReply | null;
  /**
   * PSYNC replid offset [FAILOVER] (or SYNC when `replid` is null): the host takes the client
   * over. With `failover` a replica whose master is failing over to it becomes the master.
   */
  sync(client: Client, replid: string | null, offset: string | null, failover?: boolean): void;
  /** WAIT numreplicas timeout, arguments already parsed; may block the client. */
  wait(client: Client, replicas: number, timeoutMs: number): CommandResult;
  /** ROLE's reply, written into the client. */
  role(client: Client): void;
  /** REPLICAOF host port, or NO ONE when `host` is null. */
  replicaof(client: Client, host: string | null, port: number): HostReply;
  /** FAILOVER: starts a coordinated failover to a replica. */
  failover(client: Client, request: FailoverRequest): HostReply;
  /** FAILOVER ABORT. */
  abortFailover(): HostReply;
  /** INFO replication, every field in Redis's order. */
  infoFields(): InfoFields;
  /**
   * AUX fields a saved RDB carries (repl-stream-db, repl-id, repl-offset) so that a restarted
   * replica continues its history with PSYNC; empty when there is no history to continue.
   */
  rdbSaveInfo(): ReadonlyArray<readonly [string, string]>;
  /** DEBUG CHANGE-REPL-ID: a new replication ID, and no secondary one (a fresh history). */
  changeReplicationId?(): void;
  /**
   * A master's startup load dropped a key that had expired on disk: its DEL goes to the backlog
   * (Redis's RDBFLAGS_FEED_REPL), so replicas resuming with PSYNC drop it too.
   */
  expiredAtLoad(db: number, key: string): void;
  /** The RDB loaded at startup carried those fields (before the host starts). */
  restoreFromRdb(aux: ReadonlyMap<string, string>): void;
  /**
   * Redis's repl_buffer_mem: the replication buffer the backlog and every replica share, bytes
   * (INFO's mem_total_replication_buffers).
   */
  readonly bufferMemory: number;
  /** repl-backlog-size as the backlog applies it (at least 16 KB). */
  readonly backlogSize: number;
  /** A replica's output buffer: its share of the replication buffer (CLIENT LIST's omem). */
  replicaOutputBytes(client: Client): number;
}
