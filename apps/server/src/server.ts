import { createServer, type Server } from 'node:net';
import { Engine } from '@rc/engine';
import { Replication } from '@rc/replication';
import { Connection } from './connection.js';
import type { Log } from './log.js';
import { ServerPersistence } from './persistence/host.js';
import { AppendOnlyFile } from './aof/append-only-file.js';

export interface ServerOptions {
  /** Configuration name → value pairs, as from the command line or a config file. */
  config?: Array<[string, string]>;
  /** Called after SHUTDOWN closed the server (the daemon exits here). */
  onShutdown?: () => void;
  /** Where log lines go; silent when left out (embedded servers, tests). */
  log?: Log;
}

/**
 * The daemon: a TCP listener feeding connections into one engine. Everything Redis-specific
 * lives in the engine; this is transport only.
 */
export class RcServer {
  readonly engine: Engine;
  private readonly listener: Server;
  private readonly connections = new Set<Connection>();
  readonly persistence: ServerPersistence;
  readonly replication: Replication;
  /** The append-only file: loading, appending, BGREWRITEAOF and its INFO fields. */
  readonly aof: AppendOnlyFile;

  constructor(options: ServerOptions = {}) {
    this.engine = new Engine({
      config: options.config,
      onShutdown: () => void this.close().then(() => options.onShutdown?.()),
    });
    const log: Log = options.log ?? (() => undefined);
    this.persistence = new ServerPersistence(this.engine, log);
    this.engine.persistence = this.persistence;
    this.replication = new Replication(this.engine, { log: options.log });
    this.engine.replication = this.replication;
    if (options.log !== undefined) {
      const levels = ['debug', 'verbose', 'notice', 'warning'] as const;
      this.engine.scripting.log = (level, message) => log(levels[level], message);
    }
    this.aof = new AppendOnlyFile(this.engine, log);
    this.persistence.aof = this.aof;
    this.listener = createServer({ pauseOnConnect: true }, (socket) => {
      const connection = new Connection(socket, this.engine, (closed) =>
        this.connections.delete(closed),
      );
      this.connections.add(connection);
    });
  }

  /**
   * Listens on the configured port and first bind address, loads the data files (clients that
   * connect meanwhile get LOADING, as from Redis), then starts background work; resolves with
   * the actual port once loaded. A corrupt data file rejects: serving an empty dataset would
   * lose it.
   */
  async listen(port = Number(this.engine.config.get('port')), host?: string): Promise<number> {
    const bind = host ?? this.engine.config.get('bind').split(/\s+/)[0] ?? '127.0.0.1';
    const address = bind === '*' ? '0.0.0.0' : bind;
    const listening = await new Promise<number>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(port, address, () => {
        this.listener.off('error', reject);
        const actual = this.listener.address();
        resolve(typeof actual === 'object' && actual !== null ? actual.port : port);
      });
    });
    this.engine.loading = true;
    try {
      // As Redis 7.0: with appendonly yes the AOF is the only source (dump.rdb is ignored).
      if (this.aof.enabled) await this.aof.loadAtStartup();
      else await this.persistence.loadAtStartup();
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      this.engine.loading = false;
    }
    this.engine.start();
    this.persistence.start();
    this.aof.start();
    // Replicas announce this port to their master (REPLCONF listening-port).
    this.replication.start(listening);
    return listening;
  }

  /** Stops accepting, drops every client, stops background work and lets a BGSAVE finish. */
  async close(): Promise<void> {
    this.replication.stop();
    this.engine.stop();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
    await this.persistence.stop();
    await this.aof.close();
  }
}
