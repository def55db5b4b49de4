import { listenNow } from './listen-now.js';
import { resolveNow } from './resolve-now.js';
/**
 * Bind failures Redis skips whether the address is optional or not: this machine lacks the
 * address family or protocol (no IPv6).
 */
const UNSUPPORTED = new Set([
    'ENOPROTOOPT',
    'EPROTONOSUPPORT',
    'ESOCKTNOSUPPORT',
    'EPFNOSUPPORT',
    'EAFNOSUPPORT',
]);
/** The addresses of a `bind` value: `* -::*`, or none for `""`. */
export function bindAddresses(bind) {
    return bind.split(' ').filter((address) => address !== '');
}
/**
 * Redis's listenToPort: a listener on each address, `*` being every IPv4 address and `::*`
 * every IPv6 one. An address that cannot be listened on is logged; unless it is optional and
 * absent here, or its family unsupported, the listeners opened so far are closed and null is
 * returned.
 */
export function listenOnAddresses(spec, log) {
    const servers = [];
    let port = spec.port;
    for (const written of spec.addresses) {
        const optional = written.startsWith('-');
        const address = optional ? written.slice(1) : written;
        const server = spec.create();
        const failure = listenOnAddress(server, address, port, spec.backlog);
        if (failure === null) {
            servers.push(server);
            if (port === 0)
                port = listeningPort(server);
            continue;
        }
        log('warning', `Warning: Could not create server TCP listening socket ${address}:${port}: ${failure.message}`);
        if ((failure.code === 'EADDRNOTAVAIL' && optional) || UNSUPPORTED.has(failure.code))
            continue;
        void closeListeners(servers);
        return null;
    }
    return servers;
}
function listenOnAddress(server, address, port, backlog) {
    // As Redis, an address with a colon is IPv6, and only there is `::*` the wildcard.
    const ipv6 = address.includes(':');
    const wildcard = address === '*' || (ipv6 && address === '::*');
    const resolved = wildcard
        ? { address: ipv6 ? '::' : '0.0.0.0' }
        : resolveNow(address, ipv6 ? 6 : 4);
    if ('error' in resolved)
        return { code: 'EAI_NONAME', message: resolved.error };
    return listenNow(server, port, resolved.address, ipv6, backlog);
}
/** The port a listener listens on (the one the system chose when asked for port 0). */
export function listeningPort(server) {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
}
/**
 * Stops the listeners from accepting (their connections stay); resolves once they are closed.
 * The sockets are released at once, so their addresses can be listened on again right away.
 */
export function closeListeners(servers) {
    return Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve())))).then(() => undefined);
}
//# sourceMappingURL=listeners.js.map