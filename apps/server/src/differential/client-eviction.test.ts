import { freePort, startRedisServer, until, type RedisServerProcess } from '@rc/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { startDaemon, stopDaemons } from '../test-support/daemon.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip, startRc } from '../test-support/servers.js';

/** The names of the clients CLIENT LIST shows, seen from `observer`. */
async function names(observer: RawClient): Promise<string[]> {
  const list = String(await observer.command('CLIENT', 'LIST'));
  return [...list.matchAll(/ name=(\S*) /g)].map((match) => match[1]).filter((n) => n !== '');
}

/** A client named `name` that sends `size` bytes of an argument it never finishes. */
async function partialArgument(port: number, name: string, size: number): Promise<RawClient> {
  const client = await RawClient.open(port);
  expect(String(await client.command('CLIENT', 'SETNAME', name))).toBe('+OK\r\n');
  client.write(`*2\r\n$${size}\r\n${'v'.repeat(size)}`);
  return client;
}

describe.runIf(requireRedisOrSkip('client eviction differential'))(
  'maxmemory-clients, compared with redis-server',
  () => {
    let rc: { port: number; server: RcServer; stop(): Promise<void> };
    let redis: RedisServerProcess;

    beforeAll(async () => {
      rc = await startRc();
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await rc?.stop();
      await redis?.stop();
    });

    it('evicts the largest clients, and only them, when the limit is lowered', async () => {
      const seen: Array<[string[], string]> = [];
      for (const port of [rc.port, redis.port]) {
        const observer = await RawClient.open(port);
        await observer.command('CLIENT', 'SETNAME', 'control');
        await observer.command('CLIENT', 'NO-EVICT', 'on');
        const sizes: Array<[string, number]> = [
          ['small1', 100_000],
          ['large1', 1_000_000],
          ['small2', 100_000],
          ['large2', 1_000_000],
        ];
        const clients = [];
        for (const [name, size] of sizes) clients.push(await partialArgument(port, name, size));
        await until(async () => {
          const list = String(await observer.command('CLIENT', 'LIST'));
          return /name=large2 .*qbuf=1000000 /.test(list);
        }, 'the arguments received');
        await observer.command('CONFIG', 'SET', 'maxmemory-clients', '1mb');
        const stats = String(await observer.command('INFO', 'stats'));
        seen.push([(await names(observer)).sort(), /evicted_clients:(\d+)/.exec(stats)?.[1] ?? '']);
        await observer.command('CONFIG', 'SET', 'maxmemory-clients', '0');
        for (const client of clients) client.close();
        observer.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual([['control', 'small1', 'small2'], '2']);
    });

    it('evicts a client whose query buffer passes the limit as it reads', async () => {
      const seen: Array<[boolean, string[]]> = [];
      for (const port of [rc.port, redis.port]) {
        const observer = await RawClient.open(port);
        await observer.command('CLIENT', 'SETNAME', 'control');
        await observer.command('CONFIG', 'SET', 'maxmemory-clients', '3mb');
        const big = await partialArgument(port, 'big', 3_500_000);
        const closed = await big.waitClosed(10000);
        seen.push([closed, await names(observer)]);
        await observer.command('CONFIG', 'SET', 'maxmemory-clients', '0');
        observer.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual([true, ['control']]);
    });
  },
);

describe('a client that sent part of an argument, listed by another client right after', () => {
  afterEach(stopDaemons);

  // 7.0.15's unit/client-eviction "client evicted due to percentage of maxmemory": one client
  // writes a 220 KB argument's start, then another asks CLIENT LIST at once. The second client
  // had just had a reply, so its socket led the ready sockets of the server's next poll unless
  // the server polled again before replying (see write-batch.ts). redis-server, which replies
  // just before it polls, loses the race too when the client preempts it in between (1 of 20
  // tries on the 2-core machine under load): it is not compared here.
  it("counts the argument's bytes in its tot-mem, every time", async () => {
    const port = await freePort();
    await startDaemon(['--port', String(port), '--save', '']);
    const size = 220_200;
    const observer = await RawClient.open(port);
    const uncounted: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const sender = await RawClient.open(port);
      await sender.command('CLIENT', 'SETNAME', `sender${attempt}`);
      await observer.command('CLIENT', 'LIST');
      sender.write(`*1\r\n$${size}\r\n${'v'.repeat(size)}`);
      const list = String(await observer.command('CLIENT', 'LIST'));
      const line = list.split('\n').find((each) => each.includes(` name=sender${attempt} `));
      const total = Number(/ tot-mem=(\d+) /.exec(line ?? '')?.[1]);
      if (!(total >= size)) uncounted.push(total);
      sender.close();
    }
    observer.close();
    expect(uncounted).toEqual([]);
  });
});
