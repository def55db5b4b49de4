import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { ErrorReplyStats } from '@rc/resp';
import { BlockingRegistry, type BlockedState, type WaitKind } from './blocking.js';
import { Clock } from './clock.js';
import { Client, type ClientConnection } from './client.js';
import {
  BLOCKED,
  CommandTable,
  type CommandEntry,
  type CommandFlag,
  type CommandResult,
} from './command-table.js';
import { allCommands } from './commands/index.js';
import { Config } from './config.js';
import { Errors, arityError, unknownCommandError, unknownSubcommandError } from './errors.js';
import { ActiveExpiry } from './expiry.js';
import {
  Database,
  type DatasetMemory,
  type ExpiryMode,
  type KeyspaceObserver,
} from './keyspace.js';
import type { DetachedDataset } from './persistence/keyspace-loader.js';
import type { StringStorage } from './key-table.js';
import { EventClass, KeyspaceEvents } from './keyspace-events.js';
import { OutputLimits } from './output-limits.js';
import { ClientEviction } from './client-eviction.js';
import { InstantaneousMetrics } from './instantaneous-metrics.js';
import { LatencyHistogram } from './latency-histogram.js';
import { ClientPause } from './client-pause.js';
import { Shutdown } from './shutdown.js';
import { ReplicaKeysWithExpire } from './replica-keys-with-expire.js';
import { LatencyMonitor } from './latency-monitor.js';
import { freedInBackground } from './lazy-free.js';
import { SlowLog } from './slowlog.js';
import { Monitors } from './monitor.js';
import { PubSub } from './pubsub.js';
import { Propagation, PropagationTarget } from './propagation.js';
import type { PersistenceHost } from './persistence-host.js';
import type { MigrationHost } from './migration-host.js';
import type { ReplicationHost } from './replication-host.js';
import { Snapshot } from './persistence/snapshot.js';
import { Scripting } from './scripting/scripting.js';
import type { ScriptFlags } from './scripting/script-flags.js';
import { Tracking } from './tracking.js';
import { Eviction } from './eviction.js';
import { IdleCollection, letYoungGenerationGrow } from './garbage.js';
import { STARTUP_BYTES } from './memory-estimate.js';
import type { LfuSettings } from './access-frequency.js';
import { commandKeys } from './command-metadata/command-keys.js';
import { routeCommand, routeOneKey, type ClusterMode } from './cluster-mode.js';
import { metadataOf } from './command-metadata/command-description.js';
import { AccessControl } from './acl/access-control.js';
import type { LogContext, LogReason } from './acl/acl-log.js';
import type { Denial } from './acl/selector.js';
import { KEY_READ } from './acl/acl-commands.js';
import type { AclUser } from './acl/user.js';
import { formatClientInfo } from './client-info.js';
import { ReplyBufferResizing } from './reply-buffer-resizing.js';
import type { RdbFault, RdbWriter } from '@rc/rdb';
import type { RedisValue, UnreadableValue } from './values.js';
import { crashOfFault, faultLogLines } from './value-faults.js';

export interface EngineOptions {
  /** Initial configuration, e.g. from the command line: name → value. */
  config?: Iterable<readonly [string, string]>;
  /** SHUTDOWN was accepted: the host stops serving (and, for the daemon, exits). */
  onShutdown?: () => void;
  /** Who writes snapshots and the append-only file; without one, SAVE and friends fail. */
  persistence?: PersistenceHost;
  /** Where the engine's log lines go (DEBUG LOG, DEBUG RELOAD...); silent when left out. */
  log?: EngineLog;
  /**
   * A crash was asked for (DEBUG SEGFAULT, PANIC, ASSERT, OOM) or the data can no longer be
   * trusted (DEBUG LOADAOF of a broken AOF): the daemon writes its crash report and exits.
   * Without it the engine stops serving: every connection is closed.
   */
  onCrash?: (crash: EngineCrash) => void;
  /** The config file the server started from: CONFIG REWRITE's target. */
  configFile?: string | null;
}

export type EngineLogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export type EngineLog = (level: EngineLogLevel, message: string) => void;

/** Why the engine crashed, with the line Redis logs for it (serverPanic's message...). */
export interface EngineCrash {
  readonly kind: 'segfault' | 'panic' | 'assertion' | 'out-of-memory' | 'aof-load';
  readonly message: string;
}

// The command sets below hold full names, as CommandEntry.fullName: LATENCY RESET is
// "latency|reset", not RESET.

/** Writes that replace whole databases: a running snapshot finishes before they run. */
const KEYSPACE_WIDE_WRITES = new Set(['flushall', 'flushdb', 'swapdb', 'move', 'copy']);

/** A test for queuedAny: the command lacks a flag (stale, loading). */
function lacksFlag(flag: CommandFlag): (entry: CommandEntry) => boolean {
  return (entry) => !entry.spec.flags.includes(flag);
}

/** Commands a transaction runs right away instead of queueing them. */
const TRANSACTION_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/**
 * Redis's CMD_TOUCHES_ARBITRARY_KEYS: the DELs of keys they find expired are propagated
 * without MULTI/EXEC around them.
 */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);
/** Their confirmations are pushes, which Redis delivers even under CLIENT REPLY OFF. */
const SUBSCRIPTION_COMMANDS = new Set([
  'subscribe',
  'unsubscribe',
  'psubscribe',
  'punsubscribe',
  'ssubscribe',
  'sunsubscribe',
]);
/** Out of memory, these still run inside MULTI (the rest would queue without bound). */
const ALWAYS_ALLOWED_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);
/** The commands that run a script, and how each names it: flags come from the script. */
const SCRIPT_CALLS = new Map<string, 'eval' | 'evalsha' | 'fcall'>([
  ['eval', 'eval'],
  ['eval_ro', 'eval'],
  ['evalsha', 'evalsha'],
  ['evalsha_ro', 'evalsha'],
  ['fcall', 'fcall'],
  ['fcall_ro', 'fcall'],
]);
/** What a RESP2 client may run while subscribed. */
const SUBSCRIBED_MODE_ALLOWED = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);

/** The server's statistics; it counts the error replies every client's writer reports. */
export class EngineStats implements ErrorReplyStats {
  totalCommands = 0;
  totalConnections = 0;
  /** Connections refused at accept (maxclients): INFO's rejected_connections. */
  rejectedConnections = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  /** Clients closed by maxmemory-clients (INFO's evicted_clients). */
  evictedClients = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  /** Changes since the last save, as INFO's rdb_changes_since_last_save. */
  dirty = 0;
  lastSave = Math.floor(Date.now() / 1000);
  totalErrorReplies = 0;
  readonly errorCodes = new Map<string, number>();
  /**
   * The running call replied an error its statistics already had (a script's pcall error):
   * the call failed all the same. Engine.call reads it; CONFIG RESETSTAT leaves it alone.
   */
  failedUncounted = false;
  /** Socket traffic, counted by the transport per read and per write (not per command). */
  netInputBytes = 0;
  netOutputBytes = 0;
  netReplicationInputBytes = 0;
  netReplicationOutputBytes = 0;
  readsProcessed = 0;
  writesProcessed = 0;
  /** The highest used_memory reported so far (Redis's stat_peak_memory). */
  peakMemory = 0;
  /** Background saves and rewrites started (INFO's total_forks; their children stand in). */
  forks = 0;
  /** Values and keys Redis would have freed in the background (INFO's lazyfreed_objects). */
  lazyfreedObjects = 0;

  /** CONFIG RESETSTAT: what Redis's resetServerStats clears (not dirty, lastSave, the peak). */
  reset(): void {
    this.totalCommands = 0;
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.evictedClients = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.totalErrorReplies = 0;
    this.errorCodes.clear();
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.netReplicationInputBytes = 0;
    this.netReplicationOutputBytes = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.forks = 0;
    this.lazyfreedObjects = 0;
  }

  /** An error reply was written: total_error_replies and errorstats, as Redis's afterErrorReply. */
  errorReplied(error: string): void {
    this.totalErrorReplies++;
    const space = error.indexOf(' ');
    const code = space === -1 ? error : error.slice(0, space);
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  /** An error counted before was replied again (ERR_REPLY_FLAG_NO_STATS_UPDATE): a failed call. */
  errorRepeated(): void {
    this.failedUncounted = true;
  }
}

/**
 * The transport-free core: databases, the command table, clients' engine-side state, blocking,
 * pub/sub and transactions. A server feeds it parsed commands and flushes what clients were
 * written.
 */
export class Engine implements KeyspaceObserver {
  readonly config: Config;
  readonly databases: Database[];
  readonly commands = new CommandTable(allCommands);
  /** ACL users, their permissions and the ACL log. */
  readonly acl = new AccessControl(this.commands);
  readonly clients = new Map<number, Client>();
  readonly pubsub = new PubSub();
  /** The time of the data (expiry, TTLs, TIME, stream IDs, blocking timeouts): tests move it. */
  readonly clock = new Clock(() => this.refreshLruClock());
  readonly blocking = new BlockingRegistry(
    (client, state, microseconds, mark) => {
      this.waitEnded(client, mark);
      this.servedAfterBlocking(client, state, microseconds);
    },
    // A served waiter's invalidations, as a command's, follow its reply.
    (client, serve) =>
      this.tracking.clientCount === 0 ? serve() : this.tracking.runAs(client, serve),
    this.clock,
  );
  /** CLIENT TRACKING: who cached which keys, and their invalidations. */
  readonly tracking = new Tracking(this.clients, (client) => this.delivered(client));
  private trackingMaxKeys = 1000000;
  /** totalErrorReplies when the last call or refusal was accounted for (failed_calls). */
  private errorsAccounted = 0;
  /** The command being executed was a (un)subscription that ran: see applyReplyMode. */
  private subscriptionReplied = false;
  /** See `now`: the time of the command running, once something asked for it; else 0. */
  private timeSnapshot = 0;
  /** performance.now() as a running script began (see `freezeTime`); -1 when none froze it. */
  private frozenFrom = -1;
  /**
   * performance.now() as the latest call began: read by a handler as it starts (a script's
   * start time) rather than reading the clock again.
   */
  callStartedAt = 0;
  /** A connection runs a batch of pipelined commands (see `chainCallTimes`). */
  private chainingCallTimes = false;
  /**
   * In a batch, when the last outermost call ended (performance.now()), which is when the next
   * one starts; -1 before the batch's first call. Only ever a number, so it is written in place.
   */
  private lastCallEnd = -1;
  /** The client whose command is running (a script's own client inside scripts). */
  private callingClient: Client | null = null;
  /** The running command's own count of changes, when it counts as Redis does (see countChanges). */
  private declaredChanges: number | null = null;
  /** maxmemory and its policies; created once a limit is first set. */
  eviction: Eviction | null = null;
  /** The estimate of what the databases hold, kept by each write (see memory-estimate.ts). */
  readonly dataset: DatasetMemory = { bytes: 0 };
  /** The last command found memory over maxmemory (Redis's pre_command_oom_state). */
  outOfMemory = false;
  /** Set under an LFU maxmemory-policy (the keyspace then counts accesses). */
  lfu: LfuSettings | null = null;
  /** Off under an LRU or LFU policy with a maxmemory limit (see KeyspaceObserver). */
  sharedIntegers = true;
  /** Medium strings in slabs while maxmemory is set (see StringStorage). */
  readonly stringStorage: StringStorage = { mediumStringsAsBytes: false };
  /** What a call that blocked needs for its statistics once it is served. */
  private readonly blockedCalls = new WeakMap<
    BlockedState,
    { entry: CommandEntry; argv: readonly string[]; microseconds: number }
  >();
  readonly monitors = new Monitors();
  readonly stats = new EngineStats();
  readonly metrics = new InstantaneousMetrics(this.stats);
  /** latency-tracking, cached: every call consults it. */
  private latencyTracking = true;
  readonly slowlog = new SlowLog();
  readonly latencyMonitor = new LatencyMonitor();
  /** slowlog-log-slower-than (negative: off) and slowlog-max-len, cached for every call. */
  private slowlogThreshold = 10000;
  private slowlogMaxLength = 128;
  /** Key lookups count as keyspace hits and misses: in read-only commands, and see readingKeys. */
  private lookupsCounted = false;
  /** Effective writes, for the append-only file and replicas. */
  readonly propagation = new Propagation();
  /** Snapshots started so far: what was written before one began is in it. */
  snapshotsStarted = 0;
  readonly startedAt = Date.now();
  readonly runId = randomBytes(20).toString('hex');
  private readonly watchers = new Map<Database, Map<string, Set<Client>>>();
  private readonly expiry: ActiveExpiry;
  private readonly outputLimits: OutputLimits;
  /** maxmemory-clients: the clients' memory, and the eviction of the largest. */
  readonly clientEviction: ClientEviction;
  /** Each client's reply buffer resized to its use, at the clients cron. */
  readonly replyBuffers = new ReplyBufferResizing();
  readonly keyspaceEvents: KeyspaceEvents;
  private nextClientId = 1;
  readonly onShutdown: (() => void) | undefined;
  persistence: PersistenceHost | undefined;
  /** The dataset is being loaded: only commands flagged `loading` run (INFO, CONFIG...). */
  loading = false;
  /**
   * A replica loads its master's snapshot beside the dataset it keeps serving (Redis's
   * async_loading): only commands flagged `no_async_loading` are refused.
   */
  asyncLoading = false;
  /** Redis's server.in_exec: an EXEC runs its queue (background work is only scheduled then). */
  inExec = false;
  /** Who runs replication (PSYNC, WAIT, REPLICAOF...); without one, a master with no replicas. */
  replication: ReplicationHost | undefined;
  /** MIGRATE's connections to other servers; without one, MIGRATE cannot connect. */
  migration: MigrationHost | undefined;
  /** Cluster mode (cluster-enabled yes): the node's view and nodes.conf; else standalone. */
  cluster: ClusterMode | undefined;
  /** `hide` on a replica, `keep` while it applies its master's stream (see ExpiryMode). */
  private baseExpiryMode: ExpiryMode = 'delete';
  /** CLIENT PAUSE, and the commands it holds back. */
  readonly clientPause = new ClientPause(
    (client, argv) => this.rerunPostponed(client, argv),
    this.clock,
  );
  /** SHUTDOWN and the signals: waiting for replicas, the final save, the exit. */
  readonly shutdown = new Shutdown(this);
  /** A writable replica's own keys with a TTL, which it expires itself. */
  readonly replicaKeysWithExpire = new ReplicaKeysWithExpire();
  /** A client's write runs on a writable replica (Redis's LOOKUP_WRITE there). */
  private writableReplicaWrite = false;

  /**
   * While clients are paused a master keeps its dataset as it is: expired keys are hidden.
   * While loading nothing expires (Redis's keyIsExpired is false during loading).
   */
  get expiryMode(): ExpiryMode {
    if (this.loading) return 'keep';
    return this.baseExpiryMode === 'delete' && this.clientPause.current !== null
      ? 'hide'
      : this.baseExpiryMode;
  }

  set expiryMode(mode: ExpiryMode) {
    this.baseExpiryMode = mode;
  }
  /**
   * Redis's LRU clock (seconds), refreshed ten times a second as Redis's serverCron does: every
   * key access records it, and a clock read per access would cost about 150 ns on some VMs.
   */
  lruClock = Math.floor(this.clock.now() / 1000);
  private lruClockTimer: NodeJS.Timeout | null = null;
  private readonly idleCollection = new IdleCollection();
  /**
   * DEBUG PAUSE-CRON: what Redis's serverCron does here stops, the active expiry cycle and the
   * LRU clock, so tests can hold time still.
   */
  cronPaused = false;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE accepts payloads whose CRC64 is wrong. */
  skipChecksumValidation = false;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call commands flagged noscript. */
  scriptDenyDisabled = false;
  /** Where log lines go; the daemon sets it to its log. */
  log: EngineLog;
  /** See EngineOptions.onCrash. */
  onCrash: ((crash: EngineCrash) => void) | undefined;
  /** See EngineOptions.configFile. */
  readonly configFile: string | null;
  /** EVAL and friends: the Lua state, the script cache, the running script. */
  readonly scripting: Scripting = new Scripting(this);
  /**
   * A script ran past busy-reply-threshold and yields between slices: other clients get -BUSY
   * except for the commands flagged allow_busy (SCRIPT KILL, SHUTDOWN NOSAVE, MULTI...).
   */
  scriptTimedOut = false;
  /** Snapshots being written; every write preserves what they still need first. */
  private readonly snapshots = new Set<Snapshot>();

  constructor(options: EngineOptions = {}) {
    this.onShutdown = options.onShutdown;
    this.log = options.log ?? (() => undefined);
    this.onCrash = options.onCrash;
    this.configFile = options.configFile ?? null;
    this.persistence = options.persistence;
    this.config = new Config();
    // watchdog-period last: Redis raises it once the whole configuration is read, by the final hz.
    const startup = [...(options.config ?? [])];
    const watchdog = (name: string) => name.toLowerCase() === 'watchdog-period';
    for (const [name, value] of [
      ...startup.filter(([name]) => !watchdog(name)),
      ...startup.filter(([name]) => watchdog(name)),
    ]) {
      this.config.set(name, value);
    }
    const count = Math.max(1, this.config.getNumber('databases') || 16);
    this.databases = Array.from({ length: count }, (_, id) => new Database(id, this));
    this.expiry = new ActiveExpiry(this);
    this.outputLimits = new OutputLimits(this.config);
    this.clientEviction = new ClientEviction(this);
    this.keyspaceEvents = new KeyspaceEvents(this.config, this.pubsub, (client) =>
      this.delivered(client),
    );
    this.config.follow('latency-tracking', (value) => {
      this.latencyTracking = value === 'yes';
    });
    this.config.follow('slowlog-log-slower-than', (value) => {
      this.slowlogThreshold = Number(value);
    });
    this.config.follow('latency-monitor-threshold', (value) => {
      this.latencyMonitor.threshold = Number(value);
    });
    this.config.follow('maxmemory', (value) => {
      // Here, not in Eviction, which exists only once a limit has been set: without one the
      // young generation was held at its first 2 MB for good (scavenges every MB allocated).
      letYoungGenerationGrow(Number(value) === 0);
      if (Number(value) > 0) this.eviction ??= new Eviction(this);
    });
    // Set (not at startup), a limit is enforced right away, as Redis's updateMaxmemory.
    this.config.onChange('maxmemory', () => {
      if (this.config.getNumber('maxmemory') > 0) this.eviction?.limitLowered();
    });
    for (const name of ['maxmemory', 'maxmemory-policy']) {
      this.config.follow(name, () => {
        const policy = this.config.get('maxmemory-policy');
        this.stringStorage.mediumStringsAsBytes = this.config.getNumber('maxmemory') > 0;
        this.sharedIntegers =
          this.config.getNumber('maxmemory') === 0 ||
          !(policy.includes('lru') || policy.includes('lfu'));
      });
    }
    for (const name of ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) {
      this.config.follow(name, () => {
        this.lfu = this.config.get('maxmemory-policy').includes('lfu')
          ? {
              logFactor: this.config.getNumber('lfu-log-factor'),
              decayMinutes: this.config.getNumber('lfu-decay-time'),
            }
          : null;
      });
    }
    this.config.follow('tracking-table-max-keys', (value) => {
      // Applied after the command, outside it: evictions are nobody's own change (NOLOOP).
      this.trackingMaxKeys = Number(value);
    });
    this.config.follow('slowlog-max-len', (value) => {
      this.slowlogMaxLength = Number(value);
      this.slowlog.trim(this.slowlogMaxLength);
    });
    // requirepass is the default user's password, as Redis's ACLUpdateDefaultUserPassword.
    this.config.follow('requirepass', (value) => this.acl.setDefaultPassword(value));
    this.config.follow('acl-pubsub-default', (value) => {
      this.acl.channelsByDefault = value === 'allchannels';
    });
    this.acl.onUserRemoved = (user) => this.disconnectUser(user);
    this.acl.onChannelsNarrowed = (user) => this.disconnectLostSubscribers(user);
  }

  /** Starts background work (active expiry). Tests that drive time by hand may skip it. */
  start(): void {
    this.expiry.start();
    this.metrics.start();
    this.lruClockTimer ??= setInterval(() => this.refreshLruClock(), 100).unref();
  }

  /** What serverCron does every 100 ms here: the LRU clock, and without a child, shrinking. */
  private refreshLruClock(): void {
    if (this.cronPaused) return;
    this.lruClock = Math.floor(this.clock.now() / 1000);
    if (!this.childRunning) for (const db of this.databases) db.shrinkSparseTables();
    this.idleCollection.tick(this.stats.totalCommands, this.dataset.bytes);
  }

  /** CONFIG RESETSTAT: INFO's counters, commandstats, latencystats and errorstats restart. */
  resetStats(): void {
    this.stats.reset();
    this.metrics.reset();
    for (const entry of this.commands.entries()) {
      for (const each of [entry, ...(entry.subcommands?.values() ?? [])]) {
        each.calls = each.microseconds = each.rejectedCalls = each.failedCalls = 0;
        each.latency = null;
      }
    }
    this.persistence?.resetStats();
    this.replication?.resetStats();
    this.eviction?.resetStats();
    this.replyBuffers.resetStats();
  }

  /**
   * used_memory as maxmemory holds it, before each command: an empty server's memory, the
   * dataset's, and the clients' other than replicas as last counted (see ClientEviction). Kept
   * up to date by the writes and the clients themselves, so reading it costs nothing.
   */
  memoryForEviction(): number {
    return STARTUP_BYTES + this.dataset.bytes + this.clientEviction.clientsBytes;
  }

  /** INFO keyspace's avg_ttl, estimated by the active expiry cycle. */
  averageTtl(db: Database): number {
    return this.expiry.averageTtl(db);
  }

  /** DEBUG SET-ACTIVE-EXPIRE: tests make expiry happen only on access. */
  setActiveExpire(enabled: boolean): void {
    this.expiry.enabled = enabled;
  }

  /**
   * Redis's serverPanic and crash handler: the host's onCrash reports and exits; without one,
   * the engine logs the crash, stops and closes every connection, as a dead server would.
   */
  crash(crash: EngineCrash): void {
    if (this.onCrash !== undefined) {
      this.onCrash(crash);
      return;
    }
    this.log('warning', crash.message);
    this.stop();
    for (const client of [...this.clients.values()]) client.connection.close();
  }

  stop(): void {
    this.expiry.stop();
    this.metrics.stop();
    if (this.lruClockTimer !== null) clearInterval(this.lruClockTimer);
    this.lruClockTimer = null;
    for (const client of this.clients.values()) this.blocking.unblock(client);
  }

  /**
   * Whether the default user logs in without a password: protected mode then refuses peers
   * that are not local.
   */
  defaultUserIsPasswordless(): boolean {
    return this.acl.defaultUser.noPassword;
  }

  connect(connection: ClientConnection): Client {
    const client = new Client(
      this.nextClientId++,
      this.databases[0],
      connection,
      this.stats,
      this.clock.now(),
    );
    if (connection.closeAsap !== undefined) {
      // Checked each time a reply outgrows its buffer, as Redis checks on each new reply block.
      client.out.onGrow = (needed) => this.outputGrew(client, needed);
    }
    client.user = this.acl.defaultUser;
    client.authenticated = this.acl.openByDefault;
    this.clients.set(client.id, client);
    this.stats.totalConnections++;
    this.clientEviction.update(client);
    return client;
  }

  disconnect(client: Client): void {
    client.closed = true;
    this.scripting.clientClosed(client);
    this.clientEviction.forget(client);
    this.blocking.unblock(client);
    this.clientPause.forget(client);
    this.pubsub.unsubscribeAll(client);
    this.unwatchAll(client);
    this.tracking.disable(client);
    this.monitors.clients.delete(client);
    this.clients.delete(client.id);
  }

  /**
   * Runs one command from a client: lookup, arity, auth, subscribed mode and MULTI checks,
   * then the handler. Returns BLOCKED when the client is parked and must not run more yet.
   */
  execute(client: Client, argv: string[]): CommandResult {
    // A script stopped by the Lua debugger reads its client's commands itself.
    if (client === this.scripting.debugClient) {
      this.scripting.debuggerCommand(argv);
      return;
    }
    // Left from a wait whose end did not go through waitEnded (WAIT, a timed-out script).
    if (client.skipWaitReply) client.skipWaitReply = false;
    const mark = client.out.length;
    this.subscriptionReplied = false;
    const result = this.process(client, argv);
    // ASKING covers the next command only (or a whole MULTI), as Redis's resetClient.
    if (client.asking && client.transaction === null && client.lastCommand !== 'asking') {
      client.asking = false;
    }
    if (client.replyMode !== 'on' || client.skipNext) this.applyReplyMode(client, mark, result);
    if (client.kind === 'replica' && client.out.length > mark) this.replicaReplied(client, mark);
    return result;
  }

  /**
   * A replica's link carries the stream one way: a command of the replica's that made a reply
   * gets it dropped, as Redis's logInvalidUseAndFreeClientAsync (an error is logged first).
   */
  private replicaReplied(client: Client, mark: number): void {
    const reply = client.out.take().subarray(mark).toString('latin1');
    if (reply.startsWith('-')) {
      this.log(
        'warning',
        `== CRITICAL == This master is sending an error to its replica: '${reply.slice(1).trimEnd()}' after processing the command '${client.lastCommand}'`,
      );
    }
    const info = formatClientInfo(client, this, null);
    this.log(
      'warning',
      `Replica generated a reply to command '${client.lastCommand}', disconnecting it: ${info}`,
    );
    client.connection.close();
  }

  /**
   * CLIENT REPLY OFF and SKIP: what the command replied is dropped (refusals and QUEUED too),
   * but for the confirmations of (un)subscribing, which Redis pushes past them. Then, as
   * Redis's resetClient, SKIP is over and a SKIP just asked for covers the next command. A
   * command that waits under SKIP has the reply its wait ends with dropped (waitEnded).
   */
  private applyReplyMode(client: Client, mark: number, result: CommandResult): void {
    if (client.replyMode !== 'on' && !this.subscriptionReplied) client.out.truncate(mark);
    if (result === BLOCKED && client.replyMode === 'skip') client.skipWaitReply = true;
    if (client.replyMode === 'skip') client.replyMode = 'on';
    if (client.skipNext) {
      client.replyMode = 'skip';
      client.skipNext = false;
    }
  }

  /** A waiter's wait ended with the reply written from `mark`: dropped under OFF or SKIP. */
  waitEnded(client: Client, mark: number): void {
    if (client.replyMode !== 'off' && !client.skipWaitReply) return;
    client.out.truncate(mark);
    client.skipWaitReply = false;
  }

  /** One command: lookup, the checks of Redis's processCommand, queueing or running it. */
  private process(client: Client, argv: string[]): CommandResult {
    const entry = this.resolve(client, argv);
    if (entry === undefined) return;
    // The checks of Redis's processCommand, in its order (which error wins matters).
    // DEBUG and MODULE's loading subcommands, each allowed by its own setting.
    if (entry.isProtected) {
      const debug = entry.parent === null;
      const setting = debug ? 'enable-debug-command' : 'enable-module-command';
      if (!this.config.allows(setting, client.local)) {
        return this.reject(
          client,
          entry,
          argv,
          debug ? Errors.debugNotAllowed : Errors.moduleNotAllowed,
        );
      }
    }
    if (this.authRequired(client) && !entry.spec.flags.includes('no_auth')) {
      return this.reject(client, entry, argv, Errors.noAuth);
    }
    if (client.transaction !== null && entry.spec.flags.includes('no_multi')) {
      return this.reject(client, entry, argv, 'ERR Command not allowed inside a transaction');
    }
    const user = client.user;
    if (user !== null && !user.unrestricted) {
      const denial = user.check(entry, argv);
      if (denial !== null) {
        this.logDenial(client, denial, callContext(client), entry, argv);
        return this.reject(client, entry, argv, permissionError(denial, entry));
      }
    }
    // Redis redirects before any other refusal but those above; never its master's stream.
    if (this.cluster !== undefined && !client.obeysAll) {
      const redirect = this.clusterRoute(client, entry, argv);
      if (redirect !== null) return this.redirect(client, entry, redirect);
    }
    if (this.eviction !== null) {
      this.outOfMemory = this.eviction.run() === 'fail';
      if (this.outOfMemory && this.deniedOutOfMemory(client, entry, argv)) {
        return this.reject(client, entry, argv, Errors.outOfMemory);
      }
    }
    // EXEC is judged by what it queued, as Redis by mstate.cmd_flags: the state may have
    // changed since each command was queued.
    const exec = entry.fullName === 'exec' && client.transaction !== null;
    // A queued script that declares flags writes unless it says no-writes (evalGetCommandFlags).
    const isWrite = exec
      ? this.queuedAny(client, (queued, queuedArgv) => this.writes(queued, queuedArgv))
      : entry.isWrite;
    if (
      (isWrite || entry.fullName === 'ping') &&
      this.persistence !== undefined &&
      !client.obeysAll
    ) {
      const refusal = this.persistence.writeRefusal();
      if (refusal !== null) return this.reject(client, entry, argv, refusal);
    }
    if (isWrite && this.replication !== undefined && !client.obeysAll) {
      if (!this.replication.enoughGoodReplicas) {
        return this.reject(client, entry, argv, Errors.noReplicas);
      }
      // A read-only replica takes writes from its master only.
      if (this.replication.readOnly) {
        return this.reject(client, entry, argv, Errors.readOnlyReplica);
      }
    }
    if (client.inSubscribedMode && !SUBSCRIBED_MODE_ALLOWED.has(entry.fullName)) {
      return this.reject(
        client,
        entry,
        argv,
        `ERR Can't execute '${entry.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
    }
    if (
      this.replication?.servesStaleData === false &&
      (exec ? this.queuedAny(client, lacksFlag('stale')) : !entry.spec.flags.includes('stale'))
    ) {
      return this.reject(client, entry, argv, Errors.masterDown);
    }
    // The AOF loader's replay is the loading itself.
    if (
      this.loading &&
      !client.obeysAll &&
      (exec ? this.queuedAny(client, lacksFlag('loading')) : !entry.spec.flags.includes('loading'))
    ) {
      return this.reject(client, entry, argv, Errors.loading);
    }
    if (
      this.asyncLoading &&
      (exec
        ? this.queuedAny(client, (queued) => queued.spec.flags.includes('no_async_loading'))
        : entry.spec.flags.includes('no_async_loading'))
    ) {
      return this.reject(client, entry, argv, Errors.loading);
    }
    if (this.scriptTimedOut && !entry.spec.flags.includes('allow_busy')) {
      return this.reject(client, entry, argv, this.scripting.busyError);
    }
    // Replicas are never paused: they may not touch the keyspace either.
    if (
      client.kind === 'replica' &&
      (entry.isWrite ||
        entry.spec.flags.includes('readonly') ||
        entry.spec.flags.includes('may_replicate'))
    ) {
      return this.reject(client, entry, argv, "ERR Replica can't interact with the keyspace");
    }
    // The AOF replay is not held back; the master link is, as in Redis: a paused replica
    // reads its master's stream but applies none of its writes until the pause ends.
    // Whether the command may write is only worked out while a pause is on.
    const pause = this.clientPause.current;
    if (
      pause !== null &&
      (!client.obeysAll || client.kind === 'master') &&
      (pause === 'all' || this.mayReplicate(client, entry, argv))
    ) {
      return this.postpone(client, argv);
    }
    if (client.transaction !== null && !TRANSACTION_CONTROL.has(entry.fullName)) {
      client.transaction.push(argv);
      client.out.simple('QUEUED');
      return;
    }
    // Without tracking clients, no closure on the hot path.
    const result =
      this.tracking.clientCount === 0
        ? this.runTopLevel(client, entry, argv)
        : this.tracking.runAs(client, () => this.runTopLevel(client, entry, argv));
    // CLIENT CACHING applies to the next command (or transaction) only, as Redis's resetClient.
    const tracking = client.tracking;
    if (
      tracking !== null &&
      client.transaction === null &&
      (entry.parent ?? entry).spec.name !== 'client'
    ) {
      tracking.caching = false;
    }
    if (this.tracking.clientCount !== 0) this.tracking.limit(this.trackingMaxKeys);
    // Waiters are served once a timed-out script has ended, as Redis's handleClientsBlockedOnKeys.
    if (this.blocking.hasReadyKeys && !this.scriptTimedOut) this.blocking.serveReadyKeys();
    return result;
  }

  /** A command from the client itself (not from EXEC or a script), with its reply mode applied. */
  private runTopLevel(client: Client, entry: CommandEntry, argv: string[]): CommandResult {
    // Only read under CLIENT REPLY OFF or SKIP, which no (un)subscription turns on or off: the
    // set is not searched for every command.
    if (client.replyMode !== 'on' && SUBSCRIPTION_COMMANDS.has(entry.fullName)) {
      this.subscriptionReplied = true;
    }
    // One command (or a whole EXEC) is one unit: its writes go out together, after it.
    const propagating = this.propagation.active;
    if (propagating) this.propagation.beginUnit();
    const result = this.call(client, entry, argv);
    if (propagating) this.propagation.endUnit(!TOUCHES_ARBITRARY_KEYS.has(entry.fullName));
    if (this.replication !== undefined) client.replicationOffset = this.replication.offset;
    return result;
  }

  /** Finds the command (and subcommand) and checks arity, replying the error when it fails. */
  private resolve(client: Client, argv: string[]): CommandEntry | undefined {
    let entry = this.commands.lookup(argv[0]);
    if (entry === undefined) {
      client.lastCommand = 'NULL';
      this.rejectUnknown(client, unknownCommandError(argv));
      return undefined;
    }
    if (entry.subcommands !== null && argv.length >= 2) {
      const sub = entry.subcommands.get(argv[1].toLowerCase());
      if (sub === undefined) {
        client.lastCommand = 'NULL';
        this.rejectUnknown(client, unknownSubcommandError(entry.spec.name, argv[1]));
        return undefined;
      }
      entry = sub;
    }
    // CLIENT LIST's cmd, as Redis's c->lastcmd: set once looked up, even if then rejected or
    // queued; the commands EXEC and scripts run leave it alone.
    client.lastCommand = entry.fullName;
    const arity = entry.spec.arity;
    if (arity > 0 ? argv.length !== arity : argv.length < -arity) {
      this.reject(client, entry, argv, arityError(entry.fullName));
      return undefined;
    }
    return entry;
  }

  private rejectUnknown(client: Client, error: string): void {
    if (client.transaction !== null) client.transactionFailed = true;
    client.out.error(error);
    this.errorsAccounted = this.stats.totalErrorReplies;
  }

  /** A call refused before it ran (its error replied): rejected_calls, as Redis counts them. */
  callRefused(entry: CommandEntry): void {
    entry.rejectedCalls++;
    this.errorsAccounted = this.stats.totalErrorReplies;
  }

  /**
   * The redirection (or CLUSTERDOWN/CROSSSLOT) error for a command this node does not serve,
   * or null. Commands without keys are never redirected; EXEC is judged by what it queued.
   */
  private clusterRoute(client: Client, entry: CommandEntry, argv: string[]): string | null {
    const cluster = this.cluster!;
    if (entry.fullName === 'exec') {
      if (client.transaction === null) return null;
      const calls: Array<[CommandEntry, string[]]> = [];
      for (const queued of client.transaction) {
        const queuedEntry = this.resolveQueued(queued);
        if (queuedEntry !== undefined) calls.push([queuedEntry, queued]);
      }
      return routeCommand(
        cluster.state,
        this.config,
        client,
        this.databases[0]!,
        calls,
        this.callWrites,
      );
    }
    // Redis skips commands with no key specs (not_key ones count) and no keys procedure.
    const keys = entry.keyRouting;
    if (keys === 'keyless') return null;
    if (typeof keys === 'number' && keys < argv.length) {
      return routeOneKey(
        cluster.state,
        this.config,
        client,
        this.databases[0]!,
        entry,
        argv[keys]!,
        // Scripts name their keys by count ('specs'), so a one-key command writes by its flags.
        entry.isWrite,
      );
    }
    return routeCommand(
      cluster.state,
      this.config,
      client,
      this.databases[0]!,
      [[entry, argv]],
      this.callWrites,
    );
  }

  /** A redirected EXEC discards its transaction; other commands fail a MULTI in progress. */
  private redirect(client: Client, entry: CommandEntry, error: string): void {
    if (entry.fullName === 'exec') {
      client.transaction = null;
      client.transactionFailed = false;
      this.unwatchAll(client);
      client.out.error(error);
    } else {
      this.rejectUnknown(client, error);
    }
    this.callRefused(entry);
  }

  /**
   * As Redis's rejectCommand: the error, which also fails a MULTI in progress; a refused EXEC
   * aborts and discards the transaction instead.
   */
  private reject(client: Client, entry: CommandEntry, argv: string[], error: string): void {
    if (entry.fullName !== 'exec') {
      this.rejectUnknown(client, error);
    } else {
      client.transaction = null;
      client.transactionFailed = false;
      this.unwatchAll(client);
      // Redis formats the errors it words itself (arity, subscribed mode) without their ERR.
      const reason = error.startsWith('ERR ') ? error.slice(4) : error;
      client.out.error(`EXECABORT Transaction discarded because of: ${reason}`);
      // MONITOR saw the MULTI: it sees the EXEC that ends it (Redis's execCommandAbort).
      this.monitors.feed(client, argv);
    }
    this.callRefused(entry);
  }

  /**
   * A connection starts (true) or ends (false) running a batch of pipelined commands. Within
   * it, an outermost call starts when the one before it ended: one clock read per command
   * instead of two (about 30–50 ns each here). What runs between two calls (reading the next
   * command, its checks) counts toward the next one's time in commandstats, the latency
   * histogram and the slow log.
   */
  chainCallTimes(on: boolean): void {
    this.chainingCallTimes = on;
    this.lastCallEnd = -1;
  }

  /** Runs a handler with statistics; used by `execute` and by EXEC for queued commands. */
  call(client: Client, entry: CommandEntry, argv: string[]): CommandResult {
    const handler = entry.spec.handler;
    if (handler === undefined) return;
    const callingBefore = this.callingClient;
    const outermost = callingBefore === null;
    const chained = outermost && this.chainingCallTimes;
    const started = chained && this.lastCallEnd >= 0 ? this.lastCallEnd : performance.now();
    this.callStartedAt = started;
    if (this.snapshots.size !== 0 && entry.isWrite) {
      if (KEYSPACE_WIDE_WRITES.has(entry.fullName)) this.finishSnapshots();
      else this.beforeWrite(client.db, argv);
    }
    const propagation = this.propagation;
    const propagating = propagation.active;
    // Nested calls (EXEC's queue) keep the outer command's propagation choice intact.
    const savedMode = propagation.mode;
    const savedReplacement = propagation.replacement;
    const savedForced = propagation.forced;
    if (propagating) propagation.resetCommand();
    const dirtyBefore = this.stats.dirty;
    let result: CommandResult = undefined;
    const countingBefore = this.lookupsCounted;
    this.lookupsCounted = !entry.isWrite;
    this.callingClient = client;
    const declaredBefore = this.declaredChanges;
    this.declaredChanges = null;
    const stats = this.stats;
    const failedUncountedBefore = stats.failedUncounted;
    stats.failedUncounted = false;
    // On a writable replica a client's write deletes the expired keys it touches, as Redis's
    // lookupKeyWrite forces there (its master's DEL would come after the write).
    const expiryBefore = this.baseExpiryMode;
    const replicaWriteBefore = this.writableReplicaWrite;
    if (entry.isWrite && expiryBefore === 'hide' && this.replication?.readOnly === false) {
      this.baseExpiryMode = 'delete';
      this.writableReplicaWrite = true;
    }
    try {
      result = handler(client, argv, this);
    } catch (error) {
      // A bug in one command must not take the server down with every client's data.
      process.emitWarning(`rc: ${entry.fullName} failed: ${(error as Error).stack ?? error}`);
      client.out.error(`ERR internal error while running '${entry.fullName}'`);
    }
    this.baseExpiryMode = expiryBefore;
    this.writableReplicaWrite = replicaWriteBefore;
    this.lookupsCounted = countingBefore;
    this.callingClient = callingBefore;
    if (outermost) this.timeSnapshot = 0;
    this.settleChanges(dirtyBefore, declaredBefore);
    if (entry.tracksKeys && this.tracking.clientCount !== 0)
      this.rememberTrackedKeys(client, entry, argv);
    if (propagating) {
      // SAVE resets the counter: only an increase is a change (Redis clamps the delta at 0).
      propagation.commandDone(
        client.db.id,
        argv,
        this.stats.dirty > dirtyBefore,
        client.fromScript ? this.scripting.replicationTarget : PropagationTarget.All,
      );
      propagation.mode = savedMode;
      propagation.replacement = savedReplacement;
      propagation.forced = savedForced;
    }
    const ended = performance.now();
    if (chained) this.lastCallEnd = ended;
    const microseconds = Math.round((ended - started) * 1000);
    entry.microseconds += microseconds;
    entry.calls++;
    // As Redis, a call that blocked is measured when it is served, not now.
    if (this.latencyTracking && result !== BLOCKED) {
      (entry.latency ??= new LatencyHistogram()).record(microseconds * 1000);
    }
    if (this.latencyMonitor.threshold !== 0) {
      const event = entry.spec.flags.includes('fast') ? 'fast-command' : 'command';
      this.latencyMonitor.addIfNeeded(event, Math.floor(microseconds / 1000));
    }
    // As Redis, a blocked call is logged when it is served.
    if (result === BLOCKED) {
      if (client.blocked !== null) {
        this.blockedCalls.set(client.blocked, { entry, argv, microseconds });
      }
    } else this.logIfSlow(client, entry, argv, microseconds);
    // As Redis's incrCommandStatsOnError: errors since the last call or refusal accounted for,
    // so that a script's failed_calls leaves out the errors its commands had (pcall). Greater:
    // CONFIG RESETSTAT itself sets the count back to 0.
    if (stats.totalErrorReplies > this.errorsAccounted || stats.failedUncounted) {
      entry.failedCalls++;
    }
    this.errorsAccounted = stats.totalErrorReplies;
    stats.failedUncounted = failedUncountedBefore;
    this.stats.totalCommands++;
    if (this.monitors.clients.size !== 0 && !entry.hiddenFromMonitor)
      this.monitors.feed(client, argv);
    return result;
  }

  /**
   * A read-only command ran: a tracking client now caches its keys. Inside a script, the
   * script's caller caches the keys its EVAL or FCALL declared, as Redis does.
   */
  private rememberTrackedKeys(client: Client, entry: CommandEntry, argv: readonly string[]): void {
    let owner = client;
    let ownerEntry: CommandEntry | undefined = entry;
    let ownerArgv = argv;
    if (client.fromScript) {
      const run = this.scripting.current;
      if (run === null) return;
      owner = run.caller;
      ownerArgv = run.argv;
      ownerEntry = this.commands.lookup(ownerArgv[0]);
    }
    if (owner.tracking === null || owner.tracking.broadcast || ownerEntry === undefined) return;
    const keys = commandKeys(metadataOf(ownerEntry), ownerArgv).map((key) => ownerArgv[key.index]);
    this.tracking.remember(owner, keys);
  }

  /** SLOWLOG: a negative threshold is "off". */
  private logIfSlow(
    client: Client,
    entry: CommandEntry,
    argv: readonly string[],
    microseconds: number,
  ): void {
    if (
      microseconds >= this.slowlogThreshold &&
      this.slowlogThreshold >= 0 &&
      !entry.spec.flags.includes('skip_slowlog')
    ) {
      this.slowlog.push(client, argv, microseconds, this.slowlogMaxLength);
    }
  }

  /**
   * A blocked call got its reply: as Redis's updateStatsOnUnblock, its first run's time plus the
   * reply's counts again in commandstats, and goes to the latency histogram and the slowlog.
   */
  /**
   * CLIENT UNBLOCK: the wait ends as a timeout, or with the UNBLOCKED error; either way Redis
   * counts the blocked call as failed (updateStatsOnUnblock).
   */
  unblockByClient(target: Client, withError: boolean): void {
    const state = target.blocked;
    if (state === null) return;
    const call = this.blockedCalls.get(state);
    if (call !== undefined) call.entry.failedCalls++;
    if (!withError) {
      this.blocking.timeOut(target);
      return;
    }
    this.blocking.unblock(target);
    const mark = target.out.length;
    target.out.error(Errors.unblockedByClient);
    this.waitEnded(target, mark);
    this.servedAfterBlocking(target, state, 0);
  }

  private servedAfterBlocking(
    client: Client,
    state: BlockedState,
    replyMicroseconds: number,
  ): void {
    const call = this.blockedCalls.get(state);
    if (call === undefined) return;
    this.blockedCalls.delete(state);
    const total = call.microseconds + replyMicroseconds;
    call.entry.microseconds += total;
    if (this.latencyTracking) {
      (call.entry.latency ??= new LatencyHistogram()).record(total * 1000);
    }
    this.logIfSlow(client, call.entry, call.argv, total);
  }

  /**
   * Starts a point-in-time snapshot of every database into `writer`; the caller drives it with
   * `step` between event-loop turns (or, `blocking`, all at once) and must `endSnapshot` it,
   * finished or not.
   */
  startSnapshot(writer: RdbWriter, blocking: boolean): Snapshot {
    // The AOF rewrite switches files at exactly this point in the op stream.
    this.snapshotsStarted++;
    const snapshot = new Snapshot(this.databases, writer, this.config, blocking);
    this.snapshots.add(snapshot);
    return snapshot;
  }

  endSnapshot(snapshot: Snapshot): void {
    snapshot.close();
    this.snapshots.delete(snapshot);
  }

  get snapshotInProgress(): boolean {
    return this.snapshots.size !== 0;
  }

  /**
   * A write is about to touch some of `names` in `db`. Key positions vary by command (numkeys,
   * STREAMS, STORE), so every argument is offered: names that are not keys cost a lookup.
   */
  beforeWrite(db: Database, names: readonly string[]): void {
    if (this.snapshots.size === 0) return;
    for (const snapshot of this.snapshots) {
      for (let i = 1; i < names.length; i++) snapshot.preserve(db, names[i]);
    }
  }

  /** Completes running snapshots now, before a change they cannot copy-on-write (FLUSHALL). */
  finishSnapshots(): void {
    for (const snapshot of this.snapshots) snapshot.finish();
  }

  /** Runs a queued transaction's commands; the caller has written the array header. */
  runTransaction(client: Client, queue: string[][]): void {
    client.executing = true;
    this.inExec = true;
    for (const argv of queue) {
      const entry = this.resolveQueued(argv);
      if (entry === undefined) continue;
      // Permissions may have changed since the command was queued.
      const denial = client.user?.unrestricted === false ? client.user.check(entry, argv) : null;
      if (denial === null) this.call(client, entry, argv);
      else {
        this.logDenial(client, denial, 'multi', entry, argv);
        client.out.error(changedPermissionError(denial));
      }
    }
    this.inExec = false;
    client.executing = false;
  }

  /**
   * Whether the client's permissions let the call read any key at all (SORT's BY and GET read
   * keys named by patterns), as Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess.
   */
  mayReadEveryKey(client: Client, argv: readonly string[]): boolean {
    const user = client.user;
    if (user === null || user.unrestricted) return true;
    const entry = this.lookupCall(argv);
    return entry !== undefined && user.mayRunWithEveryKey(entry, argv, KEY_READ);
  }

  /**
   * The time keys expire by: within a command (and the commands EXEC or a script runs) the same
   * for all of it, read once, as Redis's cached time; outside commands the clock's.
   */
  now(): number {
    if (this.callingClient === null) return this.clock.now();
    if (this.timeSnapshot === 0) {
      const from = this.frozenFrom;
      // A script's time is its start's, worked back from the clock and time elapsed since.
      this.timeSnapshot =
        from < 0
          ? this.clock.now()
          : this.clock.at(Math.floor(Date.now() - (performance.now() - from)));
    }
    return this.timeSnapshot;
  }

  /**
   * A script starts: keys expire as of its start until it ends or gives the event loop back
   * (Redis's scriptTimeSnapshot). Nothing is read now: most scripts never ask for the time,
   * and a clock read costs tens of ns on a VM. True when it froze the time, for `thawTime`.
   */
  freezeTime(): boolean {
    if (this.callingClient === null || this.timeSnapshot !== 0 || this.frozenFrom >= 0)
      return false;
    this.frozenFrom = this.callStartedAt;
    return true;
  }

  /** The script that froze the time ended or paused: its later slices read the clock anew. */
  thawTime(): void {
    this.frozenFrom = -1;
  }

  /** CONFIG REWRITE's `user` lines: the users, unless an aclfile holds them (null). */
  configUserLines(): string[] | null {
    return this.config.get('aclfile') === '' ? this.acl.userLines() : null;
  }

  /** Whether the client must authenticate first (Redis's authRequired). */
  authRequired(client: Client): boolean {
    return !client.authenticated && !this.acl.openByDefault;
  }

  /** Logs a client into `user` (AUTH, HELLO AUTH). */
  logIn(client: Client, user: AclUser): void {
    client.user = user;
    client.authenticated = true;
  }

  /** An ACL LOG entry for a refused call; for scripts, `client` is the one running the script. */
  logDenial(
    client: Client,
    denial: Denial,
    context: LogContext,
    entry: CommandEntry,
    argv: readonly string[],
  ): void {
    const object = denial.kind === 'command' ? entry.fullName : argv[denial.index];
    const username = client.user?.name ?? '(superuser)';
    this.logAcl(client, denial.kind, context, object, username, context === 'lua' ? null : argv);
  }

  /** A failed AUTH or HELLO AUTH, logged with the name tried and the command as typed. */
  logFailedAuth(client: Client, argv: readonly string[], username: string): void {
    this.logAcl(client, 'auth', callContext(client), argv[0], username, argv);
  }

  private logAcl(
    client: Client,
    reason: LogReason,
    context: LogContext,
    object: string,
    username: string,
    running: readonly string[] | null,
  ): void {
    const clientInfo = formatClientInfo(client, this, running);
    const event = { reason, context, object, username, clientInfo };
    this.acl.log.add(event, this.config.getNumber('acllog-max-len'));
  }

  /** A deleted (or reloaded) user's clients are logged out and disconnected, as Redis does. */
  private disconnectUser(user: AclUser): void {
    for (const client of this.clients.values()) {
      if (client.user !== user) continue;
      client.user = this.acl.defaultUser;
      client.authenticated = false;
      const connection = client.connection;
      if (connection.closeAfterReplies !== undefined) connection.closeAfterReplies();
      else connection.close();
    }
  }

  /** Subscribers of `user` that hold a channel or pattern it may no longer use are dropped. */
  private disconnectLostSubscribers(user: AclUser): void {
    for (const client of this.clients.values()) {
      if (client.user !== user || !client.isSubscriber) continue;
      const lost =
        [...client.patterns].some((pattern) => !user.mayUseChannel(pattern, true)) ||
        [...client.channels, ...client.shardChannels].some(
          (channel) => !user.mayUseChannel(channel, false),
        );
      if (lost) client.connection.close();
    }
  }

  /**
   * The command a call names, its subcommand resolved, as Redis's lookupCommand (no error
   * replied): for ACL DRYRUN and redis.acl_check_cmd.
   */
  lookupCall(argv: readonly string[]): CommandEntry | undefined {
    const entry = this.commands.lookup(argv[0]);
    if (entry?.subcommands == null || argv.length < 2) return entry;
    return entry.subcommands.get(argv[1].toLowerCase());
  }

  /**
   * Whether a command is refused while memory is over maxmemory, as Redis's processCommand
   * decides: denyoom commands (EXEC by what it queued, scripts by the flags they declare), and
   * anything queued inside MULTI.
   */
  private deniedOutOfMemory(client: Client, entry: CommandEntry, argv: string[]): boolean {
    const name = entry.fullName;
    if (client.transaction !== null && !ALWAYS_ALLOWED_IN_MULTI.has(name)) return true;
    if (name === 'exec') {
      return (client.transaction ?? []).some(
        (queued) => this.resolveQueued(queued)?.spec.flags.includes('denyoom') === true,
      );
    }
    const flags = this.declaredScriptFlags(entry, argv);
    if (flags !== null) return !flags.has('allow-oom') && !flags.has('no-writes');
    return entry.spec.flags.includes('denyoom');
  }

  /** The flags a script call's script declares, which stand for the command's own; else null. */
  private declaredScriptFlags(entry: CommandEntry, argv: readonly string[]): ScriptFlags | null {
    const script = SCRIPT_CALLS.get(entry.fullName);
    return script === undefined ? null : this.scripting.declaredFlags(argv, script);
  }

  /**
   * Whether a call counts as one that may write for CLIENT PAUSE WRITE, as Redis's
   * is_may_replicate_command: write and may-replicate commands, scripts by the flags they
   * declare, and EXEC by what it queued.
   */
  private mayReplicate(client: Client, entry: CommandEntry, argv: string[]): boolean {
    if (entry.fullName === 'exec') {
      return (client.transaction ?? []).some((queued) => {
        const queuedEntry = this.resolveQueued(queued);
        return queuedEntry !== undefined && this.mayReplicate(client, queuedEntry, queued);
      });
    }
    const flags = this.declaredScriptFlags(entry, argv);
    if (flags !== null) return !flags.has('no-writes');
    return entry.isWrite || entry.spec.flags.includes('may_replicate');
  }

  /** Parks the client, counted as blocked, until the pause ends; then its command runs anew. */
  private postpone(client: Client, argv: string[]): CommandResult {
    const state: BlockedState = {
      db: client.db,
      kind: null,
      keys: [],
      tryServe: () => false,
      replyOnTimeout: () => {},
      timer: null,
    };
    this.blocking.block(client, state, 0);
    this.clientPause.postpone(client, argv);
    return BLOCKED;
  }

  private rerunPostponed(client: Client, argv: string[]): void {
    this.blocking.unblock(client);
    // Held back under SKIP, the command runs under it now.
    if (client.skipWaitReply) client.replyMode = 'skip';
    // The master's command sees keys as the master did, as when its link applies the stream.
    const expiry = this.baseExpiryMode;
    if (client.kind === 'master' && expiry === 'hide') this.baseExpiryMode = 'keep';
    const result = this.execute(client, argv);
    this.baseExpiryMode = expiry;
    if (result !== BLOCKED) client.connection.resume();
  }

  /** Whether a command of the client's transaction passes `test`. */
  private queuedAny(
    client: Client,
    test: (entry: CommandEntry, argv: string[]) => boolean,
  ): boolean {
    for (const queued of client.transaction ?? []) {
      const entry = this.resolveQueued(queued);
      if (entry !== undefined && test(entry, queued)) return true;
    }
    return false;
  }

  /** `writes` bound once: cluster routing asks it for every keyed command. */
  private readonly callWrites = (entry: CommandEntry, argv: readonly string[]): boolean =>
    this.writes(entry, argv);

  /** Whether a call writes: by its command's flags, or for a script by the flags it declares. */
  private writes(entry: CommandEntry, argv: readonly string[]): boolean {
    const flags = this.declaredScriptFlags(entry, argv);
    return flags === null ? entry.isWrite : !flags.has('no-writes');
  }

  private resolveQueued(argv: string[]): CommandEntry | undefined {
    const entry = this.commands.lookup(argv[0]);
    if (entry?.subcommands && argv.length >= 2) {
      return entry.subcommands.get(argv[1].toLowerCase());
    }
    return entry;
  }

  /** A message was written to a subscriber: send it, or drop a subscriber that can't keep up. */
  delivered(client: Client): void {
    if (this.enforceOutputLimits(client, client.out.length, true)) return;
    if (this.clientEviction.enabled) {
      this.clientEviction.update(client);
      if (this.clientEviction.evict(client)) return;
    }
    client.connection.scheduleFlush();
  }

  /**
   * A reply needs `needed` bytes of buffer: whether what it writes is to be dropped, because
   * the client is over its output limits (now or already).
   */
  private outputGrew(client: Client, needed: number): boolean {
    return client.closingAsap || this.enforceOutputLimits(client, needed, true);
  }

  /** Output a client may pile up before it waits for its socket to drain. */
  outputHoldBack(client: Client): number {
    return this.outputLimits.holdBackAt(client);
  }

  /**
   * Redis's closeClientOnOutputBufferLimitReached: a client whose output (`replyBytes` not
   * sent yet from its reply, and what its socket holds) is over client-output-buffer-limit is
   * closed, with a warning; true if it was. `duringCommand`: it is closed once the command
   * ends, else at once (the clients cron, a write that left output behind).
   */
  enforceOutputLimits(client: Client, replyBytes: number, duringCommand: boolean): boolean {
    const close = client.connection.closeAsap;
    if (close === undefined || client.closingAsap) return false;
    // Counted whole: Redis leaves out what its 16 KB reply buffer holds, but a reply of
    // deferred length (KEYS, LRANGE...) goes past that buffer from its start.
    const used = replyBytes + client.connection.pendingOutputBytes;
    if (used <= 0 || !this.outputLimits.exceeded(client, used)) return false;
    const info = formatClientInfo(client, this, null);
    client.closingAsap = true;
    close.call(client.connection);
    this.log(
      'warning',
      duringCommand
        ? `Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`
        : `Client ${info} closed for overcoming of output buffer limits.`,
    );
    return true;
  }

  db(index: number): Database {
    return this.databases[index];
  }

  // KeyspaceObserver: WATCH invalidation, blocked clients, dirty counter.

  keyModified(db: Database, key: string): void {
    this.stats.dirty++;
    if (this.watchers.size !== 0) this.invalidateWatchers(db, key);
    if (this.tracking.watchingKeys) this.tracking.keyModified(key, this.callingClient);
  }

  /**
   * Clients blocked on the key get to try again once the current command is done (Redis's
   * signalKeyAsReady): when the keyspace says so, and after XADD, XGROUP DESTROY and RENAME,
   * which signal by themselves in Redis.
   */
  keyReady(db: Database, key: string, kind: WaitKind): void {
    this.blocking.signalKeyReady(db, key, kind);
  }

  keysFlushed(db: Database, keys: readonly string[]): void {
    this.stats.dirty += keys.length;
    const watched = this.watchers.get(db);
    for (const key of keys) {
      if (watched !== undefined) this.watchedKeyReplaced(db, key, true, null);
      // XREADGROUP waiters on a flushed stream get their error (Redis's scan for deleted streams).
      this.keyReady(db, key, 'stream');
    }
  }

  /**
   * The running command's changes, as Redis counts them in server.dirty (the save points and
   * rdb_changes_since_last_save): elements for element-wise writes (RPUSH of 3 is 3, SADD counts
   * the members added), one for a write done in several steps (SET ... EX, RENAME). Without it a
   * command counts one per key write. Zero also keeps the command from being propagated.
   */
  countChanges(count: number): void {
    this.declaredChanges = count;
  }

  /** Runs a served waiter's reply as a command of its own, for countChanges. */
  countedAsCommand<T>(run: () => T): T {
    const dirtyBefore = this.stats.dirty;
    const outer = this.declaredChanges;
    this.declaredChanges = null;
    try {
      return run();
    } finally {
      this.settleChanges(dirtyBefore, outer);
    }
  }

  private settleChanges(dirtyBefore: number, outer: number | null): void {
    if (this.declaredChanges !== null) this.stats.dirty = dirtyBefore + this.declaredChanges;
    this.declaredChanges = outer;
  }

  /**
   * Runs `read` with its lookups counted in keyspace_hits/misses, even inside a write command:
   * the keys Redis reads with lookupKeyRead there (BITOP's sources, SET ... GET's old value...).
   */
  readingKeys<T>(read: () => T): T {
    const before = this.lookupsCounted;
    this.lookupsCounted = true;
    try {
      return read();
    } finally {
      this.lookupsCounted = before;
    }
  }

  get childRunning(): boolean {
    return this.persistence?.childRunning() ?? false;
  }

  unreadableValueRead(value: UnreadableValue): void {
    this.faulted(value.source.fault);
  }

  /** Redis fails on a value it loaded unchecked (UnreadableValue): its log lines, then the crash. */
  faulted(fault: RdbFault): void {
    for (const line of faultLogLines(fault)) this.log('warning', line);
    this.crash(crashOfFault(fault));
  }

  keyLookedUp(found: boolean): void {
    // As Redis's lookupKeyRead: the lookups of write commands are not counted.
    if (!this.lookupsCounted) return;
    if (found) this.stats.keyspaceHits++;
    else this.stats.keyspaceMisses++;
  }

  keyCreated(db: Database, key: string): void {
    this.keyspaceEvents.notify(db.id, EventClass.newKey, 'new', key);
  }

  /** Publishes a keyspace notification for a write (cheap when notifications are off). */
  notify(db: Database, eventClass: number, event: string, key: string): void {
    this.keyspaceEvents.notify(db.id, eventClass, event, key);
  }

  expireSet(db: Database, key: string): void {
    if (this.writableReplicaWrite) this.replicaKeysWithExpire.remember(db, key);
  }

  /** Redis's expireSlaveKeys: a replica deletes the keys its own clients gave a TTL. */
  expireReplicaKeys(): void {
    const before = this.baseExpiryMode;
    this.baseExpiryMode = 'delete';
    try {
      this.replicaKeysWithExpire.expire(this.databases, this.clock.now(), (db, key) =>
        db.expireIfNeeded(key),
      );
    } finally {
      this.baseExpiryMode = before;
    }
  }

  keyExpired(db: Database, key: string, value: RedisValue): void {
    this.stats.expiredKeys++;
    // As Redis 7.0's deleteExpiredKeyAndPropagate: DEL, or UNLINK under lazyfree-lazy-expire.
    const lazy = this.config.get('lazyfree-lazy-expire') === 'yes';
    if (lazy) this.valueDeleted(value, true);
    if (this.propagation.active) this.propagation.also(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
    this.keyspaceEvents.notify(db.id, EventClass.expired, 'expired', key);
    if (this.watchers.size !== 0) this.invalidateWatchers(db, key);
    if (this.tracking.watchingKeys) this.tracking.keyModified(key, null);
  }

  /**
   * A value left the keyspace; `lazy` when Redis frees it with freeObjAsync (UNLINK and the
   * lazyfree-lazy-* settings), which counts it in lazyfreed_objects if it is big.
   */
  valueDeleted(value: RedisValue, lazy: boolean): void {
    if (lazy && freedInBackground(value, this.config.getNumber('list-max-listpack-size'))) {
      this.stats.lazyfreedObjects++;
    }
  }

  watch(client: Client, key: string): void {
    const db = client.db;
    let keys = client.watched.get(db);
    if (!keys) {
      keys = new Map();
      client.watched.set(db, keys);
    }
    if (keys.has(key)) return;
    keys.set(key, { expired: db.isExpired(key) });
    let byKey = this.watchers.get(db);
    if (!byKey) {
      byKey = new Map();
      this.watchers.set(db, byKey);
    }
    const clients = byKey.get(key);
    if (clients) clients.add(client);
    else byKey.set(key, new Set([client]));
  }

  unwatchAll(client: Client): void {
    for (const [db, keys] of client.watched) {
      const byKey = this.watchers.get(db);
      if (!byKey) continue;
      for (const key of keys.keys()) {
        const clients = byKey.get(key);
        clients?.delete(client);
        if (clients?.size === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.watchers.delete(db);
    }
    client.watched.clear();
    client.watchInvalidated = false;
  }

  /** EXEC refuses to run once a key it WATCHed has expired since, deleted or not (Redis 7.0). */
  watchedKeyExpired(client: Client): boolean {
    const now = this.clock.now();
    for (const [db, keys] of client.watched) {
      for (const [key, watched] of keys) {
        if (!watched.expired && db.isExpired(key, now)) return true;
      }
    }
    return false;
  }

  /** As Redis's touchWatchedKey: the key changed under its watchers. */
  private invalidateWatchers(db: Database, key: string): void {
    const clients = this.watchers.get(db)?.get(key);
    if (!clients) return;
    for (const client of clients) {
      const watched = client.watched.get(db)?.get(key);
      if (watched?.expired) {
        // A key already expired when WATCHed, now deleted: logically no change.
        if (!db.data.has(key)) {
          watched.expired = false;
          continue;
        }
        // Still there: Redis 7.0 stops at it, telling no further watcher of the key.
        break;
      }
      client.watchInvalidated = true;
    }
  }

  /**
   * As Redis's touchAllWatchedKeysInDb: `db`'s contents were replaced, by nothing (a flush) or by
   * `replacement` (SWAPDB; `db` itself holds them now). `existed`: the key was in the old
   * contents, expired or not. An expired key going or staying expired is no change.
   */
  private watchedKeyReplaced(
    db: Database,
    key: string,
    existed: boolean,
    replacement: Database | null,
  ): void {
    const clients = this.watchers.get(db)?.get(key);
    const replaced = replacement !== null && replacement.data.has(key);
    if (!clients || (!existed && !replaced)) return;
    for (const client of clients) {
      const watched = client.watched.get(db)?.get(key);
      if (watched === undefined) continue;
      if (watched.expired) {
        if (!replaced) {
          watched.expired = false;
          continue;
        }
        if (replacement.isExpired(key)) continue;
      } else if (!existed && replacement?.isExpired(key)) {
        // A missing key replaced by an expired one: watched as expired from now on.
        watched.expired = true;
        continue;
      }
      client.watchInvalidated = true;
    }
  }

  /** SWAPDB has exchanged the contents of the two databases: their watchers see the change. */
  /** Redis's disklessLoadInitTempDb: an empty dataset beside this one, to load into. */
  detachedDataset(): DetachedDataset {
    return {
      databases: Array.from({ length: this.databases.length }, (_, id) => new Database(id, this)),
      scripting: { libraries: this.scripting.detachedLibraries() },
    };
  }

  /**
   * Redis's swapMainDbWithTempDb: a loaded dataset takes the place of this one, whose data is
   * dropped (watchers and blocked clients see the change as after SWAPDB).
   */
  swapInDataset(loaded: DetachedDataset): void {
    loaded.databases.forEach((incoming, id) => {
      const db = this.databases[id];
      db.swapWith(incoming);
      this.databasesSwapped(db, incoming);
    });
    this.scripting.libraries.swapWith(loaded.scripting.libraries);
    this.discardDataset(loaded);
  }

  /** A detached dataset dropped (Redis frees its tempDb): what it holds stops counting. */
  discardDataset(dataset: DetachedDataset): void {
    for (const db of dataset.databases) db.uncountAll();
    dataset.scripting.libraries.flush();
  }

  databasesSwapped(first: Database, second: Database): void {
    for (const [db, other] of [
      [first, second],
      [second, first],
    ]) {
      const byKey = this.watchers.get(db);
      if (!byKey) continue;
      for (const key of [...byKey.keys()]) {
        this.watchedKeyReplaced(db, key, other.data.has(key), db);
      }
    }
    this.blocking.databasesSwapped(first, second);
  }
}

/** Where a client's command runs for ACL LOG: on its own, or queued in MULTI. */
function callContext(client: Client): LogContext {
  return client.transaction === null ? 'toplevel' : 'multi';
}

/** The NOPERM error of a refused command, as Redis's processCommand words it. */
function permissionError(denial: Denial, entry: CommandEntry): string {
  switch (denial.kind) {
    case 'command':
      return `NOPERM this user has no permissions to run the '${entry.fullName}' command`;
    case 'key':
      return 'NOPERM this user has no permissions to access one of the keys used as arguments';
    case 'channel':
      return 'NOPERM this user has no permissions to access one of the channels used as arguments';
  }
}

/** EXEC's error for a queued command that permissions changed since refuse. */
function changedPermissionError(denial: Denial): string {
  const reason = {
    command: 'no permission to execute the command or subcommand',
    key: 'no permission to touch the specified keys',
    channel: 'no permission to access one of the channels used as arguments',
  }[denial.kind];
  return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
}
