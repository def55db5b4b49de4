import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { startRc } from '../test-support/servers.js';
import { connectTo, info, linkUp, until } from './test-support/harness.js';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

async function master(config: Array<[string, string]>) {
  const lines: string[] = [];
  const server = new RcServer({
    config: [
      ['save', ''],
      ['dir', mkdtempSync(join(tmpdir(), 'rc-repl-'))],
      ['enable-debug-command', 'yes'],
      ...config,
    ],
    log: (_level, message) => lines.push(message),
  });
  const port = await server.listen(0, '127.0.0.1');
  running.push(() => server.close());
  const client = connectTo(port);
  running.push(async () => client.disconnect());
  return { port, lines, client };
}

async function replicaOf(port: number): Promise<number> {
  const replica = await startRc([['replicaof', `127.0.0.1 ${port}`]]);
  running.push(() => replica.stop());
  return replica.port;
}

/** A master whose diskless transfer of 300 keys takes 30 s unless rdb-key-save-delay drops. */
async function slowTransferMaster() {
  const started = await master([
    ['repl-diskless-sync', 'yes'],
    ['repl-diskless-sync-delay', '0'],
  ]);
  await started.client.call('DEBUG', 'POPULATE', '300');
  await started.client.config('SET', 'rdb-key-save-delay', '100000');
  return started;
}

/** The pid in the log line announcing the transfer's child. */
function childPid(lines: string[]): number | undefined {
  for (const line of lines) {
    const found = /^Background RDB transfer started by pid (\d+)$/.exec(line);
    if (found !== null) return Number(found[1]);
  }
  return undefined;
}

describe('a diskless transfer as Redis runs one: delayed, shared, a child process', () => {
  it('replicas arriving within repl-diskless-sync-delay share one transfer', async () => {
    const { port, lines, client } = await master([
      ['repl-diskless-sync', 'yes'],
      ['repl-diskless-sync-delay', '60'],
      ['repl-diskless-sync-max-replicas', '2'],
    ]);
    await client.call('DEBUG', 'POPULATE', '1000');
    const replicas = [await replicaOf(port), await replicaOf(port)];
    for (const replica of replicas) await linkUp(replica);
    for (const replica of replicas) {
      const reader = connectTo(replica);
      expect(await reader.dbsize()).toBe(1000);
      reader.disconnect();
    }
    expect(lines.filter((line) => line === 'Delay next BGSAVE for diskless SYNC')).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('Background RDB transfer started'))).toHaveLength(
      1,
    );
    expect(childPid(lines)).not.toBe(process.pid);
    expect(lines).toContain('Diskless rdb transfer, done reading from pipe, 2 replicas still up.');
    expect(lines).toContain('Background RDB transfer terminated with success');
    expect(
      lines.filter((line) => /^Streamed RDB transfer with replica .* succeeded/.test(line)),
    ).toHaveLength(2);
  }, 60_000);

  it('shows rdb_bgsave_in_progress while it runs; killing its child fails the sync', async () => {
    const { port, lines, client } = await slowTransferMaster();
    await replicaOf(port);
    const inProgress = async () => (await info(port, 'persistence')).rdb_bgsave_in_progress;
    await until(async () => (await inProgress()) === '1', 'the transfer');
    const pid = await until(() => childPid(lines), 'its child');
    process.kill(pid, 'SIGKILL');
    // The replica reconnects at once and a new transfer starts, as with Redis: the ended
    // transfer shows in the log, not as a moment of rdb_bgsave_in_progress:0.
    await until(
      () => lines.includes('SYNC failed. BGSAVE child returned an error'),
      'the failed sync',
    );
    expect(lines).toContain('Background transfer terminated by signal 9');
    await client.config('SET', 'rdb-key-save-delay', '0');
  }, 60_000);

  it('FLUSHALL kills the transfer under way and its replica syncs again', async () => {
    const { port, lines, client } = await slowTransferMaster();
    const replica = await replicaOf(port);
    await until(() => childPid(lines), 'the first transfer');
    await client.flushall();
    await client.config('SET', 'rdb-key-save-delay', '0');
    await until(
      () => lines.filter((line) => line.startsWith('Background RDB transfer started')).length === 2,
      'a second transfer',
    );
    await linkUp(replica);
    expect(lines).toContain('Background transfer terminated by signal 10');
    expect(await client.dbsize()).toBe(0);
  }, 60_000);
});
