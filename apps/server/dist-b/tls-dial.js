import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
/**
 * A replica's connection to its master: TLS with `tls-replication yes`, as Redis's
 * connCreateTLS, with the client context (tls-client-cert-file, else tls-cert-file). The
 * master's certificate must chain to our CA; its name is not checked, as Redis does not.
 * From `localAddress` when given (bind-source-addr).
 */
export function dialMaster(host, port, config, tls, localAddress) {
    const secureContext = config.get('tls-replication') === 'yes' ? tls.clientContext : null;
    if (secureContext === null) {
        return { socket: connectTcp({ host, port, localAddress }), ready: 'connect' };
    }
    // tls.connect hands localAddress to the TCP connection, though its type does not list it.
    const options = {
        host,
        port,
        localAddress,
        secureContext,
        rejectUnauthorized: true,
        checkServerIdentity: () => undefined,
    };
    return { socket: connectTls(options), ready: 'secureConnect' };
}
//# sourceMappingURL=tls-dial.js.map