import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '@rc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDataset } from '../test-support/dataset.js';
import { RawClient } from '../test-support/raw-client.js';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';

const many = (count: number, make: (i: number) => string[]): string[] =>
  Array.from({ length: count }, (_, i) => make(i)).flat();

/**
 * For a redis-server whose files a test reads: with everysec, while its background fsync is
 * slow (a loaded machine), Redis postpones writing the AOF for up to 2 s yet still replies, so
 * the last writes may not be in the file yet. `always` writes them before the reply.
 */
const WRITE_BEFORE_REPLY = ['--appendfsync', 'always'];

/** Written before BGREWRITEAOF: ends up in the base. */
const BEFORE_REWRITE: string[][] = [
  ['SET', 'string', 'hello'],
  ['SET', 'ttl', 'x', 'EX', '5000'],
  ['RPUSH', 'list', ...many(300, (i) => [`element ${i}`])],
  ['SADD', 'set', '1', '2', '3', 'a'],
  ['HSET', 'hash', ...many(200, (i) => [`field:${i}`, `value:${i}`])],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b', '-inf', 'c'],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '2-1', 'f', 'w'],
  ['XADD', 'stream', '3-1', 'f', 'x'],
  ['XGROUP', 'CREATE', 'stream', 'group', '0'],
  ['XREADGROUP', 'GROUP', 'group', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>'],
  ['SELECT', '5'],
  ['SET', 'in-db-5', 'five'],
  ['SELECT', '0'],
];

/** Written after it: ends up in the new increment, as the effective commands. */
const AFTER_REWRITE: string[][] = [
  ['INCR', 'counter'],
  ['INCRBYFLOAT', 'float', '2.5'],
  ['EXPIRE', 'string', '7000'],
  ['LPOP', 'list', '3'],
  ['SPOP', 'set', '10'],
  ['HINCRBYFLOAT', 'hash', 'field:1', '1.5'],
  ['ZINCRBY', 'zset', '3', 'a'],
  ['XREADGROUP', 'GROUP', 'group', 'bob', 'NOACK', 'STREAMS', 'stream', '>'],
  ['XCLAIM', 'stream', 'group', 'carol', '0', '1-1'],
  ['XADD', 'stream', 'MAXLEN', '~', '2', '4-1', 'f', 'y'],
  ['MULTI'],
  ['SELECT', '7'],
  ['SET', 'in-db-7', 'seven'],
  ['RPUSH', 'list-db-7', 'a', 'b'],
  ['EXEC'],
  ['SELECT', '0'],
  ['SET', 'gone', 'soon'],
  ['DEL', 'gone'],
];

async function run(port: number, commands: string[][]): Promise<void> {
  const client = await RawClient.open(port);
  for (const command of commands) await client.command(...command);
  client.close();
}

async function rewrite(port: number): Promise<void> {
  const client = await RawClient.open(port);
  const started = (await client.command('BGREWRITEAOF'))?.toString();
  expect(started).toBe('+Background append only file rewriting started\r\n');
  for (;;) {
    const info = (await client.command('INFO', 'persistence'))?.toString() ?? '';
    if (info.includes('aof_rewrite_in_progress:0') && !info.includes('aof_rewrite_scheduled:1'))
      break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  client.close();
}

function files(dir: string): { names: string[]; manifest: string } {
  const aofDir = join(dir, 'appendonlydir');
  return {
    names: readdirSync(aofDir).sort(),
    manifest: readFileSync(join(aofDir, 'appendonly.aof.manifest'), 'latin1'),
  };
}

describe.runIf(requireRedisOrSkip('AOF interoperability'))(
  'AOF directories exchanged with redis-server 7.0',
  () => {
    const servers: RunningServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
    });

    it('redis-server loads the base and increment rc wrote', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-aof-interop-'));
      const rc = await startRc([
        ['dir', dir],
        ['appendonly', 'yes'],
      ]);
      await run(rc.port, BEFORE_REWRITE);
      await rewrite(rc.port);
      await run(rc.port, AFTER_REWRITE);
      const expected = await describeDataset(rc.port);
      await rc.stop();
      expect(files(dir)).toEqual({
        names: [
          'appendonly.aof.2.base.rdb',
          'appendonly.aof.2.incr.aof',
          'appendonly.aof.manifest',
        ],
        manifest:
          'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
      });
      const redis = await startRedis(['--dir', dir, '--appendonly', 'yes']);
      servers.push(redis);
      expect(await describeDataset(redis.port)).toEqual(expected);
    }, 60_000);

    it('rc loads the base and increment redis-server wrote', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-aof-interop-'));
      const redis = await startRedis(['--dir', dir, '--appendonly', 'yes', ...WRITE_BEFORE_REPLY]);
      await run(redis.port, BEFORE_REWRITE);
      await rewrite(redis.port);
      await run(redis.port, AFTER_REWRITE);
      const expected = await describeDataset(redis.port);
      // redis-server unlinks the files the rewrite replaced in a background thread.
      await until(() => files(dir).names.length === 3, 'the replaced files unlinked');
      // kill -9, as startRedis stops it: the increment is in the page cache.
      await redis.stop();
      const written = files(dir);
      expect(written.names).toEqual([
        'appendonly.aof.2.base.rdb',
        'appendonly.aof.2.incr.aof',
        'appendonly.aof.manifest',
      ]);
      const rc = await startRc([
        ['dir', dir],
        ['appendonly', 'yes'],
      ]);
      servers.push(rc);
      expect(await describeDataset(rc.port)).toEqual(expected);
    }, 60_000);

    it('rc loads an AOF-format base (aof-use-rdb-preamble no) redis-server wrote', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-aof-interop-'));
      const redis = await startRedis([
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--aof-use-rdb-preamble',
        'no',
        ...WRITE_BEFORE_REPLY,
      ]);
      await run(redis.port, BEFORE_REWRITE);
      await rewrite(redis.port);
      await run(redis.port, AFTER_REWRITE);
      const expected = await describeDataset(redis.port);
      await redis.stop();
      expect(files(dir).names).toContain('appendonly.aof.2.base.aof');
      const rc = await startRc([
        ['dir', dir],
        ['appendonly', 'yes'],
      ]);
      servers.push(rc);
      expect(await describeDataset(rc.port)).toEqual(expected);
    }, 60_000);

    it('redis-server loads the AOF-format base rc wrote (aof-use-rdb-preamble no, #TS annotations)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-aof-interop-'));
      const rc = await startRc([
        ['dir', dir],
        ['appendonly', 'yes'],
        ['aof-use-rdb-preamble', 'no'],
        ['aof-timestamp-enabled', 'yes'],
      ]);
      await run(rc.port, BEFORE_REWRITE);
      await run(rc.port, [
        [
          'FUNCTION',
          'LOAD',
          "#!lua name=lib\nredis.register_function('f', function() return 1 end)",
        ],
      ]);
      await rewrite(rc.port);
      await run(rc.port, AFTER_REWRITE);
      const expected = await describeDataset(rc.port);
      await rc.stop();
      const aofDir = join(dir, 'appendonlydir');
      expect(files(dir).names).toEqual([
        'appendonly.aof.2.base.aof',
        'appendonly.aof.2.incr.aof',
        'appendonly.aof.manifest',
      ]);
      // The base starts with the rewrite's time (the increment only once the second changes).
      expect(readFileSync(join(aofDir, 'appendonly.aof.2.base.aof'), 'latin1')).toMatch(
        /^#TS:\d+\r\n\*/,
      );
      const redis = await startRedis(['--dir', dir, '--appendonly', 'yes']);
      servers.push(redis);
      expect(await describeDataset(redis.port)).toEqual(expected);
      const client = await RawClient.open(redis.port);
      expect((await client.command('FUNCTION', 'LIST'))?.toString()).toContain('lib');
      client.close();
    }, 60_000);

    it('aof-timestamp-enabled annotates the increment as redis-server does', async () => {
      const increments: string[] = [];
      for (const start of [startRc, startRedis] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'rc-aof-interop-'));
        const server =
          start === startRc
            ? await startRc([
                ['dir', dir],
                ['appendonly', 'yes'],
              ])
            : await startRedis(['--dir', dir, '--appendonly', 'yes', ...WRITE_BEFORE_REPLY]);
        servers.push(server);
        await run(server.port, [
          ['CONFIG', 'SET', 'aof-timestamp-enabled', 'yes'],
          ['SET', 'foo', 'bar'],
        ]);
        const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
        increments.push(readFileSync(incr, 'latin1').replace(/#TS:\d+/g, '#TS:N'));
      }
      expect(increments[0]).toMatch(/^#TS:N\r\n\*2\r\n\$6\r\nSELECT/);
      expect(increments[0]).toBe(increments[1]);
    }, 60_000);
  },
);
