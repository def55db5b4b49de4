import { until } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Only explicit IDs: "*" depends on each server's clock.
describe.runIf(requireRedisOrSkip('streams differential'))(
  'streams, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`XADD IDs, XRANGE and XREVRANGE (RESP${protocol})`, () =>
        servers.compare(
          [
            ['XADD', 's', '1-1', 'a', '1'],
            ['XADD', 's', '1-1', 'a', '2'],
            ['XADD', 's', '1-*', 'b', '2', 'c', '3'],
            ['XADD', 's', '0-1', 'a', '1'],
            ['XADD', 's', '5', 'a', '1'],
            ['XADD', 's', '5-x', 'a', '1'],
            ['XADD', 's', '7-1', 'a'],
            ['XADD', 'new', '0-0', 'a', '1'],
            ['XADD', 'new', '0-*', 'a', '1'],
            ['XADD', 'none', 'NOMKSTREAM', '1-1', 'a', '1'],
            ['EXISTS', 'none'],
            ['XADD', 'max', '18446744073709551615-18446744073709551615', 'a', '1'],
            ['XADD', 'max', '*', 'a', '1'],
            ['XLEN', 's'],
            ['XRANGE', 's', '-', '+'],
            ['XRANGE', 's', '1', '1'],
            ['XRANGE', 's', '(1-1', '+', 'COUNT', '1'],
            ['XRANGE', 's', '-', '(5-0'],
            ['XRANGE', 's', '-', '+', 'COUNT', '0'],
            ['XRANGE', 's', '-', '+', 'COUNT', '-1'],
            ['XRANGE', 's', '(-', '+'],
            ['XRANGE', 's', 'x', '+'],
            ['XRANGE', 's', '-', '+', 'BOGUS'],
            ['XRANGE', 'none', '-', '+'],
            ['XREVRANGE', 's', '+', '-', 'COUNT', '2'],
            ['XREVRANGE', 's', '5', '1'],
            ['SET', 'str', 'x'],
            ['XADD', 'str', '1-1', 'a', '1'],
            ['XRANGE', 'str', '-', '+'],
            ['TYPE', 's'],
            // A refused XADD leaves an empty stream (made by MKSTREAM) in place.
            ['XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM'],
            ['XSETID', 'empty', '5'],
            ['XADD', 'empty', '2', 'a', '1'],
            ['EXISTS', 'empty'],
            // A key named twice is read twice, each after its own id.
            ['XREAD', 'STREAMS', 's', 's', '1', '7-1'],
            ['XREAD', 'STREAMS', 's', 's', '7-1', '1'],
            ['XREAD', 'COUNT', '1', 'STREAMS', 's', 's', '0', '0'],
          ],
          { protocol },
        ));
    }

    it('XDEL, XTRIM, trimming XADD and XSETID', () =>
      servers.compare([
        ['XADD', 's', '1-0', 'a', '1'],
        ['XADD', 's', '2-0', 'a', '2'],
        ['XADD', 's', '3-0', 'a', '3'],
        ['XADD', 's', '4-0', 'a', '4'],
        ['XDEL', 's', '2-0', '9-9'],
        ['XDEL', 's', 'x'],
        ['XLEN', 's'],
        ['XTRIM', 's', 'MAXLEN', '2'],
        ['XRANGE', 's', '-', '+'],
        ['XTRIM', 's', 'MINID', '4'],
        ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '10'],
        ['XTRIM', 's', 'MAXLEN', '0', 'LIMIT', '10'],
        ['XTRIM', 's', 'MAXLEN', '-1'],
        ['XTRIM', 's', 'BOGUS'],
        ['XTRIM', 's'],
        ['XADD', 's', 'MAXLEN', '1', '5-0', 'a', '5'],
        ['XRANGE', 's', '-', '+'],
        ['XADD', 's', 'MINID', '6', '6-0', 'a', '6'],
        ['XADD', 's', 'LIMIT', '5', '7-0', 'a', '7'],
        ['XSETID', 's', '100-0'],
        ['XADD', 's', '50-0', 'a', '1'],
        ['XSETID', 's', '1-0'],
        ['XSETID', 's', '200-0', 'ENTRIESADDED', '0'],
        ['XSETID', 's', '200-0', 'MAXDELETEDID', '300-0'],
        ['XSETID', 'none', '1-0'],
        ['DEL', 's'],
      ]));

    it('XTRIM and XADD with = thresholds, MINID ranges and LIMIT rules', () =>
      servers.compare([
        ...['1-0', '2-0', '3-0', '4-0', '5-0', '6-0'].map((id) => ['XADD', 's', id, 'f', 'v']),
        ['XTRIM', 's', 'MAXLEN', '=', '5'],
        ['XTRIM', 's', 'MINID', '=', '3-0'],
        ['XRANGE', 's', '-', '+'],
        ['XTRIM', 's', 'MINID', '=', '9'],
        ['XLEN', 's'],
        ['XTRIM', 's', 'MAXLEN', '=', '1', 'LIMIT', '10'],
        ['XTRIM', 's', 'MINID', '~', '1', 'LIMIT', '-1'],
        ['XTRIM', 's', 'MINID', 'x'],
        ['XTRIM', 's', 'MAXLEN', '~'],
        ['XTRIM', 'none', 'MAXLEN', '0'],
        ['XADD', 't', 'MAXLEN', '=', '2', '1-0', 'f', 'v'],
        ['XADD', 't', 'MAXLEN', '=', '1', '2-0', 'f', 'v'],
        ['XADD', 't', 'MINID', '=', '3', '3-0', 'f', 'v'],
        ['XRANGE', 't', '-', '+'],
        ['XADD', 't', 'MAXLEN', '~', '1', 'LIMIT', '0', '4-0', 'f', 'v'],
        ['XADD', 't', 'MAXLEN', '1', 'LIMIT', '5', '5-0', 'f', 'v'],
        ['XADD', 't', 'NOMKSTREAM', 'MAXLEN', '=', '1', '6-0', 'f', 'v'],
        ['XADD', 'none', 'NOMKSTREAM', 'MINID', '1', '*', 'f', 'v'],
        ['XLEN', 't'],
      ]));

    for (const protocol of [2, 3] as const) {
      it(`XREAD without blocking (RESP${protocol})`, () =>
        servers.compare(
          [
            ['XADD', 'a', '1-0', 'f', '1'],
            ['XADD', 'a', '2-0', 'f', '2'],
            ['XADD', 'b', '1-0', 'g', '1'],
            ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
            ['XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '1-0', '5'],
            ['XREAD', 'STREAMS', 'a', '$'],
            ['XREAD', 'STREAMS', 'a', 'b', '0'],
            ['XREAD', 'STREAMS', 'a', '>'],
            ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'],
            ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'],
            ['XREAD', 'COUNT', '1'],
            ['XREAD', 'BLOCK', '10', 'STREAMS', 'a', '$'],
            ['MULTI'],
            ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$'],
            ['EXEC'],
          ],
          { protocol },
        ));
    }

    for (const protocol of [2, 3] as const) {
      it(`XINFO STREAM, with FULL (RESP${protocol})`, () =>
        servers.compare(
          [
            ['XADD', 'x', '1-0', 'a', '1'],
            ['XADD', 'x', '2-0', 'b', '2'],
            ['XINFO', 'STREAM', 'x'],
            ['XINFO', 'STREAM', 'x', 'FULL', 'COUNT', '1'],
            ...Array.from({ length: 12 }, (_, i) => ['XADD', 'y', `${i + 1}-0`, 'f', 'v']),
            ['XINFO', 'STREAM', 'y', 'FULL', 'COUNT', '-1'],
            ['XINFO', 'STREAM', 'y', 'FULL', 'COUNT', '0'],
            ['XINFO', 'STREAM', 'y', 'FULL', 'COUNT', '11'],
            ['XINFO', 'STREAM', 'y', 'FULL', 'COUNT'],
            ['XINFO', 'STREAM', 'y', 'FULL', 'LIMIT', '1'],
            ['XINFO', 'STREAM', 'y', 'FULL', 'COUNT', '1', 'x'],
            ['XINFO', 'STREAM', 'none', 'FULL', 'COUNT', 'x'],
            ['XDEL', 'x', '1-0', '2-0'],
            ['XINFO', 'STREAM', 'x'],
            ['XINFO', 'STREAM', 'x', 'FULL'],
            ['XINFO', 'STREAM', 'none'],
            ['XINFO', 'STREAM', 'x', 'BOGUS'],
            ['XINFO', 'GROUPS', 'x'],
            ['XINFO', 'HELP', 'extra'],
            ['XGROUP', 'HELP', 'extra'],
          ],
          { protocol },
        ));
    }

    async function blockedRead(port: number): Promise<string[]> {
      const reader = await RawClient.open(port);
      const writer = await RawClient.open(port);
      await writer.command('DEL', 'bs');
      await writer.command('XADD', 'bs', '1-0', 'f', 'old');
      reader.write(
        '*6\r\n$5\r\nXREAD\r\n$5\r\nBLOCK\r\n$1\r\n0\r\n$7\r\nSTREAMS\r\n$2\r\nbs\r\n$1\r\n$\r\n',
      );
      await until(
        async () => (await writer.command('INFO', 'clients'))?.includes('blocked_clients:1\r\n'),
        'XREAD to block',
      );
      const added = await writer.command('XADD', 'bs', '2-0', 'f', 'new');
      const served = await reader.readReply();
      reader.close();
      writer.close();
      return [added, served].map((reply) => reply?.toString('latin1') ?? 'none');
    }

    it('XREAD BLOCK is woken by XADD', async () => {
      expect(await blockedRead(servers.rcPort())).toEqual(await blockedRead(servers.redisPort()));
    });
  },
);
