import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@rc/test-support';
import { RcServer } from '../server.js';

export { freePort, redisAvailable, requireRedisOrSkip } from '@rc/test-support';

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** rc in this process, on a free port; like startRedis, without save points, in a temp dir. */
export async function startRc(
  config: Array<[string, string]> = [],
): Promise<RunningServer & { server: RcServer }> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-server-'));
  const server = new RcServer({ config: [['save', ''], ['dir', dir], ...config] });
  const port = await server.listen(0, '127.0.0.1');
  server.engine.config.set('port', String(port));
  return { port, server, stop: () => server.close() };
}

/** A real redis-server 7.0 on a free port, without persistence unless `extra` asks for it. */
export async function startRedis(extra: string[] = []): Promise<RunningServer> {
  const redis = await startRedisServer({ args: extra });
  return { port: redis.port, stop: () => redis.stop() };
}
