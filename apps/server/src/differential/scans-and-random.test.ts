import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Deterministic corners of commands whose general output is random or order-free.
describe.runIf(requireRedisOrSkip('scan and random-member differential'))(
  'scans of small collections and single-choice random commands, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('HSCAN, SSCAN and ZSCAN return small collections whole, in stored order', () =>
      servers.compare([
        ['HSET', 'h', 'b', '1', 'a', '2', 'c', '3'],
        ['HSCAN', 'h', '0'],
        ['HSCAN', 'h', '0', 'MATCH', 'a*'],
        ['SADD', 'ints', '10', '-3', '7'],
        ['SSCAN', 'ints', '0'],
        ['SSCAN', 'ints', '0', 'COUNT', '1'],
        ['ZADD', 'z', '2', 'b', '1', 'a'],
        ['ZSCAN', 'z', '0'],
        ['HSCAN', 'none', '0'],
        ['SSCAN', 'h', '0'],
        ['HSCAN', 'h', 'x'],
        ['OBJECT', 'ENCODING', 'h'],
        ['OBJECT', 'ENCODING', 'ints'],
        ['OBJECT', 'ENCODING', 'z'],
        ['SADD', 'words', 'x'],
        ['OBJECT', 'ENCODING', 'words'],
      ]));

    it('random commands when only one answer is possible', () =>
      servers.compare([
        ['RANDOMKEY'],
        ['SET', 'only', 'v'],
        ['RANDOMKEY'],
        ['SADD', 's', 'm'],
        ['SRANDMEMBER', 's'],
        ['SRANDMEMBER', 's', '3'],
        ['SRANDMEMBER', 's', '-2'],
        ['HSET', 'h', 'f', 'v'],
        ['HRANDFIELD', 'h'],
        ['HRANDFIELD', 'h', '-2', 'WITHVALUES'],
        ['ZADD', 'z', '1.5', 'm'],
        ['ZRANDMEMBER', 'z', '1', 'WITHSCORES'],
        ['SPOP', 's'],
        ['EXISTS', 's'],
      ]));
  },
);
