import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

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
