import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { requireRedisOrSkip, until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clusterNodes,
  createWithReplicas,
  rcNode,
  stopClusterNodes,
  untilClean,
  untilOk,
  type Node,
} from './test-support/cluster-nodes.js';

afterEach(stopClusterNodes);

/** Six rc nodes made three masters with a replica each. */
async function sixNodes(): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < 6; i++) nodes.push(await rcNode());
  await createWithReplicas(nodes);
  return nodes;
}

/** The master serving `key` and its replica, found through CLUSTER NODES. */
async function shardOf(nodes: Node[], key: string): Promise<{ master: Node; replica: Node }> {
  const slot = Number(await nodes[0]!.client.cluster('KEYSLOT', key));
  const rows = await clusterNodes(nodes[0]!);
  const serves = (range: string): boolean => {
    const [start, end = start] = range.split('-').map(Number);
    return slot >= start! && slot <= end!;
  };
  const masterRow = rows.find((row) => row.slots.some(serves))!;
  const replicaRow = rows.find((row) => row.master === masterRow.id)!;
  const byPort = (port: number): Node => nodes.find((node) => node.port === port)!;
  return { master: byPort(masterRow.port), replica: byPort(replicaRow.port) };
}

/**
 * Kills the master serving `key` (after its replica has every write) and resolves once the
 * replica serves its slots and the cluster is ok again.
 */
async function killMasterOf(nodes: Node[], key: string): Promise<Node[]> {
  const { master, replica } = await shardOf(nodes, key);
  expect(await master.client.wait(1, 10_000)).toBe(1);
  master.client.disconnect();
  master.kill();
  await until(
    async () => {
      const mine = (await clusterNodes(replica)).find((row) => row.flags.includes('myself'))!;
      return mine.flags.includes('master') && mine.slots.length > 0 ? true : undefined;
    },
    'the replica promoted',
    120_000,
  );
  const live = nodes.filter((node) => node !== master);
  await untilOk(live);
  return live;
}

/** Retries a command through a failover: errors while the cluster reconfigures are expected. */
async function eventually<T>(command: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      return await command();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw last;
}

/**
 * Writes keys of one slot, kills their master mid-run, keeps writing through the failover, and
 * checks every acknowledged write is there afterwards; the client is given by its SET and GET.
 */
async function writeThroughFailover(
  nodes: Node[],
  set: (key: string, value: string) => Promise<unknown>,
  get: (key: string) => Promise<string | null>,
): Promise<void> {
  for (let i = 0; i < 100; i++) await set(`{w}:${i}`, String(i));
  const live = await killMasterOf(nodes, '{w}');
  for (let i = 100; i < 200; i++) await eventually(() => set(`{w}:${i}`, String(i)));
  for (let i = 0; i < 200; i++) expect(await eventually(() => get(`{w}:${i}`))).toBe(String(i));
  await untilClean(live);
}

// Six daemons, a cluster create and a failover: minutes on a loaded 2-core machine.
describe.runIf(requireRedisOrSkip('cluster clients'))(
  'cluster clients against an rc-only cluster',
  { timeout: 600_000 },
  () => {
    it('ioredis Cluster: pipelines, MULTI on one slot, sharded pub/sub, a failover mid-run', async () => {
      const nodes = await sixNodes();
      const cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.port }], {
        clusterRetryStrategy: () => 100,
      });
      // One subscriber per shard: ioredis's default single subscriber would get MOVED for
      // SSUBSCRIBE as it would from Redis.
      const subscriber = new Cluster([{ host: '127.0.0.1', port: nodes[1]!.port }], {
        shardedSubscribers: true,
      });
      try {
        const pipeline = cluster.pipeline();
        for (let i = 0; i < 50; i++) pipeline.set(`{p}:${i}`, String(i));
        pipeline.mget('{p}:0', '{p}:49');
        const replies = (await pipeline.exec())!.map(([, value]) => value);
        expect(replies.at(-1)).toEqual(['0', '49']);

        const transaction = await cluster.multi().incr('{m}:a').incr('{m}:a').get('{m}:a').exec();
        expect(transaction!.map(([, value]) => value)).toEqual([1, 2, '2']);

        // A READONLY replica serves reads, scripts declaring no-writes included; a script that
        // may write is redirected to the master, as a write command is.
        const { replica } = await shardOf(nodes, '{m}');
        await replica.client.readonly();
        await until(
          async () => ((await replica.client.get('{m}:a')) === '2' ? true : undefined),
          'the write replicated',
          30_000,
        );
        const read = "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])";
        expect(await replica.client.eval(read, 1, '{m}:a')).toBe('2');
        const write = "#!lua\nreturn redis.call('del', KEYS[1])";
        await expect(replica.client.eval(write, 1, '{m}:a')).rejects.toThrow(/^MOVED /);

        const received: string[] = [];
        subscriber.on('smessage', (channel: string, message: string) =>
          received.push(`${channel}:${message}`),
        );
        await subscriber.ssubscribe('news');
        expect(await cluster.spublish('news', 'hello')).toBe(1);
        await until(async () => (received.length === 1 ? true : undefined), 'smessage', 30_000);
        expect(received).toEqual(['news:hello']);

        await writeThroughFailover(
          nodes,
          (key, value) => cluster.set(key, value),
          (key) => cluster.get(key),
        );
      } finally {
        cluster.disconnect();
        subscriber.disconnect();
      }
    });

    it('node-redis createCluster: pipelines, MULTI on one slot, sharded pub/sub, a failover mid-run', async () => {
      const nodes = await sixNodes();
      const cluster = createCluster({
        rootNodes: nodes.map((node) => ({ url: `redis://127.0.0.1:${node.port}` })),
      });
      cluster.on('error', () => {
        // Connection errors of the killed node: the cluster client rediscovers on its own.
      });
      await cluster.connect();
      try {
        // Commands sent together are pipelined by node-redis.
        const sets = await Promise.all(
          Array.from({ length: 50 }, (_, i) => cluster.set(`{p}:${i}`, String(i))),
        );
        expect(sets.every((reply) => reply === 'OK')).toBe(true);
        expect(await cluster.mGet(['{p}:0', '{p}:49'])).toEqual(['0', '49']);

        const transaction = await cluster.multi().incr('{m}:a').incr('{m}:a').get('{m}:a').exec();
        expect(transaction).toEqual([1, 2, '2']);

        const received: string[] = [];
        await cluster.sSubscribe('news', (message, channel) =>
          received.push(`${channel}:${message}`),
        );
        expect(await cluster.sPublish('news', 'hello')).toBe(1);
        await until(async () => (received.length === 1 ? true : undefined), 'smessage', 30_000);
        expect(received).toEqual(['news:hello']);

        await writeThroughFailover(
          nodes,
          (key, value) => cluster.set(key, value),
          (key) => cluster.get(key),
        );
      } finally {
        await cluster.close().catch(() => undefined);
      }
    });
  },
);
