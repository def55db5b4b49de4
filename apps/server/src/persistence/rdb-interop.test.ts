import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDataset } from '../test-support/dataset.js';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';

/** Every type in its small and large encodings, expiries, several databases, stream groups. */
async function buildDataset(client: Redis): Promise<void> {
  const many = (count: number, make: (i: number) => string[]): string[] =>
    Array.from({ length: count }, (_, i) => make(i)).flat();
  await client.set('string', 'hello');
  await client.set('int', '12345');
  await client.set('negative', '-9223372036854775808');
  await client.set('long', 'abc'.repeat(5000));
  await client.set('binary', Buffer.from([0, 1, 2, 255, 254, 13, 10]));
  await client.set('ttl-seconds', 'x', 'EX', 5000);
  await client.set('ttl-ms', 'y', 'PX', 90_000_000);
  await client.rpush('list-small', 'a', 'b', '1', '2');
  await client.rpush('list-large', ...many(2000, (i) => [`element ${i}`]));
  await client.rpush('list-long-items', 'x'.repeat(10_000), 'y'.repeat(70));
  await client.sadd('set-ints', 1, 2, 3, -5, 1000000000000);
  await client.sadd('set-strings', 'a', 'b', 'c');
  await client.sadd('set-large', ...many(1000, (i) => [`member:${i}`]));
  await client.hset('hash-small', 'f1', 'v1', 'f2', '2');
  await client.hset('hash-large', ...many(1000, (i) => [`field:${i}`, `value:${i}`]));
  await client.hset('hash-long-value', 'f', 'z'.repeat(100));
  await client.zadd('zset-small', 1, 'a', 2.5, 'b', '-inf', 'c', '+inf', 'd');
  await client.zadd('zset-large', ...many(500, (i) => [String(i / 7), `m${i}`]));
  await client.xadd('stream', '1-1', 'field', 'value');
  await client.xadd('stream', '2-1', 'field', 'value2', 'other', 'x');
  await client.xadd('stream', '3-1', 'a', 'b');
  await client.xadd('stream', '4-1', 'a', 'c');
  await client.xdel('stream', '3-1');
  await client.xgroup('CREATE', 'stream', 'group1', '0');
  await client.xgroup('CREATE', 'stream', 'group2', '$', 'ENTRIESREAD', '4');
  await client.xreadgroup('GROUP', 'group1', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
  await client.xack('stream', 'group1', '1-1');
  await client.xgroup('CREATECONSUMER', 'stream', 'group1', 'bob');
  for (let i = 0; i < 1500; i++) await client.xadd('stream-large', '*', 'n', String(i));
  await client.xadd('stream-empty', '5-5', 'f', 'v');
  await client.xdel('stream-empty', '5-5');
  await client.select(3);
  await client.set('in-db-3', 'three', 'EX', 10_000);
  await client.rpush('list-db-3', 'x');
  await client.select(15);
  await client.set('in-db-15', 'fifteen');
  await client.select(0);
}

async function command(port: number, ...args: string[]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1' });
  try {
    return await client.call(args[0], ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

describe.runIf(requireRedisOrSkip('RDB interoperability'))(
  'RDB files exchanged with redis-server 7.0',
  () => {
    const redisDir = mkdtempSync(join(tmpdir(), 'rc-interop-redis-'));
    const rcDir = mkdtempSync(join(tmpdir(), 'rc-interop-rc-'));
    let redis: RunningServer;
    let expected: unknown[];
    const servers: RunningServer[] = [];

    beforeAll(async () => {
      redis = await startRedis(['--dir', redisDir]);
      servers.push(redis);
      const client = new Redis({ port: redis.port, host: '127.0.0.1' });
      await buildDataset(client);
      expect(await client.save()).toBe('OK');
      client.disconnect();
      expected = await describeDataset(redis.port);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
    });

    it('rc loads what redis-server saved, then saves a file redis-server loads the same', async () => {
      copyFileSync(join(redisDir, 'dump.rdb'), join(rcDir, 'dump.rdb'));
      const rc = await startRc([['dir', rcDir]]);
      servers.push(rc);
      expect(await describeDataset(rc.port)).toEqual(expected);

      expect(await command(rc.port, 'SAVE')).toBe('OK');
      const check = spawnSync('redis-check-rdb', [join(rcDir, 'dump.rdb')], { encoding: 'utf8' });
      expect(check.stdout).toContain('RDB looks OK!');
      expect(check.status).toBe(0);

      const reloaded = await startRedis(['--dir', rcDir]);
      servers.push(reloaded);
      expect(await describeDataset(reloaded.port)).toEqual(expected);
    }, 60_000);

    it('DUMP payloads move both ways through RESTORE', async () => {
      const rc = await startRc();
      servers.push(rc);
      const keys = (await command(redis.port, 'KEYS', '*')) as string[];
      for (const key of keys) {
        const client = new Redis({ port: redis.port, host: '127.0.0.1' });
        const payload = await client.dumpBuffer(key);
        client.disconnect();
        const ours = new Redis({ port: rc.port, host: '127.0.0.1' });
        expect(await ours.restore(key, 0, payload as Buffer)).toBe('OK');
        const back = await ours.dumpBuffer(key);
        ours.disconnect();
        const theirs = new Redis({ port: redis.port, host: '127.0.0.1' });
        expect(await theirs.restore(key, 0, back as Buffer, 'REPLACE')).toBe('OK');
        theirs.disconnect();
      }
      const withoutTtls = (rows: unknown[]): unknown[] =>
        rows
          .filter((row) => (row as unknown[])[0] === 0)
          .map((row) => {
            const [db, key, type, , value] = row as unknown[];
            return [db, key, type, value];
          });
      expect(withoutTtls(await describeDataset(rc.port, 1))).toEqual(withoutTtls(expected));
      expect(withoutTtls(await describeDataset(redis.port, 1))).toEqual(withoutTtls(expected));
    }, 60_000);
  },
);
