import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './test-support/raw-client.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from './test-support/servers.js';

describe('MONITOR', () => {
  let rc: Awaited<ReturnType<typeof startRc>>;
  beforeAll(async () => {
    rc = await startRc();
  });
  afterAll(() => rc.stop());

  it("echoes other clients' commands, quoted, but not admin commands", async () => {
    const monitor = await RawClient.open(rc.port);
    const client = await RawClient.open(rc.port);
    expect((await monitor.command('MONITOR'))?.toString()).toBe('+OK\r\n');
    await client.command('SET', 'k', 'a "quoted"\nvalue\x01');
    await client.command('CONFIG', 'GET', 'port');
    await client.command('GET', 'k');
    const first = (await monitor.readReply())?.toString('latin1') ?? '';
    const second = (await monitor.readReply())?.toString('latin1') ?? '';
    expect(first).toMatch(
      /^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "a \\"quoted\\"\\nvalue\\x01"\r\n$/,
    );
    expect(second).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "GET" "k"\r\n$/);
    monitor.close();
    client.close();
  });

  it('shows passwords as (redacted), as Redis does', async () => {
    const monitor = await RawClient.open(rc.port);
    const client = await RawClient.open(rc.port);
    await monitor.command('MONITOR');
    await client.command('AUTH', 'user', 'secret');
    await client.command('HELLO', '2', 'AUTH', 'default', 'secret');
    const auth = (await monitor.readReply())?.toString('latin1') ?? '';
    const hello = (await monitor.readReply())?.toString('latin1') ?? '';
    expect(auth).toMatch(/\] "AUTH" "\(redacted\)" "\(redacted\)"\r\n$/);
    expect(hello).toMatch(/\] "HELLO" "2" "AUTH" "\(redacted\)" "\(redacted\)"\r\n$/);
    monitor.close();
    client.close();
  });
});

describe.runIf(requireRedisOrSkip('MONITOR over a unix socket'))(
  'MONITOR lines of unix socket clients, compared with redis-server',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-monitor-'));
    const paths = { rc: join(dir, 'rc.sock'), redis: join(dir, 'redis.sock') };
    let rc: RunningServer;
    let redis: RunningServer;
    beforeAll(async () => {
      rc = await startRc([['unixsocket', paths.rc]]);
      redis = await startRedis(['--unixsocket', paths.redis]);
    }, 30_000);
    afterAll(() => Promise.all([rc?.stop(), redis?.stop()]));

    /** What a monitor sees of one command sent over the server's unix socket. */
    async function lineFor(port: number, path: string): Promise<string> {
      const monitor = await RawClient.open(port);
      const client = await RawClient.openPath(path);
      try {
        await monitor.command('MONITOR');
        await client.command('PING', 'x');
        const line = (await monitor.readReply())?.toString('latin1') ?? '';
        return line.replace(/^\+\d+\.\d{6} /, '+<time> ').replace(path, '<path>');
      } finally {
        monitor.close();
        client.close();
      }
    }

    it('name the socket as unix:<path>, as Redis', async () => {
      const ours = await lineFor(rc.port, paths.rc);
      expect(ours).toBe(await lineFor(redis.port, paths.redis));
      expect(ours).toBe('+<time> [0 unix:<path>] "PING" "x"\r\n');
    });
  },
);
