import { until } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const range = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** Each step's commands, after which lazyfreed_objects is read once nothing is pending. */
const STEPS: string[][][] = [
  [['CONFIG', 'RESETSTAT']],
  // 100 quicklist nodes of one element: above the threshold of 64.
  [
    ['CONFIG', 'SET', 'list-max-listpack-size', '1'],
    ['RPUSH', 'list', ...range(100, 'e')],
    ['UNLINK', 'list'],
  ],
  [
    ['RPUSH', 'short', ...range(60, 'e')],
    ['UNLINK', 'short'],
  ],
  [
    ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ['RPUSH', 'packed', ...range(300, 'e')],
    ['UNLINK', 'packed'],
  ],
  [
    ['SADD', 'set', ...range(100, 'm')],
    ['UNLINK', 'set'],
  ],
  [
    ['SADD', 'intset', ...range(100, '')],
    ['UNLINK', 'intset'],
  ],
  [
    ['HSET', 'hash', ...range(200, 'f').flatMap((f) => [f, 'v'])],
    ['UNLINK', 'hash'],
  ],
  [
    ['HSET', 'small', 'f', 'v'],
    ['UNLINK', 'small'],
  ],
  [
    ['ZADD', 'zset', ...range(200, 'm').flatMap((m, i) => [String(i), m])],
    ['UNLINK', 'zset'],
  ],
  [
    ['SADD', 'set', ...range(100, 'm')],
    ['DEL', 'set'],
  ],
  [
    ['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes'],
    ['SADD', 'set', ...range(100, 'm')],
    ['DEL', 'set'],
  ],
  [
    ['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no'],
    ['MSET', 'a', '1', 'b', '2'],
    ['FLUSHDB', 'ASYNC'],
  ],
  [
    ['MSET', 'a', '1', 'b', '2'],
    ['FLUSHALL', 'SYNC'],
  ],
  [
    ['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes'],
    ['MSET', 'a', '1', 'b', '2', 'c', '3'],
    ['FLUSHALL'],
  ],
  [
    ['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'no'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '5'],
  ],
  [
    ...range(1000, '').map((i) => ['XADD', 'stream', `1-${i + 1}`, 'foo', i]),
    ['XGROUP', 'CREATE', 'stream', 'group', '0'],
    ['XREADGROUP', 'GROUP', 'group', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>'],
    ['UNLINK', 'stream'],
  ],
  [
    ['XADD', 's', '1-1', 'a', 'b'],
    ['XGROUP', 'CREATE', 's', 'g', '$'],
    ['UNLINK', 's'],
  ],
];

function memoryField(info: string, name: string): string {
  return new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? `${name} missing`;
}

/** lazyfreed_objects after each step, once no object waits to be freed (Redis frees in a thread). */
async function freedAfterEachStep(port: number): Promise<string[]> {
  const client = await RawClient.open(port);
  const info = async () => (await client.command('INFO', 'memory'))?.toString('latin1') ?? '';
  try {
    const counts: string[] = [];
    for (const step of STEPS) {
      for (const command of step) await client.command(...command);
      const settled = await until(async () => {
        const text = await info();
        return memoryField(text, 'lazyfree_pending_objects') === '0' && text;
      }, 'no lazyfree pending');
      counts.push(memoryField(settled, 'lazyfreed_objects'));
    }
    return counts;
  } finally {
    client.close();
  }
}

describe.runIf(requireRedisOrSkip('lazy free differential'))(
  'INFO lazyfreed_objects, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('counts the deletions and flushes Redis frees in the background', async () => {
      const ours = await freedAfterEachStep(servers.rcPort());
      const theirs = await freedAfterEachStep(servers.redisPort());
      expect(ours).toEqual(theirs);
    });
  },
);
