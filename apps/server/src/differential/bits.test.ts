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

    it('BITPOS with BYTE ranges, and a clear bit past an explicit end', () =>
      servers.compare([
        ['SET', 'p', '\xff\xf0\x00\xff'],
        ['BITPOS', 'p', '0', '0', '-1', 'BYTE'],
        ['BITPOS', 'p', '1', '2', '-1', 'BYTE'],
        ['BITPOS', 'p', '0', '3', '3', 'BYTE'],
        ['BITPOS', 'p', '0', '3', 'BYTE'],
        ['BITPOS', 'p', '1', '-2', '-2', 'byte'],
        ['BITPOS', 'p', '1', '5', '10', 'BYTE'],
        ['BITPOS', 'p', '0', '8', '15', 'BIT'],
        ['BITPOS', 'p', '0', '12', '-1', 'BIT'],
        ['BITPOS', 'p', '1', '0', 'x', 'BYTE'],
        ['BITPOS', 'p', '1', '0', '1', 'BYTE', 'BIT'],
      ]));

    it('BITOP AND, OR, XOR, NOT over strings of different lengths, and its errors', () =>
      servers.compare([
        ['SET', 'a', 'abcdef'],
        ['SET', 'b', '\u00ff\u000f'],
        ['BITOP', 'AND', 'dest', 'a', 'b'],
        ['GET', 'dest'],
        ['BITOP', 'or', 'dest', 'a', 'b', 'missing'],
        ['GET', 'dest'],
        ['BITOP', 'XOR', 'dest', 'a', 'b'],
        ['GET', 'dest'],
        ['BITOP', 'NOT', 'dest', 'b'],
        ['GET', 'dest'],
        ['EXPIRE', 'dest', '100'],
        ['BITOP', 'AND', 'dest', 'a'],
        ['TTL', 'dest'],
        ['BITOP', 'OR', 'dest', 'missing', 'other'],
        ['EXISTS', 'dest'],
        ['BITOP', 'NOT', 'dest', 'a', 'b'],
        ['BITOP', 'NAND', 'dest', 'a'],
        ['LPUSH', 'list', 'x'],
        ['BITOP', 'AND', 'dest', 'a', 'list'],
        ['BITOP', 'AND', 'dest'],
      ]));

    it('BITFIELD GET, SET, INCRBY with every overflow mode, # offsets, BITFIELD_RO, errors', () =>
      servers.compare([
        ['BITFIELD', 'f', 'SET', 'i8', '0', '100', 'GET', 'i8', '0', 'GET', 'u4', '0'],
        [
          'BITFIELD',
          'f',
          'INCRBY',
          'i8',
          '0',
          '100',
          'OVERFLOW',
          'SAT',
          'INCRBY',
          'i8',
          '0',
          '100',
        ],
        ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '100', 'GET', 'i8', '0'],
        ['BITFIELD', 'f', 'OVERFLOW', 'sat', 'SET', 'u8', '8', '-1', 'SET', 'u8', '16', '300'],
        ['BITFIELD', 'f', 'OVERFLOW', 'wrap', 'SET', 'u8', '24', '-1', 'INCRBY', 'u2', '100', '7'],
        ['BITFIELD', 'f', 'SET', 'u8', '#3', '9', 'GET', 'u8', '#3', 'GET', 'i64', '0'],
        ['BITFIELD', 'f', 'SET', 'i64', '64', '-9223372036854775808', 'INCRBY', 'i64', '64', '-1'],
        ['BITFIELD', 'f', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '64', '-5', 'GET', 'u63', '64'],
        ['GET', 'f'],
        ['STRLEN', 'f'],
        ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '9'],
        ['EXISTS', 'g'],
        ['BITFIELD', 'missing', 'GET', 'u8', '0'],
        ['EXISTS', 'missing'],
        ['BITFIELD', 'f'],
        ['BITFIELD_RO', 'f', 'GET', 'i8', '0', 'GET', 'u16', '4'],
        ['BITFIELD_RO', 'f', 'SET', 'i8', '0', '1'],
        ['BITFIELD', 'f', 'GET', 'u64', '0'],
        ['BITFIELD', 'f', 'GET', 'i65', '0'],
        ['BITFIELD', 'f', 'GET', 'x8', '0'],
        ['BITFIELD', 'f', 'GET', 'i8', '-1'],
        ['BITFIELD', 'f', 'GET', 'i8', '#x'],
        ['BITFIELD', 'f', 'SET', 'i8', '0', 'abc'],
        ['BITFIELD', 'f', 'OVERFLOW', 'BOGUS', 'GET', 'i8', '0'],
        ['BITFIELD', 'f', 'BOGUS', 'i8', '0'],
        ['BITFIELD', 'f', 'GET', 'i8'],
        ['BITFIELD', 'f', 'GET', 'i8', '4294967296'],
        ['LPUSH', 'list', 'x'],
        ['BITFIELD', 'list', 'GET', 'i8', '0'],
        ['BITFIELD', 'list', 'SET', 'i8', '0', '1'],
      ]));

    it('BITCOUNT and BITPOS check their arguments in Redis order', () =>
      servers.compare([
        ['SET', 'str', 'foobar'],
        ['BITCOUNT', 'str', '-6', '-7'],
        ['BITCOUNT', 'str', '-6', '-7', 'BOGUS'],
        ['BITCOUNT', 'str', '-7', '-6'],
        ['BITCOUNT', 'str', '0'],
        ['BITCOUNT', 'missing', '0'],
        ['BITCOUNT', 'missing', 'x', 'y', 'BOGUS'],
        ['BITPOS', 'str', 'x'],
        ['BITPOS', 'str', '2'],
        ['BITPOS', 'str', '1', '0', 'x', 'BOGUS'],
        ['BITPOS', 'str', '1', '0', '1', 'BIT', 'extra'],
        ['BITPOS', 'missing', '1', 'x', 'y', 'z', 'w'],
        ['BITPOS', 'missing', '0', 'x'],
      ]));
  },
);
