// Jest runs this file as an ES module (`--experimental-vm-modules`, see package.json): on Node
// before 24.9 Jest's own require() cannot load ES modules such as @rc/server.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { RcServer } from '@rc/server';
import { Redis } from 'ioredis';

let server;
beforeAll(async () => (server = await RcServer.start()));
afterAll(() => server.stop());

it('expires a session after an hour', async () => {
  const client = new Redis(server.url);
  server.time.freeze();
  await client.set('session', 'abc', 'EX', 3600);
  server.time.advance(3_600_000);
  expect(await client.get('session')).toBeNull();
  client.disconnect();
});

it('ends a BLPOP at its timeout when the clock is advanced', async () => {
  const client = new Redis(server.url);
  server.time.freeze();
  const popped = client.blpop('jobs', 30);
  while (server.engine.blocking.blockedCount === 0) await new Promise((r) => setTimeout(r, 10));
  server.time.advance(30_000);
  expect(await popped).toBeNull();
  client.disconnect();
});

it('seeds data and reads it back without a client', async () => {
  server.data.set('queue', { type: 'list', items: ['a', 'b'] });
  const client = new Redis(server.url);
  await client.rpush('queue', 'c');
  expect(server.data.get('queue')).toEqual({ type: 'list', items: ['a', 'b', 'c'] });
  client.disconnect();
});
