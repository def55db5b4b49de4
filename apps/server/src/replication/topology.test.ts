import { afterEach, describe, expect, it } from 'vitest';
import { describeDataset } from '../test-support/dataset.js';
import { requireRedisOrSkip, startRc } from '../test-support/servers.js';
import {
  RedisProcess,
  connectTo,
  info,
  linkUp,
  liveWrites,
  seedDataTypes,
  until,
  type RcProcess,
} from './test-support/harness.js';

const withRedis = requireRedisOrSkip('replication: rc-to-rc, chains and WAIT');

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function rc(config: Array<[string, string]> = []): Promise<RcProcess> {
  const server = await startRc(config);
  running.push(server);
  return server;
}

async function rcReplicaOf(port: number): Promise<RcProcess> {
  return rc([['replicaof', `127.0.0.1 ${port}`]]);
}

async function redis(args: string[] = []): Promise<RedisProcess> {
  const server = await RedisProcess.start(['--repl-diskless-sync-delay', '0', ...args]);
  running.push(server);
  return server;
}

describe('rc master with rc replicas', () => {
  it('replicates every data type and continues with +CONTINUE after the link drops', async () => {
    const master = await rc();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const replica = await rcReplicaOf(master.port);
    await linkUp(replica.port);
    await liveWrites(client, 20, 'a');
    expect(await client.wait(1, 5000)).toBe(1);
    const replicaClient = connectTo(replica.port);
    expect(await replicaClient.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await liveWrites(client, 20, 'b');
    await until(() => master.server.replication.stats.partialSyncsAccepted === 1, 'psync');
    await linkUp(replica.port);
    const stats = await info(master.port, 'stats');
    expect([stats.sync_full, stats.sync_partial_ok, stats.sync_partial_err]).toEqual([
      '1',
      '1',
      '0',
    ]);
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(replica.port)).toEqual(await describeDataset(master.port));
    replicaClient.disconnect();
    client.disconnect();
  });

  it('connects from bind-source-addr, and without it when that address cannot be bound', async () => {
    // 127.0.0.2 is not local to protected mode, as to Redis.
    const master = await rc([['protected-mode', 'no']]);
    const replica = await rc([
      ['bind-source-addr', '127.0.0.2'],
      ['replicaof', `127.0.0.1 ${master.port}`],
    ]);
    await linkUp(replica.port);
    expect((await info(master.port)).slave0).toMatch(/^ip=127\.0\.0\.2,/);
    // Best effort, as Redis: an address this machine lacks is dropped, the link still comes up.
    const unbound = await rc([
      ['bind-source-addr', '198.51.100.7'],
      ['replicaof', `127.0.0.1 ${master.port}`],
    ]);
    await linkUp(unbound.port);
    await until(async () => (await info(master.port)).slave1 !== undefined, 'second replica');
    expect((await info(master.port)).slave1).toMatch(/^ip=127\.0\.0\.1,/);
  });

  it('leaves expiry to the master: an expired key is hidden on the replica until its DEL', async () => {
    const master = await rc([['enable-debug-command', 'yes']]);
    const client = connectTo(master.port);
    expect(await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    const replica = await rcReplicaOf(master.port);
    await linkUp(replica.port);
    await client.set('short', 'v', 'PX', 50);
    expect(await client.wait(1, 5000)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reader = connectTo(replica.port);
    expect(await reader.get('short')).toBeNull();
    // Still held: the replica does not delete on its own, actively or on access.
    expect(await reader.dbsize()).toBe(1);
    expect(await client.get('short')).toBeNull();
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await reader.dbsize()).toBe(0);
    reader.disconnect();
    client.disconnect();
  });

  it('continues a replica of a promoted replica with the old history (replid2)', async () => {
    const master = await rc();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const first = await rcReplicaOf(master.port);
    const second = await rcReplicaOf(master.port);
    await Promise.all([linkUp(first.port), linkUp(second.port)]);
    await liveWrites(client, 10, 'a');
    expect(await client.wait(2, 5000)).toBe(2);
    await until(
      async () =>
        (await info(second.port)).slave_repl_offset ===
        (await info(master.port)).master_repl_offset,
      'second caught up',
    );
    await master.stop();
    // Failover by hand: promote the first, point the second at it.
    const promoted = connectTo(first.port);
    expect(await promoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const other = connectTo(second.port);
    expect(await other.call('REPLICAOF', '127.0.0.1', String(first.port))).toBe('OK');
    await linkUp(second.port);
    expect(first.server.replication.stats.partialSyncsAccepted).toBe(1);
    expect(first.server.replication.stats.fullSyncs).toBe(0);
    await promoted.set('after-failover', '1');
    expect(await promoted.wait(1, 5000)).toBe(1);
    expect(await describeDataset(second.port)).toEqual(await describeDataset(first.port));
    promoted.disconnect();
    other.disconnect();
    client.disconnect();
  });
});

describe.runIf(withRedis)('WAIT with 0, 1 and 3 replicas', () => {
  it('answers at once with no replica to wait for, and after the timeout otherwise', async () => {
    const master = await rc();
    const client = connectTo(master.port);
    await client.set('k', 'v');
    expect(await client.wait(0, 0)).toBe(0);
    let started = Date.now();
    expect(await client.wait(1, 200)).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const replica = await redis(['--replicaof', '127.0.0.1', String(master.port)]);
    await linkUp(replica.port);
    await client.set('k', 'v2');
    expect(await client.wait(1, 0)).toBe(1);
    started = Date.now();
    expect(await client.wait(2, 150)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    client.disconnect();
  });

  it('with three replicas (rc and redis), every write WAIT acknowledged is on all of them', async () => {
    const master = await rc();
    const client = connectTo(master.port);
    const replicas = [
      await redis(['--replicaof', '127.0.0.1', String(master.port)]),
      await redis(['--replicaof', '127.0.0.1', String(master.port)]),
      await rcReplicaOf(master.port),
    ];
    await Promise.all(replicas.map((replica) => linkUp(replica.port)));
    const readers = replicas.map((replica) => connectTo(replica.port));
    for (let i = 0; i < 50; i++) {
      const key = `k${i % 5}`;
      await client.select(i % 2);
      await client.set(key, String(i));
      expect(await client.wait(3, 5000)).toBe(3);
      for (const reader of readers) {
        await reader.select(i % 2);
        expect(await reader.get(key)).toBe(String(i));
      }
    }
    // A fourth never comes: the timeout answers with the three.
    expect(await client.wait(4, 100)).toBe(3);
    // One replica gone: WAIT 3 times out with 2.
    await replicas[0].stop();
    await until(async () => (await info(master.port)).connected_slaves === '2', 'replica gone');
    await client.set('after', '1');
    expect(await client.wait(3, 200)).toBe(2);
    expect(await client.wait(2, 0)).toBe(2);
    for (const reader of readers) reader.disconnect();
    client.disconnect();
  });
});

describe.runIf(withRedis)('chained replicas', () => {
  it('redis master → rc replica → redis and rc sub-replicas, one history', async () => {
    const top = await redis();
    const client = connectTo(top.port);
    await seedDataTypes(client, 'a');
    const middle = await rcReplicaOf(top.port);
    await linkUp(middle.port);
    const subRedis = await redis(['--replicaof', '127.0.0.1', String(middle.port)]);
    const subRc = await rcReplicaOf(middle.port);
    await Promise.all([linkUp(subRedis.port), linkUp(subRc.port)]);
    await liveWrites(client, 30, 'a');
    // WAIT on the top master counts its direct replica only.
    expect(await client.wait(1, 5000)).toBe(1);
    const topOffset = (await info(top.port)).master_repl_offset;
    for (const port of [middle.port, subRedis.port, subRc.port]) {
      await until(
        async () => (await info(port)).slave_repl_offset === topOffset,
        `${port} caught up`,
      );
    }
    const expected = await describeDataset(top.port);
    for (const port of [middle.port, subRedis.port, subRc.port]) {
      expect(await describeDataset(port)).toEqual(expected);
      expect((await info(port)).master_replid).toBe((await info(top.port)).master_replid);
    }
    // The middle's link drops and resumes: its sub-replicas stay connected.
    const killed = await client.call('CLIENT', 'KILL', 'TYPE', 'replica');
    expect(killed).toBe(1);
    await liveWrites(client, 5, 'b');
    await until(async () => (await info(top.port, 'stats')).sync_partial_ok === '1', 'psync');
    expect(await client.wait(1, 5000)).toBe(1);
    const newOffset = (await info(top.port)).master_repl_offset;
    for (const port of [subRedis.port, subRc.port]) {
      await until(
        async () => (await info(port)).slave_repl_offset === newOffset,
        `${port} resumed`,
      );
    }
    expect(await describeDataset(subRedis.port)).toEqual(await describeDataset(top.port));
    expect(middle.server.replication.stats.fullSyncs).toBe(2);
    client.disconnect();
  }, 60_000);

  it('rc master → rc replica → redis sub-replica', async () => {
    const top = await rc();
    const client = connectTo(top.port);
    await seedDataTypes(client, 'a');
    const middle = await rcReplicaOf(top.port);
    await linkUp(middle.port);
    const sub = await redis(['--replicaof', '127.0.0.1', String(middle.port)]);
    await linkUp(sub.port);
    await liveWrites(client, 20, 'a');
    // Values spanning many socket chunks are forwarded byte for byte.
    await client.set('big', Buffer.alloc(2 * 1024 * 1024 + 3, 'y'));
    await client.rpush('mixed', 'small', Buffer.alloc(100_000, 'z'));
    const topOffset = String(top.server.replication.offset);
    await until(
      async () => (await info(sub.port)).slave_repl_offset === topOffset,
      'sub caught up',
    );
    expect(await describeDataset(sub.port)).toEqual(await describeDataset(top.port));
    client.disconnect();
  });
});
