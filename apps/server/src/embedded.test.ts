import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '@rc/test-support';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from './server.js';

const NEW_YEAR_2030 = Date.UTC(2030, 0, 1);

describe('RcServer.start', () => {
  const servers: RcServer[] = [];
  const clients: Redis[] = [];
  const start = async (...args: Parameters<typeof RcServer.start>): Promise<RcServer> => {
    const server = await RcServer.start(...args);
    servers.push(server);
    return server;
  };
  const connect = (server: RcServer): Redis => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 0 });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  it('listens on a free port of 127.0.0.1, in memory in a temporary dir that stop() removes', async () => {
    const server = await RcServer.start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const client = new Redis(server.url);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    const [, dir] = (await client.config('GET', 'dir')) as string[];
    expect(dir).not.toBe(process.cwd());
    expect(existsSync(dir)).toBe(true);
    client.disconnect();
    await server.stop();
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps an explicit dir and persistence settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-embedded-'));
    try {
      const server = await start({
        config: [
          ['dir', dir],
          ['save', '3600 1'],
        ],
      });
      const client = connect(server);
      expect(await client.config('GET', 'save')).toEqual(['save', '3600 1']);
      await client.set('k', 'v');
      expect(await client.save()).toBe('OK');
      await server.stop();
      expect(readdirSync(dir)).toEqual(['dump.rdb']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs twenty servers in one process, each with its own data', async () => {
    const twenty = await Promise.all(Array.from({ length: 20 }, () => start()));
    expect(new Set(twenty.map((server) => server.port)).size).toBe(20);
    await Promise.all(twenty.map((server, i) => connect(server).set('who', String(i))));
    twenty[3].time.freeze(NEW_YEAR_2030);
    for (const [i, server] of twenty.entries()) {
      expect(await connect(server).get('who')).toBe(String(i));
      expect(server.data.keys()).toEqual(['who']);
    }
    expect(twenty[3].time.now()).toBe(NEW_YEAR_2030);
    expect(twenty[4].time.frozen).toBe(false);
  });

  it('answers node-redis too', async () => {
    const server = await start();
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      await client.set('greeting', 'hello');
      expect(await client.get('greeting')).toBe('hello');
    } finally {
      await client.close();
    }
  });

  describe('time control', () => {
    it('expires keys set with EX and EXPIRE when the clock is advanced, and TTL follows', async () => {
      const server = await start();
      server.time.freeze(NEW_YEAR_2030);
      const client = connect(server);
      await client.set('session', 'abc', 'EX', 60);
      await client.set('other', 'x');
      await client.expire('other', 10);
      server.time.advance(30_000);
      expect(await client.ttl('session')).toBe(30);
      expect(await client.pttl('session')).toBe(30_000);
      expect(await client.exists('other')).toBe(0);
      server.time.advance(30_000);
      expect(await client.get('session')).toBeNull();
    });

    it('expires keys actively too: with no access, DBSIZE drops', async () => {
      const server = await start();
      server.time.freeze(NEW_YEAR_2030);
      const client = connect(server);
      await client.set('k', 'v', 'PX', 100);
      server.time.advance(1000);
      await until(async () => (await client.dbsize()) === 0, 'the active expiry cycle');
    });

    it('answers TIME and makes * stream IDs from the set date', async () => {
      const server = await start();
      server.time.freeze(new Date(NEW_YEAR_2030));
      const client = connect(server);
      expect(await client.time()).toEqual([String(NEW_YEAR_2030 / 1000), '0']);
      expect(await client.xadd('events', '*', 'kind', 'login')).toBe(`${NEW_YEAR_2030}-0`);
      server.time.set(NEW_YEAR_2030 + 86_400_000);
      expect(await client.xadd('events', '*', 'kind', 'logout')).toBe(
        `${NEW_YEAR_2030 + 86_400_000}-0`,
      );
    });

    it('times out a BLPOP when advanced past its timeout', async () => {
      const server = await start();
      server.time.freeze();
      const waiter = connect(server);
      const popped = waiter.blpop('jobs', 30);
      await until(() => server.engine.blocking.blockedCount === 1, 'BLPOP to block');
      server.time.advance(29_000);
      expect(server.engine.blocking.blockedCount).toBe(1);
      server.time.advance(1000);
      expect(await popped).toBeNull();
    });

    it('times out an XREAD BLOCK when advanced past its timeout', async () => {
      const server = await start();
      server.time.freeze();
      const reader = connect(server);
      const read = reader.xread('BLOCK', 5000, 'STREAMS', 'events', '$');
      await until(() => server.engine.blocking.blockedCount === 1, 'XREAD to block');
      server.time.advance(5000);
      expect(await read).toBeNull();
    });

    it('counts OBJECT IDLETIME on the clock', async () => {
      const server = await start();
      server.time.freeze(NEW_YEAR_2030);
      const client = connect(server);
      await client.set('k', 'v');
      server.time.advance(90_000);
      expect(await client.object('IDLETIME', 'k')).toBe(90);
    });

    it("shows CLIENT LIST's age and idle on the clock", async () => {
      const server = await start();
      server.time.freeze(NEW_YEAR_2030);
      const quiet = connect(server);
      await quiet.client('SETNAME', 'quiet');
      server.time.advance(90_000);
      const asker = connect(server);
      await asker.client('SETNAME', 'asker');
      server.time.advance(30_000);
      const list = (await asker.client('LIST')) as string;
      const line = (name: string) =>
        list.split('\n').find((each) => each.includes(` name=${name} `));
      expect(line('quiet')).toMatch(/ age=120 idle=120 /);
      expect(line('asker')).toMatch(/ age=30 idle=0 /);
    });

    it('ends a CLIENT PAUSE when the clock passes its deadline', async () => {
      const server = await start();
      server.time.freeze();
      const admin = connect(server);
      const writer = connect(server);
      expect(await admin.client('PAUSE', 10_000, 'WRITE')).toBe('OK');
      const written = writer.set('k', 'v');
      await until(() => server.engine.blocking.blockedCount === 1, 'SET to be held');
      server.time.advance(9000);
      expect(await admin.get('k')).toBeNull();
      // Past the deadline: at it, the pause still holds, as in Redis.
      server.time.advance(1001);
      expect(await written).toBe('OK');
      expect(await admin.get('k')).toBe('v');
    });

    it('returns to the real clock', async () => {
      const server = await start();
      server.time.set(NEW_YEAR_2030);
      server.time.real();
      // TIME reads the real clock again: between the two readings taken around it.
      const before = Math.floor(Date.now() / 1000);
      const [seconds] = await connect(server).time();
      const after = Math.floor(Date.now() / 1000);
      expect(Number(seconds)).toBeGreaterThanOrEqual(before);
      expect(Number(seconds)).toBeLessThanOrEqual(after);
    });
  });

  describe('data access', () => {
    it('seeds values of any type with a TTL, and reads them back without a client', async () => {
      const server = await start();
      server.data.set('greeting', 'héllo');
      server.data.set('queue', { type: 'list', items: ['a', 'b'] }, { ttlMs: 60_000 });
      server.data.set('scores', { type: 'zset', entries: [['ann', 3]] }, { db: 2 });
      const client = connect(server);
      expect(await client.get('greeting')).toBe('héllo');
      expect(await client.lrange('queue', 0, -1)).toEqual(['a', 'b']);
      await client.rpush('queue', 'c');
      expect(server.data.get('queue')).toEqual({ type: 'list', items: ['a', 'b', 'c'] });
      expect(server.data.get('greeting')).toEqual({ type: 'string', value: 'héllo' });
      expect(server.data.get('missing')).toBeUndefined();
      expect(server.data.pttl('queue')).toBeGreaterThan(50_000);
      expect(server.data.pttl('greeting')).toBe(-1);
      expect(server.data.call(['ZSCORE', 'scores', 'ann'], 2)).toBe('3');
      expect(() => server.data.call(['INCR', 'greeting'])).toThrow(
        'ERR value is not an integer or out of range',
      );
      server.flushAll();
      expect(await client.dbsize()).toBe(0);
    });

    it('dumps the dataset as RDB and loads it into another server', async () => {
      const first = await start();
      first.data.set('a', '1');
      first.data.set('b', { type: 'set', members: ['x'] });
      const second = await start();
      second.data.set('a', 'old');
      second.data.loadRdb(first.data.dumpRdb());
      expect(second.data.keys().sort()).toEqual(['a', 'b']);
      expect(await connect(second).get('a')).toBe('1');
    });
  });
});
