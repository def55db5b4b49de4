import { until } from '@rc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';

/** The figures Redis 7.0 derives from its replication buffer, as INFO and CLIENT LIST show them. */
interface BufferFigures {
  master_repl_offset: string;
  repl_backlog_first_byte_offset: string;
  repl_backlog_histlen: string;
  mem_total_replication_buffers: string;
  mem_clients_slaves: string;
  /** The replica's output buffer (its share of the replication buffer), or null without one. */
  omem: string | null;
}

function field(text: string, name: string): string {
  const match = new RegExp(`(?:^|\\r\\n)${name}:([^\\r]*)`).exec(text);
  if (match === null) throw new Error(`no ${name} in INFO`);
  return match[1];
}

async function figures(client: RawClient): Promise<BufferFigures> {
  const replication = String(await client.command('INFO', 'replication'));
  const memory = String(await client.command('INFO', 'memory'));
  const replicas = String(await client.command('CLIENT', 'LIST', 'TYPE', 'replica'));
  return {
    master_repl_offset: field(replication, 'master_repl_offset'),
    repl_backlog_first_byte_offset: field(replication, 'repl_backlog_first_byte_offset'),
    repl_backlog_histlen: field(replication, 'repl_backlog_histlen'),
    mem_total_replication_buffers: field(memory, 'mem_total_replication_buffers'),
    mem_clients_slaves: field(memory, 'mem_clients_slaves'),
    omem: / omem=(\d+) /.exec(replicas)?.[1] ?? null,
  };
}

/** The stream bytes a replica got after its EOF-framed snapshot, or -1 before its end mark. */
function streamBytes(replica: RawClient): number {
  const text = replica.unread();
  const header = /\$EOF:([0-9a-f]{40})\r\n/.exec(text);
  if (header === null) return -1;
  const end = text.indexOf(header[1], header.index + header[0].length);
  return end === -1 ? -1 : text.length - end - header[1].length;
}

/**
 * One master and a replica of our own making: it takes its snapshot, holds the stream while it
 * does not acknowledge (Redis starts an EOF-framed replica's stream on its first ACK), then takes
 * it all, then leaves. The figures at each step, for the same writes on both servers.
 */
async function scenario(port: number): Promise<Record<string, BufferFigures>> {
  const client = await RawClient.open(port);
  for (const [name, value] of [
    ['repl-diskless-sync-delay', '0'],
    ['repl-ping-replica-period', '3600'],
    ['repl-backlog-size', '16384'],
  ]) {
    expect(String(await client.command('CONFIG', 'SET', name, value))).toBe('+OK\r\n');
  }
  const replica = await RawClient.open(port);
  expect(String(await replica.command('REPLCONF', 'capa', 'eof'))).toBe('+OK\r\n');
  replica.write(encodeCommand(['PSYNC', '?', '-1']));
  await until(() => streamBytes(replica) === 0, 'the snapshot');
  const steps: Record<string, BufferFigures> = { synced: await figures(client) };
  for (let i = 0; i < 300; i++) await client.command('SET', `key:${i}`, 'v'.repeat(1000));
  steps.held = await figures(client);
  replica.write(encodeCommand(['REPLCONF', 'ACK', '0']));
  const offset = Number(steps.held.master_repl_offset);
  await until(() => streamBytes(replica) === offset, 'the stream');
  steps.sent = await figures(client);
  replica.close();
  await until(async () => (await figures(client)).omem === null, 'the replica gone');
  steps.gone = await figures(client);
  client.close();
  return steps;
}

describe.runIf(requireRedisOrSkip('replication buffer differential'))(
  'the shared replication buffer, compared with redis-server',
  () => {
    let rc: RunningServer;
    let redis: RunningServer;
    beforeAll(async () => {
      [rc, redis] = await Promise.all([startRc(), startRedis()]);
    });
    afterAll(async () => {
      await Promise.all([rc?.stop(), redis?.stop()]);
    });

    it('counts the backlog, the replica output and their memory as Redis does', async () => {
      const expected = await scenario(redis.port);
      // The replica held the whole stream: the backlog outgrew its 16 KB, and its output counts
      // the blocks once.
      expect(Number(expected.held.repl_backlog_histlen)).toBeGreaterThan(300_000);
      expect(expected.held.omem).toBe(expected.held.mem_total_replication_buffers);
      expect(await scenario(rc.port)).toEqual(expected);
    });
  },
);
