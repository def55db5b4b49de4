import { RcServer } from '../server.js';
export { freePort, redisAvailable, requireRedisOrSkip } from '@rc/test-support';
export interface RunningServer {
    readonly port: number;
    stop(): Promise<void>;
}
/** rc in this process, on a free port; like startRedis, without save points, in a temp dir. */
export declare function startRc(config?: Array<[string, string]>): Promise<RunningServer & {
    server: RcServer;
}>;
/** A real redis-server 7.0 on a free port, without persistence unless `extra` asks for it. */
export declare function startRedis(extra?: string[]): Promise<RunningServer>;
/**
 * A server made by `make`, listening on `port`, which a server of this process just closed (a
 * restart): on a busy machine another process's outgoing connection can take the freed port for
 * a moment, and listening fails with EADDRINUSE, so that is retried (with a fresh server) for up
 * to 5 s.
 */
export declare function listenAgain(make: () => RcServer, port: number): Promise<RcServer>;
//# sourceMappingURL=servers.d.ts.map