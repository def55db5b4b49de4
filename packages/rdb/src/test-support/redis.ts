import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { NEED_MORE, ReplyParser, type RespValue } from '@rc/resp';
import { startRedisServer } from '@rc/test-support';

export { requireRedisOrSkip } from '@rc/test-support';

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
export async function startRedis(dir?: string): Promise<RedisProcess> {
  const redis = await startRedisServer({ dir });
  const client = await RedisClient.open(redis.port);
  return {
    port: redis.port,
    dir: redis.dir,
    client,
    stop: () => {
      client.close();
      return redis.stop();
    },
  };
}

/** Runs redis-check-rdb on `file`: whether it passed, and its output. */
export function checkRdb(file: string): { ok: boolean; output: string } {
  const result = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { ok: result.status === 0 && output.includes('RDB looks OK'), output };
}
