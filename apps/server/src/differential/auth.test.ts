import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('auth differential'))(
  'requirepass, compared with redis-server',
  () => {
    const servers = useDifferential([['requirepass', 'secret']]);

    it('refuses commands before AUTH and accepts the right password', () =>
      servers.compare([
        ['GET', 'k'],
        ['NOSUCHCOMMAND'],
        ['AUTH', 'wrong'],
        ['AUTH', 'default', 'wrong'],
        ['HELLO', '3'],
        ['HELLO', '2', 'AUTH', 'default', 'wrong'],
        ['PING'],
        ['AUTH', 'secret'],
        ['SET', 'k', 'v'],
        ['GET', 'k'],
      ]));

    it('HELLO with AUTH authenticates (the reply carries the connection id, so rc alone)', async () => {
      const client = await RawClient.open(servers.rcPort());
      const hello = await client.command('HELLO', '2', 'AUTH', 'default', 'secret');
      expect(hello?.toString()).toMatch(/^\*14\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
      expect((await client.command('ECHO', 'authenticated'))?.toString()).toBe(
        '$13\r\nauthenticated\r\n',
      );
      client.close();
    });
  },
);
