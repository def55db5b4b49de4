import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('strings differential'))(
  'strings, compared with redis-server',
  () => {
    const servers = useDifferential();
    const both = [2, 3] as const;

    for (const protocol of both) {
      it(`SET options and errors (RESP${protocol})`, () =>
        servers.compare(
          [
            ['SET', 'k', 'v'],
            ['GET', 'k'],
            ['SET', 'k', 'v2', 'GET'],
            ['SET', 'k', 'v3', 'NX'],
            ['SET', 'k', 'v3', 'XX', 'GET'],
            ['SET', 'missing', 'x', 'XX'],
            ['SET', 'missing', 'x', 'XX', 'GET'],
            ['SET', 'k', 'v', 'NX', 'XX'],
            ['SET', 'k', 'v', 'EX', '10', 'PX', '100'],
            ['SET', 'k', 'v', 'EX'],
            ['SET', 'k', 'v', 'EX', '0'],
            ['SET', 'k', 'v', 'EX', '-5'],
            ['SET', 'k', 'v', 'EX', 'abc'],
            ['SET', 'k', 'v', 'PX', '9223372036854775807'],
            ['SET', 'k', 'v', 'EX', '100', 'KEEPTTL'],
            ['SET', 'k', 'v', 'KEEPTTL'],
            ['SET', 'k', 'v', 'EX', '100'],
            ['TTL', 'k'],
            ['SET', 'k', 'w', 'KEEPTTL'],
            ['TTL', 'k'],
            ['SET', 'k', 'w'],
            ['TTL', 'k'],
            ['SET', 'k', 'v', 'BOGUS'],
            ['SET', 'k'],
            ['GET'],
            ['GET', 'nothing'],
            ['SET', 'bin', '\x00\r\n\xff'],
            ['GET', 'bin'],
            ['SET', 'k', 'v', 'PXAT', '1'],
            ['EXISTS', 'k'],
          ],
          { protocol },
        ));
    }

    it('GETEX, GETDEL, GETSET, MGET, MSET, MSETNX, SETNX, SETEX, PSETEX', () =>
      servers.compare([
        ['SET', 'a', '1'],
        ['GETEX', 'a', 'EX', '100'],
        ['TTL', 'a'],
        ['GETEX', 'a', 'PERSIST'],
        ['TTL', 'a'],
        ['GETEX', 'a', 'EX', '100', 'PERSIST'],
        ['GETEX', 'a', 'FOO'],
        ['GETEX', 'none'],
        ['GETDEL', 'a'],
        ['GETDEL', 'a'],
        ['GETSET', 'a', 'x'],
        ['GETSET', 'a', 'y'],
        ['MSET', 'a', '1', 'b', '2'],
        ['MSET', 'a', '1', 'b'],
        ['MGET', 'a', 'b', 'c'],
        ['MSETNX', 'a', '1', 'z', '2'],
        ['MSETNX', 'y', '1', 'z', '2'],
        ['SETNX', 'a', 'q'],
        ['SETNX', 'new', 'q'],
        ['SETEX', 'e', '100', 'v'],
        ['TTL', 'e'],
        ['SETEX', 'e', '0', 'v'],
        ['SETEX', 'e', 'x', 'v'],
        ['PSETEX', 'e', '100000', 'v'],
        ['PSETEX', 'e', '-1', 'v'],
      ]));

    it('APPEND, STRLEN, GETRANGE, SETRANGE', () =>
      servers.compare([
        ['APPEND', 's', 'hello'],
        ['APPEND', 's', ' world'],
        ['STRLEN', 's'],
        ['STRLEN', 'none'],
        ['GETRANGE', 's', '0', '4'],
        ['GETRANGE', 's', '-5', '-1'],
        ['GETRANGE', 's', '5', '2'],
        ['GETRANGE', 's', '-1', '-5'],
        ['GETRANGE', 's', '0', '100'],
        ['GETRANGE', 'none', '0', '1'],
        ['GETRANGE', 's', 'a', '1'],
        ['SETRANGE', 's', '6', 'there'],
        ['GET', 's'],
        ['SETRANGE', 's', '20', 'x'],
        ['GET', 's'],
        ['SETRANGE', 'fresh', '0', ''],
        ['EXISTS', 'fresh'],
        ['SETRANGE', 's', '-1', 'x'],
        ['SETRANGE', 's', '536870912', 'x'],
      ]));

    it('INCR family and INCRBYFLOAT formatting', () =>
      servers.compare([
        ['INCR', 'n'],
        ['INCRBY', 'n', '41'],
        ['DECR', 'n'],
        ['DECRBY', 'n', '-10'],
        ['INCRBY', 'n', 'x'],
        ['SET', 'n', '9223372036854775806'],
        ['INCR', 'n'],
        ['INCR', 'n'],
        ['SET', 'n', '-9223372036854775808'],
        ['DECR', 'n'],
        ['DECRBY', 'n', '-9223372036854775808'],
        ['SET', 'n', ' 1'],
        ['INCR', 'n'],
        ['SET', 'n', '01'],
        ['INCR', 'n'],
        ['SET', 'f', '10.5'],
        ['INCRBYFLOAT', 'f', '0.1'],
        ['INCRBYFLOAT', 'f', '-5'],
        ['INCRBYFLOAT', 'f', '1e3'],
        ['INCRBYFLOAT', 'f', '-1005.59999999999999998'],
        ['INCRBYFLOAT', 'f', '1.23456789012345678901'],
        ['INCRBYFLOAT', 'f', '-3.3e-7'],
        ['INCRBYFLOAT', 'f', '12345678901234567890'],
        ['INCRBYFLOAT', 'g', '0.1'],
        ['INCRBYFLOAT', 'g', '0.2'],
        ['INCRBYFLOAT', 'g', 'abc'],
        ['INCRBYFLOAT', 'g', 'inf'],
        ['INCRBYFLOAT', 'int', '3'],
        ['SET', 'h', '5.0e3'],
        ['INCRBYFLOAT', 'h', '2.0e2'],
        ['INCRBYFLOAT', 'h', '-inf'],
        ['HINCRBYFLOAT', 'hash', 'f', '0.1'],
        ['HINCRBYFLOAT', 'hash', 'f', '0.2'],
        ['HINCRBYFLOAT', 'hash', 'f', '1e3'],
      ]));
  },
);
