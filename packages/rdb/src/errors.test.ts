import { describe, expect, it, vi } from 'vitest';
import { RdbError } from './errors.js';
import { RdbReader, readRdb } from './reader.js';
import { RdbFixture } from './test-support/rdb-fixture.js';
import type { RdbKey } from './types.js';
import { writeRdb } from './writer.js';

const KEYS: RdbKey[] = [
  { db: 0, key: 'greeting', value: { type: 'string', value: 'hello, world' }, expireAt: null },
  {
    db: 0,
    key: 'list',
    value: { type: 'list', items: ['a', 'b', 'c'] },
    expireAt: 1_700_000_000_000,
  },
];

function thrown(action: () => unknown): RdbError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RdbError);
    return error as RdbError;
  }
  throw new Error('expected an RdbError');
}

/** A 9-char module type name and a version, as module.c encodes them in a module id. */
function moduleId(name: string, version: number): bigint {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = 0n;
  for (const c of name) id = (id << 6n) | BigInt(chars.indexOf(c));
  return (id << 10n) | BigInt(version);
}

describe('RdbError', () => {
  it('reports a flipped byte as a checksum mismatch at the checksum offset', () => {
    const file = writeRdb(KEYS);
    const at = file.indexOf('hello');
    file[at] ^= 0x01;
    const error = thrown(() => readRdb(file));
    expect(error.message).toMatch(
      /^RDB checksum mismatch: file says 0x[0-9a-f]+, computed 0x[0-9a-f]+ at byte offset \d+$/,
    );
    expect(error.offset).toBe(file.length - 8);
  });

  it('reports a truncated file from end(), at every cut', () => {
    const file = writeRdb(KEYS);
    for (let cut = 0; cut < file.length; cut++) {
      const reader = new RdbReader();
      reader.push(file.subarray(0, cut));
      while (reader.next() !== undefined);
      const error = thrown(() => reader.end());
      expect(error.message).toBe(`RDB file is truncated at byte offset ${cut}`);
    }
  });

  it('rejects a bad signature and unsupported versions', () => {
    expect(thrown(() => readRdb(Buffer.from('RUBIS0010\xff'))).message).toBe(
      'not an RDB file: bad signature at byte offset 0',
    );
    expect(thrown(() => readRdb(new RdbFixture(13).end())).message).toBe(
      'unsupported RDB version 13 at byte offset 5',
    );
    expect(thrown(() => readRdb(Buffer.from('REDIS00x1\xff'))).message).toMatch(
      /^unsupported RDB version/,
    );
  });

  it('rejects module values, naming the module type', () => {
    const file = new RdbFixture(10)
      .selectDb(0)
      .raw(7)
      .string('doc')
      .length(moduleId('ReJSON-RL', 3))
      .end();
    const error = thrown(() => readRdb(file));
    expect(error.message).toMatch(
      /^unsupported module type 'ReJSON-RL' \(module id \d+\): module values cannot be loaded/,
    );
  });

  it('rejects module aux data and pre-release module values', () => {
    const aux = new RdbFixture(10)
      .raw(0xf7)
      .length(moduleId('graphdata', 1))
      .length(2)
      .length(2)
      .end();
    expect(thrown(() => readRdb(aux)).message).toBe(
      "unsupported module aux data for module 'graphdata': modules are not supported at byte offset 9",
    );
    const preGa = new RdbFixture(8).raw(6).string('k').length(1).end();
    expect(thrown(() => readRdb(preGa)).message).toMatch(/pre-release/);
  });

  it('rejects unknown value types at their offset', () => {
    expect(thrown(() => readRdb(new RdbFixture(10).raw(8).string('k').end())).message).toBe(
      'unknown RDB value type or opcode 8 at byte offset 9',
    );
  });

  it('rejects a NaN score and malformed encodings', () => {
    const nan = new RdbFixture(4).raw(3).string('z').length(1).string('m').raw(253).end('none');
    expect(thrown(() => readRdb(nan)).message).toMatch(/NaN/);
    const badListpack = new RdbFixture(10)
      .raw(16)
      .string('h')
      .string(Buffer.from([9, 0, 0, 0, 0, 0, 0xff]))
      .end();
    expect(thrown(() => readRdb(badListpack)).message).toMatch(
      /^invalid listpack: total size does not match at byte offset 12$/,
    );
    const badLzf = new RdbFixture(10).raw(0).string('k').lzfString([0x20, 9], 5).end();
    expect(thrown(() => readRdb(badLzf)).message).toMatch(/^invalid LZF compressed string/);
  });

  it('stays failed: the same error again on the next call', () => {
    const file = writeRdb(KEYS);
    file[file.length - 1] ^= 0xff;
    const reader = new RdbReader();
    reader.push(file);
    const first = thrown(() => {
      while (reader.next() !== undefined);
    });
    expect(thrown(() => reader.next()).message).toBe(first.message);
  });
});

describe('RdbReader', () => {
  it('can skip checksum verification', () => {
    const file = writeRdb(KEYS);
    file[file.length - 1] ^= 0xff;
    expect(readRdb(file, { skipChecksum: true }).at(-1)).toEqual({
      kind: 'end',
      checksum: 'absent',
    });
  });

  it('keeps bytes after the end of the RDB as the remainder', () => {
    const file = writeRdb(KEYS);
    const reader = new RdbReader();
    reader.push(Buffer.concat([file, Buffer.from('+PING\r\n')]));
    reader.push(Buffer.from('more'));
    const kinds: string[] = [];
    for (const record of reader.records()) kinds.push(record.kind);
    expect(kinds.at(-1)).toBe('end');
    expect(reader.done).toBe(true);
    expect(reader.remainder.toString()).toBe('+PING\r\nmore');
  });

  it('returns a record held back for doubling as soon as end() is called', () => {
    const big = { type: 'string', value: 'x'.repeat(200_000) } as const;
    const file = writeRdb([{ db: 0, key: 'big', value: big, expireAt: null }], [], {
      compress: false,
    });
    const reader = new RdbReader();
    const seen: string[] = [];
    reader.push(file.subarray(0, 150_000));
    for (const record of reader.records()) seen.push(record.kind);
    expect(seen).toEqual(['db', 'resize']);
    reader.push(file.subarray(150_000));
    // The record was incomplete with 150 KB: it is tried again at 300 KB, or at end().
    expect(reader.next()).toBeUndefined();
    reader.end();
    for (const record of reader.records()) seen.push(record.kind);
    expect(seen).toEqual(['db', 'resize', 'key', 'end']);
  });

  it('copies each byte of a file pushed in 64 KiB chunks a bounded number of times', () => {
    // Linear work is measured by counting it, not by timing: a reader that re-joined its whole
    // buffer on every push would copy the 8 MB list ~64 times over (128 chunks).
    const value = 'v'.repeat(1000);
    const keys: RdbKey[] = [];
    for (let i = 0; i < 2000; i++)
      keys.push({ db: 0, key: `key:${i}`, value: { type: 'string', value }, expireAt: null });
    keys.push({
      db: 0,
      key: 'huge',
      value: {
        type: 'list',
        items: Array.from({ length: 8000 }, (_, i) => `${i}`.padEnd(1000, '.')),
      },
      expireAt: null,
    });
    const file = writeRdb(keys, [], { compress: false });
    expect(file.length).toBeGreaterThan(10_000_000);
    const concat = vi.spyOn(Buffer, 'concat');
    const reader = new RdbReader();
    let count = 0;
    for (let at = 0; at < file.length; at += 65536) {
      reader.push(file.subarray(at, at + 65536));
      for (const record of reader.records()) if (record.kind === 'key') count++;
    }
    reader.end();
    for (const record of reader.records()) if (record.kind === 'key') count++;
    expect(count).toBe(2001);
    const copied = concat.mock.results.reduce(
      (sum, result) => sum + (result.value as Buffer).length,
      0,
    );
    expect(copied).toBeLessThan(3 * file.length);
    concat.mockRestore();
  });
});
