import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/**
 * maxmemory 1 puts both servers over the limit whatever they hold, so what is refused and what
 * is evicted does not depend on how each measures its memory.
 */
describe.runIf(requireRedisOrSkip('maxmemory differential'))(
  'maxmemory, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('noeviction refuses what may grow memory, in MULTI everything; scripts by their flags', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['SET', 'b', '2'],
        ['GET', 'a'],
        ['DEL', 'a'],
        ['INCR', 'n'],
        ['MULTI'],
        ['GET', 'a'],
        ['EXEC'],
        ['MULTI'],
        ['DISCARD'],
        ['EVAL', "return redis.call('set','x','y')", '1', 'x'],
        ['EVAL', "return redis.call('get','x')", '0'],
        ['EVAL', '#!lua\nreturn 1', '0'],
        ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'],
        ['EVAL', "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", '1', 'x'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['SET', 'b', '2'],
        ['DBSIZE'],
      ]));

    it("a script's refused command counts as rejected, not as the script's failure", () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['CONFIG', 'RESETSTAT'],
        ['EVAL', "local t = redis.pcall('set','x','y') return t['err']", '1', 'x'],
        ['EVAL', "return redis.pcall('set','x','y')", '1', 'x'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        {
          command: ['INFO', 'commandstats'],
          // Calls and outcomes only: the microseconds differ by nature, the order too.
          normalize: (reply) =>
            reply
              .split('\r\n')
              .filter((line) => /^cmdstat_(eval|set):/.test(line))
              .map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
              // Redis lists them in its dict's (random) order.
              .sort()
              .join('\n'),
        },
      ]));

    it('an eviction policy evicts every key it may, then refuses', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['SET', 'v', '1', 'EX', '100'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru'],
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['SET', 'b', '2'],
        ['EXISTS', 'a', 'v'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
        ['SET', 'c', '3'],
        ['DBSIZE'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ]));

    it('OBJECT FREQ under an LFU policy, RESTORE ... FREQ', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['OBJECT', 'FREQ', 'a'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
        // Not a small integer: Redis would share one object (and its counter) for those.
        ['SET', 'b', 'value'],
        ['OBJECT', 'FREQ', 'b'],
        [
          'RESTORE',
          'c',
          '0',
          '\u0000\u00c0\u0001\n\u0000&x\u00e7\u00b6\u00d1\u0001\u0011\u00fc',
          'FREQ',
          '100',
        ],
        ['OBJECT', 'FREQ', 'c'],
        ['OBJECT', 'IDLETIME', 'c'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ]));

    it('EXEC re-checks memory: maxmemory lowered after queuing aborts a transaction that may grow it', () =>
      servers.compare([
        ['MULTI'],
        ['SET', 'a', '1'],
        { other: ['CONFIG', 'SET', 'maxmemory', '1'] },
        ['EXEC'],
        ['MULTI'],
        ['GET', 'a'],
        ['EXEC'],
        { other: ['CONFIG', 'SET', 'maxmemory', '0'] },
        ['DBSIZE'],
      ]));

    it('CONFIG SET maxmemory evicts right away, though no command follows (a subscriber sees it)', () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
        ['CONFIG', 'SET', 'notify-keyspace-events', 'Ee'],
        ['SET', 'a', '1'],
        ['SUBSCRIBE', '__keyevent@0__:evicted'],
        { other: ['CONFIG', 'SET', 'maxmemory', '1'] },
        { raw: '', replies: 1 },
        { other: ['CONFIG', 'SET', 'maxmemory', '0'] },
        { other: ['CONFIG', 'SET', 'notify-keyspace-events', ''] },
        { other: ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'] },
        { other: ['DBSIZE'] },
      ]));
  },
);
