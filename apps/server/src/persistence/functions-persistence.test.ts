import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';

const LIBRARY = [
  '#!lua name=greetings',
  "redis.register_function{function_name='hello', callback=function(keys, args) return 'hello ' .. args[1] end, flags={'no-writes'}, description='says hello'}",
  "redis.register_function('incr_by_two', function(keys) return redis.call('incrby', keys[1], 2) end)",
].join('\n');

const running: RunningServer[] = [];
const clients: Redis[] = [];

async function server(start: Promise<RunningServer>): Promise<Redis> {
  const started = await start;
  running.push(started);
  const client = new Redis({ port: started.port, host: '127.0.0.1' });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(running.splice(0).map((each) => each.stop()));
});

function temporaryDir(): string {
  return mkdtempSync(join(tmpdir(), 'rc-functions-'));
}

/** What FUNCTION LIST says, with each library's functions in name order (Redis's is a hash's). */
async function libraries(client: Redis): Promise<unknown> {
  const list = (await client.call('FUNCTION', 'LIST', 'WITHCODE')) as unknown[][];
  return list.map((library) => {
    const functions = library[5] as unknown[][];
    return [...library.slice(0, 5), [...functions].sort(), ...library.slice(6)];
  });
}

describe('function libraries in RDB files', () => {
  it('survive SAVE and a restart', async () => {
    const dir = temporaryDir();
    const first = await server(startRc([['dir', dir]]));
    await first.call('FUNCTION', 'LOAD', LIBRARY);
    const before = await libraries(first);
    expect(await first.save()).toBe('OK');
    await Promise.all(running.splice(0).map((each) => each.stop()));

    const second = await server(startRc([['dir', dir]]));
    expect(await libraries(second)).toEqual(before);
    expect(await second.call('FCALL', 'hello', '0', 'world')).toBe('hello world');
    expect(await second.call('FCALL', 'incr_by_two', '1', 'n')).toBe(2);
  });
});

describe.runIf(requireRedisOrSkip('functions interop'))(
  'functions between rc and redis-server',
  () => {
    it('a FUNCTION DUMP from either restores in the other', async () => {
      const rc = await server(startRc());
      const redis = await server(startRedis());
      await rc.call('FUNCTION', 'LOAD', LIBRARY);
      const fromRc = (await rc.callBuffer('FUNCTION', 'DUMP')) as Buffer;
      expect(await redis.call('FUNCTION', 'RESTORE', fromRc)).toBe('OK');
      expect(await libraries(redis)).toEqual(await libraries(rc));
      expect(await redis.call('FCALL', 'hello', '0', 'rc')).toBe('hello rc');

      const fromRedis = (await redis.callBuffer('FUNCTION', 'DUMP')) as Buffer;
      expect(await rc.call('FUNCTION', 'RESTORE', fromRedis, 'REPLACE')).toBe('OK');
      expect(await rc.call('FCALL', 'hello', '0', 'redis')).toBe('hello redis');
    });

    it('an RDB file saved by either loads in the other', async () => {
      const redisDir = temporaryDir();
      const redis = await server(startRedis(['--dir', redisDir]));
      await redis.call('FUNCTION', 'LOAD', LIBRARY);
      const expected = await libraries(redis);
      expect(await redis.save()).toBe('OK');

      const rcDir = temporaryDir();
      copyFileSync(join(redisDir, 'dump.rdb'), join(rcDir, 'dump.rdb'));
      const rc = await server(startRc([['dir', rcDir]]));
      expect(await libraries(rc)).toEqual(expected);
      await rc.call('FUNCTION', 'DELETE', 'greetings');
      await rc.call('FUNCTION', 'LOAD', LIBRARY.replace('hello ', 'hi '));
      expect(await rc.save()).toBe('OK');

      const back = await server(startRedis(['--dir', rcDir]));
      expect(await back.call('FCALL', 'hello', '0', 'again')).toBe('hi again');
    });
  },
);
