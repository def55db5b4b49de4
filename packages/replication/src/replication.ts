import {
  BLOCKED,
  formatClientInfo,
  PropagationEncoder,
  PropagationTarget,
  rdbAuxFields,
  type BlockedState,
  type Client,
  type CommandResult,
  type Engine,
  type FailoverRequest,
  type HostReply,
  type InfoFields,
  type PropagatedOp,
  type ReplicationHost,
} from '@rc/engine';
import { splitArguments } from '@rc/resp';
import {
  ConnectedReplica,
  randomHexId,
  replicaName,
  replicaOutputLimit,
  type OutputLimit,
  type ReplicaAnnouncement,
} from './connected-replica.js';
import { sendSnapshot, type TransferOutcome } from './full-sync.js';
import { ReplicationBuffer } from './replication-buffer.js';
import { dialTcp, MasterLink, type LinkOwner, type MasterConnection } from './master-link.js';

export type ReplicationLogLevel = 'verbose' | 'notice' | 'warning';

export interface ReplicationOptions {
  /** Where log lines go (Redis's replication messages); silent when left out. */
  log?: (level: ReplicationLogLevel, message: string) => void;
  /** How a replica connects to its master (the server's TLS); plain TCP when left out. */
  dial?: (host: string, port: number, localAddress?: string) => MasterConnection;
  /** The process a transfer shows as its child (Redis forks one); none when left out. */
  transferChild?: () => TransferChild;
}

/** A transfer's child: its pid, and the signal that stops the transfer if it dies. */
export interface TransferChild {
  readonly pid: number;
  readonly signal: AbortSignal;
  /** Told the signal number when the child dies before the transfer ends. */
  onKilled(listener: (signal: number) => void): void;
  /** Stops the transfer as Redis's killRDBChild (SIGUSR1). */
  kill(): void;
  release(): void;
}

const NO_REPLID = '0000000000000000000000000000000000000000';
const CRON_MS = 1000;
/** While failing over the cron runs ten times as often, as Redis's, to hurry the handshake. */
const FAILOVER_CRON_MS = 100;
/** The master's keepalive through the stream, and the request for acknowledgements. */
const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const GETACK = Buffer.from('*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n');
/** What a master sends replicas waiting for their transfer to start, to keep the link alive. */
const NEWLINE = Buffer.from('\n');

/** INFO's master_failover_state. */
export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

interface WaitingClient {
  readonly client: Client;
  readonly state: BlockedState;
  readonly offset: number;
  readonly replicas: number;
}

/**
 * Redis replication for one engine, both roles:
 *
 * - as a master: the replication id and offset, the backlog, replicas taken over by PSYNC or
 *   SYNC (full sync from a fork-less snapshot, or partial from the backlog), the stream of
 *   effective writes encoded once and shared by the backlog and every replica, PINGs, ACKs and
 *   WAIT;
 * - as a replica (`MasterLink`): the link to the master, whose stream is applied and forwarded
 *   verbatim to our own backlog and sub-replicas, keeping the master's replication id.
 *
 * It is the engine's `ReplicationHost`: the commands are in the engine's table and call here.
 */
export class Replication implements ReplicationHost, LinkOwner {
  /** master_repl_offset: bytes of the replication stream so far. */
  offset = 0;
  readOnly = false;
  replid = randomHexId();
  replid2 = NO_REPLID;
  /** second_repl_offset: up to where replid2's history is shared with ours, or -1. */
  secondOffset = -1;
  /** The replication buffer: the backlog, and the stream each replica is still to be sent. */
  backlog: ReplicationBuffer | null = null;
  readonly replicas = new Set<ConnectedReplica>();
  /** The link to our master while we are a replica, else null. */
  master: MasterLink | null = null;
  listeningPort = 0;
  /** INFO stats' sync_full, sync_partial_ok and sync_partial_err. */
  readonly stats = { fullSyncs: 0, partialSyncsAccepted: 0, partialSyncsRejected: 0 };
  private readonly announcements = new WeakMap<Client, ReplicaAnnouncement>();
  private readonly byClient = new Map<Client, ConnectedReplica>();
  private readonly encoder = new PropagationEncoder(PropagationTarget.Replication);
  private listening = false;
  private waiting: WaitingClient[] = [];
  private ackRequested = false;
  private flushScheduled = false;
  private readonly flushCallback = (): void => this.flushStream();
  /** A PSYNC may continue our history: we were a master, or were connected to one. */
  private cachedMaster = false;
  /**
   * The history that PSYNC continues (Redis's cached_master->replid): our master's id, or ours
   * when we were the master. It differs from `replid` after DEBUG CHANGE-REPL-ID on a replica.
   */
  private masterReplid = NO_REPLID;
  /** Replication info of the RDB loaded at startup, applied by `start`. */
  private restored: { replid: string; offset: number; db: number } | null = null;
  private cron: NodeJS.Timeout | null = null;
  private cronRunning = false;
  private cronLoops = 0;
  private readonly transferChild: (() => TransferChild) | undefined;
  /** Children of the snapshot transfers under way (each one Redis's rdb child). */
  private readonly transferChildren = new Set<TransferChild>();
  private transfers = 0;
  /** Replicas waiting for the next diskless transfer (Redis's WAIT_BGSAVE_START). */
  private awaitingTransfer: Array<{ replica: ConnectedReplica; preSync: boolean; since: number }> =
    [];
  /** FAILOVER: its state, target (once known), deadline (ms, 0 for none) and FORCE. */
  failoverState: FailoverState = 'no-failover';
  private failoverTarget: { host: string; port: number } | null = null;
  private failoverEndTime = 0;
  private forceFailover = false;
  private failoverCheckScheduled = false;
  private readonly logLine: (level: ReplicationLogLevel, message: string) => void;
  readonly dial: (host: string, port: number, localAddress?: string) => MasterConnection;
  private minReplicasToWrite = 0;
  private minReplicasMaxLag = 0;
  /** client-output-buffer-limit for the replica class. */
  private replicaLimit: OutputLimit = replicaOutputLimit('');

  constructor(
    readonly engine: Engine,
    options: ReplicationOptions = {},
  ) {
    this.logLine = options.log ?? (() => undefined);
    this.dial = options.dial ?? dialTcp;
    this.transferChild = options.transferChild;
    engine.config.onChange('repl-backlog-size', (_, value) => this.backlog?.resize(Number(value)));
    engine.config.onChange('replica-read-only', () => this.updateReadOnly());
    engine.config.follow('min-replicas-to-write', (value) => {
      this.minReplicasToWrite = Number(value);
    });
    engine.config.follow('min-replicas-max-lag', (value) => {
      this.minReplicasMaxLag = Number(value);
    });
    engine.config.follow('client-output-buffer-limit', (value) => {
      this.replicaLimit = replicaOutputLimit(value);
    });
  }

  /**
   * min-replicas-to-write: whether enough replicas acknowledged within min-replicas-max-lag
   * seconds for a write to be accepted (always, on a replica or with the option off).
   */
  get enoughGoodReplicas(): boolean {
    if (this.minReplicasToWrite === 0 || this.minReplicasMaxLag === 0) return true;
    if (this.master !== null) return true;
    return this.goodReplicaCount() >= this.minReplicasToWrite;
  }

  /** replica-serve-stale-data no: a replica whose link is down answers only `stale` commands. */
  get servesStaleData(): boolean {
    const link = this.master;
    if (link === null || link.state === 'connected') return true;
    return this.engine.config.get('replica-serve-stale-data') !== 'no';
  }

  private goodReplicaCount(): number {
    const nowSeconds = Math.floor(Date.now() / 1000);
    let good = 0;
    for (const replica of this.replicas) {
      const lag = nowSeconds - Math.floor(replica.ackTime / 1000);
      if (replica.state === 'online' && lag <= this.minReplicasMaxLag) good++;
    }
    return good;
  }

  log(level: ReplicationLogLevel, message: string): void {
    this.logLine(level, message);
  }

  /**
   * Starts the cron and, if configured with `replicaof host port`, the link to the master.
   * `listeningPort` is the port we serve on, announced to our master.
   */
  start(listeningPort: number): void {
    this.listeningPort = listeningPort;
    this.cronRunning = true;
    this.scheduleCron();
    const replicaof = (this.engine.config.get('replicaof') || this.engine.config.get('slaveof'))
      .trim()
      .split(/\s+/);
    // The DELs of keys the load found expired are in the backlog before anything else.
    this.flushStream();
    const restored = this.restored;
    this.restored = null;
    if (replicaof.length === 2 && replicaof[0] !== '') {
      // A restarted replica whose RDB names its history continues it with PSYNC, as Redis's
      // replicationCacheMasterUsingMyself; without one the first PSYNC is `? -1`.
      if (restored !== null) {
        this.replid = this.masterReplid = restored.replid;
        this.offset = restored.offset;
      }
      this.setMaster(replicaof[0], Number(replicaof[1]), false);
      if (restored !== null && this.master !== null) {
        this.cachedMaster = true;
        this.master.cachedDb = restored.db;
      }
    } else if (restored !== null) {
      // A restarted master keeps its old history as replid2 so its replicas can continue,
      // followed by the DELs its load fed (Redis's loadDataFromDisk rebases the backlog).
      this.replid2 = restored.replid;
      this.secondOffset = restored.offset + 1;
      this.offset += restored.offset;
      if (this.backlog === null) this.createBacklog();
      else this.backlog.rebase(restored.offset);
    } else {
      // No history to continue: the backlog that took the DELs is of no use.
      this.backlog = null;
    }
  }

  expiredAtLoad(db: number, key: string): void {
    if (this.backlog === null) this.createBacklog();
    const command = this.engine.config.get('lazyfree-lazy-expire') === 'yes' ? 'UNLINK' : 'DEL';
    this.propagated([{ db, argv: [command, key], target: PropagationTarget.Replication }]);
  }

  get bufferMemory(): number {
    return this.backlog?.memory ?? 0;
  }

  get backlogSize(): number {
    return (
      this.backlog?.size ?? Math.max(16 * 1024, this.engine.config.getNumber('repl-backlog-size'))
    );
  }

  replicaOutputBytes(client: Client): number {
    return this.byClient.get(client)?.outputBytes ?? 0;
  }

  get replicasInSync(): boolean {
    for (const replica of this.replicas) if (replica.ackOffset !== this.offset) return false;
    return true;
  }

  sendGetack(): void {
    if (this.master === null && this.replicas.size !== 0) this.appendStream(GETACK);
  }

  logShutdownReport(): void {
    if (this.replicas.size === 0) return;
    let lagging = 0;
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const replica of this.replicas) {
      if (replica.ackOffset === this.offset) continue;
      lagging++;
      const lag = replica.state === 'online' ? nowSeconds - Math.floor(replica.ackTime / 1000) : 0;
      this.log(
        'warning',
        `Lagging replica ${replica.name} reported offset ${this.offset - replica.ackOffset} behind master, lag=${lag}, state=${replica.state}.`,
      );
    }
    this.log(
      'notice',
      `${this.replicas.size - lagging} of ${this.replicas.size} replicas are in sync when shutting down.`,
    );
  }

  resetStats(): void {
    this.stats.fullSyncs = this.stats.partialSyncsAccepted = this.stats.partialSyncsRejected = 0;
  }

  /** DEBUG CHANGE-REPL-ID: Redis's changeReplicationId then clearReplicationId2. */
  changeReplicationId(): void {
    this.replid = randomHexId();
    this.replid2 = NO_REPLID;
    this.secondOffset = -1;
  }

  rdbSaveInfo(): ReadonlyArray<readonly [string, string]> {
    let db: number;
    if (this.master === null) {
      if (this.backlog === null) return [];
      db = 0;
    } else {
      if (!this.cachedMaster) return [];
      db = this.master.masterClient?.db.id ?? this.master.cachedDb;
    }
    return [
      ['repl-stream-db', String(db)],
      ['repl-id', this.replid],
      ['repl-offset', String(this.offset)],
    ];
  }

  restoreFromRdb(aux: ReadonlyMap<string, string>): void {
    const replid = aux.get('repl-id') ?? '';
    const offset = Number(aux.get('repl-offset'));
    const db = Number(aux.get('repl-stream-db') ?? 0);
    if (!/^[0-9a-f]{40}$/.test(replid) || !Number.isSafeInteger(offset) || offset < 0) return;
    this.restored = { replid, offset, db: Number.isInteger(db) && db >= 0 ? db : 0 };
  }

  stop(): void {
    this.flushStream();
    this.cronRunning = false;
    if (this.cron !== null) clearTimeout(this.cron);
    this.cron = null;
    this.master?.stop();
    for (const replica of [...this.replicas]) replica.close();
  }

  // ReplicationHost: the commands.

  replconf(client: Client, argv: readonly string[]): HostReply | null {
    const announced = this.announcement(client);
    for (let i = 1; i + 1 < argv.length; i += 2) {
      const option = argv[i].toLowerCase();
      const value = argv[i + 1];
      if (option === 'listening-port') {
        const port = Number(value);
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(port)) {
          return { error: 'ERR value is not an integer or out of range' };
        }
        announced.listeningPort = port;
      } else if (option === 'ip-address') {
        if (value.length >= 46) {
          return {
            error: `ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`,
          };
        }
        announced.address = value;
      } else if (option === 'capa') {
        if (value.toLowerCase() === 'eof') announced.capaEof = true;
        else if (value.toLowerCase() === 'psync2') announced.capaPsync2 = true;
      } else if (option === 'ack') {
        this.acknowledged(client, value);
        return null;
      } else if (option === 'getack') {
        if (this.master !== null && client === this.master.masterClient) this.master.sendAck();
        return null;
      } else if (option === 'rdb-filter-only') {
        // Everything is left out but what the filters name; only "functions" exists.
        const filters = splitArguments(value);
        if (filters === null) return { error: 'ERR Missing rdb-filter-only values' };
        const filter = { data: false, functions: false };
        for (const name of filters) {
          if (name.toLowerCase() !== 'functions') {
            return { error: `ERR Unsupported rdb-filter-only option: ${name}` };
          }
          filter.functions = true;
        }
        announced.rdbFilter = filter;
      } else if (option !== 'rdb-only') {
        return { error: `ERR Unrecognized REPLCONF option: ${argv[i]}` };
      }
    }
    return { status: 'OK' };
  }

  sync(client: Client, replid: string | null, offsetText: string | null, failover = false): void {
    if (this.byClient.has(client)) return;
    // Our master is failing over to us: with the same history we become the master, and the
    // PSYNC goes on as any other (it continues our old id, now replid2).
    if (failover) {
      this.log('warning', `Failover request received for replid ${replid}.`);
      if (this.master === null) {
        client.out.error("ERR PSYNC FAILOVER can't be sent to a master.");
        return;
      }
      if ((replid ?? '').toLowerCase() !== this.replid) {
        client.out.error('ERR PSYNC FAILOVER replid must match my replid.');
        return;
      }
      this.unsetMaster();
      this.log(
        'notice',
        `MASTER MODE enabled (failover request from '${formatClientInfo(client, this.engine, null)}')`,
      );
    }
    if (this.failoverState !== 'no-failover') {
      client.out.error("NOMASTERLINK Can't SYNC while failing over");
      return;
    }
    // What was encoded this turn belongs before the new replica's starting point.
    this.flushStream();
    if (this.master !== null && this.master.state !== 'connected') {
      client.out.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    if (client.connection.detachOutput === undefined) {
      client.out.error('ERR this connection cannot become a replica');
      return;
    }
    // A filtered snapshot is always streamed (never a file a real replica could share).
    const filtered = this.announcement(client);
    if (filtered.rdbFilter !== null && !filtered.capaEof) {
      client.out.error('ERR Filtered replica requires EOF capability');
      return;
    }
    let offset = -1;
    if (replid !== null) {
      offset = Number(offsetText);
      if (!/^-?\d+$/.test(offsetText ?? '') || !Number.isSafeInteger(offset)) {
        const announced = this.announcement(client);
        this.log(
          'warning',
          `Replica ${replicaName(client, announced)} asks for synchronization but with a wrong offset`,
        );
        client.out.error('ERR value is not an integer or out of range');
        return;
      }
    }
    const announced = this.announcement(client);
    if (replid !== null && this.canContinue(replid, offset)) {
      this.stats.partialSyncsAccepted++;
      this.continueReplica(client, announced, offset);
      return;
    }
    this.stats.fullSyncs++;
    if (replid !== null && replid !== '?') {
      this.stats.partialSyncsRejected++;
      this.log(
        'notice',
        `Partial resynchronization not accepted: Replication ID mismatch or offset out of range (Replica asked for '${replid}' ${offset}, my replication IDs are '${this.replid}' and '${this.replid2}')`,
      );
    }
    this.fullSync(client, announced, replid === null);
  }

  wait(client: Client, replicas: number, timeoutMs: number): CommandResult {
    if (this.master !== null) {
      client.out.error(
        'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
      );
      return;
    }
    const offset = client.replicationOffset;
    const acknowledged = this.countAcks(offset);
    // Inside EXEC Redis answers at once: a transaction cannot block.
    if (acknowledged >= replicas || client.executing) {
      client.out.integer(acknowledged);
      return;
    }
    const state: BlockedState = {
      db: client.db,
      kind: null,
      keys: [],
      tryServe: () => false,
      replyOnTimeout: () => client.out.integer(this.countAcks(offset)),
      timer: null,
    };
    this.engine.blocking.block(client, state, timeoutMs);
    this.waiting.push({ client, state, offset, replicas });
    this.requestAcks();
    return BLOCKED;
  }

  role(client: Client): void {
    const out = client.out;
    const link = this.master;
    if (link === null) {
      const online = [...this.replicas].filter((replica) => replica.state === 'online');
      out.array(3);
      out.bulk('master');
      out.integer(this.offset);
      out.array(online.length);
      for (const replica of online) {
        out.array(3);
        out.bulk(replica.address);
        out.bulk(String(replica.announced.listeningPort));
        out.bulk(String(replica.ackOffset));
      }
      return;
    }
    out.array(5);
    out.bulk('slave');
    out.bulk(link.host);
    out.integer(link.port);
    out.bulk(link.state);
    out.integer(link.masterClient !== null ? link.processedOffset : -1);
  }

  replicaof(client: Client, host: string | null, port: number): HostReply {
    if (this.failoverState !== 'no-failover') {
      return { error: 'ERR REPLICAOF not allowed while failing over.' };
    }
    if (host === null) {
      if (this.master !== null) {
        this.unsetMaster();
        this.log(
          'notice',
          `MASTER MODE enabled (user request from '${formatClientInfo(client, this.engine, null)}')`,
        );
      }
      return { status: 'OK' };
    }
    if (this.byClient.has(client)) {
      return { error: 'ERR Command is not valid when client is a replica.' };
    }
    if (
      this.master !== null &&
      this.master.host.toLowerCase() === host.toLowerCase() &&
      this.master.port === port
    ) {
      this.log(
        'notice',
        'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
      );
      return { status: 'OK Already connected to specified master' };
    }
    this.setMaster(host, port, true);
    this.log(
      'notice',
      `REPLICAOF ${host}:${port} enabled (user request from '${formatClientInfo(client, this.engine, null)}')`,
    );
    return { status: 'OK' };
  }

  /**
   * Cluster mode's replicationSetMaster: replicate from this address unless already doing so
   * (the cluster cron asks again until the link exists).
   */
  follow(host: string, port: number): void {
    const master = this.master;
    if (master !== null && master.host === host && master.port === port) return;
    this.setMaster(host, port, true);
  }

  /**
   * How long ago this replica last heard from its master, in ms: its last read while the link
   * is up, else since it went down (forever when it never was up, as Redis counts it).
   */
  masterDataAge(): number {
    const link = this.master;
    if (link === null) return 0;
    const now = Date.now();
    return link.state === 'connected' ? now - link.lastIo : now - link.downSince;
  }

  /**
   * Our offset as Redis's replicationGetSlaveOffset for a replica (what it processed of its
   * master's stream, 0 while a full sync replaces its data), or the master's own offset.
   */
  announcedOffset(): number {
    const link = this.master;
    if (link === null) return this.offset;
    return link.masterClient !== null || this.cachedMaster ? link.processedOffset : 0;
  }

  /** Cluster mode's replicationUnsetMaster: myself became a master. */
  stopFollowing(): void {
    if (this.master !== null) this.unsetMaster();
  }

  infoFields(): InfoFields {
    const fields: Array<[string, string | number]> = [
      ['role', this.master === null ? 'master' : 'slave'],
    ];
    const link = this.master;
    if (link !== null) {
      const now = Date.now();
      const known = link.masterClient !== null || this.cachedMaster;
      fields.push(
        ['master_host', link.host],
        ['master_port', link.port],
        ['master_link_status', link.state === 'connected' ? 'up' : 'down'],
        [
          'master_last_io_seconds_ago',
          link.masterClient !== null ? Math.floor((now - link.lastIo) / 1000) : -1,
        ],
        ['master_sync_in_progress', link.state === 'sync' ? 1 : 0],
        ['slave_read_repl_offset', known ? link.readOffset : 1],
        ['slave_repl_offset', known ? link.processedOffset : 1],
      );
      const transfer = link.transfer;
      if (transfer !== null) {
        fields.push(
          ['master_sync_total_bytes', transfer.total],
          ['master_sync_read_bytes', transfer.received],
          ['master_sync_left_bytes', transfer.total - transfer.received],
          [
            'master_sync_perc',
            (transfer.total > 0 ? (transfer.received / transfer.total) * 100 : 0).toFixed(2),
          ],
          ['master_sync_last_io_seconds_ago', Math.floor((now - link.lastIo) / 1000)],
        );
      }
      if (link.state !== 'connected') {
        fields.push([
          'master_link_down_since_seconds',
          link.downSince !== 0 ? Math.floor((now - link.downSince) / 1000) : -1,
        ]);
      }
      const config = this.engine.config;
      fields.push(
        ['slave_priority', config.getNumber('replica-priority')],
        ['slave_read_only', config.get('replica-read-only') === 'yes' ? 1 : 0],
        ['replica_announced', config.get('replica-announced') === 'yes' ? 1 : 0],
      );
    }
    fields.push(['connected_slaves', this.replicas.size]);
    if (this.minReplicasToWrite !== 0 && this.minReplicasMaxLag !== 0) {
      fields.push(['min_slaves_good_slaves', this.goodReplicaCount()]);
    }
    let index = 0;
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const replica of this.replicas) {
      const lag = replica.state === 'online' ? nowSeconds - Math.floor(replica.ackTime / 1000) : 0;
      fields.push([
        `slave${index++}`,
        `ip=${replica.address},port=${replica.announced.listeningPort},state=${replica.state},offset=${replica.ackOffset},lag=${lag}`,
      ]);
    }
    const backlog = this.backlog;
    fields.push(
      ['master_failover_state', this.failoverState],
      ['master_replid', this.replid],
      ['master_replid2', this.replid2],
      ['master_repl_offset', this.offset],
      ['second_repl_offset', this.secondOffset],
      ['repl_backlog_active', backlog !== null ? 1 : 0],
      ['repl_backlog_size', this.engine.config.get('repl-backlog-size')],
      ['repl_backlog_first_byte_offset', backlog !== null ? backlog.firstByteOffset : 0],
      ['repl_backlog_histlen', backlog !== null ? backlog.histlen : 0],
    );
    return fields;
  }

  // FAILOVER (Redis's failoverCommand, updateFailoverStatus, abortFailover).

  /**
   * Pauses writes and waits for the target (or any replica) to acknowledge our whole stream;
   * then we become its replica and our PSYNC, marked FAILOVER, makes it the master.
   */
  failover(_client: Client, request: FailoverRequest): HostReply {
    if (this.failoverState !== 'no-failover') return { error: 'ERR FAILOVER already in progress.' };
    if (this.master !== null) {
      return { error: 'ERR FAILOVER is not valid when server is a replica.' };
    }
    if (this.replicas.size === 0) return { error: 'ERR FAILOVER requires connected replicas.' };
    const { target, force, timeoutMs } = request;
    if (force && (timeoutMs === 0 || target === null)) {
      return {
        error: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
      };
    }
    if (target !== null) {
      const replica = this.findReplica(target.host, target.port);
      if (replica === undefined) {
        return { error: 'ERR FAILOVER target HOST and PORT is not a replica.' };
      }
      if (replica.state !== 'online') {
        return { error: 'ERR FAILOVER target replica is not online.' };
      }
      this.failoverTarget = { host: target.host, port: target.port };
      this.log('notice', `FAILOVER requested to ${target.host}:${target.port}.`);
    } else {
      this.log('notice', 'FAILOVER requested to any replica.');
    }
    this.failoverEndTime = timeoutMs !== 0 ? Date.now() + timeoutMs : 0;
    this.forceFailover = force;
    this.failoverState = 'waiting-for-sync';
    this.engine.clientPause.pause('write', Infinity, 'failover');
    this.scheduleCron();
    // A replica may have caught up already: checked after this command, as Redis's beforeSleep.
    this.scheduleFailoverCheck();
    return { status: 'OK' };
  }

  abortFailover(): HostReply {
    if (this.failoverState === 'no-failover') return { error: 'ERR No failover in progress.' };
    this.abortFailoverWith('Failover manually aborted');
    return { status: 'OK' };
  }

  /** A replica by the address and listening port it is known by (Redis's findReplica). */
  private findReplica(host: string, port: number): ConnectedReplica | undefined {
    for (const replica of this.replicas) {
      if (
        replica.address.toLowerCase() === host.toLowerCase() &&
        replica.announced.listeningPort === port
      ) {
        return replica;
      }
    }
    return undefined;
  }

  private scheduleFailoverCheck(): void {
    if (this.failoverCheckScheduled) return;
    this.failoverCheckScheduled = true;
    setImmediate(() => {
      this.failoverCheckScheduled = false;
      this.updateFailoverStatus();
    });
  }

  /** Redis's updateFailoverStatus: the deadline, then whether a replica caught up. */
  private updateFailoverStatus(): void {
    if (this.failoverState !== 'waiting-for-sync') return;
    if (this.failoverEndTime !== 0 && this.failoverEndTime <= Date.now()) {
      const target = this.failoverTarget;
      if (this.forceFailover && target !== null) {
        this.log(
          'notice',
          `FAILOVER to ${target.host}:${target.port} time out exceeded, failing over.`,
        );
        this.failoverState = 'failover-in-progress';
        this.setMaster(target.host, target.port, true);
      } else {
        this.abortFailoverWith('Replica never caught up before timeout');
      }
      return;
    }
    let caughtUp: ConnectedReplica | undefined;
    if (this.failoverTarget !== null) {
      const replica = this.findReplica(this.failoverTarget.host, this.failoverTarget.port);
      if (replica !== undefined && replica.ackOffset === this.offset) caughtUp = replica;
    } else {
      for (const replica of this.replicas) {
        if (replica.ackOffset !== this.offset) continue;
        caughtUp = replica;
        this.failoverTarget = { host: replica.address, port: replica.announced.listeningPort };
        break;
      }
    }
    const target = this.failoverTarget;
    if (caughtUp === undefined || target === null) return;
    this.failoverState = 'failover-in-progress';
    this.log('notice', `Failover target ${target.host}:${target.port} is synced, failing over.`);
    this.setMaster(target.host, target.port, true);
  }

  /** Redis's abortFailover: a failover already under way turns us back into a master. */
  private abortFailoverWith(reason: string): void {
    if (this.failoverState === 'no-failover') return;
    const target = this.failoverTarget;
    this.log(
      'notice',
      target !== null
        ? `FAILOVER to ${target.host}:${target.port} aborted: ${reason}`
        : `FAILOVER to any replica aborted: ${reason}`,
    );
    if (this.failoverState === 'failover-in-progress') this.unsetMaster();
    this.clearFailoverState();
  }

  private clearFailoverState(): void {
    this.failoverEndTime = 0;
    this.forceFailover = false;
    this.failoverTarget = null;
    this.failoverState = 'no-failover';
    this.engine.clientPause.unpause('failover');
  }

  // LinkOwner: our own master link reports here.

  /** A snapshot is being sent to replicas: INFO's rdb_bgsave_in_progress, as Redis's rdb child. */
  get transferInProgress(): boolean {
    return this.transfers !== 0;
  }

  killTransfers(): void {
    for (const child of [...this.transferChildren]) child.kill();
  }

  get failingOver(): boolean {
    return this.failoverState === 'failover-in-progress';
  }

  psyncReplied(accepted: boolean): void {
    if (this.failoverState !== 'failover-in-progress') return;
    // The target took over (a full resync is unexpected but no failure).
    if (accepted) this.clearFailoverState();
    else this.abortFailoverWith('Failover target rejected psync request');
  }

  resumePoint(): { replid: string; offset: number } | null {
    return this.cachedMaster ? { replid: this.masterReplid, offset: this.offset + 1 } : null;
  }

  attachToNewMaster(): void {
    // Our history is about to be replaced: sub-replicas must resynchronize with the new one.
    this.cachedMaster = false;
    this.disconnectReplicas();
  }

  synchronized(replid: string, offset: number): void {
    this.replid = this.masterReplid = replid;
    this.replid2 = NO_REPLID;
    this.secondOffset = -1;
    this.offset = offset;
    this.createBacklog();
    this.cachedMaster = true;
  }

  continued(replid: string | null): void {
    if (replid !== null && replid !== this.masterReplid) {
      // The master changed history (a promoted replica): the one we followed is its replid2.
      this.replid2 = this.masterReplid;
      this.secondOffset = this.offset + 1;
      this.replid = this.masterReplid = replid;
      this.disconnectReplicas();
    }
    if (this.backlog === null) this.createBacklog();
  }

  applied(bytes: Buffer): void {
    this.appendStream(bytes);
  }

  linkLost(): void {
    this.cachedMaster = true;
  }

  // The master side.

  private announcement(client: Client): ReplicaAnnouncement {
    let announced = this.announcements.get(client);
    if (announced === undefined) {
      announced = {
        listeningPort: 0,
        address: null,
        capaEof: false,
        capaPsync2: false,
        rdbFilter: null,
      };
      this.announcements.set(client, announced);
    }
    return announced;
  }

  /** Redis's masterTryPartialResynchronization test. */
  private canContinue(replid: string, offset: number): boolean {
    if (replid !== this.replid && (replid !== this.replid2 || offset > this.secondOffset)) {
      return false;
    }
    return this.backlog !== null && this.backlog.covers(offset);
  }

  private continueReplica(client: Client, announced: ReplicaAnnouncement, offset: number): void {
    const replica = this.attach(client, announced, true);
    replica.output.write(
      Buffer.from(announced.capaPsync2 ? `+CONTINUE ${this.replid}\r\n` : '+CONTINUE\r\n'),
    );
    replica.follow((this.backlog as ReplicationBuffer).cursorAt(offset));
    this.log(
      'notice',
      `Partial resynchronization request from ${replica.name} accepted. Sending ${this.offset + 1 - offset} bytes of backlog starting from offset ${offset}.`,
    );
  }

  private fullSync(client: Client, announced: ReplicaAnnouncement, preSync: boolean): void {
    this.createBacklog();
    const replica = this.attach(client, announced, false);
    // repl-diskless-sync no: the length-framed payload a disk-based Redis sends.
    const eof =
      announced.capaEof &&
      (this.engine.config.get('repl-diskless-sync') === 'yes' || announced.rdbFilter !== null);
    if (eof && this.engine.config.getNumber('repl-diskless-sync-delay') > 0) {
      // As Redis: the transfer waits a few seconds for more replicas to share it.
      this.log('notice', 'Delay next BGSAVE for diskless SYNC');
      this.awaitingTransfer.push({ replica, preSync, since: Date.now() });
      this.startAwaitedTransfers(Date.now());
      return;
    }
    this.transfer([{ replica, preSync }], eof);
  }

  /**
   * Redis's shouldStartChildReplication: the replicas waiting for a diskless transfer get it
   * once the oldest waited repl-diskless-sync-delay seconds, or once
   * repl-diskless-sync-max-replicas of them wait.
   */
  private startAwaitedTransfers(now: number): void {
    const waiting = this.awaitingTransfer.filter((each) => !each.replica.closed);
    this.awaitingTransfer = waiting;
    if (waiting.length === 0) return;
    const config = this.engine.config;
    const most = config.getNumber('repl-diskless-sync-max-replicas');
    const idleSeconds = Math.floor((now - waiting[0].since) / 1000);
    if (
      !(most > 0 && waiting.length >= most) &&
      idleSeconds < config.getNumber('repl-diskless-sync-delay')
    ) {
      return;
    }
    this.awaitingTransfer = [];
    this.flushStream();
    // Replicas that asked for a filtered image (rdb-filter-only) get one of their own.
    const shared = waiting.filter(({ replica }) => replica.announced.rdbFilter === null);
    if (shared.length !== 0) this.transfer(shared, true);
    for (const each of waiting) if (!shared.includes(each)) this.transfer([each], true);
  }

  /**
   * Starts one snapshot for replicas that sync together: FULLRESYNC to each, the payload to all
   * of them, then the stream. The transfer shows as Redis's rdb child: a process (the server's
   * `transferChild`) whose death stops it, and its log lines.
   */
  private transfer(
    group: ReadonlyArray<{ replica: ConnectedReplica; preSync: boolean }>,
    eof: boolean,
  ): void {
    const offset = this.offset;
    // The stream continues after the snapshot from an unknown database: SELECT comes first.
    this.encoder.reset();
    const replicas = group.map(({ replica }) => replica);
    const backlog = this.backlog as ReplicationBuffer;
    for (const { replica, preSync } of group) {
      if (!preSync) replica.output.write(Buffer.from(`+FULLRESYNC ${this.replid} ${offset}\r\n`));
      // The snapshot is taken now: the replica's stream starts with the next byte.
      replica.follow(backlog.follow());
    }
    const streamDb = this.master?.masterClient?.db.id ?? 0;
    const aux = rdbAuxFields({
      extra: [
        ['repl-stream-db', String(streamDb)],
        ['repl-id', this.replid],
        ['repl-offset', String(offset)],
      ],
    });
    for (const replica of replicas) {
      this.log(
        'notice',
        `Starting BGSAVE for SYNC with target: ${eof ? 'replicas sockets' : 'memory'} (${replica.name})`,
      );
    }
    const child = this.transferChild?.() ?? null;
    let killedBy = 9;
    if (child !== null) {
      this.transferChildren.add(child);
      child.onKilled((signal) => {
        killedBy = signal;
      });
      this.engine.stats.forks++;
      this.log(
        'notice',
        `Background ${eof ? 'RDB transfer' : 'saving'} started by pid ${child.pid}`,
      );
    }
    this.transfers++;
    const started = Date.now();
    const include = replicas[0].announced.rdbFilter ?? undefined;
    sendSnapshot(this.engine, replicas, { aux, include }, eof, {
      signal: child?.signal,
      produced: (alive) => {
        if (eof) {
          this.log(
            'warning',
            `Diskless rdb transfer, done reading from pipe, ${alive} replicas still up.`,
          );
        }
      },
    })
      .then(
        (outcome) => this.transferEnded(replicas, outcome, eof, Date.now() - started, killedBy),
        (error: unknown) => {
          this.log('warning', `Full sync to a replica failed: ${(error as Error).message}`);
          for (const replica of replicas) replica.close();
        },
      )
      .finally(() => {
        this.transfers--;
        if (child === null) return;
        this.transferChildren.delete(child);
        child.release();
      });
  }

  private transferEnded(
    replicas: readonly ConnectedReplica[],
    outcome: TransferOutcome,
    eof: boolean,
    milliseconds: number,
    killedBy: number,
  ): void {
    if (outcome.kind === 'dropped') {
      if (eof)
        this.log('warning', 'Diskless rdb transfer, last replica dropped, killing fork child.');
      return;
    }
    if (outcome.kind === 'killed') {
      this.log('warning', `Background transfer terminated by signal ${killedBy}`);
      for (const replica of replicas) {
        if (replica.closed) continue;
        this.log('warning', 'SYNC failed. BGSAVE child returned an error');
        replica.close();
      }
      return;
    }
    if (eof) this.log('notice', 'Background RDB transfer terminated with success');
    this.lastFullSync = { bytes: outcome.size, milliseconds };
    for (const replica of replicas) {
      if (replica.closed) continue;
      // After an EOF-framed payload the replica finds the end mark only if nothing follows:
      // the stream starts with its first ACK, as Redis's repl_start_cmd_stream_on_ack.
      if (eof) {
        this.log(
          'notice',
          `Streamed RDB transfer with replica ${replica.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
        );
        replica.state = 'online';
        replica.startStreamOnAck = true;
        // Its acknowledgements start now (Redis prevents a false timeout the same way).
        replica.ackTime = Date.now();
      } else {
        this.log(
          'notice',
          `Synchronization with replica ${replica.name} succeeded (${outcome.size} bytes in ${milliseconds} ms)`,
        );
        replica.startStream();
      }
    }
  }

  /** Size and duration of the last full sync served (for benchmarks and logs). */
  lastFullSync: { bytes: number; milliseconds: number } | null = null;

  private attach(
    client: Client,
    announced: ReplicaAnnouncement,
    online: boolean,
  ): ConnectedReplica {
    const output = client.connection.detachOutput?.();
    if (output === undefined) throw new Error('replication: the connection cannot be detached');
    client.kind = 'replica';
    const replica = new ConnectedReplica(client, output, announced, online);
    this.replicas.add(replica);
    this.byClient.set(client, replica);
    output.onClose(() => replica.closedByPeer());
    replica.onClose(() => {
      this.replicas.delete(replica);
      this.byClient.delete(client);
      this.log('notice', `Connection with replica ${replica.name} lost.`);
    });
    return replica;
  }

  private acknowledged(client: Client, offsetText: string): void {
    const replica = this.byClient.get(client);
    if (replica === undefined) return;
    const offset = Number(offsetText);
    if (!/^-?\d+$/.test(offsetText) || !Number.isSafeInteger(offset)) return;
    if (offset > replica.ackOffset) replica.ackOffset = offset;
    replica.ackTime = Date.now();
    if (replica.startStreamOnAck) replica.startStream();
    if (this.waiting.length !== 0) this.serveWaiting();
    // Not from here: failing over disconnects the replica whose command this is.
    if (this.failoverState === 'waiting-for-sync') this.scheduleFailoverCheck();
  }

  /** Replicas online whose acknowledged offset reached `offset`. */
  private countAcks(offset: number): number {
    let count = 0;
    for (const replica of this.replicas) {
      if (replica.state === 'online' && replica.ackOffset >= offset) count++;
    }
    return count;
  }

  /** Unblocks the WAITs that have enough acknowledgements now. */
  private serveWaiting(): void {
    const still: WaitingClient[] = [];
    for (const waiting of this.waiting) {
      const { client, state } = waiting;
      // Timed out, unblocked by CLIENT UNBLOCK, or disconnected.
      if (client.blocked !== state || client.closed) continue;
      const count = this.countAcks(waiting.offset);
      if (count < waiting.replicas) {
        still.push(waiting);
        continue;
      }
      this.engine.blocking.unblock(client);
      client.out.integer(count);
      client.connection.resume();
    }
    this.waiting = still;
  }

  /** One REPLCONF GETACK * through the stream for every WAIT of this event-loop turn. */
  private requestAcks(): void {
    if (this.ackRequested) return;
    this.ackRequested = true;
    setImmediate(() => this.sendRequestedAcks());
  }

  /**
   * Not while clients are paused: the offset must stay put (a failover compares it with the
   * replicas'). The cron tries again, as Redis's beforeSleep after the pause.
   */
  private sendRequestedAcks(): void {
    if (!this.ackRequested || this.engine.clientPause.current !== null) return;
    this.ackRequested = false;
    if (this.master === null && this.replicas.size !== 0) this.appendStream(GETACK);
  }

  private createBacklog(): void {
    if (this.backlog !== null) {
      if (this.backlog.endOffset === this.offset) return;
      // Replicas hold places in the old history: they must resynchronize with the new one.
      this.disconnectReplicas();
    }
    this.backlog = new ReplicationBuffer(
      this.engine.config.getNumber('repl-backlog-size'),
      this.offset,
    );
    if (!this.listening) {
      this.listening = true;
      this.engine.propagation.addListener((batch) => this.propagated(batch));
    }
  }

  /**
   * The engine's effective writes: encoded once into one buffer per event-loop turn, shared by
   * the backlog and every replica (one socket write per replica per turn, as Redis writes its
   * replicas' buffers in beforeSleep). The offset moves at once, for WAIT.
   */
  private propagated(batch: readonly PropagatedOp[]): void {
    // A replica forwards its master's stream instead (as Redis's replicationFeedSlaves).
    if (this.master !== null || this.backlog === null) return;
    const before = this.encoder.length;
    this.encoder.append(batch);
    const added = this.encoder.length - before;
    if (added === 0) return;
    this.offset += added;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushCallback);
    }
  }

  /** Sends what this turn's writes encoded. */
  private flushStream(): void {
    this.flushScheduled = false;
    if (this.encoder.length === 0) return;
    this.feed(this.encoder.take());
  }

  /** Raw stream bytes (PING, GETACK, a master's forwarded stream), after the pending ones. */
  private appendStream(bytes: Buffer): void {
    this.flushStream();
    this.offset += bytes.length;
    this.feed(bytes);
  }

  /**
   * Stream bytes into the replication buffer, then to the replicas that take them. As Redis's
   * feedReplicationBuffer, replicas are checked against their output limit when a block was
   * added, before anything is sent.
   */
  private feed(bytes: Buffer): void {
    const backlog = this.backlog;
    if (backlog === null) return;
    const added = backlog.append(bytes);
    for (const replica of [...this.replicas]) {
      if (added && replica.overLimit(this.replicaLimit, backlog.size)) {
        this.log(
          'warning',
          `Client ${formatClientInfo(replica.client, this.engine, null)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
        );
        replica.close();
      } else replica.send();
    }
  }

  private disconnectReplicas(): void {
    for (const replica of [...this.replicas]) replica.close();
  }

  /** Redis's shiftReplicationId: our history so far continues under a new id. */
  private shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.offset + 1;
    this.replid = randomHexId();
  }

  /** `cacheMyself`: a master turning replica may continue its own history with PSYNC. */
  private setMaster(host: string, port: number, cacheMyself: boolean): void {
    this.flushStream();
    // The link's down time carries over to the new master's: it starts now if the old link was
    // up, and stays unknown for a server that was a master (Redis's repl_down_since).
    let downSince = 0;
    // A PSYNC to the new master continues the stream in the database the old one had selected
    // (Redis keeps its cached master client, db included).
    let streamDb = 0;
    if (this.master !== null) {
      downSince = this.master.state === 'connected' ? Date.now() : this.master.downSince;
      this.master.stop();
      streamDb = this.master.cachedDb;
    } else {
      this.cachedMaster = cacheMyself;
      this.masterReplid = this.replid;
    }
    this.failBlockedClients();
    // Replicas stay, as in Redis 7: they go when our history changes (a new replid on
    // +CONTINUE, or a new master's snapshot replacing the data), else they just go on.
    this.engine.config.set('replicaof', `${host} ${port}`);
    this.master = new MasterLink(host, port, this);
    this.master.downSince = downSince;
    this.master.cachedDb = streamDb;
    this.updateReadOnly();
    this.master.start();
  }

  private unsetMaster(): void {
    this.master?.stop();
    this.master = null;
    this.engine.config.set('replicaof', '');
    this.updateReadOnly();
    this.shiftReplicationId();
    // Replicas learn the new id by reconnecting; their PSYNC continues with replid2.
    this.disconnectReplicas();
    this.encoder.reset();
    this.cachedMaster = true;
  }

  /**
   * Redis's disconnectAllBlockedClients: a master turning replica fails every blocked command
   * (WAIT, BLPOP...), which would otherwise be served by its master's stream. Commands held back
   * by a pause are left to run anew. Redis also closes those clients after the reply.
   */
  private failBlockedClients(): void {
    for (const client of this.engine.clients.values()) {
      if (client.blocked === null || this.engine.clientPause.isPostponed(client)) continue;
      this.engine.blocking.unblock(client);
      client.out.error(
        'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
      );
      client.connection.resume();
    }
    this.waiting = [];
  }

  private updateReadOnly(): void {
    this.readOnly = this.master !== null && this.engine.config.get('replica-read-only') === 'yes';
    this.engine.expiryMode = this.master !== null ? 'hide' : 'delete';
  }

  /** The next cron run: in a second, or in 100 ms while failing over. */
  private scheduleCron(): void {
    if (!this.cronRunning) return;
    if (this.cron !== null) clearTimeout(this.cron);
    const delay = this.failoverState !== 'no-failover' ? FAILOVER_CRON_MS : CRON_MS;
    this.cron = setTimeout(() => {
      this.cron = null;
      this.tick();
      this.scheduleCron();
    }, delay);
    this.cron.unref();
  }

  /** Redis's replicationCron. */
  private tick(): void {
    this.updateFailoverStatus();
    const now = Date.now();
    this.cronLoops++;
    this.master?.tick(now);
    this.sendRequestedAcks();
    // Newlines keep the waiting replicas' links alive until their transfer starts.
    for (const { replica } of this.awaitingTransfer) replica.output.write(NEWLINE);
    this.startAwaitedTransfers(now);
    if (this.master !== null || this.replicas.size === 0) return;
    const period = Math.max(1, this.engine.config.getNumber('repl-ping-replica-period'));
    // A PING would move the offset a failover with a deadline waits for the replica to reach.
    const failoverPause = this.failoverEndTime !== 0 && this.engine.clientPause.current !== null;
    if (this.cronLoops % period === 0 && !failoverPause) this.appendStream(PING);
    const timeout = this.engine.config.getNumber('repl-timeout') * 1000;
    for (const replica of [...this.replicas]) {
      // A replica that stopped reading its diskless transfer holds back every other one.
      if (
        replica.state === 'wait_bgsave' &&
        timeout > 0 &&
        replica.writeBlockedSince !== 0 &&
        now - replica.writeBlockedSince > timeout
      ) {
        this.log('warning', `Disconnecting timedout replica (full sync): ${replica.name}`);
        replica.close();
        continue;
      }
      if (replica.state === 'online' && timeout > 0 && now - replica.ackTime > timeout) {
        this.log('warning', `Disconnecting timedout replica (streaming sync): ${replica.name}`);
        replica.close();
      }
    }
  }
}
