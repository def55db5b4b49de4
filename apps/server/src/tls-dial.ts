import { connect as connectTcp } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import type { Config } from '@rc/engine';
import type { MasterConnection } from '@rc/replication';
import type { TlsListener } from './tls-listener.js';

/**
 * A replica's connection to its master: TLS with `tls-replication yes`, as Redis's
 * connCreateTLS, with the client context (tls-client-cert-file, else tls-cert-file). The
 * master's certificate must chain to our CA; its name is not checked, as Redis does not.
 * From `localAddress` when given (bind-source-addr).
 */
export function dialMaster(
  host: string,
  port: number,
  config: Config,
  tls: TlsListener,
  localAddress?: string,
): MasterConnection {
  const secureContext = config.get('tls-replication') === 'yes' ? tls.clientContext : null;
  if (secureContext === null) {
    return { socket: connectTcp({ host, port, localAddress }), ready: 'connect' };
  }
  // tls.connect hands localAddress to the TCP connection, though its type does not list it.
  const options: ConnectionOptions & { localAddress?: string } = {
    host,
    port,
    localAddress,
    secureContext,
    rejectUnauthorized: true,
    checkServerIdentity: () => undefined,
  };
  return { socket: connectTls(options), ready: 'secureConnect' };
}
