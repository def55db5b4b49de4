import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons } from './test-support/daemon.js';
import { RawClient } from './test-support/raw-client.js';
import { freePort } from './test-support/servers.js';

/** The process's resident set size in bytes, from /proc. */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return Number(kilobytes) * 1024;
}

afterEach(stopDaemons);

describe('requests before AUTH', () => {
  it('are refused past the small limits without buffering what they announce', async () => {
    const port = await freePort();
    const daemon = await startDaemon(['--port', String(port), '--requirepass', 'secret']);
    const pid = daemon.child.pid ?? 0;
    const before = residentBytes(pid);
    // Four connections announce 400 MB arguments; each gets its error, then is closed however
    // much it goes on sending. (Bytes sent before the error would reach a closed socket and reset
    // the connection before the client read the reply, with Redis too.)
    const chunk = Buffer.alloc(1 << 20, 'x');
    const headers = [
      '*1\r\n$400000000\r\n',
      '*1\r\n$400000000\r\n',
      '*2\r\n$3\r\nSET\r\n$400000000\r\n',
      '*99999\r\n',
    ];
    const replies = await Promise.all(
      headers.map(async (header) => {
        const client = await RawClient.open(port);
        client.write(header);
        const reply = (await client.readReply(5000))?.toString('latin1');
        for (let i = 0; i < 100 && !client.closed; i++) {
          client.write(chunk);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await client.waitClosed(5000);
        const closed = client.closed;
        client.close();
        return { reply, closed };
      }),
    );
    expect(replies).toEqual([
      { reply: '-ERR Protocol error: unauthenticated bulk length\r\n', closed: true },
      { reply: '-ERR Protocol error: unauthenticated bulk length\r\n', closed: true },
      { reply: '-ERR Protocol error: unauthenticated bulk length\r\n', closed: true },
      { reply: '-ERR Protocol error: unauthenticated multibulk length\r\n', closed: true },
    ]);
    expect(residentBytes(pid) - before).toBeLessThan(50 * 1024 * 1024);
    // The server still serves whoever logs in.
    const client = await RawClient.open(port);
    expect((await client.command('AUTH', 'secret'))?.toString()).toBe('+OK\r\n');
    client.close();
  });
});
