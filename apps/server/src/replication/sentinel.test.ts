import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  freePort,
  requireSentinelOrSkip,
  startSentinel,
  until,
  type SentinelProcess,
} from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons, type Daemon } from '../test-support/daemon.js';

const withSentinel = requireSentinelOrSkip('rc monitored by redis-sentinel');

const password = 'sentinel-test-secret';
const masterName = 'rcmaster';
/** A failover takes seconds; on a loaded machine Sentinel's own TILT can add half a minute. */
const failoverWaitMs = 180_000;

const sentinels: SentinelProcess[] = [];
const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(sentinels.splice(0).map((sentinel) => sentinel.stop()));
  await stopDaemons();
});

interface Node {
  readonly port: number;
  readonly daemon: Daemon;
  readonly client: Redis;
}

function connectTo(port: number): Redis {
  const client = new Redis({ port, host: '127.0.0.1', password, maxRetriesPerRequest: 1 });
  // The killed master's client keeps reconnecting: its refusals are expected.
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** An rc daemon behind a password, replicating from `master` when given. */
async function rcNode(master?: Node): Promise<Node> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rc-sentinel-node-'));
  const replicaOf = master === undefined ? [] : ['--replicaof', '127.0.0.1', String(master.port)];
  const daemon = await startDaemon([
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    ...['--requirepass', password, '--masterauth', password],
    ...replicaOf,
  ]);
  return { port, daemon, client: connectTo(port) };
}

/** INFO replication as a name → value map. */
async function replication(node: Node): Promise<Record<string, string>> {
  const text = await node.client.info('replication');
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

async function replicatesFrom(replica: Node, master: Node): Promise<boolean> {
  const fields = await replication(replica).catch(() => ({}) as Record<string, string>);
  return fields.master_port === String(master.port) && fields.master_link_status === 'up';
}

/** Three sentinels watching `master` with a quorum of two. */
async function watch(master: Node): Promise<Redis[]> {
  const directives = [
    `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
    `sentinel auth-pass ${masterName} ${password}`,
    // Long enough that a busy machine's slow reply is not taken for a dead master.
    `sentinel down-after-milliseconds ${masterName} 5000`,
    `sentinel failover-timeout ${masterName} 20000`,
    `sentinel parallel-syncs ${masterName} 1`,
  ];
  for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(directives));
  return sentinels.map((sentinel) => {
    const client = new Redis({ port: sentinel.port, host: '127.0.0.1' });
    clients.push(client);
    return client;
  });
}

/** A `SENTINEL <subcommand> <master>` reply of field/value pairs, as a map. */
function pairs(reply: unknown): Record<string, string> {
  const flat = reply as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return fields;
}

/** The port every sentinel names as the master, once they all name the same one. */
async function agreedMasterPort(watchers: Redis[]): Promise<number | undefined> {
  const named = await Promise.all(
    watchers.map(
      async (sentinel) =>
        ((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[])[1],
    ),
  );
  return named.every((port) => port === named[0]) ? Number(named[0]) : undefined;
}

/** Waits until every sentinel names `master` and sees it with `replicas` healthy replicas. */
async function untilSeen(watchers: Redis[], master: Node, replicas: Node[]): Promise<void> {
  const healthy = (entry: Record<string, string>): boolean =>
    entry.flags === 'slave' && entry['master-link-status'] === 'ok';
  await until(
    async () => {
      if ((await agreedMasterPort(watchers)) !== master.port) return false;
      for (const sentinel of watchers) {
        const seen = pairs(await sentinel.call('SENTINEL', 'MASTER', masterName));
        if (seen.flags !== 'master' || seen['num-other-sentinels'] !== '2') return false;
        const listed = ((await sentinel.call('SENTINEL', 'REPLICAS', masterName)) as unknown[])
          .map(pairs)
          .filter(healthy)
          .map((entry) => Number(entry.port));
        if (!replicas.every((replica) => listed.includes(replica.port))) return false;
      }
      return true;
    },
    `the sentinels to see master ${master.port} with replicas ${replicas.map((r) => r.port)}`,
    failoverWaitMs,
  );
}

/** Waits until the sentinels agree on a new master among `candidates`, and returns it. */
async function untilFailedOver(watchers: Redis[], from: Node, candidates: Node[]): Promise<Node> {
  const port = await until(
    async () => {
      const agreed = await agreedMasterPort(watchers);
      return agreed !== from.port && candidates.some((node) => node.port === agreed) && agreed;
    },
    `the sentinels to agree on a master other than ${from.port}`,
    failoverWaitMs,
  );
  return candidates.find((node) => node.port === port) as Node;
}

async function role(node: Node): Promise<string> {
  return ((await node.client.call('ROLE')) as string[])[0];
}

/**
 * A client that finds the master through the sentinels and writes `counter` values one after
 * another until stopped; its commands wait (offline queue, no retry limit) while it reconnects.
 */
function sentinelWriter(watchers: SentinelProcess[]): {
  written(): number;
  stop(): Promise<void>;
} {
  const client = new Redis({
    sentinels: watchers.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })),
    name: masterName,
    password,
    maxRetriesPerRequest: null,
    retryStrategy: () => 200,
    sentinelRetryStrategy: () => 200,
  });
  // Refused connections to the killed master while the sentinels still name it.
  client.on('error', () => undefined);
  clients.push(client);
  let written = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await client.set(`write:${written + 1}`, String(written + 1));
      written += 1;
    }
  })();
  return {
    written: () => written,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

describe.runIf(withSentinel)('redis-sentinel failing over rc', () => {
  it(
    'sees an rc master and its rc replicas, promotes one when the master is killed, and fails over again on SENTINEL FAILOVER',
    { timeout: 900_000 },
    async () => {
      const master = await rcNode();
      const replicas = [await rcNode(master), await rcNode(master)];
      for (const replica of replicas) {
        await until(() => replicatesFrom(replica, master), `replica ${replica.port} link up`);
      }
      await master.client.set('before', 'the failover');
      expect(await master.client.wait(2, 60_000)).toBe(2);

      const watchers = await watch(master);
      await untilSeen(watchers, master, replicas);
      const writer = sentinelWriter(sentinels);
      await until(() => writer.written() > 10, 'writes through the sentinels', failoverWaitMs);

      // The master dies: the sentinels agree on one of its replicas, which becomes a master
      // with the data, and the other replica follows it.
      master.daemon.child.kill('SIGKILL');
      await master.daemon.exited;
      const promoted = await untilFailedOver(watchers, master, replicas);
      const other = replicas.find((replica) => replica !== promoted) as Node;
      await until(async () => (await role(promoted)) === 'master', 'the promotion');
      await until(() => replicatesFrom(other, promoted), 'the other replica to follow');
      await untilSeen(watchers, promoted, [other]);
      expect(await promoted.client.get('before')).toBe('the failover');

      // The client found the new master: its writes continue and reach the other replica.
      const afterKill = writer.written();
      await until(() => writer.written() > afterKill + 10, 'writes after the failover');
      await writer.stop();
      const last = writer.written();
      expect(await promoted.client.get(`write:${last}`)).toBe(String(last));
      expect(await promoted.client.wait(1, 60_000)).toBe(1);
      expect(await other.client.get(`write:${last}`)).toBe(String(last));

      // A manual failover: the other replica is promoted, the previous master replicates it.
      await until(
        async () =>
          (await watchers[0]
            .call('SENTINEL', 'FAILOVER', masterName)
            .catch((error: Error) => error.message)) === 'OK',
        'SENTINEL FAILOVER accepted',
        failoverWaitMs,
      );
      expect(await untilFailedOver(watchers, promoted, [other])).toBe(other);
      await until(async () => (await role(other)) === 'master', 'the manual promotion');
      // Sentinel turns a master it configured as a replica into one at its next INFO poll.
      await until(
        () => replicatesFrom(promoted, other),
        'the previous master to follow',
        failoverWaitMs,
      );
      await untilSeen(watchers, other, [promoted]);
      expect(await other.client.get(`write:${last}`)).toBe(String(last));
    },
  );
});
