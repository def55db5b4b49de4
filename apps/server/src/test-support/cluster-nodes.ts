import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, until } from '@rc/test-support';
import { expect } from 'vitest';
import { startDaemon, stopDaemons } from './daemon.js';

/*
 * Cluster nodes for interop tests: rc daemons and redis-server processes with cluster-enabled
 * yes on loopback ports, redis-cli --cluster, and waits on what the nodes report.
 */

const run = promisify(execFile);

export interface Node {
  readonly port: number;
  readonly client: Redis;
  /** Kills the process at once (SIGKILL), as a crash would. */
  readonly kill: () => void;
}

const clients: Redis[] = [];
const stops: Array<() => Promise<void>> = [];

/** Disconnects the clients and stops every node started so far: run after each test. */
export async function stopClusterNodes(): Promise<void> {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await stopDaemons();
}

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
export async function rcNode(): Promise<Node> {
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
    // An absolute path, as Redis takes it (not joined onto dir).
    '--cluster-config-file',
    join(dir, 'nodes.conf'),
  ]);
  return { port, client: connect(port), kill: () => daemon.child.kill('SIGKILL') };
}

export async function redisNode(): Promise<Node> {
  const [port, busPort] = await twoPorts();
  const redis = await startRedisServer({
    port,
    args: clusterFlags(busPort),
  });
  stops.push(() => redis.stop());
  return { port: redis.port, client: connect(redis.port), kill: () => redis.child.kill('SIGKILL') };
}

/** redis-cli's output; a failure throws with everything it printed, to tell why. */
export async function redisCli(...args: string[]): Promise<string> {
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

export async function clusterField(node: Node, field: string): Promise<string> {
  const info = (await node.client.cluster('INFO')) as string;
  return new RegExp(`(?:^|\\n)${field}:([^\\r]*)`).exec(info)?.[1] ?? '';
}

export async function checkClean(node: Node): Promise<void> {
  const report = await redisCli('--cluster', 'check', `127.0.0.1:${node.port}`);
  expect(report).toContain('[OK] All nodes agree about slots configuration.');
  expect(report).toContain('[OK] All 16384 slots covered.');
}

/** One line of CLUSTER NODES. */
export interface NodeRow {
  readonly id: string;
  readonly port: number;
  readonly flags: string[];
  readonly master: string;
  readonly slots: string[];
}

export async function clusterNodes(node: Node): Promise<NodeRow[]> {
  const text = (await node.client.cluster('NODES')) as string;
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const fields = line.split(' ');
      return {
        id: fields[0]!,
        port: Number(/:(\d+)@/.exec(fields[1]!)![1]),
        flags: fields[2]!.split(','),
        master: fields[3]!,
        slots: fields.slice(8),
      };
    });
}

export async function untilClean(nodes: Node[]): Promise<void> {
  for (const node of nodes) {
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
}

export async function untilOk(nodes: Node[]): Promise<void> {
  for (const node of nodes) {
    await until(
      async () => (await clusterField(node, 'cluster_state')) === 'ok',
      'cluster ok',
      120_000,
    );
  }
}

/**
 * `redis-cli --cluster create` of these nodes with one replica per master, then waits until
 * every node sees the three replicas and the cluster is ok and clean.
 */
export async function createWithReplicas(nodes: Node[]): Promise<void> {
  await redisCli(
    '--cluster-yes',
    '--cluster',
    'create',
    ...nodes.map((node) => `127.0.0.1:${node.port}`),
    '--cluster-replicas',
    '1',
  );
  const replicas = nodes.length / 2;
  for (const node of nodes) {
    await until(
      async () =>
        (await clusterNodes(node)).filter((row) => row.flags.includes('slave')).length === replicas
          ? true
          : undefined,
      'every node seeing the replicas',
      120_000,
    );
  }
  await untilOk(nodes);
  await untilClean(nodes);
}

/** `redis-cli --cluster reshard` of `slots` slots between two masters, through `via`. */
export async function reshard(via: Node, from: string, to: string, slots: number): Promise<void> {
  await redisCli(
    '--cluster-yes',
    '--cluster',
    'reshard',
    `127.0.0.1:${via.port}`,
    '--cluster-from',
    from,
    '--cluster-to',
    to,
    '--cluster-slots',
    String(slots),
  );
}
