import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip, startRedis, type RunningServer } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('keyspace differential'))(
  'keyspace, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('DEL, EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE, TOUCH', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['SET', 'b', '2'],
        ['EXISTS', 'a', 'a', 'b', 'c'],
        ['TYPE', 'a'],
        ['TYPE', 'none'],
        ['DEL', 'a', 'c'],
        ['UNLINK', 'b'],
        ['SET', 'a', '1'],
        ['RENAME', 'a', 'a'],
        ['RENAME', 'none', 'x'],
        ['RENAME', 'a', 'z'],
        ['SET', 'y', '1'],
        ['RENAMENX', 'z', 'y'],
        ['RENAMENX', 'z', 'q'],
        ['COPY', 'q', 'q'],
        ['COPY', 'q', 'r'],
        ['COPY', 'q', 'r'],
        ['COPY', 'q', 'r', 'REPLACE'],
        ['COPY', 'q', 'r', 'DB', '1'],
        ['COPY', 'q', 'r', 'DB', '99'],
        ['COPY', 'q', 'r', 'BOGUS'],
        ['MOVE', 'q', '1'],
        ['MOVE', 'q', '1'],
        ['MOVE', 'r', '0'],
        ['MOVE', 'r', 'x'],
        ['MOVE', 'r', '16'],
        ['SELECT', '1'],
        ['GET', 'q'],
        ['SELECT', '16'],
        ['SELECT', 'x'],
        ['SELECT', '0'],
        ['TOUCH', 'r', 'y', 'none'],
        ['DBSIZE'],
      ]));

    it('KEYS with glob patterns (one match each, since order is unspecified)', () =>
      servers.compare([
        [
          'MSET',
          'hello',
          '1',
          'hallo',
          '2',
          'hxllo',
          '3',
          'hllo',
          '4',
          'heeeello',
          '5',
          'a*b',
          '6',
        ],
        ['KEYS', 'h?llo*', 'extra'],
        ['KEYS', 'hee*llo'],
        ['KEYS', 'h[e]llo'],
        ['KEYS', 'h[^aex]llo'],
        ['KEYS', 'h[a-a]llo'],
        ['KEYS', 'h[b-a]llo'],
        ['KEYS', 'a\\*b'],
        ['KEYS', 'hll?'],
        ['KEYS', 'nomatch*'],
      ]));

    it('EXPIRE family with NX XX GT LT, TTL, PERSIST, EXPIRETIME', () =>
      servers.compare([
        ['SET', 'k', 'v'],
        ['EXPIRE', 'k', '100', 'XX'],
        ['EXPIRE', 'k', '100', 'NX'],
        ['EXPIRE', 'k', '100', 'NX'],
        ['EXPIRE', 'k', '50', 'GT'],
        ['EXPIRE', 'k', '200', 'GT'],
        ['EXPIRE', 'k', '300', 'LT'],
        ['EXPIRE', 'k', '100', 'LT'],
        ['TTL', 'k'],
        ['EXPIRE', 'k', '100', 'NX', 'XX'],
        ['EXPIRE', 'k', '100', 'GT', 'LT'],
        ['EXPIRE', 'k', '100', 'FOO'],
        ['EXPIRE', 'k', 'abc'],
        ['EXPIRE', 'none', '100'],
        ['PERSIST', 'k'],
        ['PERSIST', 'k'],
        ['TTL', 'k'],
        ['PTTL', 'none'],
        ['EXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '99999999999999'],
        ['PEXPIRETIME', 'k'],
        ['EXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '99999999999'],
        ['EXPIRETIME', 'k'],
        ['EXPIRE', 'k', '9223372036854775807'],
        ['PEXPIRE', 'k', '-1'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['EXPIRE', 'k', '0'],
        ['EXISTS', 'k'],
      ]));

    it('PEXPIRE, EXPIREAT and PEXPIREAT with NX XX GT LT, read back as absolute times', () =>
      servers.compare([
        ['SET', 'k', 'v'],
        ['PEXPIRE', 'k', '100000', 'XX'],
        ['PEXPIRE', 'k', '100000', 'GT'],
        ['PEXPIRE', 'k', '100000', 'LT'],
        ['TTL', 'k'],
        ['EXPIREAT', 'k', '4102444800', 'XX'],
        ['EXPIREAT', 'k', '4102444800', 'NX'],
        ['EXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '4102444800', 'NX'],
        ['EXPIREAT', 'k', '4102444700', 'GT'],
        ['EXPIREAT', 'k', '4102444900', 'GT'],
        ['EXPIREAT', 'k', '4102445000', 'LT'],
        ['EXPIREAT', 'k', '4102444600', 'LT'],
        ['EXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '4102444600001', 'GT'],
        ['PEXPIREAT', 'k', '4102444600000', 'GT'],
        ['PEXPIREAT', 'k', '4102444500000', 'LT'],
        ['PEXPIREAT', 'k', '4102444500000', 'XX'],
        ['PEXPIREAT', 'k', '4102444500000', 'NX'],
        ['PEXPIRETIME', 'k'],
        ['PERSIST', 'k'],
        ['PEXPIREAT', 'k', '4102444500000', 'GT'],
        ['PEXPIREAT', 'k', '4102444500000', 'LT'],
        ['PEXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '1', 'GT'],
        ['EXISTS', 'k'],
        ['PEXPIREAT', 'k', '1', 'LT'],
        ['EXISTS', 'k'],
        ['PEXPIRE', 'k', '100', 'NX', 'GT'],
        ['EXPIREAT', 'k', '100', 'LT', 'GT'],
        ['PEXPIREAT', 'none', '1', 'NX'],
      ]));

    it('FLUSHALL ASYNC and FLUSHDB SYNC empty as their plain forms', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['SELECT', '1'],
        ['SET', 'b', '1'],
        ['FLUSHDB', 'SYNC'],
        ['DBSIZE'],
        ['SET', 'b', '1'],
        ['SELECT', '0'],
        ['FLUSHALL', 'ASYNC'],
        ['DBSIZE'],
        ['SELECT', '1'],
        ['DBSIZE'],
        ['FLUSHALL', 'ASYNC', 'SYNC'],
        ['FLUSHDB', 'SYNC', 'x'],
        ['SELECT', '0'],
      ]));

    it('FLUSHDB, FLUSHALL, SWAPDB, DBSIZE options', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['FLUSHDB', 'ASYNC'],
        ['FLUSHDB', 'BOGUS'],
        ['FLUSHALL', 'SYNC'],
        ['SET', 'a', '1'],
        ['SWAPDB', '0', '1'],
        ['DBSIZE'],
        ['SELECT', '1'],
        ['GET', 'a'],
        ['SWAPDB', '0', 'x'],
        ['SWAPDB', 'x', '0'],
        ['SWAPDB', '0', '100'],
        ['SELECT', '0'],
      ]));

    it('SCAN argument errors', async () => {
      const steps: string[][] = [];
      for (let i = 0; i < 50; i++) steps.push(['SET', `key:${i}`, 'v']);
      steps.push(
        ['SCAN', 'x'],
        ['SCAN', '0', 'COUNT', '0'],
        ['SCAN', '0', 'BOGUS'],
        ['SCAN', '0', 'MATCH'],
      );
      await servers.compare(steps);
    });

    it('OBJECT ENCODING for strings, and OBJECT as a container of subcommands', () =>
      servers.compare([
        ['SET', 'i', '12345'],
        ['SET', 's', 'short'],
        ['SET', 'l', 'x'.repeat(60)],
        ['OBJECT', 'ENCODING', 'i'],
        ['OBJECT', 'ENCODING', 's'],
        ['OBJECT', 'ENCODING', 'l'],
        ['OBJECT', 'ENCODING', 'none'],
        ['OBJECT', 'FREQ', 'i'],
        ['OBJECT', 'BOGUS', 'i'],
        ['OBJECT', 'ENCODING'],
        ['OBJECT', 'REFCOUNT', 'i', 'extra'],
        ['OBJECT', 'HELP'],
      ]));
  },
);

describe.runIf(requireRedisOrSkip('MIGRATE differential'))(
  'MIGRATE to a real redis-server, compared with redis-server migrating to it',
  () => {
    const servers = useDifferential();
    let target: RunningServer;
    // Accepts connections and never answers: a target that times out.
    const silent = createServer(() => undefined);
    let silentPort = 0;
    beforeAll(async () => {
      target = await startRedis();
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentPort = (silent.address() as AddressInfo).port;
    }, 30_000);
    afterAll(async () => {
      silent.close();
      await target?.stop();
    });

    const on = (...command: string[]) => ({ other: command, port: target.port });
    const migrate = (...rest: string[]) => ['MIGRATE', '127.0.0.1', String(target.port), ...rest];
    /**
     * The TTL a migrated key arrived with: time passes between SET and TTL (a second and more on
     * a busy machine), so a TTL within a minute of what SET gave reads as that.
     */
    const keptTtl =
      (seconds: number) =>
      (reply: string): string => {
        const left = Number(/^:(\d+)\r\n$/.exec(reply)?.[1] ?? Number.NaN);
        return left <= seconds && left > seconds - 60 ? `:about ${seconds}\r\n` : reply;
      };

    it('moves a key with its TTL, into the destination database; NOKEY when it is missing', () =>
      servers.compare([
        on('FLUSHALL'),
        ['SET', 'k', 'v', 'EX', '100000'],
        ['RPUSH', 'l', 'a', 'b'],
        migrate('k', '0', '5000'),
        ['EXISTS', 'k'],
        on('GET', 'k'),
        { ...on('TTL', 'k'), normalize: keptTtl(100000) },
        migrate('l', '3', '5000'),
        ['EXISTS', 'l'],
        on('SELECT', '3'),
        on('LRANGE', 'l', '0', '-1'),
        migrate('missing', '0', '5000'),
        migrate('', '0', '5000', 'KEYS', 'missing', 'other'),
      ]));

    it('inside MULTI and scripts, as the server waits for the target', () =>
      servers.compare([
        on('FLUSHALL'),
        ['MSET', 'a', '1', 'b', '2'],
        ['MULTI'],
        migrate('a', '0', '5000'),
        ['EXISTS', 'a'],
        ['EXEC'],
        [
          'EVAL',
          "return {redis.call('migrate', ARGV[1], ARGV[2], KEYS[1], 0, 5000), redis.call('exists', KEYS[1])}",
          '1',
          'b',
          '127.0.0.1',
          String(target.port),
        ],
        on('MGET', 'a', 'b'),
      ]));

    it('a cached connection the target closed is replaced without an error', () =>
      servers.compare([
        on('FLUSHALL'),
        ['MSET', 'a', '1', 'b', '2'],
        migrate('a', '0', '5000'),
        // Both servers' connections may be there: how many were killed is not compared.
        {
          ...on('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'),
          normalize: (reply: string) => reply.replace(/^:\d+/, ':<killed>'),
        },
        migrate('b', '0', '5000'),
        on('MGET', 'a', 'b'),
      ]));

    it('COPY keeps the key, REPLACE overwrites, and an existing key is the target error', () =>
      servers.compare([
        on('FLUSHALL'),
        ['SET', 'k', 'v'],
        on('SET', 'k', 'old'),
        migrate('k', '0', '5000'),
        ['GET', 'k'],
        migrate('k', '0', '5000', 'COPY'),
        migrate('k', '0', '5000', 'COPY', 'REPLACE'),
        ['GET', 'k'],
        on('GET', 'k'),
        migrate('k', '0', '5000', 'REPLACE'),
        ['EXISTS', 'k'],
        {
          command: ['INFO', 'stats'],
          normalize: (reply: string) => /migrate_cached_sockets:\d+/.exec(reply)?.[0] ?? reply,
        },
      ]));

    it('KEYS moves several keys, skipping missing ones; the target errors per key', () =>
      servers.compare([
        on('FLUSHALL'),
        ['MSET', 'a', '1', 'b', '2', 'c', '3'],
        ['SADD', 's', 'x'],
        on('SET', 'b', 'taken'),
        migrate('', '0', '5000', 'KEYS', 'a', 'missing', 'b', 's'),
        ['MGET', 'a', 'b', 'c'],
        ['EXISTS', 's'],
        migrate('', '0', '5000', 'REPLACE', 'KEYS', 'b', 'c'),
        ['DBSIZE'],
        on('MGET', 'a', 'b', 'c'),
        on('SMEMBERS', 's'),
      ]));

    it('COMMAND GETKEYS: the key argument, or the keys after KEYS, AUTH values skipped', () =>
      servers.compare([
        ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '10'],
        ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '10', 'COPY', 'KEYS', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'keys', 'KEYS', 'a'],
        ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '10', 'AUTH2', 'u', 'p', 'KEYS', 'a'],
        ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '10', 'KEYS', 'a'],
      ]));

    it('argument errors, AUTH refused by the target, a bad database, unreachable targets', () =>
      servers.compare([
        on('FLUSHALL'),
        ['SET', 'k', 'v'],
        migrate('k', '0', '5000', 'BOGUS'),
        migrate('k', '0', '5000', 'AUTH'),
        migrate('k', '0', '5000', 'AUTH2', 'user'),
        migrate('k', '0', '5000', 'KEYS', 'k'),
        migrate('k', 'x', '5000'),
        migrate('k', '0', 'x'),
        migrate('k', '0', '5000', 'AUTH', 'secret'),
        migrate('k', '0', '5000', 'AUTH2', 'user', 'secret'),
        migrate('k', '99', '5000'),
        migrate('k', '0', '5000'),
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000'],
        ['MIGRATE', '127.0.0.1', String(silentPort), 'k', '0', '200'],
        ['GET', 'k'],
      ]));
  },
);
