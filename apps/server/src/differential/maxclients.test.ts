import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, stopChild } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('maxclients differential'))(
  'maxclients, compared with redis-server',
  () => {
    const servers = useDifferential([['maxclients', '2']]);

    it('answers the connection past maxclients with one error and closes it', async () => {
      const seen: string[][] = [];
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const admitted = [await RawClient.open(port), await RawClient.open(port)];
        for (const client of admitted)
          expect(String(await client.command('PING'))).toBe('+PONG\r\n');
        const refused = await RawClient.open(port);
        const reply = String(await refused.readReply(2000));
        await refused.waitClosed(2000);
        const info = String(await admitted[0].command('INFO', 'stats'));
        seen.push([
          reply,
          String(refused.closed),
          /rejected_connections:(\d+)/.exec(info)?.[1] ?? '',
        ]);
        for (const client of admitted) client.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual(['-ERR max number of clients reached\r\n', 'true', '1']);
    });
  },
);

const rcMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * A server started under a 1000 descriptors limit (soft and hard): its startup log's lines about
 * the limit, without their pid and time, and the maxclients it then runs with.
 */
async function underLowUlimit(
  server: readonly string[],
): Promise<{ lines: string[]; maxclients: string; raised: string }> {
  const port = await freePort();
  const child = spawn(
    'prlimit',
    ['--nofile=1000:1000', ...server, '--port', String(port), '--save', '', '--maxclients', '5000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const startupLog = output;
    const client = await RawClient.open(port);
    const reply = String(await client.command('CONFIG', 'GET', 'maxclients'));
    const raised = String(await client.command('CONFIG', 'SET', 'maxclients', '2000'));
    client.close();
    const lines = startupLog
      .split('\n')
      .filter((line) => /maxclients|file descriptors|open files/.test(line))
      .map((line) => line.replace(/^\d+:M [^#*]+/, ''));
    return { lines, maxclients: reply, raised };
  } finally {
    await stopChild(child);
  }
}

describe.runIf(requireRedisOrSkip('open files limit differential'))(
  'the open files limit at startup, compared with redis-server',
  () => {
    it('reduces maxclients to what the limit holds, with the same warnings, and refuses more', async () => {
      const rc = await underLowUlimit([process.execPath, rcMain]);
      const redis = await underLowUlimit(['redis-server']);
      expect(rc).toEqual(redis);
      expect(rc.maxclients).toBe('*2\r\n$10\r\nmaxclients\r\n$3\r\n968\r\n');
      expect(rc.lines).toHaveLength(3);
      expect(rc.raised).toMatch(/try with 968\r\n$/);
    });
  },
);
