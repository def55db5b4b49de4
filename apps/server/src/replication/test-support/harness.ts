import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisServer, stopChild, until } from '@rc/test-support';

export { until };
import { Redis } from 'ioredis';
import { RawClient } from '../../test-support/raw-client.js';
import { freePort, type RunningServer } from '../../test-support/servers.js';
import type { RcServer } from '../../server.js';

export function connectTo(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

/** INFO <section> as a name → value map. */
export async function info(port: number, section = 'replication'): Promise<Record<string, string>> {
  const client = connectTo(port);
  try {
    const text = (await client.info(section)) as string;
    const fields: Record<string, string> = {};
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
    }
    return fields;
  } finally {
    client.disconnect();
  }
}

/** Waits until the replica on `port` has its link up and processed what its master sent. */
export async function linkUp(port: number, timeoutMs = 30_000): Promise<void> {
  await until(
    async () => (await info(port)).master_link_status === 'up',
    `replica ${port} link up`,
    timeoutMs,
  );
}

/** A real redis-server whose directory and log survive restarts. */
export class RedisProcess implements RunningServer {
  private child: ChildProcess | null = null;
  readonly logfile: string;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: string[],
  ) {
    this.logfile = join(dir, 'redis.log');
  }

  static async start(args: string[] = [], port?: number): Promise<RedisProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'rc-repl-redis-'));
    const server = new RedisProcess(port ?? (await freePort()), dir, args);
    await server.launch();
    return server;
  }

  async launch(): Promise<void> {
    const started = await startRedisServer({
      port: this.port,
      dir: this.dir,
      args: ['--logfile', this.logfile, ...this.args],
    });
    this.child = started.child;
  }

  log(): string {
    try {
      return readFileSync(this.logfile, 'latin1');
    } catch {
      return '';
    }
  }

  /** SHUTDOWN as a client sends it (saves when save points are configured). */
  async shutdown(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const client = await RawClient.open(this.port);
    client.write('SHUTDOWN\r\n');
    await exited;
    client.close();
  }

  stop(): Promise<void> {
    return this.child === null ? Promise.resolve() : stopChild(this.child);
  }
}

/** A redis-server master whose diskless transfer of 300 keys of 100 KB takes about 3 seconds. */
export async function slowRedisMaster(): Promise<{ master: RedisProcess; client: Redis }> {
  const master = await RedisProcess.start([
    '--repl-diskless-sync-delay',
    '0',
    '--enable-debug-command',
    'yes',
  ]);
  const client = connectTo(master.port);
  await client.call('DEBUG', 'POPULATE', '300', 'master', '100000');
  await client.config('SET', 'rdb-key-save-delay', '10000');
  return { master, client };
}

export type RcProcess = RunningServer & { server: RcServer };

/**
 * Every data type, in two databases, with TTLs, binary values and (unless `groups` is false)
 * consumer groups with pending entries.
 */
export async function seedDataTypes(client: Redis, tag: string, groups = true): Promise<void> {
  for (const db of [0, 3]) {
    await client.select(db);
    const p = client.pipeline();
    p.set(`str:${tag}`, 'plain value');
    p.set(`int:${tag}`, '12345');
    p.set(`bin:${tag}`, Buffer.from([0, 255, 13, 10, 1, 2]));
    p.set(`ttl:${tag}`, 'expires later', 'PX', 600_000);
    p.rpush(`list:${tag}`, 'a', 'b', 'c');
    p.rpush(`biglist:${tag}`, ...Array.from({ length: 300 }, (_, i) => `item-${i}`));
    p.hset(`hash:${tag}`, 'f1', 'v1', 'f2', 'v2');
    p.hset(`bighash:${tag}`, ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat());
    p.sadd(`set:${tag}`, 'x', 'y', 'z');
    p.sadd(`intset:${tag}`, 1, 2, 3, 400000);
    p.sadd(`bigset:${tag}`, ...Array.from({ length: 700 }, (_, i) => `m${i}`));
    p.zadd(`zset:${tag}`, 1, 'one', 2.5, 'two', -3, 'minus');
    p.zadd(`bigzset:${tag}`, ...Array.from({ length: 300 }, (_, i) => [i * 1.5, `z${i}`]).flat());
    p.xadd(`stream:${tag}`, '1-1', 'field', 'value');
    p.xadd(`stream:${tag}`, '2-1', 'field', 'value2', 'other', 'x');
    p.xadd(`stream:${tag}`, '3-1', 'f', 'v');
    if (groups) {
      p.xgroup('CREATE', `stream:${tag}`, 'group', '0');
      p.xreadgroup('GROUP', 'group', 'consumer', 'COUNT', '2', 'STREAMS', `stream:${tag}`, '>');
    }
    p.pexpire(`hash:${tag}`, 900_000);
    await p.exec();
  }
  await client.select(0);
}

/** `count` string keys in database 15, every tenth with a TTL. */
export async function seedBulk(client: Redis, count: number): Promise<void> {
  await client.select(15);
  for (let start = 0; start < count; start += 10_000) {
    const p = client.pipeline();
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      if (i % 10 === 0) p.set(`bulk:${i}`, `value-${i}-${'x'.repeat(i % 50)}`, 'EX', 3600);
      else p.set(`bulk:${i}`, `value-${i}-${'x'.repeat(i % 50)}`);
    }
    await p.exec();
  }
  await client.select(0);
}

/** Bulk keys compared in MGET batches (and their TTL presence), between two servers. */
export async function bulkDifferences(a: number, b: number, count: number): Promise<string[]> {
  const left = connectTo(a);
  const right = connectTo(b);
  const differences: string[] = [];
  try {
    await Promise.all([left.select(15), right.select(15)]);
    const [sizeA, sizeB] = await Promise.all([left.dbsize(), right.dbsize()]);
    if (sizeA !== sizeB) differences.push(`dbsize ${sizeA} != ${sizeB}`);
    for (let start = 0; start < count && differences.length < 10; start += 1000) {
      const keys = Array.from(
        { length: Math.min(1000, count - start) },
        (_, i) => `bulk:${start + i}`,
      );
      const [valuesA, valuesB] = await Promise.all([left.mget(...keys), right.mget(...keys)]);
      for (let i = 0; i < keys.length; i++) {
        if (valuesA[i] !== valuesB[i])
          differences.push(`${keys[i]}: ${valuesA[i]} != ${valuesB[i]}`);
      }
    }
    const ttlKeys = Array.from({ length: 200 }, (_, i) => `bulk:${i * 10}`);
    const ttls = async (client: Redis) => {
      const p = client.pipeline();
      for (const key of ttlKeys) p.ttl(key);
      return ((await p.exec()) ?? []).map(([, ttl]) => ((ttl as number) > 0 ? 'ttl' : ttl));
    };
    const [ttlA, ttlB] = await Promise.all([ttls(left), ttls(right)]);
    if (JSON.stringify(ttlA) !== JSON.stringify(ttlB)) differences.push('bulk TTLs differ');
  } finally {
    left.disconnect();
    right.disconnect();
  }
  return differences;
}

/**
 * A stream of writes of every kind: MULTI/EXEC, expiries (some short enough to expire while
 * replicating), rewritten commands (INCRBYFLOAT, SPOP, SET EX), moves between databases.
 */
export async function liveWrites(client: Redis, rounds: number, tag: string): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const db = round % 3 === 0 ? 3 : 0;
    await client.select(db);
    const p = client.pipeline();
    p.set(`live:${tag}:${round}`, `v${round}`);
    p.incr(`counter:${tag}`);
    p.incrbyfloat(`float:${tag}`, '0.1');
    p.append(`str:${tag}`, '!');
    p.lpush(`list:${tag}`, `l${round}`);
    p.rpop(`biglist:${tag}`);
    p.hincrby(`hash:${tag}`, 'n', 1);
    p.hdel(`bighash:${tag}`, `f${round}`);
    p.sadd(`set:${tag}`, `s${round}`);
    p.spop(`bigset:${tag}`);
    p.zincrby(`zset:${tag}`, 1.5, 'one');
    p.zadd(`bigzset:${tag}`, round, `new${round}`);
    p.xadd(`stream:${tag}`, '*', 'round', String(round));
    p.set(`short:${tag}:${round}`, 'gone soon', 'PX', 50);
    p.set(`ex:${tag}:${round}`, 'kept', 'EX', 1000);
    p.expire(`live:${tag}:${round}`, 2000);
    if (round % 5 === 0) p.del(`live:${tag}:${round - 1}`);
    p.call('MULTI');
    p.incr(`multi:${tag}`);
    p.lpush(`multilist:${tag}`, String(round));
    p.call('EXEC');
    await p.exec();
  }
  await client.select(0);
  await expireShortKeys(client, tag, rounds);
}

/**
 * Touches the short-lived keys so the master expires them now and propagates their DELs:
 * datasets then compare without racing their expiry.
 */
export async function expireShortKeys(client: Redis, tag: string, rounds: number): Promise<void> {
  await sleep(60);
  for (const db of [0, 3]) {
    await client.select(db);
    const p = client.pipeline();
    for (let round = 0; round < rounds; round++) p.exists(`short:${tag}:${round}`);
    await p.exec();
  }
  await client.select(0);
}
