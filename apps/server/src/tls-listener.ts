import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import {
  createServer as createTlsServer,
  type TLSSocket,
  type Server as TlsServer,
} from 'node:tls';
import { describeErrno, type Config } from '@rc/engine';
import { listenNow } from './listen-now.js';
import type { Log } from './log.js';
import { configureTls, tlsEnabled, type TlsContexts } from './tls-context.js';

/** tls-auth-clients: whether a client must, may or need not show a certificate. */
type ClientAuth = 'yes' | 'optional' | 'no';

/** The tls-* settings whose change rebuilds the contexts (Redis's applyTlsCfg). */
export const TLS_CONTEXT_SETTINGS = [
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-dh-params-file',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
  'tls-replication',
  'tls-cluster',
];

/** TLS cannot start: the message is Redis's fatal log line. */
export class TlsStartupError extends Error {}

const UPDATE_FAILED = 'Unable to update TLS configuration. Check server logs.';

/**
 * The `tls-port` listener and the TLS contexts: accepted sockets go through the handshake, and
 * those that pass (with a certificate as tls-auth-clients requires) go to `adopt`. The contexts
 * are rebuilt when a tls-* setting changes; connections already open keep theirs.
 */
export class TlsListener {
  private contexts: TlsContexts | null = null;
  /** Performs handshakes for the current contexts, one per client authentication mode. */
  private readonly handshakers = new Map<ClientAuth, TlsServer>();
  private listener: Server | null = null;
  /** The TLS port listened on, once bound (0 when none). */
  port = 0;

  constructor(
    private readonly config: Config,
    private readonly log: Log,
    private readonly adopt: (socket: TLSSocket) => void,
  ) {
    for (const name of TLS_CONTEXT_SETTINGS) {
      config.onApply(name, () => (!tlsEnabled(config) || this.configure() ? null : UPDATE_FAILED));
    }
    config.onApply('tls-port', () => this.applyPort());
  }

  /** The context outgoing connections use (replication), once TLS is configured. */
  get clientContext(): TlsContexts['client'] | null {
    return this.contexts?.client ?? null;
  }

  /** Builds the contexts from the settings (Redis's tlsConfigure); false (logged) if they are bad. */
  configure(): boolean {
    const contexts = configureTls(this.config, this.log);
    if (contexts === null) return false;
    this.contexts = contexts;
    this.handshakers.clear();
    return true;
  }

  /**
   * At startup: when TLS is in use, the contexts must build, and tls-port is listened on.
   * Rejects with Redis's fatal log line as message.
   */
  async listen(address: string): Promise<void> {
    if (!tlsEnabled(this.config)) return;
    if (!this.configure())
      throw new TlsStartupError('Failed to configure TLS. Check logs for more info.');
    const port = this.config.getNumber('tls-port');
    if (port === 0) return;
    const listener = this.createListener();
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(port, address, () => {
          listener.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.log(
        'warning',
        `Warning: Could not create server TCP listening socket ${address}:${port}: bind: ${describeErrno(error)}`,
      );
      throw new TlsStartupError(`Failed listening on port ${port} (TLS), aborting.`);
    }
    this.listener = listener;
    const bound = listener.address();
    this.port = typeof bound === 'object' && bound !== null ? bound.port : port;
  }

  /** CONFIG SET tls-port, as Redis's applyTLSPort: configure TLS if need be, then relisten. */
  private applyPort(): string | null {
    if (this.contexts === null && !this.configure()) return UPDATE_FAILED;
    const port = this.config.getNumber('tls-port');
    const address = this.config.get('bind').split(/\s+/)[0] ?? '127.0.0.1';
    this.listener?.close();
    this.listener = null;
    this.port = 0;
    if (port === 0) return null;
    const listener = this.createListener();
    const host = address === '*' ? '0.0.0.0' : address;
    const failure = listenNow(listener, port, host);
    if (failure !== null) {
      this.log(
        'warning',
        `Warning: Could not create server TCP listening socket ${address}:${port}: bind: ${describeErrno({ code: failure })}`,
      );
      return 'Unable to listen on this port. Check server logs.';
    }
    this.listener = listener;
    this.port = port;
    return null;
  }

  private createListener(): Server {
    return createTcpServer((socket) => this.handshake(socket));
  }

  private handshake(socket: Socket): void {
    const auth = this.config.get('tls-auth-clients') as ClientAuth;
    this.handshaker(auth).emit('connection', socket);
  }

  /** A tls.Server used only for its handshakes: sockets come from our own listener. */
  private handshaker(auth: ClientAuth): TlsServer {
    const existing = this.handshakers.get(auth);
    if (existing !== undefined) return existing;
    const contexts = this.contexts;
    if (contexts === null) throw new Error('TLS is not configured');
    const server = createTlsServer({
      ...contexts.server,
      requestCert: auth !== 'no',
      rejectUnauthorized: auth === 'yes',
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      // OpenSSL, as Redis sets it for `optional`, fails the handshake for a certificate that
      // does not verify; Node lets it through unverified.
      if (auth === 'optional' && !socket.authorized && presentsCertificate(socket)) {
        this.log('warning', `Error accepting a client connection: ${socket.authorizationError}`);
        socket.destroy();
        return;
      }
      this.adopt(socket);
    });
    server.on('tlsClientError', (error) => {
      this.log('warning', `Error accepting a client connection: ${openSslReason(error)}`);
    });
    this.handshakers.set(auth, server);
    return server;
  }

  close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    if (listener === null) return Promise.resolve();
    return new Promise((resolve) => listener.close(() => resolve()));
  }
}

function presentsCertificate(socket: TLSSocket): boolean {
  return Object.keys(socket.getPeerCertificate()).length > 0;
}

/**
 * An error as OpenSSL 3's ERR_error_string_n writes it (`error:0A0000C7:SSL routines::peer did
 * not return a certificate`), which Node's message embeds with the function's name; system
 * errors by their strerror words.
 */
function openSslReason(error: Error): string {
  const match = /error:([0-9A-F]{8}):([^:]*):[^:]*:([^:\n]*)/.exec(error.message);
  return match === null ? describeErrno(error) : `error:${match[1]}:${match[2]}::${match[3]}`;
}
