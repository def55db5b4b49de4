import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Multi-element replies of unordered types are compared only where Redis's order is fixed
// (single elements, or small hashes whose listpack keeps insertion order).
describe.runIf(requireRedisOrSkip('hash and set differential'))(
  'hashes and sets, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`hash commands (RESP${protocol})`, () =>
        servers.compare(
          [
            ['HSET', 'h', 'a', '1', 'b', '2'],
            ['HSET', 'h', 'a'],
            ['HMSET', 'h', 'c', '3'],
            ['HGET', 'h', 'a'],
            ['HGET', 'h', 'zz'],
            ['HMGET', 'h', 'a', 'zz', 'c'],
            ['HGETALL', 'h'],
            ['HKEYS', 'h'],
            ['HVALS', 'h'],
            ['HLEN', 'h'],
            ['HEXISTS', 'h', 'b'],
            ['HSTRLEN', 'h', 'c'],
            ['HSETNX', 'h', 'a', 'x'],
            ['HSETNX', 'h', 'd', 'x'],
            ['HINCRBY', 'h', 'a', '10'],
            ['HINCRBY', 'h', 'd', '1'],
            ['HINCRBY', 'h', 'a', 'x'],
            ['HINCRBYFLOAT', 'h', 'f', '1.5'],
            ['HINCRBYFLOAT', 'h', 'd', '1'],
            ['HDEL', 'h', 'a', 'b', 'zz'],
            ['HGETALL', 'none'],
            ['HRANDFIELD', 'none'],
            ['HRANDFIELD', 'none', '3'],
            ['SET', 's', 'x'],
            ['HGET', 's', 'a'],
            ['HDEL', 'h', 'c', 'd', 'f'],
            ['EXISTS', 'h'],
          ],
          { protocol },
        ));

      it(`set commands (RESP${protocol})`, () =>
        servers.compare(
          [
            ['SADD', 's', 'a', 'b', 'a'],
            ['SADD', 't', 'b', 'c'],
            ['SCARD', 's'],
            ['SISMEMBER', 's', 'a'],
            ['SMISMEMBER', 's', 'a', 'z'],
            ['SINTER', 's', 't'],
            ['SINTER', 's', 'none'],
            ['SDIFF', 't', 's'],
            ['SINTERSTORE', 'dst', 's', 't'],
            ['SMEMBERS', 'dst'],
            ['SDIFFSTORE', 'dst', 'none', 's'],
            ['EXISTS', 'dst'],
            ['SINTERCARD', '2', 's', 't'],
            ['SINTERCARD', '2', 's', 't', 'LIMIT', '1'],
            ['SINTERCARD', '0', 's'],
            ['SINTERCARD', '3', 's'],
            ['SINTERCARD', '1', 's', 'LIMIT', '-1'],
            ['SMOVE', 's', 't', 'a'],
            ['SMOVE', 's', 't', 'zz'],
            ['SREM', 's', 'b', 'zz'],
            ['EXISTS', 's'],
            ['SPOP', 'none'],
            ['SPOP', 'none', '2'],
            ['SPOP', 't', '-1'],
            ['SRANDMEMBER', 'none'],
            ['SRANDMEMBER', 'none', '-3'],
            ['SMEMBERS', 'none'],
            ['SET', 'str', 'x'],
            ['SADD', 'str', 'a'],
            ['SUNION', 't', 'str'],
          ],
          { protocol },
        ));
    }
  },
);
