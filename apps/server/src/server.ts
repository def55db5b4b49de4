import { chmodSync, rmSync } from 'node:fs';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Engine, formatClientInfo, type EngineCrash, describeErrno } from '@rc/engine';
import { Replication } from '@rc/replication';
import { Connection } from './connection.js';
import { listenNow } from './listen-now.js';
import { SocketMigration } from './migration.js';
import type { Log } from './log.js';
import { ServerPersistence } from './persistence/host.js';
import { AppendOnlyFile } from './aof/append-only-file.js';
import { TlsListener } from './tls-listener.js';
import { dialMaster } from './tls-dial.js';
import { loadStartupUsers } from './startup-users.js';

/** How often a load checks whether it read enough to let waiting clients in. */
const LOADING_WATCH_MS = 10;

export interface ServerOptions {
  /** Configuration name → value pairs, as from the command line or a config file. */
  config?: Array<[string, string]>;
  /** Called after SHUTDOWN closed the server (the daemon exits here). */
  onShutdown?: () => void;
  /** Where log lines go; silent when left out (embedded servers, tests). */
  log?: Log;
  /**
   * DEBUG SEGFAULT/PANIC and other crashes: the daemon writes a crash report and dies; left
   * out, the engine closes every connection instead.
   */
  onCrash?: (crash: EngineCrash) => void;
  /** The config file the daemon started from, for CONFIG REWRITE. */
  configFile?: string | null;
  /** ACL users declared by `user` lines: name, then rules. */
  users?: ReadonlyArray<readonly string[]>;
}

/**
 * The daemon: a TCP listener feeding connections into one engine. Everything Redis-specific
 * lives in the engine; this is transport only.
 */
export class RcServer {
  readonly engine: Engine;
  private listener: Server;
  private unixListener: Server | null = null;
  /** `tls-port` and the TLS contexts. */
  readonly tls: TlsListener;
  private readonly connections = new Set<Connection>();
  /** Sockets accepted while a load serves no events, with their unix socket address. */
  private waiting: Array<[Socket, string | undefined]> | null = null;
  private readonly log: Log;
  /** The TCP port listened on, once bound. */
  port = 0;
  readonly persistence: ServerPersistence;
  readonly replication: Replication;
  /** MIGRATE's connections to other servers. */
  private readonly migration: SocketMigration;
  /** The append-only file: loading, appending, BGREWRITEAOF and its INFO fields. */
  readonly aof: AppendOnlyFile;
  private readonly users: ReadonlyArray<readonly string[]>;

  constructor(options: ServerOptions = {}) {
    const log: Log = options.log ?? (() => undefined);
    this.log = log;
    this.users = options.users ?? [];
    this.engine = new Engine({
      config: options.config,
      onShutdown: () => void this.close().then(() => options.onShutdown?.()),
      log,
      onCrash: options.onCrash,
      configFile: options.configFile,
    });
    this.persistence = new ServerPersistence(this.engine, log);
    this.engine.persistence = this.persistence;
    this.tls = new TlsListener(this.engine.config, log, (socket) => this.accept(socket));
    this.replication = new Replication(this.engine, {
      log: options.log,
      dial: (host, port) => dialMaster(host, port, this.engine.config, this.tls),
    });
    this.engine.replication = this.replication;
    if (options.log !== undefined) {
      const levels = ['debug', 'verbose', 'notice', 'warning'] as const;
      this.engine.scripting.log = (level, message) => log(levels[level], message);
    }
    this.aof = new AppendOnlyFile(this.engine, log);
    this.migration = new SocketMigration();
    this.engine.migration = this.migration;
    this.persistence.aof = this.aof;
    this.listener = this.createListener();
    this.engine.config.onApply('port', () =>
      this.relisten() ? null : 'Unable to listen on this port. Check server logs.',
    );
    this.engine.config.onApply('bind', () =>
      this.relisten() ? null : 'Failed to bind to specified addresses.',
    );
  }

  /**
   * Listens on the configured port and first bind address, loads the data files, then starts
   * background work; resolves with the actual port once loaded. A corrupt data file rejects:
   * serving an empty dataset would lose it.
   */
  async listen(port?: number, host?: string): Promise<number> {
    const listening = await this.bind(port, host);
    await this.load();
    return listening;
  }

  /**
   * Opens the listeners: TCP on the port and first bind address, and `unixsocket` when set.
   * Resolves with the actual TCP port; rejects as `listen(2)` fails (EADDRINUSE...).
   */
  async bind(port?: number, host?: string): Promise<number> {
    const bind = host ?? this.engine.config.get('bind').split(/\s+/)[0] ?? '127.0.0.1';
    const address = bind === '*' ? '0.0.0.0' : bind;
    await this.tls.listen(address);
    const tcpPort = port ?? this.engine.config.getNumber('port');
    // Configured with `port 0` and a TLS port, it listens on that one only, as Redis; a port 0
    // given here takes a free port.
    if (port !== undefined || tcpPort !== 0 || this.tls.port === 0) {
      await listenOn(this.listener, (done) => this.listener.listen(tcpPort, address, done));
      const actual = this.listener.address();
      this.port = typeof actual === 'object' && actual !== null ? actual.port : tcpPort;
    }
    const path = this.engine.config.get('unixsocket');
    if (path !== '') {
      // A socket file left by a previous run would make listen fail, as Redis unlinks it first.
      rmSync(path, { force: true });
      this.unixListener = this.createListener(`${path}:0`);
      const unix = this.unixListener;
      await listenOn(unix, (done) => unix.listen(path, done));
      const mode = Number.parseInt(this.engine.config.get('unixsocketperm'), 8);
      if (mode > 0) chmodSync(path, mode);
    }
    return this.port;
  }

  /**
   * Loads the data files, then starts background work. Clients that connect meanwhile wait, as
   * Redis serves no events while it loads a small file; once `loading-process-events-interval-
   * bytes` were read they are let in and get LOADING until the load is done.
   */
  async load(): Promise<void> {
    const usersProblem = loadStartupUsers(this.engine, this.users, this.log);
    if (usersProblem !== null) {
      await this.close();
      throw new Error(usersProblem);
    }
    this.engine.loading = true;
    this.waiting = [];
    const interval = this.engine.config.getNumber('loading-process-events-interval-bytes');
    const watch = setInterval(() => {
      if (this.persistence.loadedBytes >= interval) this.admitWaiting();
    }, LOADING_WATCH_MS);
    try {
      // As Redis 7.0: with appendonly yes the AOF is the only source (dump.rdb is ignored).
      if (this.aof.enabled) await this.aof.loadAtStartup();
      else await this.persistence.loadAtStartup();
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      clearInterval(watch);
      this.engine.loading = false;
      this.admitWaiting();
    }
    this.engine.start();
    this.persistence.start();
    this.aof.start();
    // Replicas announce this port to their master (REPLCONF listening-port).
    this.replication.start(this.port);
  }

  /**
   * CONFIG SET port/bind: listens anew on the configured port and first address and closes the
   * old listener (its clients stay); on failure the old listener keeps serving. A new address
   * is bound after the old listener closed, as Redis's changeBindAddr, since both may share the
   * port; a new port is tried first, as changeListenPort.
   */
  private relisten(): boolean {
    const port = this.engine.config.getNumber('port');
    const bind = this.engine.config.get('bind').split(/\s+/)[0] ?? '127.0.0.1';
    const address = bind === '*' ? '0.0.0.0' : bind;
    if (isIP(address) === 0) return false;
    const previous = this.listener;
    const old = previous.address();
    const samePort = typeof old === 'object' && old !== null && old.port === port;
    if (samePort) previous.close();
    const next = this.createListener();
    const failure = listenNow(next, port, address);
    if (failure !== null) {
      this.log(
        'warning',
        `Warning: Could not create server TCP listening socket ${bind}:${port}: bind: ${describeErrno({ code: failure })}`,
      );
      if (samePort && typeof old === 'object' && old !== null) {
        this.listener = this.createListener();
        listenNow(this.listener, old.port, old.address);
      }
      return false;
    }
    if (!samePort) previous.close();
    this.listener = next;
    this.port = port;
    return true;
  }

  private createListener(unixAddress?: string): Server {
    return createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, unixAddress));
  }

  private accept(socket: Socket, unixAddress?: string): void {
    if (this.waiting !== null) this.waiting.push([socket, unixAddress]);
    else this.adopt(socket, unixAddress);
  }

  private adopt(socket: Socket, unixAddress: string | undefined): void {
    // As Redis's acceptCommonHandler: past maxclients, one error line and the socket closes.
    if (this.connections.size >= this.engine.config.getNumber('maxclients')) {
      this.engine.stats.rejectedConnections++;
      // Redis refuses a TLS client before its handshake: nothing is written, it just drops.
      if (socket instanceof TLSSocket) socket.destroy();
      else socket.end('-ERR max number of clients reached\r\n', () => socket.destroy());
      return;
    }
    const connection = new Connection(
      socket,
      this.engine,
      (closed, byPeer) => {
        this.connections.delete(closed);
        if (byPeer) {
          const info = formatClientInfo(closed.client, this.engine, null);
          this.log('verbose', `Client closed connection ${info}`);
        }
      },
      unixAddress,
    );
    this.connections.add(connection);
    this.log(
      'verbose',
      unixAddress === undefined
        ? `Accepted ${connection.remoteAddress}`
        : `Accepted connection to ${this.engine.config.get('unixsocket')}`,
    );
  }

  private admitWaiting(): void {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const [socket, unixAddress] of waiting) this.adopt(socket, unixAddress);
  }

  /** Stops accepting, drops every client, stops background work and lets a BGSAVE finish. */
  async close(): Promise<void> {
    this.replication.stop();
    this.engine.stop();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    for (const [socket] of this.waiting ?? []) socket.destroy();
    this.waiting = null;
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
    const unix = this.unixListener;
    if (unix !== null) await new Promise<void>((resolve) => unix.close(() => resolve()));
    await this.tls.close();
    await this.persistence.stop();
    await this.aof.close();
    this.migration.close();
  }
}

/** Starts a listener, resolving once it listens and rejecting with its error. */
function listenOn(listener: Server, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    start(() => {
      listener.off('error', reject);
      resolve();
    });
  });
}
