import type { Server } from 'node:net';
/** Why a listening socket could not be made: the errno's code and Redis's (anet's) words. */
export interface ListenFailure {
    code: string;
    message: string;
}
/**
 * Binds and listens on `address:port` now (an IP address, IPv6 ones taking only IPv6 peers),
 * then hands the listening socket to `server`; returns null, or why it failed. `Server.listen`
 * reports a failed bind only on a later turn, but startup and CONFIG SET bind/port must know
 * the outcome at once, as Redis's bind(2) does. Where Node no longer offers its TCP binding,
 * the listen is started and assumed to succeed.
 */
export declare function listenNow(server: Server, port: number, address: string, ipv6: boolean, backlog: number): ListenFailure | null;
//# sourceMappingURL=listen-now.d.ts.map