import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { requireRedisOrSkip, startRc, startRedis } from '../test-support/servers.js';
import { connectTo, slowRedisMaster, until } from './test-support/harness.js';

const withRedis = requireRedisOrSkip('replication: diskless load (repl-diskless-load)');

const running: Array<{ stop(): Promise<void> }> = [];
const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

type ReplicaKind = 'rc' | 'redis';

async function replicaOf(kind: ReplicaKind): Promise<Redis> {
  const server =
    kind === 'rc'
      ? await startRc([['enable-debug-command', 'yes']])
      : await startRedis(['--enable-debug-command', 'yes']);
  running.push(server);
  const client = connectTo(server.port);
  clients.push(client);
  // A loading Redis answers clients only every that many bytes read (2 MB by default).
  await client.config('SET', 'loading-process-events-interval-bytes', '1024');
  return client;
}

/** slowRedisMaster, stopped and disconnected after the test. */
async function slowMaster(): Promise<{ port: number; client: Redis }> {
  const { master, client } = await slowRedisMaster();
  running.push(master);
  clients.push(client);
  return { port: master.port, client };
}

/** INFO's loading fields, on the connection made before the load (ioredis would wait for its end). */
async function loadingFlags(replica: Redis): Promise<string> {
  const text = await replica.info('persistence');
  return /^loading:\d/m.exec(text)?.[0] + ' ' + /^async_loading:\d/m.exec(text)?.[0];
}

async function untilFlags(replica: Redis, flags: string): Promise<void> {
  await until(async () => (await loadingFlags(replica)) === flags, flags);
}

async function linkStatus(replica: Redis): Promise<string | undefined> {
  return /^master_link_status:(\w+)/m.exec(await replica.info('replication'))?.[1];
}

async function reply(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: Error) => `error: ${error.message}`);
}

/**
 * repl-diskless-load swapdb, first sync (another history): clients get LOADING while the
 * snapshot loads beside the old data; an aborted transfer leaves the old data as it was.
 */
async function abortedSwap(kind: ReplicaKind): Promise<unknown[]> {
  const master = await slowMaster();
  const replica = await replicaOf(kind);
  await replica.config('SET', 'repl-diskless-load', 'swapdb');
  await replica.call('DEBUG', 'POPULATE', '20', 'replica', '10');
  await replica.set('mykey', 'myvalue');
  await replica.replicaof('127.0.0.1', String(master.port));
  await untilFlags(replica, 'loading:1 async_loading:0');
  const during = [await reply(replica.get('mykey')), await loadingFlags(replica)];
  await master.client.config('SET', 'repl-diskless-sync-delay', '5');
  await master.client.call('CLIENT', 'KILL', 'TYPE', 'replica');
  await untilFlags(replica, 'loading:0 async_loading:0');
  await master.client.config('SET', 'rdb-key-save-delay', '0');
  return [...during, await replica.get('mykey'), await replica.dbsize()];
}

/**
 * repl-diskless-load swapdb, a second full sync of the same history: async loading, where
 * clients keep reading the old data until the new one is swapped in.
 */
async function asyncSwap(kind: ReplicaKind): Promise<unknown[]> {
  const master = await slowMaster();
  await master.client.config('SET', 'rdb-key-save-delay', '0');
  const replica = await replicaOf(kind);
  await replica.config('SET', 'repl-diskless-load', 'swapdb');
  await replica.config('SET', 'replica-read-only', 'no');
  await replica.replicaof('127.0.0.1', String(master.port));
  await until(async () => (await linkStatus(replica)) === 'up', 'the link up');
  await replica.set('mykey', 'myvalue');
  // A backlog too small for the writes below, all in one transaction with the kill (as the
  // suite does it): the replica comes back for a full sync.
  await master.client.config('SET', 'rdb-key-save-delay', '10000');
  const transaction = master.client.multi();
  transaction.call('CLIENT', 'KILL', 'TYPE', 'replica');
  transaction.config('SET', 'repl-backlog-size', '16384');
  for (let i = 0; i < 10; i++) transaction.set(`filler:${i}`, 'A'.repeat(16384));
  await transaction.exec();
  await untilFlags(replica, 'loading:0 async_loading:1');
  const during = [
    await reply(replica.get('mykey')),
    await reply(replica.call('CONFIG', 'SET', 'appendonly', 'no')),
    await reply(replica.call('REPLICAOF', 'NO', 'ONE')),
  ];
  await master.client.config('SET', 'rdb-key-save-delay', '0');
  await until(async () => (await linkStatus(replica)) === 'up', 'the link up');
  return [
    ...during,
    await loadingFlags(replica),
    await replica.get('mykey'),
    await replica.dbsize(),
  ];
}

describe.runIf(withRedis)('a replica loading its master snapshot from the socket, as Redis', () => {
  it('swapdb: LOADING meanwhile, the old data back after an aborted transfer', async () => {
    const redis = await abortedSwap('redis');
    const rc = await abortedSwap('rc');
    expect(rc).toEqual(redis);
    expect(rc).toEqual([
      'error: LOADING Redis is loading the dataset in memory',
      'loading:1 async_loading:0',
      'myvalue',
      21,
    ]);
  }, 120_000);

  it('swapdb with the same history: the old data is served until the new one is in', async () => {
    const redis = await asyncSwap('redis');
    const rc = await asyncSwap('rc');
    expect(rc).toEqual(redis);
    expect(rc.slice(0, 1)).toEqual(['myvalue']);
    expect(rc.slice(-3)).toEqual(['loading:0 async_loading:0', null, 310]);
  }, 120_000);
});
