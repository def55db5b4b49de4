import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { dumpPayload as payload } from '../test-support/dump-payload.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const HELLO = payload([0, 5, ...Buffer.from('hello')]);
/** Object type 99 does not exist: the checksum is right, the data is not. */
const UNKNOWN_TYPE = payload([99, 1, 65]);
/** A string whose length runs past the end of the payload. */
const TRUNCATED = payload([0, 50, 65]);

describe.runIf(requireRedisOrSkip('persistence differential'))(
  'DUMP, RESTORE and persistence settings, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('restores a payload and reports every option and payload error as Redis does', () =>
      servers.compare([
        ['DUMP', 'missing'],
        ['RESTORE', 'k', '0', HELLO],
        ['GET', 'k'],
        ['RESTORE', 'k', '0', HELLO],
        ['RESTORE', 'k', '0', HELLO, 'REPLACE'],
        ['RESTORE', 'k2', '-1', HELLO],
        ['RESTORE', 'k2', 'ten', HELLO],
        ['RESTORE', 'k2', '0', 'garbage'],
        ['RESTORE', 'k2', '0', UNKNOWN_TYPE],
        ['RESTORE', 'k2', '0', TRUNCATED],
        ['RESTORE', 'k2', '0', HELLO, 'BOGUS'],
        ['RESTORE', 'k2', '0', HELLO, 'IDLETIME', '-1'],
        ['RESTORE', 'k2', '0', HELLO, 'IDLETIME', 'x'],
        ['RESTORE', 'k2', '0', HELLO, 'FREQ', '256'],
        ['RESTORE', 'k2', '0', HELLO, 'IDLETIME', '5', 'FREQ', '5'],
        ['RESTORE', 'k2', '0', HELLO, 'FREQ', '5', 'IDLETIME', '5'],
        ['RESTORE', 'k2', '0', HELLO, 'IDLETIME', '5'],
        ['RESTORE', 'k3', '100000', HELLO],
        ['TTL', 'k3'],
        ['RESTORE', 'k4', '1', HELLO, 'ABSTTL'],
        ['EXISTS', 'k4'],
        ['RESTORE', 'k', '1', HELLO, 'ABSTTL', 'REPLACE'],
        ['EXISTS', 'k'],
        ['RESTORE', 'k5', '0', HELLO, 'REPLACE', 'REPLACE', 'ABSTTL'],
        ['GET', 'k5'],
        ['RESTORE', 'k6'],
        ['DUMP'],
      ]));

    it('DUMP gives the same bytes for strings, lists and streams, LZF included', () => {
      // A fixed pseudo-random text: compressible in places, as real data is.
      let seed = 7;
      const words = Array.from({ length: 400 }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return ['alpha', 'beta', 'gamma', 'delta', String(seed % 1000)][seed % 5];
      }).join(' ');
      const strings = [
        'a'.repeat(100),
        'abc'.repeat(50),
        'hello world '.repeat(20),
        'abcdefghijklmnopqrstu',
        '12345',
        '-1',
        '0123',
        '9223372036854775808',
        words,
        words.slice(0, 8191) + words,
      ];
      return servers.compare([
        ...strings.flatMap((value, i) => [
          ['SET', `s${i}`, value],
          ['DUMP', `s${i}`],
        ]),
        ['RPUSH', 'list', 'x'.repeat(40), 'y'.repeat(40), '1', '-5', words.slice(0, 300)],
        ['DUMP', 'list'],
        ['XADD', 'stream', '1-1', 'field', 'value'.repeat(10)],
        ['XADD', 'stream', '1-2', 'field', 'other'],
        ['DUMP', 'stream'],
      ]);
    });

    it('DUMP gives the same bytes for hashes, sets and sorted sets kept compact', () =>
      servers.compare([
        ['HSET', 'hash', 'field', 'v'.repeat(30), 'other', '12', 'n', '-70000'],
        ['HSET', 'hash', 'field', 'changed'],
        ['DUMP', 'hash'],
        ['SADD', 'int16', '1', '200', '-3'],
        ['DUMP', 'int16'],
        ['SADD', 'int32', '1', '70000', '-3'],
        ['DUMP', 'int32'],
        ['SADD', 'int64', '5', '-9223372036854775808', '9223372036854775807'],
        ['DUMP', 'int64'],
        ['SADD', 'words', 'a'],
        ['DUMP', 'words'],
        [
          'ZADD',
          'zset',
          '1',
          'm'.repeat(30),
          '2.5',
          'b',
          '-inf',
          'c',
          'inf',
          'd',
          '0.1',
          'e',
          '-0',
          'f',
          '4611686018427387904',
          'g',
          '9223372036854775808',
          'h',
          '1e-5',
          'i',
        ],
        ['DUMP', 'zset'],
        ['ZADD', 'long', '1', 'x'.repeat(100)],
        ['DUMP', 'long'],
      ]));

    it('validates persistence settings and BGSAVE arguments as Redis does', () =>
      servers.compare([
        ['CONFIG', 'SET', 'dbfilename', 'sub/dump.rdb'],
        ['CONFIG', 'SET', 'appendfilename', '../x.aof'],
        ['CONFIG', 'SET', 'save', '100'],
        ['CONFIG', 'SET', 'save', '0 1'],
        ['CONFIG', 'SET', 'save', '10 -1'],
        ['CONFIG', 'SET', 'save', '10 x'],
        ['CONFIG', 'SET', 'save', '3600 1 300 100'],
        ['CONFIG', 'GET', 'save'],
        ['CONFIG', 'SET', 'save', ''],
        ['CONFIG', 'GET', 'save'],
        ['CONFIG', 'SET', 'dir', '/nonexistent/rc'],
        ['CONFIG', 'SET', 'dir', '/etc/hostname'],
        ['BGSAVE', 'BOGUS'],
        ['BGSAVE', 'SCHEDULE', 'x'],
        ['SAVE', 'x'],
        ['LASTSAVE', 'x'],
        ['BGREWRITEAOF', 'x'],
      ]));

    // One protocol only: the scheduled rewrite starts at the next cron tick, and a second run
    // could meet it in progress ("already in progress" is then the right answer).
    it('BGREWRITEAOF inside EXEC is only scheduled, as Redis does', () =>
      servers.compare([['MULTI'], ['SET', 'foo', 'bar'], ['BGREWRITEAOF'], ['EXEC']], {
        protocol: 2,
      }));

    it('FLUSHALL saves at once when save points are set, so the change counter restarts', () => {
      const changes = {
        command: ['INFO', 'persistence'],
        normalize: (reply: string) => /rdb_changes_since_last_save:\d+/.exec(reply)?.[0] ?? reply,
      };
      return servers.compare(
        [
          ['SAVE'],
          ['CONFIG', 'SET', 'save', '3600 1 300 100 60 10000'],
          ['SET', 'key', 'value'],
          changes,
          ['FLUSHALL'],
          changes,
          ['CONFIG', 'SET', 'save', ''],
          ['SET', 'key', 'value'],
          ['FLUSHALL'],
          changes,
        ],
        { protocol: 2 },
      );
    });
  },
);
