import { type SecureContext, type TlsOptions } from 'node:tls';
import { type Config } from '@rc/engine';
import type { Log } from './log.js';
/** What Redis's tlsConfigure builds from the tls-* settings. */
export interface TlsContexts {
    /** A tls.Server's options for accepted connections, but for how clients are verified. */
    readonly server: TlsOptions;
    /** Outgoing connections (replication): the client certificate, else the server's. */
    readonly client: SecureContext;
}
/**
 * Builds the contexts from the tls-* settings, as Redis's tlsConfigure: null when a setting is
 * wrong, after logging why in Redis's words (the previous contexts stay in use).
 */
export declare function configureTls(config: Config, log: Log): TlsContexts | null;
/** Whether any TLS is in use, so that the settings must make a valid context (applyTlsCfg). */
export declare function tlsEnabled(config: Config): boolean;
//# sourceMappingURL=tls-context.d.ts.map