import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisServer } from '@rc/test-support';
import { RcServer } from '../server.js';
export { freePort, redisAvailable, requireRedisOrSkip } from '@rc/test-support';
/** rc in this process, on a free port; like startRedis, without save points, in a temp dir. */
export async function startRc(config = []) {
    const dir = mkdtempSync(join(tmpdir(), 'rc-server-'));
    const server = new RcServer({ config: [['save', ''], ['dir', dir], ...config] });
    const port = await server.listen(0, '127.0.0.1');
    server.engine.config.set('port', String(port));
    return { port, server, stop: () => server.close() };
}
/** A real redis-server 7.0 on a free port, without persistence unless `extra` asks for it. */
export async function startRedis(extra = []) {
    const redis = await startRedisServer({ args: extra });
    return { port: redis.port, stop: () => redis.stop() };
}
/**
 * A server made by `make`, listening on `port`, which a server of this process just closed (a
 * restart): on a busy machine another process's outgoing connection can take the freed port for
 * a moment, and listening fails with EADDRINUSE, so that is retried (with a fresh server) for up
 * to 5 s.
 */
export async function listenAgain(make, port) {
    for (let attempt = 1;; attempt++) {
        const server = make();
        try {
            await server.listen(port, '127.0.0.1');
            return server;
        }
        catch (error) {
            await server.close().catch(() => undefined);
            const taken = error instanceof Error && error.message.startsWith('Failed listening');
            if (!taken || attempt === 50)
                throw error;
            await sleep(100);
        }
    }
}
//# sourceMappingURL=servers.js.map