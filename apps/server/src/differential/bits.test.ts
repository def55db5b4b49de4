import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('bitmap differential'))(
  'bitmaps, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('SETBIT, GETBIT and their errors', () =>
      servers.compare([
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '0'],
        ['SETBIT', 'b', '100', '1'],
        ['GET', 'b'],
        ['GETBIT', 'b', '100'],
        ['GETBIT', 'b', '100000'],
        ['GETBIT', 'none', '0'],
        ['SETBIT', 'b', '-1', '1'],
        ['SETBIT', 'b', '4294967296', '1'],
        ['SETBIT', 'b', '1', '2'],
        ['SETBIT', 'b', '1', 'x'],
        ['GETBIT', 'b', 'x'],
        ['SET', 's', 'str'],
        ['LPUSH', 'l', 'x'],
        ['SETBIT', 'l', '1', '1'],
      ]));

    it('BITCOUNT with byte and bit ranges', () =>
      servers.compare([
        ['SET', 's', 'foobar'],
        ['BITCOUNT', 's'],
        ['BITCOUNT', 's', '0', '0'],
        ['BITCOUNT', 's', '1', '1'],
        ['BITCOUNT', 's', '-2', '-1'],
        ['BITCOUNT', 's', '5', '30', 'BIT'],
        ['BITCOUNT', 's', '0', '-1', 'BYTE'],
        ['BITCOUNT', 's', '3', '1'],
        ['BITCOUNT', 's', '0'],
        ['BITCOUNT', 's', '0', '1', 'WORD'],
        ['BITCOUNT', 's', 'a', '1'],
        ['BITCOUNT', 'none'],
        ['BITCOUNT', 'none', '0', '1'],
      ]));

    it('BITPOS for set and clear bits', () =>
      servers.compare([
        ['SET', 'p', '\xff\xf0\x00'],
        ['BITPOS', 'p', '0'],
        ['BITPOS', 'p', '1', '2'],
        ['BITPOS', 'p', '1', '0', '-1', 'BIT'],
        ['BITPOS', 'p', '0', '1', '1'],
        ['SET', 'ones', '\xff\xff'],
        ['BITPOS', 'ones', '0'],
        ['BITPOS', 'ones', '0', '0', '-1'],
        ['BITPOS', 'none', '1'],
        ['BITPOS', 'none', '0'],
        ['BITPOS', 'p', '2'],
        ['BITPOS', 'p', '1', '5', '2'],
        ['BITPOS', 'p', '1', '0', '1', 'BOGUS'],
      ]));
  },
);
