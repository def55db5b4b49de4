import { createServer as createTcpServer } from 'node:net';
import { createServer as createTlsServer, } from 'node:tls';
import { describeErrno } from '@rc/engine';
import { bindAddresses, closeListeners, listenOnAddresses, listeningPort } from './listeners.js';
import { configureTls, tlsEnabled } from './tls-context.js';
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
export class TlsStartupError extends Error {
}
const UPDATE_FAILED = 'Unable to update TLS configuration. Check server logs.';
/**
 * The `tls-port` listener and the TLS contexts: accepted sockets go through the handshake, and
 * those that pass (with a certificate as tls-auth-clients requires) go to `adopt`. The contexts
 * are rebuilt when a tls-* setting changes; connections already open keep theirs.
 */
export class TlsListener {
    config;
    log;
    adopt;
    contexts = null;
    /** Performs handshakes for the current contexts, one per client authentication mode. */
    handshakers = new Map();
    /** A listener per `bind` address. */
    listeners = [];
    /** The TLS port listened on, once bound (0 when none). */
    port = 0;
    constructor(config, log, adopt) {
        this.config = config;
        this.log = log;
        this.adopt = adopt;
        for (const name of TLS_CONTEXT_SETTINGS) {
            config.onApply(name, () => (!tlsEnabled(config) || this.configure() ? null : UPDATE_FAILED));
        }
        config.onApply('tls-port', () => this.applyPort());
    }
    /** The context outgoing connections use (replication), once TLS is configured. */
    get clientContext() {
        return this.contexts?.client ?? null;
    }
    /** Builds the contexts from the settings (Redis's tlsConfigure); false (logged) if they are bad. */
    configure() {
        const contexts = configureTls(this.config, this.log);
        if (contexts === null)
            return false;
        this.contexts = contexts;
        this.handshakers.clear();
        return true;
    }
    /**
     * At startup, before any listener (Redis's initServer): when TLS is in use, the contexts must
     * build. Throws with Redis's fatal log line as message.
     */
    configureAtStartup() {
        if (tlsEnabled(this.config) && !this.configure()) {
            throw new TlsStartupError('Failed to configure TLS. Check logs for more info.');
        }
    }
    /** At startup, after the TCP listeners: tls-port is listened on at every bind address. */
    listen() {
        const port = this.config.getNumber('tls-port');
        if (port !== 0 && !this.listenOnBindAddresses()) {
            throw new TlsStartupError(`Failed listening on port ${port} (TLS), aborting.`);
        }
    }
    /** The TLS side of CONFIG SET bind (Redis's changeBindAddr); false (logged) on failure. */
    rebind() {
        return this.config.getNumber('tls-port') === 0 || this.listenOnBindAddresses();
    }
    /** CONFIG SET tls-port, as Redis's applyTLSPort: configure TLS if need be, then relisten. */
    applyPort() {
        if (this.contexts === null && !this.configure())
            return UPDATE_FAILED;
        this.stopListening();
        if (this.config.getNumber('tls-port') === 0)
            return null;
        return this.listenOnBindAddresses()
            ? null
            : 'Unable to listen on this port. Check server logs.';
    }
    /** Listens on tls-port at every bind address; false (logged) when one failed. */
    listenOnBindAddresses() {
        const port = this.config.getNumber('tls-port');
        const listeners = listenOnAddresses({
            port,
            addresses: bindAddresses(this.config.get('bind')),
            backlog: this.config.getNumber('tcp-backlog'),
            create: () => this.createListener(),
        }, this.log);
        if (listeners === null)
            return false;
        this.listeners = listeners;
        this.port = listeners.length > 0 ? listeningPort(listeners[0]) : port;
        return true;
    }
    /** Closes the listeners (connections stay), as before CONFIG SET bind/tls-port relistens. */
    stopListening() {
        void this.close();
    }
    get listening() {
        return this.listeners.length > 0;
    }
    createListener() {
        return createTcpServer((socket) => this.handshake(socket));
    }
    handshake(socket) {
        const auth = this.config.get('tls-auth-clients');
        this.handshaker(auth).emit('connection', socket);
    }
    /** A tls.Server used only for its handshakes: sockets come from our own listener. */
    handshaker(auth) {
        const existing = this.handshakers.get(auth);
        if (existing !== undefined)
            return existing;
        const contexts = this.contexts;
        if (contexts === null)
            throw new Error('TLS is not configured');
        const server = createTlsServer({
            ...contexts.server,
            requestCert: auth !== 'no',
            rejectUnauthorized: auth === 'yes',
        });
        server.on('secureConnection', (socket) => {
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
    close() {
        const listeners = this.listeners;
        this.listeners = [];
        this.port = 0;
        return closeListeners(listeners);
    }
}
function presentsCertificate(socket) {
    return Object.keys(socket.getPeerCertificate()).length > 0;
}
/**
 * An error as OpenSSL 3's ERR_error_string_n writes it (`error:0A0000C7:SSL routines::peer did
 * not return a certificate`), which Node's message embeds with the function's name; system
 * errors by their strerror words.
 */
function openSslReason(error) {
    const match = /error:([0-9A-F]{8}):([^:]*):[^:]*:([^:\n]*)/.exec(error.message);
    return match === null ? describeErrno(error) : `error:${match[1]}:${match[2]}::${match[3]}`;
}
//# sourceMappingURL=tls-listener.js.map