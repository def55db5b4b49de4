import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import { RcServer } from '../server.js';
import { RawClient } from '../test-support/raw-client.js';
import { info } from './test-support/harness.js';

/**
 * SHUTDOWN on a master with a replica that has not acknowledged its whole stream (Redis's
 * prepareForShutdown): the replica here is a raw connection that acknowledges only when told.
 */
const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

async function master(config: Array<[string, string]> = []) {
  const lines: string[] = [];
  let exited = false;
  const server = new RcServer({
    config: [['save', ''], ['dir', mkdtempSync(join(tmpdir(), 'rc-repl-'))], ...config],
    log: (_level, message) => lines.push(message),
    onShutdown: () => {
      exited = true;
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  running.push(() => server.close());
  return { server, port, lines, exited: () => exited };
}

/** A replica that took the full sync and stays silent until `ack`. */
async function silentReplica(port: number) {
  const replica = await RawClient.open(port);
  running.push(async () => replica.close());
  await replica.command('REPLCONF', 'listening-port', '7777');
  replica.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
  await replica.readUntilQuiet();
  const ack = async (): Promise<void> => {
    const offset = (await info(port)).master_repl_offset;
    replica.write(`*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$${offset.length}\r\n${offset}\r\n`);
  };
  await ack();
  return { ack };
}

describe('SHUTDOWN with a lagging replica', () => {
  it('waits with writes paused; SHUTDOWN ABORT fails every caller and writes resume', async () => {
    const { port, lines, exited } = await master();
    await silentReplica(port);
    const client = await RawClient.open(port);
    running.push(async () => client.close());
    expect((await client.command('SET', 'k', '1'))?.toString()).toBe('+OK\r\n');
    const first = await RawClient.open(port);
    const second = await RawClient.open(port);
    running.push(
      async () => first.close(),
      async () => second.close(),
    );
    first.write('SHUTDOWN\r\n');
    second.write('SHUTDOWN\r\n');
    await until(async () => (await info(port, 'clients')).blocked_clients === '2', 'both blocked');
    expect(Number((await info(port, 'server')).shutdown_in_milliseconds)).toBeGreaterThan(0);
    expect(lines).toContain('Waiting for replicas before shutting down.');
    // Writes wait for the shutdown to end.
    client.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n2\r\n');
    expect(await client.readReply(200)).toBeNull();
    const admin = await RawClient.open(port);
    running.push(async () => admin.close());
    expect((await admin.command('SHUTDOWN', 'ABORT'))?.toString()).toBe('+OK\r\n');
    const failed = '-ERR Errors trying to SHUTDOWN. Check logs.\r\n';
    expect((await first.readReply())?.toString()).toBe(failed);
    expect((await second.readReply())?.toString()).toBe(failed);
    expect((await client.readReply())?.toString()).toBe('+OK\r\n');
    expect(lines).toContain('Shutdown manually aborted.');
    expect((await info(port, 'server')).shutdown_in_milliseconds).toBeUndefined();
    expect((await admin.command('SHUTDOWN', 'ABORT'))?.toString()).toBe(
      '-ERR No shutdown in progress.\r\n',
    );
    expect(exited()).toBe(false);
  });

  it('exits once the replica acknowledged the whole stream', async () => {
    const { port, lines, exited } = await master([['hz', '100']]);
    const replica = await silentReplica(port);
    const client = await RawClient.open(port);
    running.push(async () => client.close());
    await client.command('INCR', 'k');
    client.write('SHUTDOWN\r\n');
    await until(async () => lines.includes('Waiting for replicas before shutting down.'), 'wait');
    expect(exited()).toBe(false);
    await replica.ack();
    await until(() => exited(), 'exit');
    expect(lines).toContain('1 of 1 replicas are in sync when shutting down.');
    expect(lines.some((line) => line.startsWith('Lagging replica'))).toBe(false);
  });

  it('exits at shutdown-timeout, logging the replica that still lags', async () => {
    const { port, lines, exited } = await master([['shutdown-timeout', '1']]);
    await silentReplica(port);
    const client = await RawClient.open(port);
    running.push(async () => client.close());
    await client.command('INCR', 'k');
    client.write('SHUTDOWN\r\n');
    await until(() => exited(), 'exit after the timeout', 10_000);
    expect(lines).toContain('0 of 1 replicas are in sync when shutting down.');
    expect(lines.find((line) => line.startsWith('Lagging replica'))).toMatch(
      /^Lagging replica 127\.0\.0\.1:7777 reported offset \d+ behind master, lag=\d+, state=online\.$/,
    );
  });

  it('does not wait with NOW, nor with shutdown-timeout 0', async () => {
    const cases: Array<[Array<[string, string]>, string]> = [
      [[], 'SHUTDOWN NOW'],
      [[['shutdown-timeout', '0']], 'SHUTDOWN'],
    ];
    for (const [config, command] of cases) {
      const { port, lines, exited } = await master(config);
      await silentReplica(port);
      const client = await RawClient.open(port);
      running.push(async () => client.close());
      await client.command('INCR', 'k');
      client.write(`${command}\r\n`);
      await until(() => exited(), 'exit');
      expect(lines).not.toContain('Waiting for replicas before shutting down.');
      expect(lines).toContain('0 of 1 replicas are in sync when shutting down.');
    }
  });
});
