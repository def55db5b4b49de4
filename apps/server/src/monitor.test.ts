import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './test-support/raw-client.js';
import { startRc } from './test-support/servers.js';

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
