import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RdbReader, readRdb, type RdbReaderOptions } from './reader.js';
import { rdbKeys } from './test-support/arbitraries.js';
import type { RdbKey, RdbRecord } from './types.js';
import { RdbWriter, writeRdb } from './writer.js';

const AUX: Array<[string, string]> = [
  ['redis-ver', '7.0.15'],
  ['redis-bits', '64'],
  ['ctime', '1700000000'],
  ['used-mem', '1048576'],
  ['aof-base', '0'],
];

/** The records writeRdb(keys, AUX) must read back as. */
function expectedRecords(keys: RdbKey[]): RdbRecord[] {
  const records: RdbRecord[] = AUX.map(([name, value]) => ({ kind: 'aux', name, value }));
  const dbs = [...new Set(keys.map((k) => k.db))].sort((a, b) => a - b);
  for (const db of dbs) {
    const inDb = keys.filter((k) => k.db === db);
    records.push({ kind: 'db', db });
    records.push({
      kind: 'resize',
      size: inDb.length,
      expiresSize: inDb.filter((k) => k.expireAt !== null).length,
    });
    for (const k of inDb)
      records.push({ kind: 'key', db, key: k.key, value: k.value, expireAt: k.expireAt });
  }
  records.push({ kind: 'end', checksum: 'verified' });
  return records;
}

/** Reads `chunks` pushed one by one, draining after each push. */
function readChunks(chunks: Buffer[], options?: RdbReaderOptions): RdbRecord[] {
  const reader = new RdbReader(options);
  const records: RdbRecord[] = [];
  // A 'string-bytes' record is valid until the next call of next(): kept, it is copied.
  const keep = (r: RdbRecord): number => records.push(r.kind === 'string-bytes' ? { ...r } : r);
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let r = reader.next(); r !== undefined; r = reader.next()) keep(r);
  }
  reader.end();
  for (let r = reader.next(); r !== undefined; r = reader.next()) keep(r);
  return records;
}

describe('writeRdb → readRdb', () => {
  it('reads back arbitrary keysets: every type, binary strings, expiries, dbs, streams with groups', () => {
    fc.assert(
      fc.property(rdbKeys(), (keys) => {
        expect(readRdb(writeRdb(keys, AUX))).toEqual(expectedRecords(keys));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps stream consumer active times when writing RDB 11', () => {
    fc.assert(
      fc.property(rdbKeys(true), (keys) => {
        const file = writeRdb(keys, AUX, { version: 11 });
        expect(file.subarray(0, 9).toString()).toBe('REDIS0011');
        expect(readRdb(file)).toEqual(expectedRecords(keys));
      }),
      { numRuns: 100 },
    );
  });

  it('reads any chunk split of a file exactly as the whole file', () => {
    fc.assert(
      fc.property(rdbKeys(), fc.array(fc.nat(), { maxLength: 20 }), (keys, cuts) => {
        const file = writeRdb(keys, AUX);
        const offsets = [...new Set(cuts.map((c) => c % (file.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let start = 0;
        for (const offset of offsets) {
          chunks.push(file.subarray(start, offset));
          start = offset;
        }
        chunks.push(file.subarray(start));
        expect(readChunks(chunks)).toEqual(readRdb(file));
      }),
      { numRuns: 200 },
    );
  });

  it('gives short compressed string values as bytes too, each in its own place', () => {
    // 3000 values of 21-61 bytes, most compressed: more than one 64 KB block of them.
    const keys: RdbKey[] = Array.from({ length: 3000 }, (_, i) => ({
      db: 0,
      key: `key:${i}`,
      value: { type: 'string', value: `value-${i}-${'x'.repeat(9 + (i % 41))}` },
      expireAt: null,
    }));
    const file = writeRdb(keys, AUX);
    const records = readChunks([file], { stringBytesUpTo: 44 });
    const asBytes = records.filter((record) => record.kind === 'string-bytes');
    expect(asBytes.length).toBe(
      keys.filter((key) => key.value.type === 'string' && key.value.value.length <= 44).length,
    );
    const values = records.flatMap((record) =>
      record.kind === 'string-bytes'
        ? [record.bytes.toString('latin1', record.start, record.end)]
        : record.kind === 'key' && record.value.type === 'string'
          ? [record.value.value]
          : [],
    );
    expect(values).toEqual(keys.map((key) => (key.value as { value: string }).value));
  });

  it('fills one string-bytes record for each key next() reads, and end() a new one for each it holds back', () => {
    const keys: RdbKey[] = Array.from({ length: 4 }, (_, i) => ({
      db: 0,
      key: `key:${i}`,
      value: { type: 'string', value: `value:${i}` },
      expireAt: null,
    }));
    const file = writeRdb(keys, AUX);
    const reader = new RdbReader({ stringBytesUpTo: 44 });
    reader.push(file);
    const read = [...reader.records()].filter((record) => record.kind === 'string-bytes');
    expect(read).toHaveLength(4);
    expect(new Set(read).size).toBe(1);
    const heldBack = new RdbReader({ stringBytesUpTo: 44 });
    heldBack.push(file);
    heldBack.end();
    const valuesOf = (records: RdbRecord[]): string[] =>
      records.flatMap((record) =>
        record.kind === 'string-bytes'
          ? [record.bytes.toString('latin1', record.start, record.end)]
          : [],
      );
    const expected = ['value:0', 'value:1', 'value:2', 'value:3'];
    expect(valuesOf([...heldBack.records()])).toEqual(expected);
    expect(valuesOf(readRdb(file, { stringBytesUpTo: 44 }))).toEqual(expected);
  });

  it('gives short string values as views of their bytes when asked, the same values', () => {
    fc.assert(
      fc.property(rdbKeys(), fc.nat(), fc.nat(60), (keys, cut, upTo) => {
        const file = writeRdb(keys, AUX);
        const at = cut % (file.length + 1);
        const records = readChunks([file.subarray(0, at), file.subarray(at)], {
          stringBytesUpTo: upTo,
        });
        for (const record of records) {
          if (record.kind === 'string-bytes')
            expect(record.end - record.start).toBeLessThanOrEqual(upTo);
        }
        const asValues = records.map((record): RdbRecord => {
          if (record.kind !== 'string-bytes') return record;
          const { db, key, bytes, start, end, expireAt } = record;
          const value = bytes.toString('latin1', start, end);
          return { kind: 'key', db, key, value: { type: 'string', value }, expireAt };
        });
        expect(asValues).toEqual(readRdb(file));
      }),
      { numRuns: 200 },
    );
  });

  it('splits long lists into quicklist nodes of about 8 KiB, big items alone', () => {
    const items = Array.from({ length: 10_000 }, (_, i) =>
      i % 1000 === 0 ? 'big'.repeat(10_000) : `item ${i}`,
    );
    const keys: RdbKey[] = [{ db: 0, key: 'list', value: { type: 'list', items }, expireAt: null }];
    for (const compress of [true, false]) {
      expect(readRdb(writeRdb(keys, AUX, { compress }))).toEqual(expectedRecords(keys));
    }
  });

  it('leaves out empty lists, sets, hashes and sorted sets, which Redis cannot hold', () => {
    const kept: RdbKey = {
      db: 0,
      key: 'kept',
      value: { type: 'string', value: '' },
      expireAt: null,
    };
    const file = writeRdb(
      [
        { db: 0, key: 'l', value: { type: 'list', items: [] }, expireAt: null },
        { db: 0, key: 's', value: { type: 'set', members: [] }, expireAt: 1 },
        { db: 0, key: 'h', value: { type: 'hash', entries: [] }, expireAt: null },
        { db: 0, key: 'z', value: { type: 'zset', entries: [] }, expireAt: null },
        kept,
      ],
      AUX,
    );
    const keys = readRdb(file).filter((r) => r.kind === 'key');
    expect(keys).toEqual([{ kind: 'key', ...kept }]);
  });

  it('reads a file fed one byte at a time', () => {
    const keys: RdbKey[] = [
      { db: 0, key: 'a', value: { type: 'string', value: 'x'.repeat(100) }, expireAt: 5 },
      {
        db: 3,
        key: 'l',
        value: { type: 'list', items: ['1', 'two', 'three'.repeat(9)] },
        expireAt: null,
      },
    ];
    const file = writeRdb(keys, AUX);
    const bytes = [...file].map((b) => Buffer.from([b]));
    expect(readChunks(bytes)).toEqual(expectedRecords(keys));
  });

  it('produces the same bytes whether drained in slices or taken at once', () => {
    fc.assert(
      fc.property(rdbKeys(), (keys) => {
        const whole = writeRdb(keys, AUX);
        const writer = new RdbWriter({ initialCapacity: 16 });
        const slices: Buffer[] = [];
        writer.header(AUX);
        const dbs = [...new Set(keys.map((k) => k.db))].sort((a, b) => a - b);
        for (const db of dbs) {
          const inDb = keys.filter((k) => k.db === db);
          writer.selectDb(db, inDb.length, inDb.filter((k) => k.expireAt !== null).length);
          for (const k of inDb) {
            writer.key(k.key, k.value, k.expireAt);
            if (writer.pendingBytes > 32) slices.push(writer.take());
          }
        }
        writer.end();
        slices.push(writer.take());
        expect(writer.pendingBytes).toBe(0);
        expect(Buffer.concat(slices)).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });
});
