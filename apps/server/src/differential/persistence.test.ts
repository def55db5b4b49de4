import { crc64 } from '@rc/rdb';
import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** A DUMP payload around hand-written value bytes: RDB version 10 and a valid CRC64. */
function payload(valueBytes: number[]): string {
  const body = Buffer.from([...valueBytes, 10, 0]);
  const checksum = Buffer.alloc(8);
  checksum.writeBigUInt64LE(crc64(0, body));
  return Buffer.concat([body, checksum]).toString('latin1');
}

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
  },
);
