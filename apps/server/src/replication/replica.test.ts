import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { describeDataset } from '../test-support/dataset.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip, startRc } from '../test-support/servers.js';
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

const withRedis = requireRedisOrSkip('replication: rc replicas of a redis-server master');
const BULK = 100_000;

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** A redis-server master that starts its sync at once (no diskless delay). */
async function redisMaster(extra: string[] = []): Promise<RedisProcess> {
  const master = await RedisProcess.start(['--repl-diskless-sync-delay', '0', ...extra]);
  running.push(master);
  return master;
}

async function rcReplicaOf(port: number, config: Array<[string, string]> = []): Promise<RcProcess> {
  const rc = await startRc([['replicaof', `127.0.0.1 ${port}`], ...config]);
  running.push(rc);
  return rc;
}

describe.runIf(withRedis)('rc replica of a redis-server 7.0 master', () => {
  it('loads 100k keys and every data type, then applies the stream: datasets identical', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    await seedBulk(client, BULK);
    const rc = await rcReplicaOf(master.port);
    const during = liveWrites(client, 30, 'a');
    await linkUp(rc.port);
    await during;
    await liveWrites(client, 50, 'b');
    await seedDataTypes(client, 'c', false);
    // The master counts rc: its ACKs carry the offset it processed (a minute at most, for a
    // loaded machine; WAIT returns as soon as rc's ACK arrives).
    expect(await client.wait(1, 60_000)).toBe(1);
    expect(await describeDataset(rc.port, 15)).toEqual(await describeDataset(master.port, 15));
    expect(await bulkDifferences(master.port, rc.port, BULK)).toEqual([]);
    const fields = await info(rc.port);
    const masterFields = await info(master.port);
    expect(fields.master_replid).toBe(masterFields.master_replid);
    expect(fields.slave_repl_offset).toBe(masterFields.master_repl_offset);
    client.disconnect();
  }, 120_000);

  it('loads a length-framed payload (repl-diskless-sync no) with the stream in the same chunk', async () => {
    const master = await redisMaster(['--repl-diskless-sync', 'no']);
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    await liveWrites(client, 20, 'a');
    expect(await client.wait(1, 60_000)).toBe(1);
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(master.port));
    client.disconnect();
  });

  it('keeps its offset exact through values larger than the socket chunks', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    big[12345] = 0;
    for (let i = 0; i < 5; i++) {
      await client.set(`big${i}`, big);
      await client.rpush('mixed', 'small', big.subarray(0, 70_000 + i));
    }
    expect(await client.wait(1, 10_000)).toBe(1);
    const offset = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(rc.port)).slave_repl_offset === offset, 'caught up');
    const reader = connectTo(rc.port);
    expect((await reader.getBuffer('big4'))?.equals(big)).toBe(true);
    expect(await reader.llen('mixed')).toBe(10);
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(master.port));
    reader.disconnect();
    client.disconnect();
  });

  it('applies consumer-group reads as a redis-server replica does (entries-read unknown)', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    const rc = await rcReplicaOf(master.port);
    const redisReplica = await RedisProcess.start([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
    ]);
    running.push(redisReplica);
    await Promise.all([linkUp(rc.port), linkUp(redisReplica.port)]);
    // Redis 7.0 propagates XREADGROUP as XCLAIMs with LASTID, without the entries-read counter.
    await seedDataTypes(client, 'a');
    expect(await client.wait(2, 5000)).toBe(2);
    const offset = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(rc.port)).slave_repl_offset === offset, 'caught up');
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(redisReplica.port));
    client.disconnect();
  });

  it('refuses writes from its clients with READONLY, also inside MULTI', async () => {
    const master = await redisMaster();
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    const raw = await RawClient.open(rc.port);
    expect((await raw.command('SET', 'k', 'v'))?.toString()).toBe(
      "-READONLY You can't write against a read only replica.\r\n",
    );
    expect((await raw.command('GET', 'k'))?.toString()).toBe('$-1\r\n');
    await raw.command('MULTI');
    await raw.command('INCR', 'n');
    expect((await raw.command('EXEC'))?.toString()).toBe(
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
    );
    expect((await raw.command('WAIT', '0', '0'))?.toString()).toMatch(
      /^-ERR WAIT cannot be used with replica instances/,
    );
    raw.close();
  });

  it('describes its link in INFO replication and ROLE', async () => {
    const master = await redisMaster();
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    const fields = await info(rc.port);
    expect(Object.keys(fields)).toEqual([
      'role',
      'master_host',
      'master_port',
      'master_link_status',
      'master_last_io_seconds_ago',
      'master_sync_in_progress',
      'slave_read_repl_offset',
      'slave_repl_offset',
      'slave_priority',
      'slave_read_only',
      'replica_announced',
      'connected_slaves',
      'master_failover_state',
      'master_replid',
      'master_replid2',
      'master_repl_offset',
      'second_repl_offset',
      'repl_backlog_active',
      'repl_backlog_size',
      'repl_backlog_first_byte_offset',
      'repl_backlog_histlen',
    ]);
    expect(fields.master_port).toBe(String(master.port));
    expect(fields.slave_read_only).toBe('1');
    const masterFields = await info(master.port);
    await until(
      async () => (await info(master.port)).slave0?.includes('state=online'),
      'replica online on the master',
    );
    expect(masterFields.slave0).toMatch(new RegExp(`^ip=127\\.0\\.0\\.1,port=${rc.port},state=`));
    const client = connectTo(rc.port);
    const role = (await client.call('ROLE')) as unknown[];
    expect(role).toEqual(['slave', '127.0.0.1', master.port, 'connected', expect.any(Number)]);
    client.disconnect();
  });

  it('is promoted by REPLICAOF NO ONE, keeping its data and history as replid2', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    // Everything the master sent is applied (GETACKs included), so the histories match.
    await until(
      async () =>
        (await info(rc.port)).master_repl_offset === (await info(master.port)).master_repl_offset,
      'replica caught up',
    );
    const before = await info(rc.port);
    const replica = connectTo(rc.port);
    expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await replica.set('now', 'writable')).toBe('OK');
    const after = await info(rc.port);
    expect(after.role).toBe('master');
    expect(after.master_replid2).toBe(before.master_replid);
    expect(after.second_repl_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(after.master_replid).not.toBe(before.master_replid);
    expect(await replica.get('str:a')).toBe('plain value');
    // The old master can now follow the promoted replica, continuing with PSYNC.
    await client.call('REPLICAOF', '127.0.0.1', String(rc.port));
    await linkUp(master.port);
    expect(master.log()).toMatch(/Successful partial resynchronization with master/);
    expect(await replica.wait(1, 5000)).toBe(1);
    expect(await client.get('now')).toBe('writable');
    replica.disconnect();
    client.disconnect();
  });

  it('answers REPLICAOF as Redis', async () => {
    const master = await redisMaster();
    const rc = await startRc();
    running.push(rc);
    const raw = await RawClient.open(rc.port);
    const port = String(master.port);
    expect((await raw.command('REPLICAOF', 'NO', 'ONE'))?.toString()).toBe('+OK\r\n');
    expect((await raw.command('REPLICAOF', '127.0.0.1', port))?.toString()).toBe('+OK\r\n');
    expect((await raw.command('SLAVEOF', '127.0.0.1', port))?.toString()).toBe(
      '+OK Already connected to specified master\r\n',
    );
    expect((await raw.command('REPLICAOF', '127.0.0.1', '70000'))?.toString()).toBe(
      '-ERR Invalid master port\r\n',
    );
    expect((await raw.command('CONFIG', 'GET', 'replicaof'))?.toString()).toBe(
      `*2\r\n$9\r\nreplicaof\r\n$${port.length + 10}\r\n127.0.0.1 ${port}\r\n`,
    );
    await linkUp(rc.port);
    raw.close();
  });

  it('continues with PSYNC after its link drops, without a full sync', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    await liveWrites(client, 10, 'a');
    const killed = (await client.call('CLIENT', 'KILL', 'TYPE', 'replica')) as number;
    expect(killed).toBe(1);
    await liveWrites(client, 10, 'b');
    await until(async () => (await info(master.port, 'stats')).sync_partial_ok === '1', 'psync');
    await linkUp(rc.port);
    expect((await info(master.port, 'stats')).sync_full).toBe('1');
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(master.port));
    client.disconnect();
  });

  it('continues in the database its stream had selected after REPLICAOF elsewhere and back', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await client.select(9);
    await client.set('before', '1');
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    expect(await client.wait(1, 5000)).toBe(1);
    const replica = connectTo(rc.port);
    // Nothing listens on port 1: the link stays down while the master goes on in db 9.
    await replica.replicaof('127.0.0.1', 1);
    await client.set('meanwhile', '1');
    await replica.replicaof('127.0.0.1', master.port);
    await linkUp(rc.port);
    expect((await info(master.port, 'stats')).sync_partial_ok).toBe('1');
    await client.set('after', '1');
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(master.port));
    client.disconnect();
    replica.disconnect();
  });

  it('continues with PSYNC after a restart, from the replication info of its saved RDB', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const first = await rcReplicaOf(master.port);
    await linkUp(first.port);
    await liveWrites(client, 10, 'a');
    const offset = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(first.port)).slave_repl_offset === offset, 'caught up');
    const replica = connectTo(first.port);
    expect(await replica.save()).toBe('OK');
    replica.disconnect();
    const dir = first.server.engine.config.get('dir');
    await first.stop();
    await liveWrites(client, 10, 'b');
    const restarted = new RcServer({
      config: [
        ['save', ''],
        ['dir', dir],
        ['replicaof', `127.0.0.1 ${master.port}`],
      ],
    });
    const port = await restarted.listen(0, '127.0.0.1');
    running.push({ stop: () => restarted.close() });
    await linkUp(port);
    const stats = await info(master.port, 'stats');
    expect([stats.sync_full, stats.sync_partial_ok]).toEqual(['1', '1']);
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(port)).toEqual(await describeDataset(master.port));
    client.disconnect();
  });

  it('rewrites its append-only file after a full sync, so it holds the loaded data', async () => {
    const master = await redisMaster();
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    await liveWrites(client, 10, 'a');
    const rc = await rcReplicaOf(master.port, [['appendonly', 'yes']]);
    await linkUp(rc.port);
    await liveWrites(client, 10, 'b');
    const offset = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(rc.port)).slave_repl_offset === offset, 'caught up');
    await until(async () => {
      const persistence = await info(rc.port, 'persistence');
      return persistence.aof_rewrite_in_progress === '0' && Number(persistence.aof_rewrites) >= 1;
    }, 'AOF rewritten');
    const dir = rc.server.engine.config.get('dir');
    await rc.stop();
    const reloaded = new RcServer({
      config: [
        ['save', ''],
        ['dir', dir],
        ['appendonly', 'yes'],
      ],
    });
    const port = await reloaded.listen(0, '127.0.0.1');
    running.push({ stop: () => reloaded.close() });
    expect(await describeDataset(port)).toEqual(await describeDataset(master.port));
    client.disconnect();
  });

  it('full-resyncs when its master restarted, and reconnects while the master is down', async () => {
    const master = await redisMaster();
    let client = connectTo(master.port);
    await seedDataTypes(client, 'old');
    const rc = await rcReplicaOf(master.port);
    await linkUp(rc.port);
    client.disconnect();
    await master.stop();
    await until(async () => (await info(rc.port)).master_link_status === 'down', 'link down');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await master.launch();
    client = connectTo(master.port);
    // Without consumer-group reads: they could reach rc through the stream (see below).
    await seedDataTypes(client, 'new', false);
    await until(async () => (await info(master.port)).connected_slaves === '1', 'reconnected');
    await linkUp(rc.port);
    expect(await client.wait(1, 5000)).toBe(1);
    expect(await describeDataset(rc.port)).toEqual(await describeDataset(master.port));
    client.disconnect();
  });
});

describe('rc writable replica (replica-read-only no) of an rc master', () => {
  async function pair(): Promise<{ master: RcProcess; replica: RcProcess }> {
    const master = await startRc([['enable-debug-command', 'yes']]);
    running.push(master);
    const replica = await rcReplicaOf(master.port, [['replica-read-only', 'no']]);
    await linkUp(replica.port);
    return { master, replica };
  }

  it('expires the keys its own clients gave a TTL, as its master sends no DEL for them', async () => {
    const { replica } = await pair();
    const client = connectTo(replica.port);
    await client.select(5);
    // In one write, so that a loaded machine cannot let the short TTL run out before DBSIZE.
    const written = await client
      .pipeline()
      .set('short', '1', 'PX', 500)
      .set('later', '1', 'EX', 1000)
      .set('plain', '1')
      .dbsize()
      .exec();
    expect(written?.[3]).toEqual([null, 3]);
    // Deleted by the replica's own expiry cycle, not merely hidden.
    await until(async () => (await client.dbsize()) === 2, 'the short key deleted');
    expect(await client.exists('later', 'plain')).toBe(2);
    client.disconnect();
  });

  it('a write of its client recreates a key that expired but its master did not delete yet', async () => {
    const { master, replica } = await pair();
    const writer = connectTo(master.port);
    await writer.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await writer.set('counter', '5', 'PX', 10);
    await writer.set('other', '5', 'PX', 10);
    const client = connectTo(replica.port);
    await until(
      async () => (await client.dbsize()) === 2 && (await client.exists('counter', 'other')) === 0,
      'keys replicated and past their TTL',
    );
    expect(await client.incr('counter')).toBe(1);
    expect(await client.ttl('counter')).toBe(-1);
    // A read only hides the other expired key, which stays until its master's DEL.
    expect(await client.get('other')).toBeNull();
    expect(await client.dbsize()).toBe(2);
    writer.disconnect();
    client.disconnect();
  });
});

describe('rc replica paused by CLIENT PAUSE WRITE', () => {
  it('reads its master stream but applies its writes only once unpaused', async () => {
    const master = await startRc([['repl-ping-replica-period', '3600']]);
    running.push(master);
    const replica = await rcReplicaOf(master.port);
    await linkUp(replica.port);
    const writer = connectTo(master.port);
    const client = connectTo(replica.port);
    await writer.set('foo', 'bar');
    const applied = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(replica.port)).slave_repl_offset === applied, 'in sync');
    await client.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    await writer.set('foo2', 'bar2');
    const sent = (await info(master.port)).master_repl_offset;
    await until(async () => (await info(replica.port)).slave_read_repl_offset === sent, 'read');
    expect((await info(replica.port)).slave_repl_offset).toBe(applied);
    expect(await client.get('foo2')).toBeNull();
    await client.call('CLIENT', 'UNPAUSE');
    await until(async () => (await info(replica.port)).slave_repl_offset === sent, 'applied');
    expect(await client.get('foo2')).toBe('bar2');
    writer.disconnect();
    client.disconnect();
  });
});
