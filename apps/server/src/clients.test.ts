import { Redis } from 'ioredis';
import { BasicClientSideCache, createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenAgain, startRc } from './test-support/servers.js';
import { RcServer } from './server.js';

/** Real client libraries against rc: what applications actually run. */
describe('ioredis and node-redis against rc', () => {
  let rc: Awaited<ReturnType<typeof startRc>>;
  beforeAll(async () => {
    rc = await startRc();
  });
  afterAll(() => rc.stop());

  it('ioredis and node-redis log in as an ACL user and get its NOPERM errors', async () => {
    const admin = new Redis({ port: rc.port });
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>apppass', '~app:*', '+@all', '-flushall');
    const io = new Redis({ port: rc.port, username: 'app', password: 'apppass' });
    expect(await io.call('ACL', 'WHOAMI')).toBe('app');
    expect(await io.set('app:1', 'v')).toBe('OK');
    await expect(io.get('other')).rejects.toThrow(
      'NOPERM this user has no permissions to access one of the keys used as arguments',
    );
    await expect(io.flushall()).rejects.toThrow(
      "NOPERM this user has no permissions to run the 'flushall' command",
    );
    const node = createClient({
      socket: { port: rc.port, host: '127.0.0.1' },
      username: 'app',
      password: 'apppass',
    });
    await node.connect();
    expect(await node.get('app:1')).toBe('v');
    await expect(node.set('other', 'v')).rejects.toThrow('NOPERM');
    const wrong = createClient({
      socket: { port: rc.port, host: '127.0.0.1', reconnectStrategy: false },
      username: 'app',
      password: 'nope',
    });
    wrong.on('error', () => undefined);
    await expect(wrong.connect()).rejects.toThrow('WRONGPASS');
    await node.quit();
    io.disconnect();
    await admin.call('ACL', 'DELUSER', 'app');
    admin.disconnect();
  });

  it('ioredis: SET/GET, pipeline and MULTI', async () => {
    const client = new Redis({ port: rc.port, lazyConnect: true });
    await client.connect();
    expect(await client.set('io:a', 'hello')).toBe('OK');
    expect(await client.get('io:a')).toBe('hello');
    const pipelined = await client.pipeline().incr('io:n').incr('io:n').get('io:n').exec();
    expect(pipelined).toEqual([
      [null, 1],
      [null, 2],
      [null, '2'],
    ]);
    const transaction = await client.multi().set('io:t', '1').incrby('io:t', 5).exec();
    expect(transaction).toEqual([
      [null, 'OK'],
      [null, 6],
    ]);
    client.disconnect();
  });

  it('ioredis: publish reaches a subscriber', async () => {
    const subscriber = new Redis({ port: rc.port });
    const publisher = new Redis({ port: rc.port });
    const received = new Promise<[string, string]>((resolve) =>
      subscriber.on('message', (channel: string, message: string) => resolve([channel, message])),
    );
    await subscriber.subscribe('news');
    expect(await publisher.publish('news', 'hi')).toBe(1);
    expect(await received).toEqual(['news', 'hi']);
    subscriber.disconnect();
    publisher.disconnect();
  });

  it('ioredis: BLPOP times out with null, and is served by a push from another client', async () => {
    const waiter = new Redis({ port: rc.port });
    const pusher = new Redis({ port: rc.port });
    expect(await waiter.blpop('io:queue', 0.05)).toBeNull();
    const served = waiter.blpop('io:queue', 5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await pusher.rpush('io:queue', 'job');
    expect(await served).toEqual(['io:queue', 'job']);
    waiter.disconnect();
    pusher.disconnect();
  });

  it('node-redis: BLPOP with a timeout', async () => {
    const client = createClient({ socket: { port: rc.port, host: '127.0.0.1' } });
    await client.connect();
    expect(await client.blPop('nr:queue', 0.05)).toBeNull();
    await client.rPush('nr:queue', 'job');
    expect(await client.blPop('nr:queue', 1)).toEqual({ key: 'nr:queue', element: 'job' });
    await client.quit();
  });

  it('node-redis: SET/GET, MULTI and RESP3 HELLO', async () => {
    const client = createClient({ socket: { port: rc.port, host: '127.0.0.1' } });
    await client.connect();
    expect(await client.set('nr:a', 'world')).toBe('OK');
    expect(await client.get('nr:a')).toBe('world');
    expect(await client.multi().incr('nr:n').incr('nr:n').exec()).toEqual([1, 2]);
    await client.quit();
    const resp3 = createClient({ socket: { port: rc.port, host: '127.0.0.1' }, RESP: 3 });
    await resp3.connect();
    expect(await resp3.ping()).toBe('PONG');
    await resp3.quit();
  });

  it('node-redis: client-side caching (RESP3) serves repeats from its cache until invalidated', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: 'LRU' });
    const cached = createClient({
      socket: { port: rc.port, host: '127.0.0.1' },
      RESP: 3,
      clientSideCache: cache,
    });
    const writer = createClient({ socket: { port: rc.port, host: '127.0.0.1' } });
    await Promise.all([cached.connect(), writer.connect()]);
    await writer.set('nr:cached', 'one');
    expect(await cached.get('nr:cached')).toBe('one');
    expect(await cached.get('nr:cached')).toBe('one');
    expect(cache.stats().hitCount).toBe(1);
    await writer.set('nr:cached', 'two');
    // The invalidation push travels on its own: wait until the cache has dropped the key.
    for (let attempt = 0; attempt < 100 && cache.size() !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await cached.get('nr:cached')).toBe('two');
    expect(cache.stats().missCount).toBe(2);
    await Promise.all([cached.quit(), writer.quit()]);
  });

  it('node-redis: pipeline, and publish reaching a subscriber', async () => {
    const client = createClient({ socket: { port: rc.port, host: '127.0.0.1' } });
    await client.connect();
    const pipelined = await client.multi().incr('nr:p').incr('nr:p').get('nr:p').execAsPipeline();
    expect(pipelined).toEqual([1, 2, '2']);
    const subscriber = client.duplicate();
    await subscriber.connect();
    const received = new Promise<[string, string]>((resolve) => {
      void subscriber.subscribe('nr:news', (message, channel) => resolve([channel, message]));
    });
    // The subscription is confirmed once subscribe's promise settles; wait for a subscriber.
    while (Number(await client.publish('nr:news', 'hi')) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await received).toEqual(['nr:news', 'hi']);
    await subscriber.quit();
    await client.quit();
  });

  it('node-redis reconnects after a server restart', async () => {
    const server = new RcServer();
    const port = await server.listen(0, '127.0.0.1');
    const client = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: 50 } });
    client.on('error', () => undefined);
    await client.connect();
    expect(await client.set('r', '1')).toBe('OK');
    // node-redis fails commands in flight when the socket closes, and queues those sent once
    // it knows it is reconnecting.
    const reconnecting = new Promise((resolve) => client.once('reconnecting', resolve));
    await server.close();
    await reconnecting;
    const restarted = await listenAgain(() => new RcServer(), port);
    expect(await client.set('r', '2')).toBe('OK');
    expect(await client.get('r')).toBe('2');
    await client.quit();
    await restarted.close();
  });

  it('ioredis reconnects after a server restart', async () => {
    const server = new RcServer();
    const port = await server.listen(0, '127.0.0.1');
    const client = new Redis({ port, retryStrategy: () => 50, maxRetriesPerRequest: 20 });
    expect(await client.set('r', '1')).toBe('OK');
    await server.close();
    const restarted = await listenAgain(() => new RcServer(), port);
    expect(await client.set('r', '2')).toBe('OK');
    expect(await client.get('r')).toBe('2');
    client.disconnect();
    await restarted.close();
  });
});
