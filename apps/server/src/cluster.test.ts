import { Cluster } from 'ioredis';
import { requireRedisOrSkip, until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkClean,
  clusterField,
  clusterNodes,
  createWithReplicas,
  rcNode,
  redisCli,
  redisNode,
  reshard,
  stopClusterNodes,
  untilClean,
  untilOk,
  type Node,
  type NodeRow,
} from './test-support/cluster-nodes.js';

afterEach(stopClusterNodes);

/** Three rc masters made a cluster by `redis-cli --cluster create`, each seeing it ok. */
async function threeMasters(): Promise<Node[]> {
  const nodes = [await rcNode(), await rcNode(), await rcNode()];
  await redisCli(
    '--cluster-yes',
    '--cluster',
    'create',
    ...nodes.map((node) => `127.0.0.1:${node.port}`),
  );
  for (const node of nodes) {
    await until(
      async () => (await clusterField(node, 'cluster_state')) === 'ok',
      'cluster ok',
      120_000,
    );
  }
  return nodes;
}

/**
 * Kills a master and waits until its replica was elected in its place: the replica serves the
 * master's slots, every live node sees the cluster ok, and the check is clean.
 */
async function failOver(victim: Node, replica: Node, live: Node[]): Promise<void> {
  const before = (await clusterNodes(victim)).find((row) => row.flags.includes('myself'))!;
  // Every write the master acknowledged has reached its replica.
  expect(await victim.client.wait(1, 10_000)).toBe(1);
  victim.client.disconnect();
  victim.kill();
  await until(
    async () => {
      const mine = (await clusterNodes(replica)).find((row) => row.flags.includes('myself'))!;
      return mine.flags.includes('master') && mine.slots.join(' ') === before.slots.join(' ')
        ? true
        : undefined;
    },
    "the replica serving its failed master's slots",
    120_000,
  );
  await untilOk(live);
  await untilClean(live);
}

// Three daemons and redis-cli round trips: minutes on a loaded 2-core machine.
describe.runIf(requireRedisOrSkip('cluster interop'))(
  'Redis Cluster with rc nodes',
  { timeout: 600_000 },
  () => {
    it('redis-cli --cluster create makes 3 rc masters a cluster that clients use', async () => {
      const nodes = await threeMasters();
      for (const node of nodes) {
        expect(await clusterField(node, 'cluster_known_nodes')).toBe('3');
        expect(await clusterField(node, 'cluster_size')).toBe('3');
      }
      await checkClean(nodes[0]!);

      // A plain client is redirected; ioredis's cluster client follows MOVED on its own.
      const slot = Number(await nodes[0]!.client.cluster('KEYSLOT', 'foo'));
      const owner = nodes.find((_, index) => index === (slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2))!;
      const other = nodes.find((node) => node !== owner)!;
      await expect(other.client.set('foo', 'bar')).rejects.toThrow(
        `MOVED ${slot} 127.0.0.1:${owner.port}`,
      );
      const cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.port }]);
      try {
        for (let i = 0; i < 100; i++) await cluster.set(`key:${i}`, `value:${i}`);
        for (let i = 0; i < 100; i++) expect(await cluster.get(`key:${i}`)).toBe(`value:${i}`);
        const pipeline = cluster.pipeline();
        pipeline.incr('{user}:visits').incr('{user}:visits').get('{user}:visits');
        expect((await pipeline.exec())!.map(([, value]) => value)).toEqual([1, 2, '2']);
        const transaction = await cluster.multi().set('{t}:a', '1').set('{t}:b', '2').exec();
        expect(transaction!.map(([, value]) => value)).toEqual(['OK', 'OK']);
      } finally {
        cluster.disconnect();
      }
      const counts = await Promise.all(nodes.map((node) => node.client.dbsize()));
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(103);
      expect(counts.every((count) => count > 0)).toBe(true);
    });

    it('a redis-server node joins an rc cluster and takes slots with their keys', async () => {
      const nodes = await threeMasters();
      const redis = await redisNode();
      await redisCli(
        '--cluster',
        'add-node',
        `127.0.0.1:${redis.port}`,
        `127.0.0.1:${nodes[0]!.port}`,
      );
      const redisId = (await redis.client.cluster('MYID')) as string;
      for (const node of [...nodes, redis]) {
        await until(
          async () => (await clusterField(node, 'cluster_known_nodes')) === '4',
          'every node knows the four',
          120_000,
        );
      }
      // A node that has just joined refuses MIGRATE's RESTORE until it sees the cluster ok.
      await untilOk([...nodes, redis]);
      const cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.port }]);
      try {
        for (let i = 0; i < 200; i++) await cluster.set(`key:${i}`, `value:${i}`);
        const fromId = (await nodes[0]!.client.cluster('MYID')) as string;
        await reshard(nodes[0]!, fromId, redisId, 1000);
        await until(
          async () => {
            const view = (await redis.client.cluster('NODES')) as string;
            return /myself,master - \S+ \S+ \S+ connected 0-999\n/.test(view) ? true : undefined;
          },
          'the redis-server node owning slots 0-999',
          120_000,
        );
        await untilClean([...nodes, redis]);
        expect(await redis.client.dbsize()).toBeGreaterThan(0);
        for (let i = 0; i < 200; i++) expect(await cluster.get(`key:${i}`)).toBe(`value:${i}`);
      } finally {
        cluster.disconnect();
      }
    });

    it('3 rc and 3 redis-server nodes: reshard under writes, and each kind of master failed over', async () => {
      // Masters come first in the create order; redis-cli gives each a replica of the other kind
      // where the rotation allows it. The topology is read back rather than assumed.
      const nodes = [
        await rcNode(),
        await rcNode(),
        await redisNode(),
        await rcNode(),
        await redisNode(),
        await redisNode(),
      ];
      const kinds = new Map(
        nodes.map((node, index) => [node.port, index === 2 || index >= 4 ? 'redis' : 'rc']),
      );
      await createWithReplicas(nodes);
      const rows = await clusterNodes(nodes[0]!);
      const byId = new Map(
        rows.map((row) => [row.id, nodes.find((node) => node.port === row.port)!]),
      );
      const masters = rows.filter((row) => row.flags.includes('master'));
      expect(masters).toHaveLength(3);
      const replicaOf = (master: NodeRow): Node =>
        byId.get(rows.find((row) => row.master === master.id)!.id)!;
      // Where the topology allows, an rc replica wins each election.
      const pick = (kind: string): NodeRow => {
        const ofKind = masters.filter((row) => kinds.get(row.port) === kind);
        return ofKind.find((row) => kinds.get(replicaOf(row).port) === 'rc') ?? ofKind[0]!;
      };
      const rcMaster = pick('rc');
      const redisMaster = pick('redis');

      // Reshard 1000 slots from an rc master to a redis-server master while a client writes.
      const cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.port }]);
      try {
        let writing = true;
        let written = 0;
        const writer = (async () => {
          while (writing) {
            await cluster.set(`w:${written}`, String(written));
            written++;
          }
        })();
        await until(async () => (written > 200 ? true : undefined), 'writes under way', 60_000);
        await reshard(nodes[0]!, rcMaster.id, redisMaster.id, 1000);
        writing = false;
        await writer;
        await untilClean(nodes);
        for (let i = 0; i < written; i++) expect(await cluster.get(`w:${i}`)).toBe(String(i));

        // An rc master dies: its replica takes over; then the same for a redis-server master.
        const rcVictim = byId.get(rcMaster.id)!;
        const rcHeir = replicaOf(rcMaster);
        await failOver(
          rcVictim,
          rcHeir,
          nodes.filter((node) => node !== rcVictim),
        );
        const redisVictim = byId.get(redisMaster.id)!;
        const redisHeir = replicaOf(redisMaster);
        const survivors = nodes.filter((node) => node !== rcVictim && node !== redisVictim);
        await failOver(redisVictim, redisHeir, survivors);
        for (let i = 0; i < written; i++) expect(await cluster.get(`w:${i}`)).toBe(String(i));

        // CLUSTER FAILOVER on the last replica: it and its master swap roles.
        const last = (await clusterNodes(survivors[0]!)).find(
          (row) => row.flags.includes('slave') && !row.flags.includes('fail'),
        )!;
        const promoted = byId.get(last.id)!;
        const demoted = byId.get(last.master)!;
        expect(await promoted.client.cluster('FAILOVER')).toBe('OK');
        await until(
          async () => {
            const mine = (await clusterNodes(demoted)).find((row) => row.flags.includes('myself'))!;
            return mine.flags.includes('slave') && mine.master === last.id ? true : undefined;
          },
          'the old master following its replica',
          120_000,
        );
        await untilOk(survivors);
        await untilClean(survivors);
        for (let i = 0; i < written; i++) expect(await cluster.get(`w:${i}`)).toBe(String(i));
      } finally {
        cluster.disconnect();
      }
    });

    it('marks a killed master as failing and the cluster as down', async () => {
      const nodes = await threeMasters();
      const victim = nodes[2]!;
      const victimId = (await victim.client.cluster('MYID')) as string;
      victim.client.disconnect();
      victim.kill();
      for (const node of nodes.slice(0, 2)) {
        await until(
          async () => {
            const view = (await node.client.cluster('NODES')) as string;
            const line = view.split('\n').find((row) => row.startsWith(`${victimId} `));
            return line?.split(' ')[2] === 'master,fail' ? true : undefined;
          },
          'the killed master flagged fail',
          30_000,
        );
        await until(
          async () => (await clusterField(node, 'cluster_state')) === 'fail',
          'cluster down',
          120_000,
        );
      }
    });
  },
);
