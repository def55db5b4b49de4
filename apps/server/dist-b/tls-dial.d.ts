import type { Config } from '@rc/engine';
import type { MasterConnection } from '@rc/replication';
import type { TlsListener } from './tls-listener.js';
/**
 * A replica's connection to its master: TLS with `tls-replication yes`, as Redis's
 * connCreateTLS, with the client context (tls-client-cert-file, else tls-cert-file). The
 * master's certificate must chain to our CA; its name is not checked, as Redis does not.
 * From `localAddress` when given (bind-source-addr).
 */
export declare function dialMaster(host: string, port: number, config: Config, tls: TlsListener, localAddress?: string): MasterConnection;
//# sourceMappingURL=tls-dial.d.ts.map