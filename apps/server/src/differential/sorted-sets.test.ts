import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('sorted sets differential'))(
  'sorted sets, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`ZADD flags, scores and their errors (RESP${protocol})`, () =>
        servers.compare(
          [
            ['ZADD', 'z', '1', 'a', '2', 'b', '1.5', 'c'],
            ['ZADD', 'z', 'NX', '10', 'a', '3', 'd'],
            ['ZADD', 'z', 'XX', 'CH', '10', 'a', '3', 'e'],
            ['ZADD', 'z', 'GT', 'CH', '5', 'a', '20', 'b'],
            ['ZADD', 'z', 'LT', '5', 'a'],
            ['ZADD', 'z', 'INCR', '2.5', 'a'],
            ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
            ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
            ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
            ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
            ['ZADD', 'z', '1'],
            ['ZADD', 'z', 'x', 'a'],
            ['ZADD', 'z', 'nan', 'a'],
            ['ZADD', 'z', 'inf', 'top', '-inf', 'bottom'],
            ['ZADD', 'z', 'INCR', '-inf', 'top'],
            ['ZADD', 'nokey', 'XX', '1', 'a'],
            ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'],
            ['EXISTS', 'nokey'],
            ['ZINCRBY', 'z', '0.1', 'c'],
            ['ZINCRBY', 'z', 'x', 'c'],
            ['ZSCORE', 'z', 'c'],
            ['ZSCORE', 'z', 'none'],
            ['ZMSCORE', 'z', 'a', 'none', 'c'],
            ['ZCARD', 'z'],
            ['ZRANK', 'z', 'c'],
            ['ZREVRANK', 'z', 'c'],
            ['ZRANK', 'z', 'none'],
            ['ZADD', 'big', '10000000000', 'x', '0.1', 'y', '1e-5', 'w', '123456789012345678', 'v'],
            ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'],
            ['SET', 'str', 'x'],
            ['ZADD', 'str', '1', 'a'],
            ['ZSCORE', 'str', 'a'],
          ],
          { protocol },
        ));

      it(`ZRANGE family (RESP${protocol})`, () =>
        servers.compare(
          [
            ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
            ['ZRANGE', 'z', '0', '-1'],
            ['ZRANGE', 'z', '1', '2', 'WITHSCORES'],
            ['ZRANGE', 'z', '0', '-1', 'REV'],
            ['ZRANGE', 'z', '(1', '4', 'BYSCORE', 'LIMIT', '1', '2', 'WITHSCORES'],
            ['ZRANGE', 'z', '4', '(1', 'BYSCORE', 'REV'],
            ['ZRANGE', 'z', '-', '+', 'BYLEX', 'LIMIT', '0', '2'],
            ['ZRANGE', 'z', '[c', '-', 'BYLEX', 'REV'],
            ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
            ['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'],
            ['ZRANGE', 'z', 'x', '1'],
            ['ZRANGE', 'z', 'x', '1', 'BYSCORE'],
            ['ZRANGE', 'z', 'x', '1', 'BYLEX'],
            ['ZRANGE', 'z', '0', '1', 'BOGUS'],
            ['ZREVRANGE', 'z', '0', '1', 'WITHSCORES'],
            ['ZREVRANGE', 'z', '0', '1', 'BYSCORE'],
            ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '1', '-1'],
            ['ZRANGEBYSCORE', 'z', '(2', '(5'],
            ['ZRANGEBYSCORE', 'z', '5', '2'],
            ['ZREVRANGEBYSCORE', 'z', '5', '2', 'LIMIT', '1', '1'],
            ['ZRANGEBYLEX', 'z', '(a', '[c'],
            ['ZREVRANGEBYLEX', 'z', '+', '(c'],
            ['ZRANGEBYLEX', 'z', 'a', 'c'],
            ['ZRANGESTORE', 'dst', 'z', '1', '3'],
            ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
            ['ZRANGESTORE', 'dst', 'z', '10', '20'],
            ['EXISTS', 'dst'],
            ['ZRANGESTORE', 'dst', 'z', '0', '1', 'WITHSCORES'],
            ['ZCOUNT', 'z', '(1', '3'],
            ['ZCOUNT', 'z', 'x', '3'],
            ['ZLEXCOUNT', 'z', '-', '+'],
            ['ZLEXCOUNT', 'z', '[b', '(d'],
            ['ZLEXCOUNT', 'z', 'b', 'd'],
            ['ZRANGE', 'none', '0', '-1'],
          ],
          { protocol },
        ));

      it(`pops, removals and random members (RESP${protocol})`, () =>
        servers.compare(
          [
            ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
            ['ZPOPMIN', 'z'],
            ['ZPOPMAX', 'z', '2'],
            ['ZPOPMIN', 'z', '0'],
            ['ZPOPMIN', 'z', '-1'],
            ['ZPOPMIN', 'none'],
            ['ZMPOP', '1', 'z', 'MIN'],
            ['ZMPOP', '2', 'none', 'z', 'MAX', 'COUNT', '10'],
            ['ZMPOP', '1', 'z', 'MIN'],
            ['ZMPOP', '0', 'z', 'MIN'],
            ['ZMPOP', '1', 'z', 'MIDDLE'],
            ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
            ['ZREM', 'z', 'a', 'none'],
            ['ZREMRANGEBYRANK', 'z', '0', '0'],
            ['ZREMRANGEBYSCORE', 'z', '(3', '+inf'],
            ['ZREMRANGEBYLEX', 'z', '-', '+'],
            ['EXISTS', 'z'],
            ['ZRANDMEMBER', 'none'],
            ['ZRANDMEMBER', 'none', '5', 'WITHSCORES'],
            ['ZADD', 'one', '7', 'only'],
            ['ZRANDMEMBER', 'one', '-2', 'WITHSCORES'],
            ['ZRANDMEMBER', 'one', '1', 'BOGUS'],
            ['BZPOPMIN', 'one', '0'],
            ['BZPOPMAX', 'none', '0.01'],
            ['BZMPOP', '0.01', '1', 'none', 'MIN'],
          ],
          { protocol },
        ));

      it(`ZUNION, ZINTER, ZDIFF and STORE forms (RESP${protocol})`, () =>
        servers.compare(
          [
            ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
            ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'],
            ['SADD', 's', 'x', 'w'],
            ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
            [
              'ZUNION',
              '3',
              'a',
              'b',
              's',
              'WEIGHTS',
              '1',
              '2',
              '3',
              'AGGREGATE',
              'MAX',
              'WITHSCORES',
            ],
            ['ZINTER', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
            ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
            ['ZUNIONSTORE', 'dst', '2', 'a', 'b'],
            ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
            ['ZINTERSTORE', 'dst', '2', 'a', 'none'],
            ['EXISTS', 'dst'],
            ['ZDIFFSTORE', 'dst', '1', 'a'],
            ['ZINTERCARD', '2', 'a', 'b'],
            ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
            ['ZINTERCARD', '0', 'a'],
            ['ZUNION', '0', 'a'],
            ['ZUNIONSTORE', 'dst', '0', 'a'],
            ['ZUNION', '3', 'a'],
            ['ZUNION', '1', 'a', 'WEIGHTS', 'x'],
            ['ZUNION', '1', 'a', 'AGGREGATE', 'AVG'],
            ['ZDIFF', '1', 'a', 'WEIGHTS', '1'],
            ['ZADD', 'inf', 'inf', 'm'],
            ['ZADD', 'ninf', '-inf', 'm'],
            ['ZUNION', '2', 'inf', 'ninf', 'WITHSCORES'],
            ['SET', 'str', 'x'],
            ['ZUNION', '2', 'a', 'str'],
          ],
          { protocol },
        ));
    }

    it('ZSCAN returns members with %.17g scores', () =>
      servers.compare([
        ['ZADD', 'z', '1', 'a', '0.1', 'b', '9.8813129168249309e-323', 'c'],
        ['ZSCAN', 'z', '0', 'MATCH', 'c'],
        ['ZSCAN', 'z', 'x'],
      ]));
  },
);
