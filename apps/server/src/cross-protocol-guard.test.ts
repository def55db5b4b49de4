import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isHttpRequestWord } from './cross-protocol-guard.js';
import { RcServer } from './server.js';
import { RawClient } from './test-support/raw-client.js';

describe('isHttpRequestWord', () => {
  it('is POST and Host: in any case, nothing longer or shorter', () => {
    for (const word of ['POST', 'post', 'pOsT', 'Host:', 'HOST:', 'host:']) {
      expect(isHttpRequestWord(word)).toBe(true);
    }
    for (const word of ['GET', 'POSTS', 'HOST', 'Host', 'host::', 'PUT', '']) {
      expect(isHttpRequestWord(word)).toBe(false);
    }
  });
});

describe('an HTTP request sent to rc', () => {
  let server: RcServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('closes each such connection and logs the attack once a minute at most', async () => {
    const lines: string[] = [];
    server = new RcServer({
      config: [
        ['save', ''],
        ['dir', mkdtempSync(join(tmpdir(), 'rc-guard-'))],
      ],
      log: (level, message) => lines.push(`${level} ${message}`),
    });
    const port = await server.listen(0, '127.0.0.1');
    for (const request of ['POST / HTTP/1.1\r\n', 'GET / HTTP/1.1\r\nHost: rc\r\n']) {
      const client = await RawClient.open(port);
      client.write(request);
      expect(await client.waitClosed(5000)).toBe(true);
      expect(client.unread()).toBe('');
    }
    expect(lines.filter((line) => line.includes('SECURITY ATTACK'))).toEqual([
      'warning Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
    ]);
  });
});
