import { until } from '@rc/test-support';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const MB = 1024 * 1024;
const LIMIT = 50 * MB;
/** What a server may hold above maxmemory after a command: Redis evicts before each one. */
const LIMIT_SLACK = 1.05;
const VALUE = 'v'.repeat(1024);
const BATCH = 1000;

async function memoryField(client: RawClient, field: string): Promise<number> {
  const info = ((await client.command('INFO', 'memory')) ?? Buffer.alloc(0)).toString();
  return Number(new RegExp(`${field}:(\\d+)`).exec(info)?.[1]);
}

/** Sends a batch of 1 KB SETs in one write; their replies, as text. */
async function setBatch(client: RawClient, batch: number): Promise<string[]> {
  const commands = Array.from({ length: BATCH }, (_, i) =>
    encodeCommand(['SET', `key:${batch}:${i}`, VALUE]),
  );
  client.write(Buffer.concat(commands));
  const replies: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    const reply = await client.readReply(30_000);
    if (reply === null) throw new Error('no reply');
    replies.push(reply.toString());
  }
  return replies;
}

/** Sets maxmemory 50 MB with `policy` on a flushed server, runs `probe`, then lifts the limit. */
async function underLimit<T>(
  port: number,
  policy: string,
  probe: (client: RawClient) => Promise<T>,
): Promise<T> {
  const client = await RawClient.open(port);
  try {
    await client.command('FLUSHALL');
    await client.command('CONFIG', 'SET', 'maxmemory-policy', policy);
    await client.command('CONFIG', 'SET', 'maxmemory', String(LIMIT));
    return await probe(client);
  } finally {
    await client.command('CONFIG', 'SET', 'maxmemory', '0');
    await client.command('FLUSHALL');
    client.close();
  }
}

/** The probe: 100 MB of pipelined 1 KB SETs; the highest used_memory after a batch. */
function peakUnderLru(port: number): Promise<number> {
  return underLimit(port, 'allkeys-lru', async (client) => {
    let peak = 0;
    for (let batch = 0; batch < 100; batch++) {
      await setBatch(client, batch);
      peak = Math.max(peak, await memoryField(client, 'used_memory'));
    }
    return peak;
  });
}

/** SETs until one is refused: the refusal and used_memory at that moment. */
function refusalUnderNoeviction(port: number): Promise<{ error: string; used: number }> {
  return underLimit(port, 'noeviction', async (client) => {
    for (let batch = 0; batch < 100; batch++) {
      const error = (await setBatch(client, batch)).find((reply) => reply !== '+OK\r\n');
      if (error !== undefined) return { error, used: await memoryField(client, 'used_memory') };
    }
    throw new Error('100 MB of SETs were all accepted under a 50 MB limit');
  });
}

/**
 * A 100 MB value written, read back whole and deleted, then a script that builds a table of
 * two million numbers: the spikes of issue 23's "memory given back" probe.
 */
async function spike(port: number): Promise<void> {
  const size = 100 * MB;
  const header = `$${size}\r\n`;
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${header}`);
      socket.write(Buffer.alloc(size, 'x'));
      socket.write(`\r\n${encodeCommand(['GET', 'big']).toString()}`);
    });
    const expected = '+OK\r\n'.length + header.length + size + 2;
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received < expected) return;
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
  const client = await RawClient.open(port);
  try {
    expect((await client.command('DEL', 'big'))?.toString()).toBe(':1\r\n');
    const script = 'local t = {} for i = 1, 2000000 do t[i] = i end return #t';
    client.write(encodeCommand(['EVAL', script, '0']));
    expect((await client.readReply(60_000))?.toString()).toBe(':2000000\r\n');
  } finally {
    client.close();
  }
}

/** Runs the spike, then waits until RSS is back within `margin` of where it was before. */
async function rssComesBack(port: number, margin: number): Promise<void> {
  const client = await RawClient.open(port);
  try {
    const before = await memoryField(client, 'used_memory_rss');
    await spike(port);
    await until(
      async () => (await memoryField(client, 'used_memory_rss')) <= before + margin,
      `RSS on port ${port} to come back within ${margin / MB} MB of ${before / MB} MB`,
      30_000,
    );
  } finally {
    client.close();
  }
}

describe.runIf(requireRedisOrSkip('memory bounds differential'))(
  "maxmemory bounds used_memory, and a spike's memory is given back, as on redis-server",
  () => {
    const servers = useDifferential();

    it('allkeys-lru keeps used_memory at the limit under pipelined 1 KB SETs', async () => {
      for (const port of [servers.redisPort(), servers.rcPort()]) {
        expect(await peakUnderLru(port)).toBeLessThanOrEqual(LIMIT * LIMIT_SLACK);
      }
    }, 120_000);

    it('noeviction refuses writes with the same error once used_memory reaches the limit', async () => {
      const theirs = await refusalUnderNoeviction(servers.redisPort());
      const ours = await refusalUnderNoeviction(servers.rcPort());
      expect(ours.error).toBe(theirs.error);
      // Read after the refusal, once the batch's query buffers are given back: near the limit.
      for (const { used } of [theirs, ours]) {
        expect(used).toBeGreaterThan(LIMIT * 0.95);
        expect(used).toBeLessThanOrEqual(LIMIT * LIMIT_SLACK);
      }
    }, 120_000);

    it('RSS comes back near where it was after a 100 MB value and a big script', async () => {
      // The spike is 300 MB of RSS or more on either server; Redis keeps its Lua heap's growth.
      for (const port of [servers.redisPort(), servers.rcPort()]) {
        await rssComesBack(port, 64 * MB);
      }
    }, 120_000);
  },
);
