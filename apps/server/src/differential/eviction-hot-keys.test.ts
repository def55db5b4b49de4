import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const HOT_KEYS = 1000;
const VALUE = 'v'.repeat(100);
/** Room for about 6000 such keys above what each server holds empty. */
const BUDGET = 1024 * 1024;

/** Sends the commands in one write and waits for all their replies. */
async function pipeline(client: RawClient, commands: string[][]): Promise<void> {
  client.write(Buffer.concat(commands.map((argv) => encodeCommand(argv))));
  for (let i = 0; i < commands.length; i++) {
    if ((await client.readReply(30_000)) === null) throw new Error('no reply');
  }
}

const range = (count: number, make: (i: number) => string[]) =>
  Array.from({ length: count }, (_, i) => make(i));

/**
 * How an eviction policy is probed: rounds of new keys, and the pause after each. LRU idle
 * times count in seconds (Redis's LRU clock), so LRU rounds are a second apart, for recency
 * to tell keys apart; LFU counts reads whenever they come.
 */
interface Probe {
  policy: string;
  rounds: number;
  pauseMs: number;
}

/**
 * The probe: 1000 hot keys, then rounds of 1000 new keys each followed by a read of
 * every hot key, under a limit that holds about 6000 keys. Returns how many hot keys are left
 * (random eviction would keep about half under LRU's probe, and none under LFU's).
 */
async function hotKeysKept(port: number, { policy, rounds, pauseMs }: Probe): Promise<number> {
  const client = await RawClient.open(port);
  try {
    await pipeline(client, [
      ['FLUSHALL'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', policy],
    ]);
    const info = ((await client.command('INFO', 'memory')) ?? Buffer.alloc(0)).toString();
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
    await pipeline(client, [['CONFIG', 'SET', 'maxmemory', String(used + BUDGET)]]);
    await pipeline(
      client,
      range(HOT_KEYS, (i) => ['SET', `hot:${i}`, VALUE]),
    );
    for (let round = 0; round < rounds; round++) {
      await pipeline(
        client,
        range(1000, (i) => ['SET', `cold:${round}:${i}`, VALUE]),
      );
      await pipeline(
        client,
        range(HOT_KEYS, (i) => ['GET', `hot:${i}`]),
      );
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    const reply = await client.command('EXISTS', ...range(HOT_KEYS, (i) => [`hot:${i}`]).flat());
    await pipeline(client, [['CONFIG', 'SET', 'maxmemory', '0']]);
    return Number(reply?.toString().slice(1));
  } finally {
    client.close();
  }
}

describe.runIf(requireRedisOrSkip('eviction hot keys differential'))(
  'eviction keeps hot keys as redis-server does',
  () => {
    const servers = useDifferential();

    const probes: Probe[] = [
      { policy: 'allkeys-lru', rounds: 8, pauseMs: 1000 },
      { policy: 'allkeys-lfu', rounds: 20, pauseMs: 0 },
    ];
    for (const probe of probes) {
      it(`${probe.policy}: the hot keys kept are within 20% of Redis's count`, async () => {
        const redis = await hotKeysKept(servers.redisPort(), probe);
        const rc = await hotKeysKept(servers.rcPort(), probe);
        expect(rc, `rc kept ${rc}, redis-server ${redis}`).toBeGreaterThanOrEqual(redis * 0.8);
        expect(rc, `rc kept ${rc}, redis-server ${redis}`).toBeLessThanOrEqual(redis * 1.2);
      }, 120_000);
    }
  },
);
