import { createServer, type Server } from 'node:net';
import { Engine } from '@rc/engine';
import { Connection } from './connection.js';

export interface ServerOptions {
  /** Configuration name → value pairs, as from the command line or a config file. */
  config?: Array<[string, string]>;
  /** Called after SHUTDOWN closed the server (the daemon exits here). */
  onShutdown?: () => void;
}

/**
 * The daemon: a TCP listener feeding connections into one engine. Everything Redis-specific
 * lives in the engine; this is transport only.
 */
export class RcServer {
  readonly engine: Engine;
  private readonly listener: Server;
  private readonly connections = new Set<Connection>();

  constructor(options: ServerOptions = {}) {
    this.engine = new Engine({
      config: options.config,
      onShutdown: () => void this.close().then(() => options.onShutdown?.()),
    });
    this.listener = createServer((socket) => {
      const connection = new Connection(socket, this.engine, (closed) =>
        this.connections.delete(closed),
      );
      this.connections.add(connection);
    });
  }

  /** Listens on the configured port and first bind address; resolves with the actual port. */
  listen(port = Number(this.engine.config.get('port')), host?: string): Promise<number> {
    const bind = host ?? this.engine.config.get('bind').split(/\s+/)[0] ?? '127.0.0.1';
    const address = bind === '*' ? '0.0.0.0' : bind;
    this.engine.start();
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(port, address, () => {
        this.listener.off('error', reject);
        const actual = this.listener.address();
        resolve(typeof actual === 'object' && actual !== null ? actual.port : port);
      });
    });
  }

  /** Stops accepting, drops every client and stops background work. */
  close(): Promise<void> {
    this.engine.stop();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    return new Promise((resolve) => this.listener.close(() => resolve()));
  }
}
