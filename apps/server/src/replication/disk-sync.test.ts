import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { listenAgain, requireRedisOrSkip } from '../test-support/servers.js';
import {
  RedisProcess,
  connectTo,
  info,
  linkUp,
  seedDataTypes,
  slowRedisMaster,
  until,
} from './test-support/harness.js';

const withRedis = requireRedisOrSkip('replication: disk-based sync (repl-diskless-load disabled)');

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** An rc replica of `masterPort` in `dir`, on `port` (0: any), whose log lines `lines` keeps. */
async function rcReplica(
  masterPort: number,
  dir: string,
  lines: string[],
  port = 0,
  extra: Array<[string, string]> = [],
): Promise<{ server: RcServer; port: number }> {
  const config: Array<[string, string]> = [
    ['save', ''],
    ['dir', dir],
    ['replicaof', `127.0.0.1 ${masterPort}`],
    ...extra,
  ];
  const make = () => new RcServer({ config, log: (_level, message) => lines.push(message) });
  const server = port === 0 ? make() : await listenAgain(make, port);
  const listening = port === 0 ? await server.listen(0, '127.0.0.1') : port;
  running.push({ stop: () => server.close() });
  return { server, port: listening };
}

const SYNC_LINES = [
  /^MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk$/,
  /^MASTER <-> REPLICA sync: Flushing old data$/,
  /^MASTER <-> REPLICA sync: Loading DB in memory$/,
  /^MASTER <-> REPLICA sync: Finished with success$/,
];

function syncLines(lines: readonly string[]): string[] {
  return lines.filter((line) => SYNC_LINES.some((pattern) => pattern.test(line)));
}

describe.runIf(withRedis)('a replica with repl-diskless-load disabled, as Redis', () => {
  it('writes the payload to dump.rdb and resumes from that file with PSYNC after a restart', async () => {
    // One diskless transfer for both replicas: both receive the same payload.
    const master = await RedisProcess.start([
      '--repl-diskless-sync-delay',
      '30',
      '--repl-diskless-sync-max-replicas',
      '2',
    ]);
    running.push(master);
    const client = connectTo(master.port);
    await seedDataTypes(client, 'a');
    const redis = await RedisProcess.start(['--replicaof', '127.0.0.1', String(master.port)]);
    running.push(redis);
    const dir = mkdtempSync(join(tmpdir(), 'rc-disk-sync-'));
    const lines: string[] = [];
    const rc = await rcReplica(master.port, dir, lines);
    await linkUp(rc.port);
    await linkUp(redis.port);
    expect((await info(master.port, 'stats')).sync_full).toBe('2');

    expect(readFileSync(join(dir, 'dump.rdb'))).toEqual(readFileSync(join(redis.dir, 'dump.rdb')));
    expect(readdirSync(dir).filter((name) => name.startsWith('temp-'))).toEqual([]);
    expect(syncLines(lines)).toEqual(
      syncLines(
        redis
          .log()
          .split('\n')
          .map((line) => line.replace(/^.*? [*#-] /, '')),
      ),
    );
    expect(syncLines(lines).length).toBe(SYNC_LINES.length);

    // Both restarted on their directory, after writes they missed: a partial resync each.
    await rc.server.close();
    await redis.stop();
    await client.set('missed', 'while down');
    const restartedLines: string[] = [];
    const restarted = await rcReplica(master.port, dir, restartedLines, rc.port);
    await redis.launch();
    await linkUp(restarted.port);
    await linkUp(redis.port);
    const stats = await info(master.port, 'stats');
    expect([stats.sync_full, stats.sync_partial_ok]).toEqual(['2', '2']);
    expect(restartedLines).toContain('Successful partial resynchronization with master.');
    const replica = connectTo(restarted.port);
    await until(async () => (await replica.get('missed')) === 'while down', 'the missed write');
    replica.disconnect();
    client.disconnect();
  }, 120_000);

  it('keeps the payload in temp-<unixtime>.<pid>.rdb while it comes, removed when the transfer stops', async () => {
    const { master, client } = await slowRedisMaster();
    running.push(master);
    const files = (path: string) => readdirSync(path).filter((name) => name.endsWith('.rdb'));
    // One replica after the other: each has a transfer of its own.
    const starts = {
      rc: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'rc-disk-sync-'));
        return { ...(await rcReplica(master.port, dir, [])), dir, pid: process.pid };
      },
      redis: async () => {
        const redis = await RedisProcess.start(['--replicaof', '127.0.0.1', String(master.port)]);
        running.push(redis);
        const pid = Number((await info(redis.port, 'server')).process_id);
        return { port: redis.port, dir: redis.dir, pid };
      },
    };
    for (const start of [starts.rc, starts.redis]) {
      const { port, dir, pid } = await start();
      await until(
        async () => Number((await info(port)).master_sync_read_bytes) > 0,
        'the transfer',
      );
      const [temp] = files(dir);
      expect(temp).toMatch(new RegExp(`^temp-\\d+\\.${pid}\\.rdb$`));
      const replica = connectTo(port);
      await replica.call('REPLICAOF', 'NO', 'ONE');
      replica.disconnect();
      await until(async () => files(dir).length === 0, 'the temp file removed');
      expect(await info(port)).toMatchObject({ role: 'master' });
    }
    client.disconnect();
  }, 120_000);

  it('removes the file after the load with rdb-del-sync-files and no persistence', async () => {
    const master = await RedisProcess.start();
    running.push(master);
    const client = connectTo(master.port);
    await client.set('key', 'value');
    const redis = await RedisProcess.start([
      '--save',
      '',
      '--rdb-del-sync-files',
      'yes',
      '--replicaof',
      '127.0.0.1',
      String(master.port),
    ]);
    running.push(redis);
    const dir = mkdtempSync(join(tmpdir(), 'rc-disk-sync-'));
    const lines: string[] = [];
    const rc = await rcReplica(master.port, dir, lines, 0, [['rdb-del-sync-files', 'yes']]);
    await linkUp(rc.port);
    await linkUp(redis.port);
    const removed =
      'Removing the RDB file obtained from the master. This replica has persistence disabled';
    for (const [path, log] of [
      [dir, lines],
      [
        redis.dir,
        redis
          .log()
          .split('\n')
          .map((line) => line.replace(/^.*? [*#-] /, '')),
      ],
    ] as const) {
      expect(readdirSync(path).filter((name) => name.endsWith('.rdb'))).toEqual([]);
      expect(log.indexOf(removed)).toBeGreaterThan(
        log.indexOf('MASTER <-> REPLICA sync: Loading DB in memory'),
      );
      expect(log.indexOf(removed)).toBeLessThan(
        log.indexOf('MASTER <-> REPLICA sync: Finished with success'),
      );
    }
    client.disconnect();
  }, 120_000);
});
