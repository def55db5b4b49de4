import { ReplyWriter, type ErrorReplyStats } from '@rc/resp';
import type { Database } from './keyspace.js';
import type { BlockedState } from './blocking.js';
import type { ClientTracking } from './tracking.js';
import type { AclUser } from './acl/user.js';
import type { DebugMode } from './scripting/debugger.js';

/** What the engine needs from the transport that owns a client: it never sees the socket. */
export interface ClientConnection {
  /** "ip:port" of the peer and of our end, for CLIENT LIST / INFO. */
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** Bytes written to the socket but not yet sent (for output buffer limits). */
  readonly pendingOutputBytes: number;
  /**
   * Redis's query buffer length for CLIENT LIST's qbuf: while a batch of input runs, all of
   * it; otherwise what is not parsed yet. Absent where there is no socket.
   */
  readonly queryBufferLength?: number;
  /** The free space Redis's query buffer would have beyond that (CLIENT LIST's qbuf-free). */
  readonly queryBufferFree?: number;
  /** The arguments of a command not complete yet, already parsed: their bytes. */
  readonly partialArgumentBytes?: number;
  /** Output was written outside the client's own command (pub/sub, unblocking): send it soon. */
  scheduleFlush(): void;
  /** A blocked client got its reply: continue with the commands it had pipelined. */
  resume(): void;
  /** Close after flushing what was written (QUIT, CLIENT KILL). */
  close(): void;
  /**
   * As `close`, once the replies of the running turn are written (Redis's freeClientAsync of
   * another client, freed after its writes: ACL DELUSER's). Absent: `close` serves.
   */
  closeAfterReplies?(): void;
  /**
   * Close at once, dropping what was not sent (Redis's freeClientAsync): the client went over
   * its output limits. Commands already running finish; nothing more is read or written.
   * Absent where there is no socket: such clients are never closed for their output.
   */
  closeAsap?(): void;
  /**
   * PSYNC/SYNC turned the client into a replica: what it was written so far is flushed, later
   * replies are dropped, and the returned output writes the replication stream to the socket.
   * Absent where there is no socket (test fakes); the host then refuses the sync.
   */
  detachOutput?(): RawOutput;
}

/** A socket's output as raw bytes, for the replication stream. */
export interface RawOutput {
  /** Queues bytes; false once the socket buffers more than its high-water mark. */
  write(bytes: Buffer): boolean;
  /** Bytes queued but not yet sent. */
  readonly pendingOutputBytes: number;
  /** Called each time the socket's buffer drained. */
  onDrain(listener: () => void): void;
  /** Called once the connection is gone. */
  onClose(listener: () => void): void;
}

export type ReplyMode = 'on' | 'off' | 'skip';

export class Client {
  readonly out = new ReplyWriter();
  name = '';
  /** Logged in (by AUTH, HELLO or a password-less default user); see Engine.authRequired. */
  authenticated = true;
  /**
   * The ACL user whose permissions apply; null for the clients that may run anything (a
   * master, the AOF loader), shown as "(superuser)".
   */
  user: AclUser | null = null;
  /** ASKING: the next command (or MULTI) may touch a slot this node is importing. */
  asking = false;
  /** READONLY: on a cluster replica, reads of its master's slots are served here. */
  readonlyCluster = false;
  /** Queued commands while in MULTI, or null outside a transaction. */
  transaction: string[][] | null = null;
  /** A queued command was rejected: EXEC must abort. */
  transactionFailed = false;
  /** Set while EXEC runs its queue: blocking commands then act as their non-blocking forms. */
  executing = false;
  /** The client scripts run their commands as (Redis's CLIENT_SCRIPT). */
  fromScript = false;
  /** SCRIPT DEBUG: its next EVAL runs under the Lua debugger. */
  luaDebug: DebugMode | null = null;
  /**
   * Keys under WATCH, per database, each flagged when it had already expired at WATCH time (as
   * Redis's watchedKey.expired); and whether one of them changed since.
   */
  readonly watched = new Map<Database, Map<string, { expired: boolean }>>();
  watchInvalidated = false;
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** SSUBSCRIBE's shard channels: a namespace of their own, counted apart. */
  readonly shardChannels = new Set<string>();
  blocked: BlockedState | null = null;
  /** CLIENT TRACKING's state while it is on. */
  tracking: ClientTracking | null = null;
  /** CLIENT REPLY OFF, or SKIP for the command running; see Engine.execute. */
  replyMode: ReplyMode = 'on';
  /** CLIENT REPLY SKIP was just asked for: the next command's reply is dropped. */
  skipNext = false;
  /** The command waiting ran under SKIP: the reply its wait ends with is dropped. */
  skipWaitReply = false;
  /** Set once the connection is closing: nothing more is executed or written. */
  closed = false;
  /** When it connected, on the engine's clock (CLIENT LIST age). */
  readonly createdAt: number;
  /** When it last sent anything, on the engine's clock (CLIENT LIST idle); the transport sets it. */
  lastInteraction: number;
  lastCommand = 'NULL';
  /** CLIENT NO-EVICT: shown in CLIENT LIST's flags (rc evicts no clients either way). */
  noEvict = false;
  libraryName = '';
  libraryVersion = '';
  /**
   * Redis's mustObeyClient: the AOF loader or a master. Their commands were valid when first
   * run, so checks that only guard interactive use (LIMIT without ~) are skipped.
   */
  obeysAll = false;
  /** Redis's client types for CLIENT KILL TYPE and CLIENT LIST flags: set by replication. */
  kind: 'normal' | 'master' | 'replica' = 'normal';
  /** Going away (Redis's CLIENT_CLOSE_ASAP): long replies stop early, output is dropped. */
  closingAsap = false;
  /** The memory maxmemory-clients last counted for the client (see ClientEviction). */
  evictionMemory = 0;
  /** The memory maxmemory last counted for the client (see ClientEviction.clientsBytes). */
  countedMemory = 0;
  /** When the output first reached its soft limit (unix seconds), or 0. */
  outputSoftLimitSince = 0;
  /**
   * Redis's woff: the replication offset after this client's last command, the point its WAIT
   * waits for the replicas to acknowledge.
   */
  replicationOffset = 0;

  /** `errorStats`: where the errors written to `out` are counted (the engine's INFO stats). */
  constructor(
    readonly id: number,
    public db: Database,
    readonly connection: ClientConnection,
    errorStats: ErrorReplyStats | null,
    connectedAt = Date.now(),
  ) {
    this.out.errorStats = errorStats;
    this.createdAt = connectedAt;
    this.lastInteraction = connectedAt;
  }

  /**
   * A loopback or unix socket peer (whose address is the socket's path), for the `local`
   * setting of enable-debug-command and friends. As Redis's islocalClient, loopback is
   * 127.0.0.1 and ::1 only, not the rest of 127.0.0.0/8.
   */
  get local(): boolean {
    const address = this.connection.remoteAddress;
    return (
      address.startsWith('127.0.0.1:') || address.startsWith('[::1]:') || address.startsWith('/')
    );
  }

  get protocol(): 2 | 3 {
    return this.out.protocol;
  }

  /** Channels and patterns: what SUBSCRIBE and PSUBSCRIBE replies count. */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size;
  }

  /** Subscribed to anything, shard channels included: Redis's CLIENT_PUBSUB. */
  get isSubscriber(): boolean {
    return this.subscriptionCount + this.shardChannels.size > 0;
  }

  /** RESP2 clients with subscriptions may only run the pub/sub commands. */
  get inSubscribedMode(): boolean {
    return this.out.protocol === 2 && this.isSubscriber;
  }
}
