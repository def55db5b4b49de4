import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEED_MORE, ReplyParser, type RespValue } from '@rc/resp';

const redisBinary = 'redis-server';

/** Whether a real redis-server can be started here. */
export const redisAvailable: boolean =
  spawnSync(redisBinary, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Suites that need a real redis-server skip with a visible message where none is installed,
 * and fail when REQUIRE_REDIS=1 (as in CI).
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

/** A minimal pipelining client: arguments and bulk replies are latin1 strings. */
export class RedisClient {
  private readonly parser = new ReplyParser({ bulkStrings: true });
  private readonly waiting: Array<(reply: RespValue) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.parser.feed(chunk);
      for (let reply = this.parser.next(); reply !== NEED_MORE; reply = this.parser.next()) {
        this.waiting.shift()?.(reply);
      }
    });
  }

  static open(port: number): Promise<RedisClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RedisClient(socket));
      });
    });
  }

  command(...args: Array<string | number>): Promise<RespValue> {
    let request = `*${args.length}\r\n`;
    for (const arg of args) {
      const text = String(arg);
      request += `$${text.length}\r\n${text}\r\n`;
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(Buffer.from(request, 'latin1'));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface RedisProcess {
  readonly port: number;
  readonly dir: string;
  readonly client: RedisClient;
  stop(): Promise<void>;
}

/** A real redis-server on a free port, saving only on SAVE, into `dir` (a new temp dir by default). */
export async function startRedis(
  dir = mkdtempSync(join(tmpdir(), 'rc-rdb-redis-')),
): Promise<RedisProcess> {
  const port = await freePort();
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
    ],
    { stdio: 'ignore' },
  );
  let client: RedisClient | undefined;
  for (let attempt = 0; attempt < 200 && client === undefined; attempt++) {
    try {
      const candidate = await RedisClient.open(port);
      // While loading a file Redis answers -LOADING; wait for a real PONG.
      if ((await candidate.command('PING')) === 'PONG') client = candidate;
      else candidate.close();
    } catch {
      // not listening yet
    }
    if (client === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (client === undefined) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  }
  const ready = client;
  return {
    port,
    dir,
    client: ready,
    stop: () =>
      new Promise<void>((resolve) => {
        ready.close();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Runs redis-check-rdb on `file`: whether it passed, and its output. */
export function checkRdb(file: string): { ok: boolean; output: string } {
  const result = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { ok: result.status === 0 && output.includes('RDB looks OK'), output };
}
