import { getSystemErrorName } from 'node:util';
import { describeErrno } from '@rc/engine';
/** libuv's UV_TCP_IPV6ONLY: an IPv6 listener takes no IPv4 peers, as Redis sets IPV6_V6ONLY. */
const IPV6_ONLY = 1;
/** Node's own TCP handle type, reached the way Node's net module reaches it. */
function tcpBinding() {
    try {
        return process.binding('tcp_wrap');
    }
    catch {
        return null;
    }
}
/**
 * Binds and listens on `address:port` now (an IP address, IPv6 ones taking only IPv6 peers),
 * then hands the listening socket to `server`; returns null, or why it failed. `Server.listen`
 * reports a failed bind only on a later turn, but startup and CONFIG SET bind/port must know
 * the outcome at once, as Redis's bind(2) does. Where Node no longer offers its TCP binding,
 * the listen is started and assumed to succeed.
 */
export function listenNow(server, port, address, ipv6, backlog) {
    const binding = tcpBinding();
    if (binding === null) {
        server.listen({ port, host: address, ipv6Only: ipv6, backlog });
        return null;
    }
    const handle = new binding.TCP(binding.constants.SERVER);
    const bound = ipv6 ? handle.bind6(address, port, IPV6_ONLY) : handle.bind(address, port);
    const listened = bound === 0 ? handle.listen(backlog) : 0;
    if (bound !== 0 || listened !== 0) {
        handle.close();
        const code = getSystemErrorName(bound !== 0 ? bound : listened);
        // libuv holds back bind's EADDRINUSE until listen; Redis sees it from bind(2).
        const step = bound !== 0 || code === 'EADDRINUSE' ? 'bind' : 'listen';
        return { code, message: `${step}: ${describeErrno({ code })}` };
    }
    server.listen({ _handle: handle, backlog });
    return null;
}
//# sourceMappingURL=listen-now.js.map