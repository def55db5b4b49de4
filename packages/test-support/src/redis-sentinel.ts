import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { stopChild, untilServing } from './redis-server.js';

const sentinelBinary = 'redis-sentinel';

/** Whether a real redis-sentinel (Debian's redis-sentinel package) can be started here. */
export const sentinelAvailable: boolean =
  spawnSync(sentinelBinary, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Tests that run a real redis-sentinel skip (with a visible message) where none is installed,
 * and fail when REQUIRE_REDIS=1, as in CI.
 */
export function requireSentinelOrSkip(suite: string): boolean {
  if (sentinelAvailable) return true;
  if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: REQUIRE_REDIS=1 but redis-sentinel is not installed`);
  }
  console.warn(
    `SKIPPED ${suite}: redis-sentinel is not installed (apt-get install redis-sentinel)`,
  );
  return false;
}

export interface SentinelProcess {
  readonly port: number;
  /** Its directory: sentinel.conf (which Sentinel rewrites) and sentinel.log. */
  readonly dir: string;
  readonly child: ChildProcess;
  /** SIGKILL, resolved once the process is gone. */
  stop(): Promise<void>;
}

/**
 * A real redis-sentinel on a free loopback port, its configuration file made of `directives`
 * (lines such as `sentinel monitor mymaster 127.0.0.1 6379 2`); resolves once it answers PING.
 */
export async function startSentinel(directives: readonly string[]): Promise<SentinelProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rc-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  const lines = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'logfile sentinel.log'];
  writeFileSync(config, [...lines, ...directives, ''].join('\n'));
  const child = spawn(sentinelBinary, [config], { cwd: dir, stdio: 'ignore' });
  await untilServing(child, port, 'redis-sentinel');
  return { port, dir, child, stop: () => stopChild(child) };
}
