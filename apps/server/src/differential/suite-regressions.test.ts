import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Cases first found by the official Redis test suite, kept here so they stay fixed.
describe.runIf(requireRedisOrSkip('suite regressions differential'))(
  'regressions found by the Redis test suite, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`LCS (RESP${protocol})`, () =>
        servers.compare(
          [
            ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'],
            ['LCS', 'a', 'b'],
            ['LCS', 'a', 'b', 'LEN'],
            ['LCS', 'a', 'b', 'IDX'],
            ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
            ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
            ['LCS', 'a', 'b', 'IDX', 'LEN'],
            ['LCS', 'a', 'b', 'BOGUS'],
            ['LCS', 'a', 'none'],
            ['RPUSH', 'l', 'x'],
            ['LCS', 'a', 'l'],
          ],
          { protocol },
        ));
    }

    it('EXPIRE overflow checks and combined conditions', () =>
      servers.compare([
        ['SET', 'foo', 'bar'],
        ['EXPIRE', 'foo', '-9223372036854776'],
        ['EXPIRE', 'foo', '9223372036854776'],
        ['PEXPIREAT', 'foo', '9223372036854770000'],
        ['PERSIST', 'foo'],
        ['EXPIRE', 'foo', '200', 'LT', 'XX'],
        ['EXPIRE', 'foo', '200', 'GT', 'XX'],
        ['EXPIRE', 'foo', '100'],
        ['EXPIRE', 'foo', '200', 'LT', 'XX'],
        ['EXPIRE', 'foo', '50', 'LT', 'XX'],
        ['SET', 'foo', 'bar', 'EX', '9223372036854775'],
        ['SET', 'foo', 'bar', 'PX', '9223372036854775807'],
      ]));

    it('numkeys, count and LIMIT errors', () =>
      servers.compare([
        ['SADD', 's', 'a'],
        ['SINTERCARD', 'a', 's'],
        ['SINTERCARD', '0', 's'],
        ['SINTERCARD', '1', 's', 'LIMIT', 'x'],
        ['LMPOP', 'x', 'l', 'LEFT'],
        ['LMPOP', '1', 'l', 'LEFT', 'COUNT', 'x'],
        ['SRANDMEMBER', 's', '-9223372036854775808'],
        ['SRANDMEMBER', 's', 'x'],
        ['HSET', 'h', 'f', 'v'],
        ['HRANDFIELD', 'h', '-9223372036854775808'],
        ['HRANDFIELD', 'h', '-9223372036854775808', 'WITHVALUES'],
        ['HINCRBYFLOAT', 'h', 'n', '+inf'],
        ['HINCRBYFLOAT', 'h', 'n', 'x'],
      ]));

    it('CONFIG SET validates typed values; transactions reject no-multi commands', () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory', 'bla'],
        ['CONFIG', 'SET', 'appendonly', 'maybe'],
        ['CONFIG', 'SET', 'hz', 'x'],
        ['CONFIG', 'SET', 'databases', '4'],
        ['CONFIG', 'SET', 'maxmemory', '10mb'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['MULTI'],
        ['SHUTDOWN'],
        ['EXEC'],
        ['MEMORY', 'USAGE', 'none'],
        ['MEMORY', 'USAGE', 'none', 'SAMPLES'],
      ]));
  },
);
