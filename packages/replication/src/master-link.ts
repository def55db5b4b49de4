import { connect, isIP, type Socket } from 'node:net';
import { BLOCKED, type Client, type Engine } from '@rc/engine';
import { ProtocolError, RequestParser } from '@rc/resp';
import { SnapshotIntake, intakeMode, type IntakeHost } from './snapshot-intake.js';
import { ReplyLineReader, SyncPayloadReader } from './sync-payload.js';

/** The replica's side of the link, in ROLE's words. */
export type LinkState = 'connect' | 'connecting' | 'handshake' | 'sync' | 'connected';

/** What the link needs from the rest of replication. */
export interface LinkOwner {
  readonly engine: Engine;
  /** The port this server announces (REPLCONF listening-port). */
  readonly listeningPort: number;
  /**
   * Opens the connection to the master (plain TCP unless the server says otherwise), from
   * `localAddress` when given (bind-source-addr).
   */
  dial(host: string, port: number, localAddress?: string): MasterConnection;
  log(level: 'verbose' | 'notice' | 'warning', message: string): void;
  /** PSYNC's arguments: our replication id and next offset, or null for `? -1`. */
  resumePoint(): { replid: string; offset: number } | null;
  /**
   * The master's snapshot is about to replace our data (Redis's replicationAttachToNewMaster):
   * our history ends, sub-replicas must resynchronize. Not at +FULLRESYNC: a transfer that
   * fails before this point leaves both intact.
   */
  attachToNewMaster(): void;
  /** The snapshot is loaded: the stream continues from `offset`, under `replid`. */
  synchronized(replid: string, offset: number): void;
  /** +CONTINUE: the master continues our history, possibly under a new id. */
  continued(replid: string | null): void;
  /** Bytes of the master's stream we applied, to go verbatim to our backlog and replicas. */
  applied(bytes: Buffer): void;
  /** The link went down (we reconnect on our own). */
  linkLost(): void;
  /** We are failing over to this master: PSYNC carries FAILOVER, which makes it the master. */
  readonly failingOver: boolean;
  /** The master answered PSYNC (accepted: +FULLRESYNC or +CONTINUE); may stop the link. */
  psyncReplied(accepted: boolean): void;
}

/** A connection to the master and the event after which the handshake may start. */
export interface MasterConnection {
  readonly socket: Socket;
  readonly ready: 'connect' | 'secureConnect';
}

/** The default dialer: plain TCP. */
export function dialTcp(host: string, port: number, localAddress?: string): MasterConnection {
  return { socket: connect({ host, port, localAddress }), ready: 'connect' };
}

const MAX_RETRY_DELAY_MS = 1000;
const FIRST_RETRY_DELAY_MS = 50;

/**
 * A replica's connection to its master: connect, handshake (PING, AUTH, REPLCONF, PSYNC),
 * receive and load the snapshot, then apply the command stream through a master client whose
 * replies are dropped, acknowledging the processed offset every second and on REPLCONF GETACK.
 * Reconnects by itself when the link drops, resuming with PSYNC where it left off.
 */
export class MasterLink {
  state: LinkState = 'connect';
  private socket: Socket | null = null;
  /** Redis's master client: applies the stream, bypasses read-only, replies to nobody. */
  masterClient: Client | null = null;
  /** Database the stream was in when the link was lost (Redis's cached master). */
  cachedDb = 0;
  /** Stream bytes applied (slave_repl_offset) and read (slave_read_repl_offset). */
  processedOffset = 0;
  readOffset = 0;
  private forwardedOffset = 0;
  /** A command of the stream waits for a client pause to end (Redis postpones the master). */
  private held = false;
  /** Received bytes not yet forwarded to our backlog (a command still incomplete). */
  private carry: Buffer[] = [];
  private parser: RequestParser = new RequestParser();
  private lines: ReplyLineReader | null = null;
  private lineWaiter: (() => void) | null = null;
  private payload: SyncPayloadReader | null = null;
  private intake: SnapshotIntake | null = null;
  /** The master's stream, received while the snapshot before it is still loading. */
  private afterPayload: Buffer[] = [];
  private fullResync: { replid: string; offset: number } | null = null;
  private eofFramed = false;
  /** Last time anything came from the master, ms (master_last_io_seconds_ago). */
  lastIo = 0;
  /**
   * When a link that was up went down, ms (master_link_down_since_seconds); 0 while up, and
   * while no link was up since this server followed a master: failed attempts do not count.
   */
  downSince = 0;
  private retryDelay = FIRST_RETRY_DELAY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Bumped on every (re)connection, so callbacks of an old socket do nothing. */
  private generation = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly owner: LinkOwner,
  ) {}

  /** Payload size and bytes so far, while a snapshot is being received (INFO). */
  get transfer(): { total: number; received: number } | null {
    return this.state === 'sync' && this.payload !== null && this.payload.started
      ? { total: this.payload.total, received: this.payload.received }
      : null;
  }

  start(): void {
    this.connectLogged(`Connecting to MASTER ${this.host}:${this.port}`);
  }

  /** Logs why (Redis's cron connecting, or a retry after a failed transfer), then connects. */
  private connectLogged(reason: string): void {
    if (this.stopped) return;
    this.owner.log('notice', reason);
    this.connectNow();
  }

  /** REPLICAOF NO ONE / another master / shutdown: drops the link for good. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropSocket();
    this.releaseMasterClient();
  }

  /**
   * Connects to the master, from `bind-source-addr` when set (an IP address) unless
   * `fromSource` is false: as Redis's best-effort binding, a source address that cannot be
   * bound is retried without.
   */
  private connectNow(fromSource = true): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.state = 'connecting';
    const source = fromSource ? this.owner.engine.config.get('bind-source-addr') : '';
    const localAddress = isIP(source) !== 0 ? source : undefined;
    const { socket, ready } = this.owner.dial(this.host, this.port, localAddress);
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on(ready, () => {
      if (generation !== this.generation) return;
      this.lastIo = Date.now();
      this.state = 'handshake';
      this.lines = new ReplyLineReader();
      this.handshake(generation).catch((error: unknown) => {
        if (generation !== this.generation) return;
        this.owner.log('warning', `MASTER <-> REPLICA sync failed: ${(error as Error).message}`);
        this.lost();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      if (generation === this.generation) this.receive(chunk);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (generation !== this.generation) return;
      if (error.syscall === 'bind' && fromSource) {
        socket.destroy();
        this.connectNow(false);
        return;
      }
      this.owner.log('warning', `Error condition on socket for SYNC: ${error.message}`);
    });
    socket.on('close', () => {
      if (generation === this.generation) this.lost();
    });
  }

  private receive(chunk: Buffer): void {
    this.lastIo = Date.now();
    this.owner.engine.stats.netReplicationInputBytes += chunk.length;
    if (this.state === 'handshake') {
      this.lines?.feed(chunk);
      this.lineWaiter?.();
    } else if (this.state === 'sync') {
      if (this.payload !== null) this.receivePayload(chunk);
      else this.afterPayload.push(chunk);
    } else if (this.state === 'connected') this.applyStream(chunk);
  }

  private async handshake(generation: number): Promise<void> {
    const config = this.owner.engine.config;
    const ping = await this.ask(generation, ['PING']);
    // As Redis: a master that wants AUTH still proves it is alive.
    if (ping.startsWith('-') && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(ping)) {
      throw new Error(`Error reply to PING from master: '${ping}'`);
    }
    this.owner.log('notice', 'Master replied to PING, replication can continue...');
    // AUTH and the REPLCONFs go in one write and their replies are read in order, as Redis's
    // syncWithMaster sends them (one round trip, not one each).
    const password = config.get('masterauth');
    const user = config.get('masteruser');
    this.socket?.cork();
    if (password !== '') this.send(user === '' ? ['AUTH', password] : ['AUTH', user, password]);
    // Over TLS, the master is told our TLS port (Redis's syncWithMaster).
    const tlsPort = config.get('tls-replication') === 'yes' ? config.getNumber('tls-port') : 0;
    const announcedPort =
      config.getNumber('replica-announce-port') || tlsPort || this.owner.listeningPort;
    this.send(['REPLCONF', 'listening-port', String(announcedPort)]);
    const announcedIp = config.get('replica-announce-ip');
    if (announcedIp !== '') this.send(['REPLCONF', 'ip-address', announcedIp]);
    this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.socket?.uncork();
    if (password !== '') {
      const reply = await this.reply(generation);
      if (reply.startsWith('-')) throw new Error(`Unable to AUTH to MASTER: ${reply}`);
    }
    const portReply = await this.reply(generation);
    if (portReply.startsWith('-')) {
      this.owner.log(
        'notice',
        `(Non critical) Master does not understand REPLCONF listening-port: ${portReply}`,
      );
    }
    if (announcedIp !== '') await this.reply(generation);
    const capaReply = await this.reply(generation);
    if (capaReply.startsWith('-')) {
      this.owner.log(
        'notice',
        `(Non critical) Master does not understand REPLCONF capa: ${capaReply}`,
      );
    }
    const resume = this.owner.resumePoint();
    if (resume === null) {
      this.owner.log('notice', 'Partial resynchronization not possible (no cached master)');
    }
    const psync =
      resume === null ? ['PSYNC', '?', '-1'] : ['PSYNC', resume.replid, String(resume.offset)];
    if (this.owner.failingOver) psync.push('FAILOVER');
    const reply = await this.ask(generation, psync);
    this.owner.psyncReplied(reply.startsWith('+FULLRESYNC') || reply.startsWith('+CONTINUE'));
    if (this.stopped || generation !== this.generation) return;
    if (reply.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = reply.split(' ');
      this.owner.log('notice', `Full resync from master: ${replid}:${offset}`);
      this.fullResync = { replid, offset: Number(offset) };
      this.releaseMasterClient();
      this.state = 'sync';
      this.payload = new SyncPayloadReader();
      const mode = intakeMode(this.owner.engine, resume?.replid === replid);
      this.intake = new SnapshotIntake(mode, this.intakeHost(generation));
      this.afterPayload = [];
      const rest = this.lines?.take() ?? Buffer.alloc(0);
      this.lines = null;
      if (rest.length !== 0) this.receivePayload(rest);
      return;
    }
    if (reply.startsWith('+CONTINUE')) {
      const replid = reply.split(' ')[1] ?? null;
      this.owner.log('notice', 'Successful partial resynchronization with master.');
      this.owner.continued(replid);
      const offset = (resume as { offset: number }).offset - 1;
      this.processedOffset = this.readOffset = this.forwardedOffset = offset;
      this.becomeConnected(this.cachedDb);
      const rest = this.lines?.take() ?? Buffer.alloc(0);
      this.lines = null;
      if (rest.length !== 0) this.applyStream(rest);
      return;
    }
    throw new Error(`Unexpected reply to PSYNC from master: ${reply}`);
  }

  /** Sends a command and waits for its one-line reply. */
  private async ask(generation: number, argv: readonly string[]): Promise<string> {
    this.send(argv);
    return this.reply(generation);
  }

  /** The next one-line reply, once it came. */
  private async reply(generation: number): Promise<string> {
    for (;;) {
      if (generation !== this.generation || this.lines === null) throw new Error('link lost');
      const line = this.lines.next();
      if (line !== null) return line;
      await new Promise<void>((resolve) => (this.lineWaiter = resolve));
      this.lineWaiter = null;
    }
  }

  private send(argv: readonly string[]): void {
    let text = `*${argv.length}\r\n`;
    for (const arg of argv) text += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
    this.socket?.write(Buffer.from(text, 'latin1'));
  }

  private receivePayload(chunk: Buffer): void {
    const payload = this.payload as SyncPayloadReader;
    const intake = this.intake as SnapshotIntake;
    let part: { rdb: Buffer; done: boolean; rest: Buffer };
    try {
      const started = payload.started;
      part = payload.feedStreaming(chunk);
      if (!started && payload.started) {
        const to = intake.mode === 'disk' ? 'to disk' : 'to parser';
        this.owner.log(
          'notice',
          payload.total === -1
            ? `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${to}`
            : `MASTER <-> REPLICA sync: receiving ${payload.total} bytes from master ${to}`,
        );
        intake.begin();
      }
    } catch (error) {
      this.owner.log('warning', `MASTER <-> REPLICA sync: ${(error as Error).message}`);
      this.lost();
      return;
    }
    if (part.done) {
      this.eofFramed = payload.total === -1;
      this.payload = null;
      if (part.rest.length !== 0) this.afterPayload.push(part.rest);
    }
    intake.push(part.rdb, part.done);
  }

  /** How a snapshot's intake reaches this link; inert once the link moved on. */
  private intakeHost(generation: number): IntakeHost {
    const current = (): boolean => generation === this.generation;
    return {
      engine: this.owner.engine,
      log: (level, message) => this.owner.log(level, message),
      flush: () => this.flushForSync(),
      attachToNewMaster: () => {
        if (current()) this.owner.attachToNewMaster();
      },
      pause: () => {
        if (current()) this.socket?.pause();
      },
      resume: () => {
        if (current()) this.socket?.resume();
      },
      loaded: (db) => {
        if (current()) this.snapshotLoaded(db);
      },
      failed: () => {
        if (current()) this.lost();
      },
    };
  }

  /** Empties the dataset for the master's snapshot (Redis's emptyData). */
  private flushForSync(): void {
    const engine = this.owner.engine;
    // Through the command so running snapshots and WATCHers see it as Redis's emptyData.
    const flusher = this.createMasterClient(0);
    engine.execute(flusher, ['FLUSHALL']);
    engine.disconnect(flusher);
    // The snapshot holds the master's function libraries: those of before must not linger.
    engine.scripting.libraries.flush();
  }

  private snapshotLoaded(streamDb: number): void {
    this.intake = null;
    const { replid, offset } = this.fullResync as { replid: string; offset: number };
    this.fullResync = null;
    this.processedOffset = this.readOffset = this.forwardedOffset = offset;
    this.owner.synchronized(replid, offset);
    this.becomeConnected(streamDb);
    this.owner.log('notice', 'MASTER <-> REPLICA sync: Finished with success');
    // The append-only file must describe the loaded data: rewrite it, as Redis restarts AOF.
    if (this.owner.engine.config.get('appendonly') === 'yes') {
      this.owner.engine.persistence?.bgrewriteaof(false);
    }
    // After an EOF-framed transfer the master waits for this ACK before streaming.
    if (this.eofFramed) this.sendAck();
    const stream = this.afterPayload;
    this.afterPayload = [];
    for (const chunk of stream) this.applyStream(chunk);
  }

  private becomeConnected(db: number): void {
    this.state = 'connected';
    this.retryDelay = FIRST_RETRY_DELAY_MS;
    this.downSince = 0;
    this.parser = new RequestParser();
    this.carry = [];
    this.held = false;
    this.masterClient = this.createMasterClient(db);
  }

  private createMasterClient(db: number): Client {
    const engine = this.owner.engine;
    const client = engine.connect({
      remoteAddress: `${this.host}:${this.port}`,
      localAddress: this.socket ? `${this.socket.localAddress}:${this.socket.localPort}` : '',
      pendingOutputBytes: 0,
      scheduleFlush: () => undefined,
      resume: () => this.resumed(client),
      // CLIENT KILL TYPE master: drop the link, we reconnect and resume.
      close: () => {
        if (this.masterClient === client) this.dropSocket();
      },
    });
    client.authenticated = true;
    client.user = null;
    client.obeysAll = true;
    client.kind = 'master';
    client.db = engine.databases[db];
    return client;
  }

  /**
   * Runs every complete command of the stream, then forwards the bytes of the commands applied
   * to our backlog and replicas. The processed offset moves only outside MULTI, as Redis's
   * reploff: a link lost inside a transaction resumes from its MULTI.
   */
  private applyStream(chunk: Buffer): void {
    if (this.masterClient === null) return;
    this.readOffset += chunk.length;
    this.parser.feed(chunk);
    this.carry.push(chunk);
    if (!this.held) this.applyBuffered();
  }

  /** The pause ended and the held command ran: the offset moves past it, the stream goes on. */
  private resumed(client: Client): void {
    if (!this.held || this.masterClient !== client) return;
    this.held = false;
    if (client.transaction === null) {
      this.processedOffset = this.readOffset - this.parser.buffered;
    }
    this.applyBuffered();
  }

  private applyBuffered(): void {
    const client = this.masterClient;
    if (client === null) return;
    const engine = this.owner.engine;
    for (;;) {
      const argv = this.parser.next();
      if (argv === null) break;
      if (argv instanceof ProtocolError) {
        this.owner.log('warning', `Protocol error from MASTER: ${argv.message}`);
        this.dropSocket();
        return;
      }
      if (argv.length !== 0) {
        const errors = engine.stats.totalErrorReplies;
        // The master decides when keys expire: its commands see them as it did.
        engine.expiryMode = 'keep';
        const result = engine.execute(client, argv);
        engine.expiryMode = 'hide';
        if (result === BLOCKED) {
          this.held = true;
          break;
        }
        if (engine.stats.totalErrorReplies !== errors) {
          this.owner.log(
            'warning',
            `== CRITICAL == This replica is sending an error to its master: '${client.out.take().toString('latin1').trim()}' after processing the command '${argv[0]}'`,
          );
        }
      }
      if (client.transaction === null) {
        this.processedOffset = this.readOffset - this.parser.buffered;
      }
      if (this.masterClient !== client) return;
    }
    client.out.truncate(0);
    this.forward(this.processedOffset - this.forwardedOffset);
  }

  /** Hands the first `count` received bytes on, chunk by chunk (no copy of large values). */
  private forward(count: number): void {
    this.forwardedOffset += count;
    while (count > 0) {
      const chunk = this.carry[0];
      if (chunk.length <= count) {
        this.carry.shift();
        count -= chunk.length;
        this.owner.applied(chunk);
      } else {
        this.carry[0] = chunk.subarray(count);
        this.owner.applied(chunk.subarray(0, count));
        count = 0;
      }
    }
  }

  /** REPLCONF ACK <processed offset>: every second, and when the master asks (GETACK). */
  sendAck(): void {
    if (this.state !== 'connected') return;
    this.send(['REPLCONF', 'ACK', String(this.processedOffset)]);
  }

  /** The replica cron: ACK every second; drop a link silent for longer than repl-timeout. */
  tick(now: number): void {
    if (this.state === 'connected') this.sendAck();
    if (this.state === 'connect') return;
    const timeout = this.owner.engine.config.getNumber('repl-timeout') * 1000;
    if (timeout > 0 && this.lastIo !== 0 && now - this.lastIo > timeout) {
      // Redis's replicationCron words it by the state the link was in.
      this.owner.log(
        'warning',
        this.state === 'connected'
          ? 'MASTER timeout: no data nor PING received...'
          : this.state === 'sync'
            ? "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."
            : 'Timeout connecting to the MASTER...',
      );
      this.dropSocket();
    }
  }

  /** Closes the socket; the close handler schedules the reconnection. */
  private dropSocket(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    socket.destroy();
    this.lost();
  }

  private lost(): void {
    const wasConnected = this.state === 'connected';
    const transferFailed = this.state === 'sync';
    this.generation++;
    this.socket?.destroy();
    this.socket = null;
    this.lines = null;
    this.lineWaiter?.();
    this.payload = null;
    this.intake?.abort();
    this.intake = null;
    this.afterPayload = [];
    this.fullResync = null;
    this.state = 'connect';
    if (wasConnected) {
      this.downSince = Date.now();
      this.owner.log('notice', 'Connection with master lost.');
      this.releaseMasterClient();
      this.owner.linkLost();
    }
    if (this.stopped) return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (transferFailed) {
      // As Redis's cancelReplicationHandshake(1): a failed transfer is retried at once.
      this.connectLogged(`Reconnecting to MASTER ${this.host}:${this.port} after failure`);
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connectLogged(`Connecting to MASTER ${this.host}:${this.port}`);
    }, this.retryDelay);
    this.retryDelay = Math.min(MAX_RETRY_DELAY_MS, this.retryDelay * 2);
  }

  /** Keeps the stream's database for a PSYNC continuation and frees the client. */
  private releaseMasterClient(): void {
    const client = this.masterClient;
    if (client === null) return;
    this.masterClient = null;
    this.cachedDb = client.db.id;
    this.owner.engine.disconnect(client);
  }
}
