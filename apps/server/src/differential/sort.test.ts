import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('sort differential'))('SORT, compared with redis-server', () => {
  const servers = useDifferential();

  it('sorts lists and sets numerically and alphabetically, with BY, GET, LIMIT and STORE', () =>
    servers.compare([
      ['RPUSH', 'l', '3', '1', '2', '10'],
      ['SORT', 'l'],
      ['SORT', 'l', 'DESC'],
      ['SORT', 'l', 'ALPHA'],
      ['SORT', 'l', 'LIMIT', '1', '2'],
      ['SORT', 'l', 'LIMIT', '10', '2'],
      ['SORT', 'l', 'LIMIT', '-1', '-1'],
      ['MSET', 'w_1', '30', 'w_2', '20', 'w_3', '10', 'o_1', 'one', 'o_3', 'three'],
      ['SORT', 'l', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'o_*', 'GET', '#'],
      ['SORT', 'l', 'BY', 'nosort', 'GET', 'o_*'],
      ['HSET', 'h_1', 'f', 'b', 'h_2', 'f', 'a'],
      ['HSET', 'h_2', 'f', 'a'],
      ['SORT', 'l', 'BY', 'h_*->f', 'ALPHA', 'GET', 'h_*->f'],
      ['SORT', 'l', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'empty', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['RPUSH', 'words', 'b', 'a'],
      ['SORT', 'words'],
      ['SORT', 'words', 'ALPHA'],
      ['SADD', 's', '5', '-1', '2.5'],
      ['SORT', 's'],
      ['SORT_RO', 's', 'DESC'],
      ['SORT_RO', 's', 'STORE', 'x'],
      ['SORT', 'l', 'BOGUS'],
      ['SORT', 'l', 'LIMIT', '1'],
      ['SET', 'str', 'x'],
      ['SORT', 'str'],
    ]));

  it('BY a constant keeps the order, except a set stored or sorted for a script: ALPHA', () =>
    servers.compare([
      ['SADD', 'letters', 'b', 'aa', 'c', 'a', 'azz', 'z'],
      ['SORT', 'letters', 'BY', 'nosort', 'STORE', 'out'],
      ['LRANGE', 'out', '0', '-1'],
      ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'letters'],
      ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'desc')", '1', 'letters'],
      ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#')", '1', 'letters'],
      ['RPUSH', 'list', 'b', 'a', 'c'],
      ['SORT', 'list', 'BY', 'nosort', 'STORE', 'out'],
      ['LRANGE', 'out', '0', '-1'],
      ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'list'],
      ['SORT', 'list', 'BY', 'nosort', 'DESC'],
      ['SORT', 'list', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['ZADD', 'zset', '1', 'a', '5', 'b', '2', 'c', '10', 'd', '3', 'e'],
      ['SORT', 'zset', 'BY', 'nosort'],
      ['SORT', 'zset', 'BY', 'nosort', 'DESC'],
      ['SORT', 'zset', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '1'],
      ['SORT', 'zset', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2', 'STORE', 'out'],
      ['LRANGE', 'out', '0', '-1'],
      ['EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort', 'desc')", '1', 'zset'],
    ]));
});
