/**
 * Files as each Redis generation writes them, built byte by byte (test-support/rdb-fixture.ts),
 * from RDB 1 (Redis 1.x/2.0) to RDB 12 (Redis 7.4).
 */
import { describe, expect, it } from 'vitest';
import { RdbReader, readRdb } from './reader.js';
import {
  intset,
  listpack,
  rawStreamId,
  RdbFixture,
  ziplist,
  zipmap,
} from './test-support/rdb-fixture.js';
import type { RdbRecord } from './types.js';

/** Reading `file` one byte per push (every retry and skip path) gives what reading it whole does. */
function expectSameInBytes(file: Buffer): void {
  const reader = new RdbReader();
  const records: RdbRecord[] = [];
  for (let i = 0; i < file.length; i++) {
    reader.push(file.subarray(i, i + 1));
    for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
  }
  reader.end();
  for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
  expect(records).toEqual(readRdb(file));
}

const keysOf = (records: RdbRecord[]) => records.filter((r) => r.kind === 'key');
const key = (name: string, value: unknown, expireAt: number | null = null, db = 0) => ({
  kind: 'key',
  db,
  key: name,
  value,
  expireAt,
});

describe('RDB 11 (Redis 7.2)', () => {
  const LUA = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)";
  const file = new RdbFixture(11)
    .aux('redis-ver', '7.2.4')
    .raw(0xfa)
    .string('redis-bits')
    .intString(64, 1)
    .raw(0xfa)
    .string('ctime')
    .intString(1_700_000_000, 4)
    .aux('used-mem', '1234567')
    .raw(0xfa)
    .string('aof-base')
    .intString(0, 1)
    .raw(0xf5)
    .string(LUA)
    .selectDb(0)
    .resizeDb(6, 1)
    // RDB_TYPE_SET_LISTPACK
    .raw(20)
    .string('set:listpack')
    .string(Uint8Array.from(listpack(['a', 'b', 5, -3, { int24: 100000 }])))
    // IDLE before a quicklist 2 with a packed and a plain node
    .raw(0xf8)
    .length(100)
    .raw(18)
    .string('list:quicklist2')
    .length(2)
    .length(2)
    .string(Uint8Array.from(listpack(['x', 1, 'y'])))
    .length(1)
    .string('a plain node')
    // FREQ before a listpack hash
    .raw(0xf9, 5)
    .raw(16)
    .string('hash:listpack')
    .string(Uint8Array.from(listpack(['f1', 'v1', 'n', { int16: 1000 }])))
    .expireMs(1_900_000_000_123)
    .raw(17)
    .string('zset:listpack')
    .string(
      Uint8Array.from(
        listpack(['a', 1, 'b', '2.5', 'c', 'inf', 'd', { int13: -4096 }, 'e', '-inf']),
      ),
    )
    // RDB_TYPE_STREAM_LISTPACKS_3: a deleted entry, one with other fields, active times
    .raw(21)
    .string('stream:v3')
    .length(1)
    .string(Uint8Array.from(rawStreamId(1000n, 0n)))
    .string(
      Uint8Array.from(
        listpack([
          2,
          1,
          2,
          'f',
          'g',
          0,
          2,
          0,
          0,
          'a',
          'b',
          5,
          3,
          1,
          0,
          'c',
          'd',
          5,
          0,
          5,
          7,
          1,
          'h',
          'i',
          6,
        ]),
      ),
    )
    .length(2)
    .length(1005)
    .length(7)
    .length(1000)
    .length(0)
    .length(1001)
    .length(0)
    .length(3)
    .length(1)
    .string('grp')
    .length(1005)
    .length(7)
    .length(3)
    .length(2)
    .raw(rawStreamId(1000n, 0n))
    .le(1_700_000_000_001, 8)
    .length(2)
    .raw(rawStreamId(1005n, 7n))
    .le(1_700_000_000_002, 8)
    .length(1)
    .length(2)
    .string('c1')
    .le(1_700_000_000_010, 8)
    .le(1_700_000_000_011, 8)
    .length(1)
    .raw(rawStreamId(1000n, 0n))
    .string('c2')
    .le(1_700_000_000_020, 8)
    .le(1_700_000_000_021, 8)
    .length(1)
    .raw(rawStreamId(1005n, 7n))
    .raw(0)
    .string('plain')
    .string('string')
    .end();

  const records = readRdb(file);

  it('reads the aux fields, int-encoded ones as decimal text', () => {
    expect(records.slice(0, 5)).toEqual([
      { kind: 'aux', name: 'redis-ver', value: '7.2.4' },
      { kind: 'aux', name: 'redis-bits', value: '64' },
      { kind: 'aux', name: 'ctime', value: '1700000000' },
      { kind: 'aux', name: 'used-mem', value: '1234567' },
      { kind: 'aux', name: 'aof-base', value: '0' },
    ]);
  });

  it('returns FUNCTION2 payloads as function records', () => {
    expect(records[5]).toEqual({ kind: 'function', payload: LUA });
  });

  it('reads listpack sets, quicklist 2 lists (packed and plain nodes), listpack hashes and zsets', () => {
    expect(keysOf(records).slice(0, 4)).toEqual([
      key('set:listpack', { type: 'set', members: ['a', 'b', '5', '-3', '100000'] }),
      key('list:quicklist2', { type: 'list', items: ['x', '1', 'y', 'a plain node'] }),
      key('hash:listpack', {
        type: 'hash',
        entries: [
          ['f1', 'v1'],
          ['n', '1000'],
        ],
        compact: true,
      }),
      key(
        'zset:listpack',
        {
          type: 'zset',
          entries: [
            ['a', 1],
            ['b', 2.5],
            ['c', Infinity],
            ['d', -4096],
            ['e', -Infinity],
          ],
          compact: true,
        },
        1_900_000_000_123,
      ),
    ]);
  });

  it('reads RDB_TYPE_STREAM_LISTPACKS_3 with consumer active times, skipping deleted entries', () => {
    expect(keysOf(records)[4]).toEqual(
      key('stream:v3', {
        type: 'stream',
        stream: {
          entries: [
            { id: { ms: 1000n, seq: 0n }, fields: ['f', 'a', 'g', 'b'] },
            { id: { ms: 1005n, seq: 7n }, fields: ['h', 'i'] },
          ],
          length: 2,
          lastId: { ms: 1005n, seq: 7n },
          firstId: { ms: 1000n, seq: 0n },
          maxDeletedId: { ms: 1001n, seq: 0n },
          entriesAdded: 3n,
          groups: [
            {
              name: 'grp',
              lastId: { ms: 1005n, seq: 7n },
              entriesRead: 3n,
              pending: [
                {
                  id: { ms: 1000n, seq: 0n },
                  deliveryTime: 1_700_000_000_001,
                  deliveryCount: 2,
                  consumer: 'c1',
                },
                {
                  id: { ms: 1005n, seq: 7n },
                  deliveryTime: 1_700_000_000_002,
                  deliveryCount: 1,
                  consumer: 'c2',
                },
              ],
              consumers: [
                { name: 'c1', seenTime: 1_700_000_000_010, activeTime: 1_700_000_000_011 },
                { name: 'c2', seenTime: 1_700_000_000_020, activeTime: 1_700_000_000_021 },
              ],
            },
          ],
        },
      }),
    );
  });

  it('reads the same fed one byte at a time', () => expectSameInBytes(file));

  it('ends with a verified checksum', () => {
    expect(keysOf(records)[5]).toEqual(key('plain', { type: 'string', value: 'string' }));
    expect(records.at(-1)).toEqual({ kind: 'end', checksum: 'verified' });
  });
});

describe('RDB 12 (Redis 7.4)', () => {
  const MIN = 1_800_000_000_000;
  const file = new RdbFixture(12)
    .aux('redis-ver', '7.4.0')
    .raw(0xf4)
    .length(5)
    .length(3)
    .length(1)
    .selectDb(0)
    .resizeDb(5, 0)
    // RDB_TYPE_HASH_METADATA: smallest TTL, then per field a TTL relative to it (+1; 0 = none)
    .raw(24)
    .string('hash:ttl')
    .le(MIN, 8)
    .length(3)
    .length(0)
    .string('a')
    .string('x')
    .length(1)
    .string('b')
    .string('y')
    .length(501)
    .string('c')
    .string('z')
    // RDB_TYPE_HASH_LISTPACK_EX: smallest TTL, then a listpack of field, value, TTL (0 = none)
    .raw(25)
    .string('hash:listpack-ttl')
    .le(MIN, 8)
    .string(Uint8Array.from(listpack(['f', 'v', 0, 'g', 'w', { int64: BigInt(MIN) }])))
    // The 7.4 release candidates' forms: absolute TTLs, no smallest TTL first
    .raw(22)
    .string('hash:ttl-rc')
    .length(2)
    .length(BigInt(MIN) + 7n)
    .string('p')
    .string('q')
    .length(0)
    .string('r')
    .string('s')
    .raw(23)
    .string('hash:listpack-ttl-rc')
    .string(Uint8Array.from(listpack(['k', 'l', { int64: BigInt(MIN) + 9n }])))
    .raw(20)
    .string('set')
    .string(Uint8Array.from(listpack(['m'])))
    .end();

  it('reads the same fed one byte at a time', () => expectSameInBytes(file));

  it('skips SLOT_INFO and reads hashes with field TTLs, exposing the TTLs', () => {
    const records = readRdb(file);
    expect(records[1]).toEqual({ kind: 'db', db: 0 });
    expect(keysOf(records)).toEqual([
      key('hash:ttl', {
        type: 'hash',
        entries: [
          ['a', 'x'],
          ['b', 'y'],
          ['c', 'z'],
        ],
        fieldExpireAt: [
          ['b', MIN],
          ['c', MIN + 500],
        ],
      }),
      key('hash:listpack-ttl', {
        type: 'hash',
        entries: [
          ['f', 'v'],
          ['g', 'w'],
        ],
        fieldExpireAt: [['g', MIN]],
      }),
      key('hash:ttl-rc', {
        type: 'hash',
        entries: [
          ['p', 'q'],
          ['r', 's'],
        ],
        fieldExpireAt: [['p', MIN + 7]],
      }),
      key('hash:listpack-ttl-rc', {
        type: 'hash',
        entries: [['k', 'l']],
        fieldExpireAt: [['k', MIN + 9]],
      }),
      key('set', { type: 'set', members: ['m'] }),
    ]);
    expect(records.at(-1)).toEqual({ kind: 'end', checksum: 'verified' });
  });
});

describe('RDB 9 (Redis 5 and 6)', () => {
  const file = new RdbFixture(9)
    .aux('redis-ver', '6.2.14')
    .selectDb(0)
    .resizeDb(7, 0)
    .raw(13)
    .string('hash:ziplist')
    .string(Uint8Array.from(ziplist(['f', 'v', 'n', { int16: 300 }])))
    .raw(12)
    .string('zset:ziplist')
    .string(Uint8Array.from(ziplist(['a', 1, 'b', '2.5', 'c', { int32: -70000 }])))
    .raw(14)
    .string('list:quicklist')
    .length(2)
    .string(Uint8Array.from(ziplist(['a', 12, { int8: -5 }])))
    .string(
      Uint8Array.from(
        ziplist([{ int24: 1000000 }, { int64: 9007199254740993n }, 'long'.repeat(100)]),
      ),
    )
    .raw(11)
    .string('set:intset')
    .string(Uint8Array.from(intset(8, [-(2n ** 63n), 0n, 2n ** 62n])))
    .raw(0)
    .string('str:lzf')
    // "abc" literal, then a 12-byte overlapping back reference (length 12-2=10: 7 + 3)
    .lzfString([2, 0x61, 0x62, 0x63, 0xe0, 3, 2], 15)
    .raw(0)
    .string('str:ints')
    .intString(-128, 1)
    .raw(15)
    .string('stream:v1')
    .length(1)
    .string(Uint8Array.from(rawStreamId(5n, 0n)))
    .string(Uint8Array.from(listpack([1, 0, 1, 'k', 0, 2, 0, 0, 'v', 4])))
    .length(1)
    .length(5)
    .length(0)
    .length(1)
    .string('g')
    .length(5)
    .length(0)
    .length(0)
    .length(1)
    .string('c')
    .le(1_600_000_000_000, 8)
    .length(0)
    .end();

  it('reads ziplist hashes and zsets, quicklists of ziplists, 64-bit intsets, LZF and int strings', () => {
    const keys = keysOf(readRdb(file));
    expect(keys.slice(0, 6)).toEqual([
      key('hash:ziplist', {
        type: 'hash',
        entries: [
          ['f', 'v'],
          ['n', '300'],
        ],
        compact: true,
      }),
      key('zset:ziplist', {
        type: 'zset',
        entries: [
          ['a', 1],
          ['b', 2.5],
          ['c', -70000],
        ],
        compact: true,
      }),
      key('list:quicklist', {
        type: 'list',
        items: ['a', '12', '-5', '1000000', '9007199254740993', 'long'.repeat(100)],
      }),
      key('set:intset', {
        type: 'set',
        members: ['-9223372036854775808', '0', '4611686018427387904'],
        compact: true,
      }),
      key('str:lzf', { type: 'string', value: 'abcabcabcabcabc' }),
      key('str:ints', { type: 'string', value: '-128' }),
    ]);
  });

  it('reads the same fed one byte at a time', () => expectSameInBytes(file));

  it('reads RDB_TYPE_STREAM_LISTPACKS, deriving what RDB 10 added as Redis does', () => {
    expect(keysOf(readRdb(file))[6]).toEqual(
      key('stream:v1', {
        type: 'stream',
        stream: {
          entries: [{ id: { ms: 5n, seq: 0n }, fields: ['k', 'v'] }],
          length: 1,
          lastId: { ms: 5n, seq: 0n },
          firstId: { ms: 5n, seq: 0n },
          maxDeletedId: { ms: 0n, seq: 0n },
          entriesAdded: 1n,
          groups: [
            {
              name: 'g',
              lastId: { ms: 5n, seq: 0n },
              entriesRead: 1n,
              pending: [],
              consumers: [
                { name: 'c', seenTime: 1_600_000_000_000, activeTime: 1_600_000_000_000 },
              ],
            },
          ],
        },
      }),
    );
  });
});

describe('RDB 1 to 4 (Redis 1.x to 2.4)', () => {
  it('reads zipmap hashes, ziplist lists, text-double zsets and expiries in seconds, without checksum', () => {
    const file = new RdbFixture(4)
      .selectDb(2)
      .expireSeconds(1_500_000_000)
      .raw(9)
      .string('hash:zipmap')
      .string(
        Uint8Array.from(
          zipmap([
            ['f1', 'v1', 2],
            ['x'.repeat(300), 'y'.repeat(260)],
            ['', ''],
          ]),
        ),
      )
      .raw(10)
      .string('list:ziplist')
      .string(Uint8Array.from(ziplist(['a', 0, 'b'.repeat(300), { int16: -2 }])))
      .raw(3)
      .string('zset:text')
      .length(4)
      // Greatest first, as Redis writes a skiplist.
      .string('b')
      .raw(254)
      .string('a')
      .raw(3, 0x31, 0x2e, 0x35)
      .string('d')
      .raw(5)
      .raw(...Buffer.from('1e-05'))
      .string('c')
      .raw(255)
      .raw(11)
      .string('set:intset16')
      .string(Uint8Array.from(intset(2, [-1, 7])))
      .end('none');
    expect(readRdb(file)).toEqual([
      { kind: 'db', db: 2 },
      key(
        'hash:zipmap',
        {
          type: 'hash',
          entries: [
            ['f1', 'v1'],
            ['x'.repeat(300), 'y'.repeat(260)],
            ['', ''],
          ],
        },
        1_500_000_000_000,
        2,
      ),
      key('list:ziplist', { type: 'list', items: ['a', '0', 'b'.repeat(300), '-2'] }, null, 2),
      key(
        'zset:text',
        {
          type: 'zset',
          entries: [
            ['c', -Infinity],
            ['d', 0.00001],
            ['a', 1.5],
            ['b', Infinity],
          ],
        },
        null,
        2,
      ),
      key('set:intset16', { type: 'set', members: ['-1', '7'], compact: true }, null, 2),
      { kind: 'end', checksum: 'absent' },
    ]);
    expectSameInBytes(file);
  });

  it('reads an RDB 1 file of plain types', () => {
    const file = new RdbFixture(1)
      .raw(0)
      .string('s')
      .string('v')
      .raw(1)
      .string('l')
      .length(2)
      .string('a')
      .intString(1000, 2)
      .raw(2)
      .string('set')
      .length(1)
      .string('m')
      .raw(4)
      .string('h')
      .length(1)
      .string('f')
      .string('v')
      .end('none');
    expect(keysOf(readRdb(file))).toEqual([
      key('s', { type: 'string', value: 'v' }),
      key('l', { type: 'list', items: ['a', '1000'] }),
      key('set', { type: 'set', members: ['m'] }),
      key('h', { type: 'hash', entries: [['f', 'v']] }),
    ]);
  });

  it('skips empty collections as Redis does', () => {
    const file = new RdbFixture(10)
      .raw(1)
      .string('empty-list')
      .length(0)
      .raw(11)
      .string('empty-intset')
      .string(Uint8Array.from(intset(2, [])))
      .raw(0)
      .string('kept')
      .string('v')
      .end();
    expect(keysOf(readRdb(file))).toEqual([key('kept', { type: 'string', value: 'v' })]);
  });
});

describe('checksum', () => {
  it('treats eight zero bytes as "not computed"', () => {
    const file = new RdbFixture(10).raw(0).string('k').string('v').end('zero');
    expect(readRdb(file).at(-1)).toEqual({ kind: 'end', checksum: 'absent' });
  });
});
