import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons, type Daemon as StartedDaemon } from '../test-support/daemon.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { freePort } from '../test-support/servers.js';

interface Daemon extends StartedDaemon {
  readonly port: number;
}

afterEach(stopDaemons);

/** rc with appendonly yes on a free port; fails the test if it does not start. */
async function daemon(dir: string, extra: string[] = []): Promise<Daemon> {
  const port = await freePort();
  const args = ['--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'yes'];
  const started = await startDaemon([...args, ...extra]);
  if (!started.output().includes('Ready to accept connections')) {
    throw new Error(`rc-server did not start: ${started.output()}`);
  }
  return { ...started, port };
}

/**
 * Several pipelining writers INCR their own counter and record every acknowledged value;
 * the daemon is killed with SIGKILL in the middle. Returns the highest acknowledged value per
 * counter and when each was acknowledged.
 */
async function loadThenKill(
  server: Daemon,
  runMs: number,
): Promise<Array<{ acknowledged: number; at: number[] }>> {
  const writers = 4;
  const results = Array.from({ length: writers }, () => ({ acknowledged: 0, at: [] as number[] }));
  let running = true;
  const work = results.map(async (result, index) => {
    const client = await RawClient.open(server.port);
    while (running) {
      const batch = Buffer.concat(
        Array.from({ length: 8 }, () => encodeCommand(['INCR', `counter:${index}`])),
      );
      client.write(batch);
      for (let i = 0; i < 8; i++) {
        const reply = await client.readReply(1000);
        if (reply === null) return;
        result.acknowledged = Number(reply.toString().slice(1));
        result.at.push(Date.now());
      }
    }
    client.close();
  });
  await new Promise((resolve) => setTimeout(resolve, runMs));
  await stopChild(server.child);
  running = false;
  await Promise.all(work);
  return results;
}

async function counters(port: number, count: number): Promise<number[]> {
  const client = await RawClient.open(port);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = (await client.command('GET', `counter:${i}`))?.toString() ?? '';
    const text = reply.split('\r\n')[1];
    values.push(reply.startsWith('$-1') ? 0 : Number(text));
  }
  client.close();
  return values;
}

describe('crash safety of the append-only file (kill -9 under load)', () => {
  it('appendfsync always: every acknowledged write survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-crash-'));
    const first = await daemon(dir, ['--appendfsync', 'always']);
    const results = await loadThenKill(first, 1500);
    const total = results.reduce((sum, result) => sum + result.acknowledged, 0);
    expect(total).toBeGreaterThan(100);
    const second = await daemon(dir, ['--appendfsync', 'always']);
    const restored = await counters(second.port, results.length);
    await stopChild(second.child);
    for (let i = 0; i < results.length; i++) {
      // At least what was acknowledged; at most the batch in flight when the process died.
      expect(restored[i]).toBeGreaterThanOrEqual(results[i].acknowledged);
      expect(restored[i]).toBeLessThanOrEqual(results[i].acknowledged + 8);
    }
  }, 30_000);

  it('appendfsync everysec: at most about a second of acknowledged writes is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-crash-'));
    const first = await daemon(dir, ['--appendfsync', 'everysec']);
    const results = await loadThenKill(first, 2500);
    const second = await daemon(dir);
    const restored = await counters(second.port, results.length);
    await stopChild(second.child);
    for (let i = 0; i < results.length; i++) {
      const { acknowledged, at } = results[i];
      expect(restored[i]).toBeLessThanOrEqual(acknowledged + 8);
      // kill -9 of the process (not the machine) keeps what was written to the page cache,
      // so normally nothing is lost; the bound is the policy's: the last ~second.
      const lostSince = restored[i] >= acknowledged ? Infinity : at[restored[i]];
      expect(at[at.length - 1] - lostSince).toBeLessThanOrEqual(2000);
    }
  }, 30_000);

  it('a truncated increment loads its valid prefix with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-crash-'));
    const first = await daemon(dir, ['--appendfsync', 'always']);
    const client = await RawClient.open(first.port);
    await client.command('SET', 'kept', '1');
    await client.command('SET', 'torn', '2');
    client.close();
    await stopChild(first.child);
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const bytes = readFileSync(incr);
    writeFileSync(incr, bytes.subarray(0, bytes.length - 5));
    const second = await daemon(dir);
    const reader = await RawClient.open(second.port);
    expect((await reader.command('MGET', 'kept', 'torn'))?.toString()).toBe(
      '*2\r\n$1\r\n1\r\n$-1\r\n',
    );
    reader.close();
    await stopChild(second.child);
    expect(second.output()).toContain('!!! Warning: short read while loading the AOF file');
    expect(second.output()).toContain('loaded anyway because aof-load-truncated is enabled');
  }, 30_000);
});
