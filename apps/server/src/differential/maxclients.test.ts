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
