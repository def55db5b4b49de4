import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

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
  console.warn(
    `SKIPPED ${suite}: redis-server is not installed (apt-get install redis-server redis-tools)`,
  );
  return false;
}

export interface RedisServerOptions {
  /** Extra flags, after the defaults (later flags win in redis-server). */
  readonly args?: readonly string[];
  /** Data directory; a new temporary one by default. */
  readonly dir?: string;
  readonly port?: number;
}

export interface RedisServerProcess {
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
  /** SIGKILL, resolved once the process is gone. */
  stop(): Promise<void>;
}

/** Kills a child process and resolves when it has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * Whether the server answers PING: +PONG, or an error such as -NOAUTH under requirepass; not
 * yet when the connection is refused or it is still -LOADING its data.
 */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(!reply.startsWith('-LOADING'));
    });
  });
}

/** How long redis-server or redis-sentinel may take to answer PING after its spawn. */
const START_TIMEOUT_MS = 45_000;

/**
 * Resolves once `child`, just spawned as `name` on `port`, answers PING; stops it and throws when
 * it exits first or stays silent too long.
 */
export async function untilServing(child: ChildProcess, port: number, name: string): Promise<void> {
  // Generous: on a loaded machine a start can take many seconds; one that fails exits early.
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await stopChild(child);
  throw new Error(`${name} did not start on port ${port}`);
}

/**
 * A real redis-server 7.0 on a free port, without save points or AOF unless `args` says
 * otherwise; resolves once it answers PING (after loading any data file).
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerProcess> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rc-redis-'));
  const defaults = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  const child = spawn(
    redisBinary,
    [...defaults, '--appendonly', 'no', '--dir', dir, ...(options.args ?? [])],
    { stdio: 'ignore' },
  );
  await untilServing(child, port, 'redis-server');
  return { port, dir, child, stop: () => stopChild(child) };
}
