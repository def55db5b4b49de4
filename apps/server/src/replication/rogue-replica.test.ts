import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip, startRc, startRedis } from '../test-support/servers.js';

const withRedis = requireRedisOrSkip('replication: commands on a replica link');

const running: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

async function server(kind: 'rc' | 'redis'): Promise<number> {
  const started =
    kind === 'rc'
      ? await startRc([['repl-diskless-sync-delay', '0']])
      : await startRedis(['--repl-diskless-sync-delay', '0']);
  running.push(() => started.stop());
  return started.port;
}

async function open(port: number): Promise<RawClient> {
  const client = await RawClient.open(port);
  running.push(() => client.close());
  return client;
}

/**
 * A client turned replica by PSYNC then sends `command`: what it is answered before the
 * server drops it, and whether another client is still served.
 */
async function rogueReplica(kind: 'rc' | 'redis', command: string): Promise<unknown[]> {
  const port = await server(kind);
  const replica = await open(port);
  replica.write('PSYNC replicationid -1\r\n');
  const header = (await replica.readReply())?.toString('latin1') ?? '';
  replica.write(`${command}\r\n`);
  const closed = await replica.waitClosed(10_000);
  const other = await open(port);
  return [/^\+FULLRESYNC [0-9a-f]{40} 0\r\n$/.test(header), closed, await other.command('PING')];
}

describe.runIf(withRedis)('commands sent on a replica link, as Redis handles them', () => {
  for (const command of ['GET foo', 'PING', 'SLOWLOG GET']) {
    it(`a replica sending ${command} is disconnected`, async () => {
      const redis = await rogueReplica('redis', command);
      expect(await rogueReplica('rc', command)).toEqual(redis);
      expect(redis.slice(0, 2)).toEqual([true, true]);
    }, 60_000);
  }

  it('PSYNC with an offset that is not a number is an error, the client stays', async () => {
    const replies = [];
    for (const kind of ['redis', 'rc'] as const) {
      const client = await open(await server(kind));
      replies.push([
        await client.command('PSYNC', 'replicationid', 'offset_str'),
        await client.command('PING'),
      ]);
    }
    expect(replies[1]).toEqual(replies[0]);
  }, 60_000);
});
