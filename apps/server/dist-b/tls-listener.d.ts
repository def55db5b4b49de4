import { type TLSSocket } from 'node:tls';
import { type Config } from '@rc/engine';
import type { Log } from './log.js';
import { type TlsContexts } from './tls-context.js';
/** The tls-* settings whose change rebuilds the contexts (Redis's applyTlsCfg). */
export declare const TLS_CONTEXT_SETTINGS: string[];
/** TLS cannot start: the message is Redis's fatal log line. */
export declare class TlsStartupError extends Error {
}
/**
 * The `tls-port` listener and the TLS contexts: accepted sockets go through the handshake, and
 * those that pass (with a certificate as tls-auth-clients requires) go to `adopt`. The contexts
 * are rebuilt when a tls-* setting changes; connections already open keep theirs.
 */
export declare class TlsListener {
    private readonly config;
    private readonly log;
    private readonly adopt;
    private contexts;
    /** Performs handshakes for the current contexts, one per client authentication mode. */
    private readonly handshakers;
    /** A listener per `bind` address. */
    private listeners;
    /** The TLS port listened on, once bound (0 when none). */
    port: number;
    constructor(config: Config, log: Log, adopt: (socket: TLSSocket) => void);
    /** The context outgoing connections use (replication), once TLS is configured. */
    get clientContext(): TlsContexts['client'] | null;
    /** Builds the contexts from the settings (Redis's tlsConfigure); false (logged) if they are bad. */
    configure(): boolean;
    /**
     * At startup, before any listener (Redis's initServer): when TLS is in use, the contexts must
     * build. Throws with Redis's fatal log line as message.
     */
    configureAtStartup(): void;
    /** At startup, after the TCP listeners: tls-port is listened on at every bind address. */
    listen(): void;
    /** The TLS side of CONFIG SET bind (Redis's changeBindAddr); false (logged) on failure. */
    rebind(): boolean;
    /** CONFIG SET tls-port, as Redis's applyTLSPort: configure TLS if need be, then relisten. */
    private applyPort;
    /** Listens on tls-port at every bind address; false (logged) when one failed. */
    private listenOnBindAddresses;
    /** Closes the listeners (connections stay), as before CONFIG SET bind/tls-port relistens. */
    stopListening(): void;
    get listening(): boolean;
    private createListener;
    private handshake;
    /** A tls.Server used only for its handshakes: sockets come from our own listener. */
    private handshaker;
    close(): Promise<void>;
}
//# sourceMappingURL=tls-listener.d.ts.map