import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { freePort, requireRedisOrSkip } from '../test-support/servers.js';
import { layout, running, serve, stopAll, type Layout } from './spawned-servers.js';

afterEach(stopAll);

const command = (...args: string[]): string => encodeCommand(args).toString('latin1');
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';
const BASE = 'appendonlydir/appendonly.aof.1.base.aof';
const INCR1 = 'appendonlydir/appendonly.aof.1.incr.aof';
const INCR2 = 'appendonlydir/appendonly.aof.2.incr.aof';

async function get(port: number, ...keys: string[]): Promise<string> {
  const client = await RawClient.open(port);
  const reply = (await client.command('MGET', ...keys))?.toString() ?? '';
  client.close();
  return reply;
}

/** Layouts both servers must refuse, exiting with code 1 after the same log lines. */
const REFUSED: Array<[string, Layout, string[]]> = [
  [
    'an increment listed in the manifest is missing',
    {
      [BASE]: command('set', 'k1', 'v1'),
      [INCR2]: command('set', 'k2', 'v2'),
      [MANIFEST]:
        'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    },
    [],
  ],
  [
    'a manifest whose sequence does not increase',
    {
      [INCR1]: command('set', 'k1', 'v1'),
      [INCR2]: command('set', 'k2', 'v2'),
      [MANIFEST]:
        'file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    },
    [],
  ],
  [
    'a blank line in the manifest',
    {
      [INCR1]: command('set', 'k1', 'v1'),
      [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n\nfile x seq 3 type i\n',
    },
    [],
  ],
  [
    'a manifest line too long, or without its newline',
    { [MANIFEST]: `file appendonly.aof.1.incr.aof seq 1 type i${' x y'.repeat(300)}\n` },
    [],
  ],
  ['an empty manifest', { [MANIFEST]: '' }, []],
  [
    'a format error',
    {
      [INCR1]: `${command('set', 'foo', 'hello')}!!!`,
      [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    },
    [],
  ],
  [
    'an unfinished MULTI without aof-load-truncated',
    {
      [INCR1]: command('set', 'foo', 'hello') + command('multi') + command('set', 'bar', 'world'),
      [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    },
    ['--aof-load-truncated', 'no'],
  ],
  [
    'a short read without aof-load-truncated',
    {
      [INCR1]: command('set', 'foo', 'hello') + command('set', 'bar', 'world').slice(0, -1),
      [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    },
    ['--aof-load-truncated', 'no'],
  ],
  [
    'an unknown command',
    {
      [INCR1]: command('set', 'foo', 'hello') + command('bla', 'foo', 'hello'),
      [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    },
    [],
  ],
  [
    'a truncated file that is not the last (truncated anyway)',
    {
      [INCR1]: command('set', 'foo', 'hello') + command('set', 'bar', 'world').slice(0, -3),
      [INCR2]: command('set', 'k2', 'v2'),
      [MANIFEST]:
        'file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    },
    [],
  ],
  [
    'a manifest naming the old-style file, which is nowhere',
    { [MANIFEST]: 'file appendonly.aof seq 1 type b\n' },
    [],
  ],
];

describe.runIf(requireRedisOrSkip('AOF loading, compared'))(
  'loading an AOF directory, compared with redis-server 7.0',
  () => {
    for (const [name, files, extra] of REFUSED) {
      it(`refuses ${name}, with Redis's log lines and exit code`, async () => {
        const dir = layout(files);
        const [rc, redis] = [await serve('rc', dir, extra), await serve('redis', dir, extra)];
        expect(redis.code).toBe(1);
        expect(rc.code).toBe(1);
        expect(rc.lines).toEqual(redis.lines);
      }, 30_000);
    }

    it('loads an old-style AOF with an RDB preamble and a tail of commands', async () => {
      const source = mkdtempSync(join(tmpdir(), 'rc-aof-preamble-'));
      const port = await freePort();
      const saver = spawn('redis-server', ['--port', String(port), '--dir', source, '--save', '']);
      running.push(() => saver.kill('SIGKILL'));
      await new Promise<void>((resolve) =>
        saver.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept')) resolve();
        }),
      );
      const client = await RawClient.open(port);
      await client.command('MSET', 'k1', 'v1', 'k2', 'v2');
      await client.command('SAVE');
      client.close();
      const preamble = readFileSync(join(source, 'dump.rdb'));
      const dir = layout({
        'appendonly.aof': Buffer.concat([preamble, encodeCommand(['set', 'k3', 'v3'])]),
      });
      const [rc, redis] = [await serve('rc', dir), await serve('redis', dir)];
      expect(rc.code).toBeNull();
      expect(await get(rc.port, 'k1', 'k2', 'k3')).toBe(await get(redis.port, 'k1', 'k2', 'k3'));
      expect(await get(rc.port, 'k3')).toBe('*1\r\n$2\r\nv3\r\n');
      expect(rc.lines.filter((line) => !line.startsWith('Ready'))).toEqual(
        redis.lines.filter((line) => !line.startsWith('Ready')),
      );
    }, 30_000);

    it('resumes an upgrade interrupted before the old file was moved', async () => {
      const dir = layout({
        'appendonly.aof': command('set', 'k1', 'v1'),
        [MANIFEST]: 'file appendonly.aof seq 1 type b\n',
      });
      const [rc, redis] = [await serve('rc', dir), await serve('redis', dir)];
      expect(rc.code).toBeNull();
      expect(await get(rc.port, 'k1')).toBe(await get(redis.port, 'k1'));
      expect(rc.lines).toEqual(redis.lines);
    }, 30_000);

    it('serves LOADING while DEBUG LOADAOF replays a script past busy-reply-threshold', async () => {
      const script =
        "redis.call('set',KEYS[1],'y'); for i=1,1500000 do redis.call('ping') end return 'ok'";
      const dir = layout({
        [INCR1]: command('select', '9') + command('eval', script, '1', 'x'),
        [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
      });
      const seen: string[][] = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir, [
          '--enable-debug-command',
          'yes',
          '--lua-time-limit',
          '1',
        ]);
        const loader = await RawClient.open(server.port);
        const other = await RawClient.open(server.port);
        loader.write(encodeCommand(['DEBUG', 'LOADAOF']));
        // Once the load began, the other client is answered, with LOADING.
        const duringLoad = await until(async () => {
          const reply = (await other.command('PING'))?.toString() ?? '';
          return reply.startsWith('-LOADING') && reply;
        }, `${kind} to answer LOADING`);
        const loaded = (await loader.readReply(60_000))?.toString() ?? '';
        await other.command('SELECT', '9');
        const value = (await other.command('GET', 'x'))?.toString() ?? '';
        const slow = server.log().some((line) => line.startsWith('Slow script detected'));
        seen.push([duringLoad, loaded, value, String(slow)]);
        loader.close();
        other.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual([
        '-LOADING Redis is loading the dataset in memory\r\n',
        '+OK\r\n',
        '$1\r\ny\r\n',
        'true',
      ]);
    }, 120_000);

    it('keeps a key whose PEXPIREAT passed until the load is over', async () => {
      const dir = layout({
        [INCR1]:
          command('rpush', 'list', 'foo') +
          command('pexpireat', 'list', '1000') +
          command('rpush', 'list', 'bar'),
        [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n',
      });
      const [rc, redis] = [await serve('rc', dir), await serve('redis', dir)];
      const llen = async (port: number): Promise<string> => {
        const reader = await RawClient.open(port);
        const reply = (await reader.command('LLEN', 'list'))?.toString() ?? '';
        reader.close();
        return reply;
      };
      expect(await llen(rc.port)).toBe(await llen(redis.port));
      expect(await llen(rc.port)).toBe(':0\r\n');
    }, 30_000);
  },
);
