import type { Server } from 'node:net';
import type { Log } from './log.js';
/** The addresses of a `bind` value: `* -::*`, or none for `""`. */
export declare function bindAddresses(bind: string): string[];
/** Where and how one set of listeners (plain TCP; TLS alike) listens. */
export interface ListenerSpec {
    /** 0 takes a free port (embedded servers): the first address's, for every address. */
    port: number;
    /** `bind`'s addresses: `-` marks one whose absence from this machine is no error. */
    addresses: readonly string[];
    backlog: number;
    /** Makes a listening server that takes the connections accepted on one address. */
    create: () => Server;
}
/**
 * Redis's listenToPort: a listener on each address, `*` being every IPv4 address and `::*`
 * every IPv6 one. An address that cannot be listened on is logged; unless it is optional and
 * absent here, or its family unsupported, the listeners opened so far are closed and null is
 * returned.
 */
export declare function listenOnAddresses(spec: ListenerSpec, log: Log): Server[] | null;
/** The port a listener listens on (the one the system chose when asked for port 0). */
export declare function listeningPort(server: Server): number;
/**
 * Stops the listeners from accepting (their connections stay); resolves once they are closed.
 * The sockets are released at once, so their addresses can be listened on again right away.
 */
export declare function closeListeners(servers: readonly Server[]): Promise<void>;
//# sourceMappingURL=listeners.d.ts.map