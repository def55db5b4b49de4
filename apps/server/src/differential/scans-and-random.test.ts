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

    it('HSCAN, SSCAN and ZSCAN with COUNT and MATCH together, and their errors', () =>
      servers.compare([
        ['HSET', 'h', 'b1', '1', 'a1', '2', 'a2', '3'],
        ['HSCAN', 'h', '0', 'COUNT', '1'],
        ['HSCAN', 'h', '0', 'COUNT', '100', 'MATCH', 'a*'],
        ['HSCAN', 'h', '0', 'MATCH', '*2', 'COUNT', '2'],
        ['SADD', 'ints', '10', '-3', '7', '100'],
        ['SSCAN', 'ints', '0', 'MATCH', '1*'],
        ['SSCAN', 'ints', '0', 'MATCH', '-*', 'COUNT', '5'],
        ['ZADD', 'z', '2', 'b', '1', 'a', '3', 'ab'],
        ['ZSCAN', 'z', '0', 'COUNT', '1'],
        ['ZSCAN', 'z', '0', 'MATCH', 'a*', 'COUNT', '10'],
        ['HSCAN', 'h', '0', 'COUNT', '0'],
        ['SSCAN', 'ints', '0', 'COUNT', '-1'],
        ['ZSCAN', 'z', '0', 'COUNT', 'x'],
        ['ZSCAN', 'z', '0', 'MATCH'],
        ['HSCAN', 'h', '0', 'TYPE', 'string'],
        ['SSCAN', 'ints', '0', 'NOVALUES'],
        // Cursors are read as strtoul reads them; a small set comes back whole whatever it is.
        ...['', '-1', '+3', '-0', '+', '-', ' 1', '1 ', '0x1', '00000000000000000000001'].map(
          (cursor) => ['SSCAN', 'ints', cursor],
        ),
        ['SSCAN', 'ints', '18446744073709551615'],
        ['SSCAN', 'ints', '18446744073709551616'],
        ['SSCAN', 'ints', '-18446744073709551615'],
        ['SSCAN', 'ints', '-18446744073709551616'],
        ['SCAN', '18446744073709551616'],
        ['SCAN', '1.5'],
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
