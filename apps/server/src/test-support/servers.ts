import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RcServer } from '../server.js';
import { RawClient } from './raw-client.js';

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
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

const redisBinary = 'redis-server';

/** Whether a real redis-server can be started here. */
export const redisAvailable: boolean =
  spawnSync(redisBinary, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Tests that compare against a real redis-server skip (with a visible message) where none is
 * installed, and fail when REQUIRE_REDIS=1, as in CI.
 */
export function requireRedisOrSkip(suite: string): boolean {
  if (redisAvailable) return true;
  if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: REQUIRE_REDIS=1 but redis-server is not installed`);
  }
  console.warn(`SKIPPED ${suite}: redis-server is not installed (apt-get install redis-server)`);
  return false;
}

/** A real redis-server 7.0 on a free port, without persistence. */
export async function startRedis(extra: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rc-redis-'));
  const child: ChildProcess = spawn(
    redisBinary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const client = await RawClient.open(port);
      const reply = await client.command('PING');
      client.close();
      if (reply?.toString() === '+PONG\r\n') break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
