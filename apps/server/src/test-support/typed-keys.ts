/** One key of each type, plus a name that holds nothing: what sweeps try commands on. */
export const TYPED_KEYS = ['missing', 'str', 'list', 'hash', 'set', 'zset', 'stream'];

/** The commands that create TYPED_KEYS. */
export const TYPED_KEYS_SETUP = [
  ['SET', 'str', '12'],
  ['RPUSH', 'list', 'a', 'b'],
  ['HSET', 'hash', 'f', '1'],
  // One member each: a set of words is a hash table in Redis 7.0, whose order rc does not
  // share, and random picks must have one answer.
  ['SADD', 'set', 'a'],
  ['ZADD', 'zset', '1', 'a'],
  ['XADD', 'stream', '1-1', 'f', 'v'],
];
