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

    it('closes an unauthenticated client sending more than 10 arguments', () =>
      servers.compare([{ raw: '*100\r\n', replies: 1 }]));

    it('closes an unauthenticated client announcing a bulk over 16 KB', () =>
      servers.compare([{ raw: '*1\r\n$100000000\r\n', replies: 1 }]));

    it('lifts the limits once authenticated', () =>
      servers.compare([
        ['AUTH', 'secret'],
        ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f', '6'],
        ['SET', 'big', 'x'.repeat(20000)],
        ['STRLEN', 'big'],
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
