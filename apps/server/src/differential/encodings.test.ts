import { describe, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/**
 * Encodings stick as in Redis 7.0: a value converts to its large encoding once, when a write
 * outgrows the limits, and never back; values built whole (STORE results, RESTORE) get the
 * encoding Redis gives them. OBJECT ENCODING, DUMP's bytes and the encoding-dependent replies
 * are compared with redis-server.
 */

const LIMITS = [
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'set-max-intset-entries',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
] as const;
type Limit = (typeof LIMITS)[number];

const DEFAULT_LIMITS: Record<Limit, number> = {
  'hash-max-listpack-entries': 512,
  'hash-max-listpack-value': 64,
  'set-max-intset-entries': 512,
  'zset-max-listpack-entries': 128,
  'zset-max-listpack-value': 64,
};

/** CONFIG SET of the given limits, the others back to their defaults. */
function limits(overrides: Partial<Record<Limit, number>> = {}): string[] {
  const command = ['CONFIG', 'SET'];
  for (const name of LIMITS) command.push(name, String(overrides[name] ?? DEFAULT_LIMITS[name]));
  return command;
}

function encoding(key: string): string[] {
  return ['OBJECT', 'ENCODING', key];
}

const LONG = 'x'.repeat(65);

/** Masks DEBUG OBJECT's address and LRU clock, which differ by nature. */
function maskObject(reply: string): string {
  return reply
    .replace(/Value at:0x[0-9a-f]+/, 'Value at:<addr>')
    .replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:<clock>');
}

/** What Redis tells of a string's object: its encoding, whether it is shared, DEBUG OBJECT. */
function inspect(key: string): Step[] {
  return [
    encoding(key),
    ['OBJECT', 'REFCOUNT', key],
    { command: ['DEBUG', 'OBJECT', key], normalize: maskObject },
  ];
}

/** Only the length line of an array or set reply: the members are random. */
function lengthOnly(command: string[]): Step {
  return { command, normalize: (reply) => reply.slice(0, reply.indexOf('\r\n')) };
}

/** The payload of a DUMP run on redis-server under the given limits. */
async function dumpFromRedis(
  port: number,
  overrides: Partial<Record<Limit, number>>,
  write: string[][],
  key: string,
): Promise<string> {
  const client = await RawClient.open(port);
  try {
    await client.command('FLUSHALL');
    await client.command(...limits(overrides));
    for (const command of write) await client.command(...command);
    const reply = (await client.command('DUMP', key))?.toString('latin1') ?? '';
    const start = reply.indexOf('\r\n') + 2;
    const payload = reply.slice(start, start + Number(reply.slice(1, start - 2)));
    await client.command('FLUSHALL');
    await client.command(...limits());
    return payload;
  } finally {
    client.close();
  }
}

describe.runIf(requireRedisOrSkip('encodings differential'))(
  'sticky encodings, compared with redis-server',
  () => {
    const servers = useDifferential([['enable-debug-command', 'yes']]);

    it('a hash that grew past its limits stays a hash table', () =>
      servers.compare([
        limits({ 'hash-max-listpack-entries': 4 }),
        ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4'],
        encoding('h'),
        ['HSET', 'h', 'e', '5'],
        encoding('h'),
        ['HDEL', 'h', 'e', 'd', 'c', 'b'],
        encoding('h'),
        ['HGETALL', 'h'],
        ['HSCAN', 'h', '0'],
        ['DUMP', 'h'],
        ['HSET', 'v', 'f', LONG],
        encoding('v'),
        ['HSET', 'v', 'f', 'short'],
        encoding('v'),
        ['DUMP', 'v'],
        ['COPY', 'h', 'copy'],
        encoding('copy'),
        ['RENAME', 'v', 'renamed'],
        encoding('renamed'),
        limits(),
      ]));

    it('hash writes convert at Redis moments', () =>
      servers.compare([
        limits({ 'hash-max-listpack-value': 4 }),
        ['HSET', 'a', 'f', '1', 'g', 'long!'],
        encoding('a'),
        ['HSET', 'b', 'f', '1'],
        ['HSETNX', 'b', 'f', 'long!'],
        encoding('b'),
        ['HSETNX', 'b', 'g', 'long!'],
        encoding('b'),
        ['HSET', 'c', 'f', '1'],
        ['HINCRBY', 'c', 'f', '12345'],
        encoding('c'),
        ['HSET', 'd', 'f', '1'],
        ['HINCRBYFLOAT', 'd', 'f', '0.125'],
        encoding('d'),
        ['HINCRBY', 'e', 'longfield', '1'],
        encoding('e'),
        ['HSET', 'f', 'f', '1'],
        ['HINCRBY', 'f', 'f', 'x'],
        encoding('f'),
        limits(),
      ]));

    it('CONFIG SET of the hash limits changes only later conversions', () =>
      servers.compare([
        limits(),
        ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
        limits({ 'hash-max-listpack-entries': 2 }),
        encoding('h'),
        ['HDEL', 'h', 'c'],
        encoding('h'),
        ['HSET', 'h', 'c', '3'],
        encoding('h'),
        ['HSET', 'g', 'a', '1', 'b', '2', 'c', '3'],
        encoding('g'),
        limits({ 'hash-max-listpack-entries': 128 }),
        ['HSET', 'k', 'a', '1'],
        encoding('k'),
        limits({ 'hash-max-listpack-entries': 0 }),
        ['HSET', 'z', 'a', '1'],
        encoding('z'),
        limits(),
        encoding('k'),
        ['HSET', 'k', 'a', '2'],
        encoding('k'),
      ]));

    it('the limits answer to their ziplist names too', () =>
      servers.compare([
        limits(),
        ['CONFIG', 'SET', 'hash-max-ziplist-entries', '1', 'zset-max-ziplist-value', '2'],
        ['CONFIG', 'GET', 'hash-max-listpack-entries'],
        ['CONFIG', 'GET', 'zset-max-listpack-value'],
        ['HSET', 'h', 'a', '1', 'b', '2'],
        encoding('h'),
        ['ZADD', 'z', '1', 'abc'],
        encoding('z'),
        ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
        ['CONFIG', 'GET', 'zset-max-ziplist-entries'],
        ['CONFIG', 'SET', 'list-max-ziplist-size', '5'],
        ['CONFIG', 'GET', 'list-max-listpack-size'],
        ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
        ['CONFIG', 'GET', 'list-max-ziplist-size'],
        limits(),
        ['CONFIG', 'GET', 'hash-max-ziplist-entries'],
      ]));

    it('a set that took a non-integer stays a hash table', () =>
      servers.compare([
        limits(),
        ['SADD', 's', '1', '2', '3'],
        encoding('s'),
        ['SADD', 's', 'a'],
        encoding('s'),
        ['SREM', 's', 'a'],
        encoding('s'),
        ['SCARD', 's'],
        ['SISMEMBER', 's', '2'],
        // A hash table's order is its own: one member left, DUMP's bytes are comparable.
        ['SREM', 's', '2', '3'],
        ['SSCAN', 's', '0'],
        ['DUMP', 's'],
        ['SADD', 's', '2', '3'],
        ['SADD', 'mixed', '1', 'a'],
        encoding('mixed'),
        ['SADD', 'text', 'a'],
        encoding('text'),
        ['SREM', 'text', 'a'],
        ['SADD', 'text', '7'],
        encoding('text'),
        ['SADD', 'big', '9223372036854775807', '-9223372036854775808'],
        encoding('big'),
        ['SADD', 'over', '9223372036854775808'],
        encoding('over'),
        ['SADD', 'zero', '-0', '01'],
        encoding('zero'),
        ['SMOVE', 's', 'moved', '1'],
        encoding('moved'),
        ['SADD', 'src', 'b'],
        ['SMOVE', 'src', 'moved2', 'b'],
        encoding('moved2'),
        ['COPY', 's', 'copy'],
        encoding('copy'),
      ]));

    it('set-max-intset-entries: grow then shrink, and CONFIG SET between writes', () =>
      servers.compare([
        limits({ 'set-max-intset-entries': 3 }),
        ['SADD', 's', '1', '2', '3'],
        encoding('s'),
        ['SADD', 's', '4'],
        encoding('s'),
        ['SREM', 's', '4', '3', '2'],
        encoding('s'),
        ['DUMP', 's'],
        limits(),
        ['SADD', 't', '1', '2', '3'],
        limits({ 'set-max-intset-entries': 2 }),
        encoding('t'),
        ['SADD', 't', '1'],
        encoding('t'),
        ['SADD', 't', '4'],
        encoding('t'),
        limits(),
      ]));

    it("an intset's width, which never narrows, whatever rc packs its members in", () =>
      servers.compare([
        limits(),
        ['SADD', 'w', '-128', '127'],
        ['DUMP', 'w'],
        { command: ['DEBUG', 'OBJECT', 'w'], normalize: maskObject },
        ['SADD', 'w', '32768'],
        ['DUMP', 'w'],
        ['SADD', 'w', '-8388609', '140737488355327'],
        ['DUMP', 'w'],
        { command: ['DEBUG', 'OBJECT', 'w'], normalize: maskObject },
        ['SREM', 'w', '140737488355327', '-8388609', '32768'],
        ['DUMP', 'w'],
        ['SMEMBERS', 'w'],
        ['SISMEMBER', 'w', '127'],
        ['COPY', 'w', 'copied'],
        ['DUMP', 'copied'],
      ]));

    it('RESTORE keeps an intset as wide as it was dumped', async () => {
      const wide = await dumpFromRedis(
        servers.redisPort(),
        {},
        [
          ['SADD', 'k', '1', '2', '4294967296'],
          ['SREM', 'k', '4294967296'],
        ],
        'k',
      );
      await servers.compare([
        ['RESTORE', 'k', '0', wide],
        ['DUMP', 'k'],
        ['SADD', 'k', '3'],
        ['DUMP', 'k'],
      ]);
    });

    it("a small sorted set's scores, whatever rc packs them in", () =>
      servers.compare([
        limits(),
        ['ZADD', 'k', '1.5', 'a', '-0', 'b', '1e-7', 'c', '123456789', 'd', '3', 'e'],
        ['ZADD', 'k', '0.30000000000000004', 'f', 'inf', 'g', '-inf', 'h', '-2.25', 'i'],
        ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
        ['ZRANGEBYSCORE', 'k', '(0', '3.5', 'WITHSCORES'],
        ['ZSCORE', 'k', 'b'],
        ['DUMP', 'k'],
        { command: ['DEBUG', 'OBJECT', 'k'], normalize: maskObject },
      ]));

    it('set STORE results and SPOP take the encoding of what they hold', () =>
      servers.compare([
        limits(),
        ['SADD', 'a', '1', '2', '3', 'x'],
        ['SREM', 'a', 'x'],
        ['SADD', 'b', '2', '3', '4'],
        ['SINTERSTORE', 'inter', 'a', 'b'],
        encoding('inter'),
        ['SUNIONSTORE', 'union', 'a', 'b'],
        encoding('union'),
        ['SDIFFSTORE', 'diff', 'a', 'b'],
        encoding('diff'),
        ['SADD', 'c', 'y', '5'],
        ['SUNIONSTORE', 'union2', 'a', 'c'],
        encoding('union2'),
        ['SDIFFSTORE', 'diff2', 'c', 'a'],
        encoding('diff2'),
        limits({ 'set-max-intset-entries': 2 }),
        ['SUNIONSTORE', 'union3', 'a', 'b'],
        encoding('union3'),
        limits(),
        ['SADD', 'p', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'x'],
        ['SREM', 'p', 'x'],
        lengthOnly(['SPOP', 'p', '1']),
        encoding('p'),
        lengthOnly(['SPOP', 'p', '8']),
        encoding('p'),
        ['SCARD', 'p'],
        ['SADD', 'q', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'x'],
        ['SREM', 'q', 'x'],
        lengthOnly(['SPOP', 'q', '2']),
        encoding('q'),
      ]));

    it('a sorted set that grew past its limits stays a skiplist', () =>
      servers.compare([
        limits({ 'zset-max-listpack-entries': 3 }),
        ['ZADD', 'z', '1', 'b', '2', 'a', '3', 'c'],
        encoding('z'),
        ['ZADD', 'z', '4', 'd'],
        encoding('z'),
        ['ZREM', 'z', 'd'],
        encoding('z'),
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
        ['ZRANGEBYLEX', 'z', '[a', '[b'],
        ['ZLEXCOUNT', 'z', '[a', '[b'],
        ['DUMP', 'z'],
        ['ZADD', 'z', '0', 'n'],
        ['ZINCRBY', 'z', '-0', 'n'],
        ['ZADD', 'z', '-0', 'm'],
        ['ZSCORE', 'z', 'm'],
        ['DUMP', 'z'],
        ['ZADD', 'l', '1', 'b', '2', 'a', '3', 'c'],
        encoding('l'),
        ['ZRANGEBYLEX', 'l', '[a', '[b'],
        ['ZLEXCOUNT', 'l', '[a', '[b'],
        ['ZSCAN', 'l', '0'],
        ['ZADD', 'l', '-0', 'm'],
        ['ZSCORE', 'l', 'm'],
        ['ZADD', 'long', '1', LONG],
        encoding('long'),
        ['ZREM', 'long', LONG],
        ['ZADD', 'long2', '1', 'a', '2', LONG],
        encoding('long2'),
        ['ZREM', 'long2', LONG],
        encoding('long2'),
        ['DUMP', 'long2'],
        ['COPY', 'long2', 'copy'],
        encoding('copy'),
        limits(),
      ]));

    it('ZADD on a new key, XX, and CONFIG SET of the sorted set limits', () =>
      servers.compare([
        limits(),
        ['ZADD', 'a', '1', 'm'],
        encoding('a'),
        ['ZADD', 'a', 'XX', '2', LONG],
        encoding('a'),
        ['ZADD', 'a', 'NX', '2', 'm'],
        encoding('a'),
        ['ZINCRBY', 'a', '1', LONG],
        encoding('a'),
        limits({ 'zset-max-listpack-entries': 0 }),
        ['ZADD', 'b', '1', 'm'],
        encoding('b'),
        limits(),
        ['ZADD', 'c', '1', 'a', '2', 'b', '3', 'c'],
        limits({ 'zset-max-listpack-entries': 2 }),
        encoding('c'),
        ['ZADD', 'c', '5', 'a'],
        encoding('c'),
        ['ZREM', 'c', 'c'],
        ['ZADD', 'c', '3', 'c'],
        encoding('c'),
        ['ZADD', 'c', '4', 'd'],
        encoding('c'),
        limits({ 'zset-max-listpack-value': 3 }),
        ['ZADD', 'd', '1', 'abcd', '2', 'a'],
        encoding('d'),
        ['ZADD', 'e', '1', 'a', '2', 'abcd'],
        encoding('e'),
        ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
        encoding('g'),
        limits(),
      ]));

    it('sorted set STORE results and SORT', () =>
      servers.compare([
        limits({ 'zset-max-listpack-entries': 2 }),
        ['ZADD', 'big', '1', 'a', '2', 'b', '3', 'c'],
        ['ZREM', 'big', 'c'],
        encoding('big'),
        ['ZUNIONSTORE', 'u', '1', 'big'],
        encoding('u'),
        ['ZINTERSTORE', 'i', '1', 'big'],
        encoding('i'),
        ['ZDIFFSTORE', 'd', '1', 'big'],
        encoding('d'),
        ['ZADD', 'other', '1', 'x', '2', 'y'],
        ['ZUNIONSTORE', 'u2', '2', 'big', 'other'],
        encoding('u2'),
        ['ZRANGESTORE', 'r', 'u2', '0', '1'],
        encoding('r'),
        ['ZRANGESTORE', 'r2', 'u2', '0', '-1'],
        encoding('r2'),
        ['ZRANGESTORE', 'r3', 'u2', '(1', '+inf', 'BYSCORE'],
        encoding('r3'),
        ['ZRANGESTORE', 'r4', 'u2', '[a', '[b', 'BYLEX'],
        encoding('r4'),
        ['ZADD', 'neg', '-0', 'a'],
        ['ZADD', 'neg', '1', 'b', '2', 'c'],
        encoding('neg'),
        ['ZSCORE', 'neg', 'a'],
        ['ZREM', 'neg', 'c'],
        ['ZUNIONSTORE', 'negu', '1', 'neg'],
        encoding('negu'),
        ['ZSCORE', 'negu', 'a'],
        ['SADD', 'ints', '1', '2'],
        ['ZUNIONSTORE', 'fromset', '1', 'ints'],
        encoding('fromset'),
        limits({ 'zset-max-listpack-value': 3 }),
        ['ZADD', 'lm', '1', 'abcd'],
        ['ZUNIONSTORE', 'lmu', '1', 'lm'],
        encoding('lmu'),
        limits(),
        ['ZADD', 'sorted', '2', 'b', '1', 'a'],
        encoding('sorted'),
        ['SORT', 'sorted', 'ALPHA'],
        encoding('sorted'),
        ['ZADD', 'sorted2', '2', 'b', '1', 'a'],
        ['SORT_RO', 'sorted2', 'ALPHA'],
        encoding('sorted2'),
        ['ZADD', 'sorted3', '2', 'b', '1', 'a'],
        ['SORT', 'sorted3', 'BADOPTION'],
        encoding('sorted3'),
        ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
        ['GEOSEARCHSTORE', 'gs', 'geo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
        encoding('gs'),
        limits({ 'zset-max-listpack-entries': 1 }),
        ['GEOSEARCHSTORE', 'gs2', 'geo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
        encoding('gs2'),
        ['GEORADIUS', 'geo', '15', '37', '200', 'km', 'STORE', 'gr'],
        encoding('gr'),
        ['GEORADIUS', 'geo', '15', '37', '100', 'km', 'STOREDIST', 'gr2'],
        encoding('gr2'),
        limits(),
      ]));

    it('replies that take a whole compact value walk it in its order', () =>
      servers.compare([
        limits(),
        ['HSET', 'h', 'b', '1', 'a', '2', 'c', '3'],
        ['HRANDFIELD', 'h', '3'],
        ['HRANDFIELD', 'h', '10', 'WITHVALUES'],
        ['SADD', 's', '30', '-2', '100', '7'],
        ['SMEMBERS', 's'],
        ['SRANDMEMBER', 's', '4'],
        ['SRANDMEMBER', 's', '100'],
        ['SADD', 't', '5', '1'],
        ['SUNION', 's', 't'],
        ['SINTER', 's', 's'],
        ['SDIFF', 's', 't'],
        ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b'],
        ['ZRANDMEMBER', 'z', '3'],
        ['ZRANDMEMBER', 'z', '5', 'WITHSCORES'],
        ['SPOP', 's', '10'],
      ]));

    it('strings stored as SET, GETSET, INCR and INCRBYFLOAT store them', () =>
      servers.compare([
        ['SET', 'short', 'abc'],
        encoding('short'),
        ['SET', 'long', 'x'.repeat(45)],
        encoding('long'),
        ['SET', 'edge', 'x'.repeat(44)],
        encoding('edge'),
        ['SET', 'n', '123'],
        encoding('n'),
        ['SET', 'big', '9223372036854775808'],
        encoding('big'),
        ['SET', 'padded', '0123'],
        encoding('padded'),
        ['GETSET', 'g', '12'],
        encoding('g'),
        ['GETSET', 'g', 'abc'],
        encoding('g'),
        ['MSET', 'm1', '7', 'm2', 'x'.repeat(50)],
        encoding('m1'),
        encoding('m2'),
        ['INCR', 'i'],
        encoding('i'),
        ['INCRBY', 'short2', '5'],
        ['SET', 'f', '1.5'],
        ['INCRBYFLOAT', 'f', '1.25'],
        encoding('f'),
        ['APPEND', 'fresh', '12'],
        encoding('fresh'),
        ['APPEND', 'fresh2', 'x'.repeat(45)],
        encoding('fresh2'),
        ['SETRANGE', 'padded', '10', 'x'.repeat(40)],
        encoding('padded'),
        ['DUMP', 'n'],
        ['DUMP', 'short'],
        ['DUMP', 'long'],
      ]));

    it('APPEND, SETRANGE, SETBIT and BITFIELD writes leave a raw string, INCR an int', () =>
      servers.compare([
        ['SET', 'a', '12'],
        ['APPEND', 'a', '3'],
        ...inspect('a'),
        ['SET', 'e', 'abc'],
        ['APPEND', 'e', ''],
        ...inspect('e'),
        ['SET', 's', '1234'],
        ['SETRANGE', 's', '0', '2'],
        ...inspect('s'),
        ['SET', 's', '1234'],
        ['SETRANGE', 's', '0', ''],
        ...inspect('s'),
        ['SETRANGE', 's', '5', '2'],
        ...inspect('s'),
        ['SETRANGE', 'new', '3', 'x'],
        ...inspect('new'),
        ['SETRANGE', 'none', '0', ''],
        ['EXISTS', 'none'],
        ['SET', 'b', '5'],
        ['SETBIT', 'b', '2', '1'],
        ...inspect('b'),
        ['SET', 'same', '5'],
        ['SETBIT', 'same', '2', '1'],
        ...inspect('same'),
        ['SETBIT', 'nb', '7', '1'],
        ...inspect('nb'),
        ['SET', 'bf', '1'],
        ['BITFIELD', 'bf', 'GET', 'u8', '0'],
        ['BITFIELD_RO', 'bf', 'GET', 'u8', '0'],
        ...inspect('bf'),
        ['BITFIELD', 'bf', 'SET', 'u8', '0', '50'],
        ...inspect('bf'),
        ['BITFIELD', 'nbf', 'SET', 'u4', '0', '3'],
        ...inspect('nbf'),
        ['SET', 'r', '10'],
        ['APPEND', 'r', '0'],
        ...inspect('r'),
        ['INCR', 'r'],
        ...inspect('r'),
        ['SET', 'r2', '99'],
        ['SETRANGE', 'r2', '0', '1'],
        ['INCRBY', 'r2', '100000'],
        ...inspect('r2'),
        ['DEBUG', 'RELOAD'],
        ...inspect('a'),
        ...inspect('e'),
        ...inspect('s'),
        ...inspect('new'),
        ...inspect('b'),
        ...inspect('bf'),
        ...inspect('r'),
      ]));

    it('INCRBYFLOAT makes a string by its length, an integer result too', () =>
      servers.compare([
        ['SET', 'f', '1'],
        ['INCRBYFLOAT', 'f', '2'],
        ...inspect('f'),
        ['INCRBYFLOAT', 'f', '0.5'],
        ...inspect('f'),
        ['INCRBYFLOAT', 'fresh', '5'],
        ...inspect('fresh'),
        ['INCRBYFLOAT', 'neg', '-12345'],
        ...inspect('neg'),
        ['INCRBYFLOAT', 'huge', '1e50'],
        ...inspect('huge'),
        ['INCR', 'f2'],
        ['INCRBYFLOAT', 'f2', '1.5'],
        ['INCRBYFLOAT', 'f2', '0.5'],
        ...inspect('f2'),
        ['INCR', 'f2'],
        ...inspect('f2'),
        ['DEBUG', 'RELOAD'],
        ...inspect('f'),
        ...inspect('fresh'),
        ...inspect('neg'),
        ...inspect('huge'),
      ]));

    it('SET, GETSET, SETEX, MSET and the rest store strings as tryObjectEncoding', () =>
      servers.compare([
        ['SET', 'a', '12'],
        ['APPEND', 'a', '3'],
        ['GETEX', 'a', 'EX', '100'],
        ...inspect('a'),
        ['GETSET', 'a', '5'],
        ...inspect('a'),
        ['APPEND', 'a', '5'],
        ['SET', 'a', '55', 'KEEPTTL', 'GET'],
        ...inspect('a'),
        ['APPEND', 'a', '5'],
        ['SETEX', 'a', '100', '5000'],
        ...inspect('a'),
        ['APPEND', 'a', '5'],
        ['PSETEX', 'a', '100000', '123456'],
        ...inspect('a'),
        ['SET', 'short', 'abc'],
        ...inspect('short'),
        ['SET', 'long', 'x'.repeat(45)],
        ...inspect('long'),
        ['SET', 'n', '10000'],
        ...inspect('n'),
        ['SET', 'z', '0'],
        ...inspect('z'),
        ['SET', 'm', '-1'],
        ...inspect('m'),
        ['APPEND', 'b', '1'],
        ['APPEND', 'b', '2'],
        ['MSET', 'b', '9', 'c', 'x'.repeat(50)],
        ...inspect('b'),
        ...inspect('c'),
        ['APPEND', 'b', '1'],
        ['MSETNX', 'b', '1', 'd', '2'],
        ...inspect('b'),
        ['DEL', 'b'],
        ['SETNX', 'b', '77'],
        ...inspect('b'),
        ['APPEND', 'b', '7'],
        ['GETDEL', 'b'],
        ['SET', 'b', '777', 'NX'],
        ...inspect('b'),
        ['DEBUG', 'RELOAD'],
        ...inspect('a'),
        ...inspect('long'),
      ]));

    it('RENAME, MOVE and SWAPDB move a string as it is; COPY duplicates it', () =>
      servers.compare([
        ['SET', 'a', '12'],
        ['APPEND', 'a', '3'],
        ['RENAME', 'a', 'b'],
        ...inspect('b'),
        ['SET', 'f', '1'],
        ['INCRBYFLOAT', 'f', '1'],
        ['RENAMENX', 'f', 'g'],
        ...inspect('g'),
        ['COPY', 'b', 'c'],
        ...inspect('c'),
        ['COPY', 'g', 'h'],
        ...inspect('h'),
        ['SET', 'i', '7'],
        ['COPY', 'i', 'j'],
        ...inspect('i'),
        ...inspect('j'),
        ['RENAME', 'j', 'k'],
        ...inspect('k'),
        ['COPY', 'k', 'l'],
        ...inspect('l'),
        ['SET', 'big', '123456'],
        ['COPY', 'big', 'big2'],
        ...inspect('big2'),
        ['INCR', 'k'],
        ...inspect('k'),
        ['COPY', 'i', 'm', 'DB', '2'],
        ['COPY', 'b', 'b', 'DB', '2'],
        ['MOVE', 'c', '1'],
        ['MOVE', 'h', '1'],
        ['SELECT', '1'],
        ...inspect('c'),
        ...inspect('h'),
        ['SELECT', '2'],
        ...inspect('m'),
        ...inspect('b'),
        ['SWAPDB', '0', '2'],
        ['SELECT', '0'],
        ...inspect('m'),
        ...inspect('b'),
        ['SET', 'm', '7'],
        ...inspect('m'),
        ['SELECT', '2'],
        ...inspect('l'),
        ['DEBUG', 'RELOAD'],
        ...inspect('l'),
        ...inspect('g'),
      ]));

    it('BITOP and the HyperLogLog commands write raw strings', () =>
      servers.compare([
        ['SET', 'x', '1'],
        ['SET', 'y', '2'],
        ['BITOP', 'OR', 'dest', 'x', 'y'],
        ...inspect('dest'),
        ['PFADD', 'h', 'a', 'b'],
        ...inspect('h'),
        ['PFADD', 'h'],
        ['PFCOUNT', 'h'],
        ...inspect('h'),
        ['PFMERGE', 'merged', 'h'],
        ...inspect('merged'),
        ['DEBUG', 'RELOAD'],
        ...inspect('dest'),
        ...inspect('h'),
        ['PFCOUNT', 'h'],
        ...inspect('h'),
        ['PFCOUNT', 'h', 'merged'],
        ...inspect('merged'),
      ]));

    it('RESTORE stores a string as tryObjectEncoding, whatever encoding it was dumped in', async () => {
      const port = servers.redisPort();
      const dumped = (write: string[][]) => dumpFromRedis(port, {}, write, 'k');
      const appended = await dumped([
        ['SET', 'k', '12'],
        ['APPEND', 'k', '3'],
      ]);
      const float = await dumped([['INCRBYFLOAT', 'k', '7']]);
      const longDigits = await dumped([['SETRANGE', 'k', '0', '1'.repeat(15)]]);
      const built = await dumped([['SETBIT', 'k', '7', '1']]);
      const long = await dumped([
        ['SET', 'k', 'y'.repeat(30)],
        ['APPEND', 'k', 'z'.repeat(30)],
      ]);
      const restored = (key: string, payload: string): Step[] => [
        ['RESTORE', key, '0', payload],
        ...inspect(key),
        ['DUMP', key],
      ];
      await servers.compare([
        ...restored('appended', appended),
        ...restored('float', float),
        ...restored('digits', longDigits),
        ...restored('built', built),
        ...restored('long', long),
        ['APPEND', 'float', '1'],
        ['DUMP', 'float'],
        ['RESTORE', 'float', '0', float, 'REPLACE'],
        ...inspect('float'),
      ]);
    });

    it('integers stored under an LRU or LFU policy keep objects of their own', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ...inspect('a'),
        ['CONFIG', 'SET', 'maxmemory', '1gb', 'maxmemory-policy', 'allkeys-lru'],
        ...inspect('a'),
        ['SET', 'b', '1'],
        ...inspect('b'),
        ['INCR', 'c'],
        ...inspect('c'),
        ['RENAME', 'a', 'a2'],
        ...inspect('a2'),
        ['COPY', 'a2', 'a3'],
        ...inspect('a3'),
        ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
        ['SET', 'd', '2'],
        ...inspect('d'),
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
        ['SET', 'e', '3'],
        ...inspect('e'),
        ['DEBUG', 'RELOAD'],
        ...inspect('a2'),
        ...inspect('d'),
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ...inspect('b'),
        ...inspect('e'),
        ['SET', 'f', '4'],
        ...inspect('f'),
        ['DEBUG', 'RELOAD'],
        ...inspect('b'),
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ]));

    it('an HLL stored by SET is embstr until a command that changes HLLs unshares it', () => {
      // An empty sparse HLL: header, sparse encoding, a zero cache, one XZERO of 16384 registers.
      const hll = 'HYLL\x01\x00\x00\x00' + '\x00'.repeat(8) + '\x7f\xff';
      return servers.compare([
        ['SET', 'a', hll],
        ['SET', 'b', hll],
        ['SET', 'c', hll],
        ['SET', 'd', hll],
        ...inspect('a'),
        ['PFCOUNT', 'a', 'b'],
        ...inspect('a'),
        ...inspect('b'),
        ['PFCOUNT', 'a'],
        ...inspect('a'),
        ['PFADD', 'b'],
        ...inspect('b'),
        ['PFMERGE', 'c'],
        ...inspect('c'),
        ['PFDEBUG', 'GETREG', 'd'],
        ...inspect('d'),
        ['COPY', 'd', 'e'],
        ...inspect('e'),
      ]);
    });

    it('DEBUG SDSLEN tells embedded, stored and built strings apart', () =>
      servers.compare([
        ['SET', 'int', '12'],
        ['DEBUG', 'SDSLEN', 'int'],
        ['SET', 'short', 'abc'],
        ['DEBUG', 'SDSLEN', 'short'],
        ['SET', 'long', 'x'.repeat(100)],
        ['DEBUG', 'SDSLEN', 'long'],
        ['SETRANGE', 'built', '2', 'abc'],
        ['DEBUG', 'SDSLEN', 'built'],
        ['SETBIT', 'bits', '100', '1'],
        ['DEBUG', 'SDSLEN', 'bits'],
        ['SET', 'made', '1234'],
        ['SETRANGE', 'made', '0', '5'],
        ['DEBUG', 'SDSLEN', 'made'],
        ['INCRBYFLOAT', 'float', '1.5'],
        ['DEBUG', 'SDSLEN', 'float'],
        ['COPY', 'int', 'copy'],
        ['DEBUG', 'SDSLEN', 'copy'],
        ['COPY', 'built', 'copy2'],
        ['DEBUG', 'SDSLEN', 'copy2'],
        ['DEBUG', 'RELOAD'],
        ['DEBUG', 'SDSLEN', 'built'],
        ['DEBUG', 'SDSLEN', 'float'],
      ]));

    it('DEBUG RELOAD loads values back by the rules of rdb.c', () =>
      servers.compare([
        limits({ 'hash-max-listpack-entries': 2, 'zset-max-listpack-entries': 2 }),
        ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
        ['HDEL', 'h', 'b', 'c'],
        ['SADD', 's', '1', 'x'],
        ['SREM', 's', 'x'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
        ['ZREM', 'z', 'b', 'c'],
        limits({ 'hash-max-listpack-value': 200, 'zset-max-listpack-value': 200 }),
        ['HSET', 'lh', 'f', LONG],
        ['ZADD', 'lz', '1', LONG],
        limits(),
        ['SET', 'n', '12'],
        ['APPEND', 'n', '3'],
        encoding('h'),
        encoding('s'),
        encoding('z'),
        ['DEBUG', 'RELOAD'],
        encoding('h'),
        encoding('s'),
        encoding('z'),
        encoding('lh'),
        encoding('lz'),
        encoding('n'),
        ['HSET', 'lh', 'g', '1'],
        encoding('lh'),
        ['ZADD', 'lz', '2', 'm'],
        encoding('lz'),
      ]));

    it('RESTORE keeps the encoding the payload had, by the rules of rdb.c', async () => {
      const port = servers.redisPort();
      const hashListpack = await dumpFromRedis(
        port,
        { 'hash-max-listpack-value': 1000 },
        [['HSET', 'k', 'a', '1', 'b', LONG, 'c', '3']],
        'k',
      );
      const hashTable = await dumpFromRedis(
        port,
        { 'hash-max-listpack-entries': 1 },
        [
          ['HSET', 'k', 'a', '1', 'b', '2'],
          ['HDEL', 'k', 'b'],
        ],
        'k',
      );
      const hashTableLong = await dumpFromRedis(
        port,
        {},
        [
          ['HSET', 'k', 'a', LONG, 'b', '2'],
          ['HDEL', 'k', 'b'],
        ],
        'k',
      );
      const intset = await dumpFromRedis(port, {}, [['SADD', 'k', '3', '1', '2']], 'k');
      const setTable = await dumpFromRedis(
        port,
        {},
        [
          ['SADD', 'k', '3', '1', 'x'],
          ['SREM', 'k', 'x'],
        ],
        'k',
      );
      const zsetListpack = await dumpFromRedis(
        port,
        { 'zset-max-listpack-value': 1000 },
        [['ZADD', 'k', '1', 'a', '2', LONG, '3', 'c']],
        'k',
      );
      const zsetSkiplist = await dumpFromRedis(
        port,
        { 'zset-max-listpack-entries': 0 },
        [['ZADD', 'k', '-0', 'a', '2', 'b', '1', 'c']],
        'k',
      );
      const zsetSkiplistLong = await dumpFromRedis(
        port,
        { 'zset-max-listpack-entries': 0 },
        [['ZADD', 'k', '1', 'a', '2', LONG]],
        'k',
      );
      // A hash table's order is its own: DUMP's bytes are compared for the other encodings.
      const restored = (key: string, payload: string, dump = true): Step[] => [
        ['RESTORE', key, '0', payload],
        encoding(key),
        ...(dump ? [['DUMP', key]] : []),
      ];
      await servers.compare([
        limits(),
        ...restored('hl', hashListpack),
        ['HGET', 'hl', 'b'],
        ...restored('ht', hashTable),
        ...restored('htl', hashTableLong),
        ...restored('is', intset),
        ['SMEMBERS', 'is'],
        ...restored('st', setTable),
        ['SMEMBERS', 'st'],
        ...restored('zl', zsetListpack),
        ['ZRANGEBYLEX', 'zl', '-', '+'],
        ...restored('zs', zsetSkiplist),
        ['ZSCORE', 'zs', 'a'],
        ...restored('zsl', zsetSkiplistLong),
        limits({
          'hash-max-listpack-entries': 2,
          'set-max-intset-entries': 2,
          'zset-max-listpack-entries': 2,
        }),
        ...restored('hl2', hashListpack, false),
        ...restored('is2', intset, false),
        ...restored('zl2', zsetListpack),
        limits(),
      ]);
    });
  },
);
