import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { describeDataset } from '../test-support/dataset.js';
import { listenAgain, requireRedisOrSkip, startRc } from '../test-support/servers.js';
import {
  RedisProcess,
  bulkDifferences,
  connectTo,
  info,
  linkUp,
  liveWrites,
  seedBulk,
  seedDataTypes,
  until,
  type RcProcess,
} from './test-support/harness.js';

const withRedis = requireRedisOrSkip('replication: rc master, redis-server replicas');
const BULK = 100_000;

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function rcMaster(config: Array<[string, string]> = []): Promise<RcProcess> {
  const rc = await startRc(config);
  running.push(rc);
  return rc;
}

/** An rc master without save points in `dir`, on the `port` a master of the test just closed. */
async function restartedMaster(port: number, dir: string): Promise<RcServer> {
  const config: Array<[string, string]> = [
    ['save', ''],
    ['dir', dir],
  ];
  const server = await listenAgain(() => new RcServer({ config }), port);
  running.push({ stop: () => server.close() });
  return server;
}

async function redisReplicaOf(port: number, extra: string[] = []): Promise<RedisProcess> {
  const replica = await RedisProcess.start(['--replicaof', '127.0.0.1', String(port), ...extra]);
  running.push(replica);
  return replica;
}

describe.runIf(withRedis)('rc master with redis-server 7.0 replicas', () => {
  it('fully syncs 100k keys and every data type, then streams writes: datasets identical', async () => {
    const rc = await rcMaster();
    const client = connectTo(rc.port);
    await seedDataTypes(client, 'a');
    await seedBulk(client, BULK);
    const replica = await redisReplicaOf(rc.port);
    // Writes while the snapshot is taken and sent.
    const during = liveWrites(client, 30, 'a');
    await linkUp(replica.port);
    await during;
    await liveWrites(client, 50, 'b');
    await seedDataTypes(client, 'c', false);
    expect(await client.wait(1, 10_000)).toBe(1);
    expect(await describeDataset(replica.port, 15)).toEqual(await describeDataset(rc.port, 15));
    expect(await bulkDifferences(rc.port, replica.port, BULK)).toEqual([]);
    expect(replica.log()).toMatch(/MASTER <-> REPLICA sync: Finished with success/);
    client.disconnect();
  }, 120_000);

  it('syncs with repl-diskless-sync no (length-framed payload) and propagates expiries', async () => {
    const rc = await rcMaster([['repl-diskless-sync', 'no']]);
    const client = connectTo(rc.port);
    await seedDataTypes(client, 'a');
    const replica = await redisReplicaOf(rc.port);
    await linkUp(replica.port);
    await client.set('soon', 'x', 'PX', 30);
    await client.set('later', 'y', 'EX', 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Expired on the master (lazily here): its DEL reaches the replica.
    expect(await client.get('soon')).toBeNull();
    expect(await client.wait(1, 5000)).toBe(1);
    const replicaClient = connectTo(replica.port);
    expect(await replicaClient.exists('soon')).toBe(0);
    expect(await replicaClient.ttl('later')).toBeGreaterThan(90);
    expect(await describeDataset(replica.port)).toEqual(await describeDataset(rc.port));
    expect(replica.log()).toMatch(/receiving \d+ bytes from master to disk/);
    replicaClient.disconnect();
    client.disconnect();
  }, 60_000);

  it('describes the replica in INFO replication and ROLE', async () => {
    const rc = await rcMaster();
    const replica = await redisReplicaOf(rc.port);
    await linkUp(replica.port);
    const client = connectTo(rc.port);
    await client.set('k', 'v');
    expect(await client.wait(1, 5000)).toBe(1);
    const fields = await info(rc.port);
    expect(fields.role).toBe('master');
    expect(fields.connected_slaves).toBe('1');
    expect(fields.slave0).toMatch(
      new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=[01]$`),
    );
    expect(fields.master_replid).toMatch(/^[0-9a-f]{40}$/);
    expect(fields.repl_backlog_active).toBe('1');
    expect(Number(fields.repl_backlog_histlen)).toBe(Number(fields.master_repl_offset));
    const replicaFields = await info(replica.port);
    expect(replicaFields.master_replid).toBe(fields.master_replid);
    const role = (await client.call('ROLE')) as [string, number, string[][]];
    expect(role[0]).toBe('master');
    expect(role[1]).toBe(Number(fields.master_repl_offset));
    expect(role[2]).toEqual([['127.0.0.1', String(replica.port), expect.stringMatching(/^\d+$/)]]);
    client.disconnect();
  });

  it('WAIT counts the replica, and what it acknowledged is on the replica', async () => {
    const rc = await rcMaster();
    const replica = await redisReplicaOf(rc.port);
    await linkUp(replica.port);
    const client = connectTo(rc.port);
    const replicaClient = connectTo(replica.port);
    for (let i = 0; i < 100; i++) {
      await client.set(`w${i % 7}`, String(i));
      expect(await client.wait(1, 5000)).toBe(1);
      expect(await replicaClient.get(`w${i % 7}`)).toBe(String(i));
    }
    // Two replicas asked for, one exists: the timeout answers with the count.
    const started = Date.now();
    expect(await client.wait(2, 300)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    client.disconnect();
    replicaClient.disconnect();
  });

  it('continues a restarted redis replica with +CONTINUE instead of a full sync', async () => {
    const rc = await rcMaster();
    const client = connectTo(rc.port);
    await seedDataTypes(client, 'a');
    const replica = await redisReplicaOf(rc.port, ['--save', '3600 1']);
    await linkUp(replica.port);
    await liveWrites(client, 10, 'a');
    expect(await client.wait(1, 5000)).toBe(1);
    // SHUTDOWN saves the replica's data with its replication id and offset.
    await replica.shutdown();
    await liveWrites(client, 10, 'b');
    const fullSyncs = rc.server.replication.stats.fullSyncs;
    await replica.launch();
    await linkUp(replica.port);
    expect(replica.log()).toMatch(/Master accepted a Partial Resynchronization/);
    expect(rc.server.replication.stats.fullSyncs).toBe(fullSyncs);
    expect(rc.server.replication.stats.partialSyncsAccepted).toBe(1);
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(replica.port)).toEqual(await describeDataset(rc.port));
    client.disconnect();
  }, 60_000);

  it('fully resyncs a replica whose master restarted (a new replication id)', async () => {
    const first = await rcMaster();
    const port = first.port;
    const client = connectTo(port);
    await seedDataTypes(client, 'old');
    const replica = await redisReplicaOf(port);
    await linkUp(replica.port);
    client.disconnect();
    await first.stop();
    // A new process on the same port: a new replication id, an empty dataset.
    await restartedMaster(port, mkdtempSync(join(tmpdir(), 'rc-repl-')));
    const fresh = connectTo(port);
    // Without consumer groups: the replica may be resyncing while these are written.
    await seedDataTypes(fresh, 'new', false);
    await until(
      async () => replica.log().match(/Full resync from master/g)?.length === 2,
      'second full sync',
    );
    await linkUp(replica.port);
    expect(await fresh.wait(1, 5000)).toBe(1);
    expect(await describeDataset(replica.port)).toEqual(await describeDataset(port));
    fresh.disconnect();
  }, 60_000);

  it('continues its replicas after a restart from an RDB holding its replication info', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-master-'));
    const first = new RcServer({
      config: [
        ['save', ''],
        ['dir', dir],
      ],
    });
    const port = await first.listen(0, '127.0.0.1');
    const client = connectTo(port);
    await seedDataTypes(client, 'a');
    const replica = await redisReplicaOf(port);
    await linkUp(replica.port);
    await liveWrites(client, 10, 'a');
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await client.save()).toBe('OK');
    client.disconnect();
    await first.close();
    const second = await restartedMaster(port, dir);
    await until(() => second.replication.stats.partialSyncsAccepted === 1, 'psync accepted');
    await linkUp(replica.port);
    expect(second.replication.stats.fullSyncs).toBe(0);
    const fresh = connectTo(port);
    await liveWrites(fresh, 5, 'b');
    expect(await fresh.wait(1, 5000)).toBe(1);
    expect(await describeDataset(replica.port)).toEqual(await describeDataset(port));
    fresh.disconnect();
  });

  it('after a restart, streams the DELs of keys that expired on disk to the replica it continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-master-'));
    const config: Array<[string, string]> = [
      ['save', ''],
      ['dir', dir],
      ['enable-debug-command', 'yes'],
    ];
    const first = new RcServer({ config });
    const port = await first.listen(0, '127.0.0.1');
    const client = connectTo(port);
    await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await client.set('kept', '1');
    for (let db = 0; db < 4; db++) {
      await client.select(db);
      await client.set(`short${db}`, 'v', 'PX', 200);
    }
    const replica = await redisReplicaOf(port);
    await linkUp(replica.port);
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await client.save()).toBe('OK');
    client.disconnect();
    await first.close();
    // The short keys expire while no server runs.
    await sleep(300);
    const second = await listenAgain(() => new RcServer({ config }), port);
    running.push({ stop: () => second.close() });
    await until(() => second.replication.stats.partialSyncsAccepted === 1, 'psync accepted');
    expect(await info(port, 'persistence')).toMatchObject({ rdb_last_load_keys_expired: '4' });
    const master = await info(port);
    expect(Number(master.master_repl_offset)).toBe(
      Number(master.second_repl_offset) - 1 + Number(master.repl_backlog_histlen),
    );
    // A redis replica keeps expired keys until its master's DEL: they are gone.
    const replicaClient = connectTo(replica.port);
    await until(async () => (await replicaClient.dbsize()) === 1, 'DELs applied on the replica');
    for (let db = 1; db < 4; db++) {
      await replicaClient.select(db);
      expect(await replicaClient.dbsize()).toBe(0);
    }
    replicaClient.disconnect();
  });

  it('recovers when the link is cut during the initial transfer', async () => {
    const rc = await rcMaster();
    const client = connectTo(rc.port);
    await seedBulk(client, BULK);
    await seedDataTypes(client, 'a');
    const replica = await redisReplicaOf(rc.port);
    const replication = rc.server.replication;
    await until(
      () => [...replication.replicas].find((each) => each.state === 'wait_bgsave'),
      'transfer started',
    );
    for (const each of [...replication.replicas]) each.close();
    await linkUp(replica.port, 60_000);
    expect(replication.stats.fullSyncs).toBeGreaterThanOrEqual(2);
    await liveWrites(client, 10, 'a');
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(replica.port, 15)).toEqual(await describeDataset(rc.port, 15));
    expect(await bulkDifferences(rc.port, replica.port, BULK)).toEqual([]);
    client.disconnect();
  }, 120_000);
});
