import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort, requireRedisOrSkip, startRedisServer, until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons } from './test-support/daemon.js';

const run = promisify(execFile);

interface Node {
  readonly port: number;
  readonly client: Redis;
}

const clients: Redis[] = [];
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await stopDaemons();
});

function connect(port: number): Redis {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
  clients.push(client);
  return client;
}

/** A client port and a bus port: two free ports, never the same one twice. */
async function twoPorts(): Promise<[number, number]> {
  const port = await freePort();
  let busPort = await freePort();
  while (busPort === port) busPort = await freePort();
  return [port, busPort];
}

/** The same cluster settings for rc and redis-server nodes. */
function clusterFlags(busPort: number): string[] {
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-port',
    String(busPort),
    '--cluster-node-timeout',
    '2000',
  ];
}

/** An rc daemon with cluster-enabled yes, its bus on a port of its own. */
async function rcNode(): Promise<Node & { stop: () => void }> {
  const [port, busPort] = await twoPorts();
  const dir = mkdtempSync(join(tmpdir(), 'rc-cluster-'));
  const daemon = await startDaemon([
    '--port',
    String(port),
    ...clusterFlags(busPort),
    '--save',
    '',
    '--dir',
    dir,
  ]);
  return { port, client: connect(port), stop: () => daemon.child.kill('SIGKILL') };
}

async function redisNode(): Promise<Node> {
  const [port, busPort] = await twoPorts();
  const redis = await startRedisServer({
    port,
    args: clusterFlags(busPort),
  });
  stops.push(() => redis.stop());
  return { port: redis.port, client: connect(redis.port) };
}

/** redis-cli's output; a failure throws with everything it printed, to tell why. */
async function redisCli(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', args, { timeout: 120_000 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli ${args.join(' ')} failed:\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}

async function clusterField(node: Node, field: string): Promise<string> {
  const info = (await node.client.cluster('INFO')) as string;
  return new RegExp(`(?:^|\\n)${field}:([^\\r]*)`).exec(info)?.[1] ?? '';
}

async function checkClean(node: Node): Promise<void> {
  const report = await redisCli('--cluster', 'check', `127.0.0.1:${node.port}`);
  expect(report).toContain('[OK] All nodes agree about slots configuration.');
  expect(report).toContain('[OK] All 16384 slots covered.');
}

/** Three rc masters made a cluster by `redis-cli --cluster create`, each seeing it ok. */
async function threeMasters(): Promise<Array<Node & { stop: () => void }>> {
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
      const cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.port }]);
      try {
        for (let i = 0; i < 200; i++) await cluster.set(`key:${i}`, `value:${i}`);
        const fromId = (await nodes[0]!.client.cluster('MYID')) as string;
        await redisCli(
          '--cluster-yes',
          '--cluster',
          'reshard',
          `127.0.0.1:${nodes[0]!.port}`,
          '--cluster-from',
          fromId,
          '--cluster-to',
          redisId,
          '--cluster-slots',
          '1000',
        );
        await until(
          async () => {
            const view = (await redis.client.cluster('NODES')) as string;
            return /myself,master - \S+ \S+ \S+ connected 0-999\n/.test(view) ? true : undefined;
          },
          'the redis-server node owning slots 0-999',
          120_000,
        );
        for (const node of [...nodes, redis]) {
          await until(
            async () => {
              try {
                await checkClean(node);
                return true;
              } catch {
                return undefined;
              }
            },
            'a clean cluster check',
            120_000,
          );
        }
        expect(await redis.client.dbsize()).toBeGreaterThan(0);
        for (let i = 0; i < 200; i++) expect(await cluster.get(`key:${i}`)).toBe(`value:${i}`);
      } finally {
        cluster.disconnect();
      }
    });

    it('marks a killed master as failing and the cluster as down', async () => {
      const nodes = await threeMasters();
      const victim = nodes[2]!;
      const victimId = (await victim.client.cluster('MYID')) as string;
      victim.client.disconnect();
      victim.stop();
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
