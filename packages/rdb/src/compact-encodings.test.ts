/** Listpacks, ziplists, intsets and zipmaps decoded from hand-built bytes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeIntset } from './intset.js';
import { decodeListpack, ListpackBuilder } from './listpack.js';
import { intset, listpack, ziplist, zipmap } from './test-support/rdb-fixture.js';
import { binaryString } from './test-support/arbitraries.js';
import { decodeZiplist } from './ziplist.js';
import { decodeZipmap } from './zipmap.js';

const bytes = (values: number[]): Buffer => Buffer.from(values);

describe('listpack', () => {
  it('decodes the smallest listpack of one 7-bit integer byte by byte', () => {
    // total 9, count 1, entry 0x05 with backlen 1, end.
    expect(decodeListpack(bytes([9, 0, 0, 0, 1, 0, 0x05, 0x01, 0xff]), false)).toEqual([5]);
  });

  it('decodes every integer width and string length encoding', () => {
    const long12 = 'm'.repeat(200);
    const long32 = 'L'.repeat(5000);
    const blob = bytes(
      listpack([
        127,
        { int13: -4096 },
        { int13: 4095 },
        { int16: -32768 },
        { int24: 8388607 },
        { int32: -2147483648 },
        { int64: -(2n ** 63n) },
        { int64: 2n ** 53n - 1n },
        'short',
        { str12: long12 },
        { str32: long32 },
        '',
      ]),
    );
    expect(decodeListpack(blob, false)).toEqual([
      127,
      -4096,
      4095,
      -32768,
      8388607,
      -2147483648,
      -(2n ** 63n),
      2 ** 53 - 1,
      'short',
      long12,
      long32,
      '',
    ]);
    expect(decodeListpack(blob, true).slice(0, 8)).toEqual([
      '127',
      '-4096',
      '4095',
      '-32768',
      '8388607',
      '-2147483648',
      '-9223372036854775808',
      '9007199254740991',
    ]);
  });

  it('accepts the "unknown" element count 65535', () => {
    expect(decodeListpack(bytes(listpack(['a', 'b'], 65535)), true)).toEqual(['a', 'b']);
  });

  it('rejects bad headers, counts, end markers and overruns', () => {
    const good = listpack(['abc']);
    expect(() => decodeListpack(bytes(good.slice(0, -1).concat(0xfe)), true)).toThrow(
      /missing end marker/,
    );
    expect(() => decodeListpack(bytes(listpack(['abc'], 2)), true)).toThrow(/element count/);
    const overrun = [...good];
    overrun[6] = 0x80 | 10; // string length past the end
    expect(() => decodeListpack(bytes(overrun), true)).toThrow(/past the end/);
    const unknown = [...good];
    unknown[6] = 0xf5;
    expect(() => decodeListpack(bytes(unknown), true)).toThrow(/unknown element encoding 0xf5/);
  });

  it('builds listpacks that decode to what was appended, with Redis backlen widths', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            binaryString(80),
            fc.integer().map(String),
            fc
              .string({ minLength: 4000, maxLength: 4200 })
              .map((s) => s.replace(/[^\x20-\x7e]/g, 'x')),
            fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          ),
          { maxLength: 20 },
        ),
        (values) => {
          const builder = new ListpackBuilder();
          for (const value of values) {
            if (typeof value === 'bigint') builder.integer(value);
            else builder.string(value);
          }
          const blob = builder.finish();
          expect(decodeListpack(blob, true)).toEqual(values.map(String));
          // The builder and the independent fixture encoder agree byte for byte on strings.
          const stringsOnly = values.filter(
            (v): v is string => typeof v === 'string' && v.length < 64 && Number.isNaN(Number(v)),
          );
          const b2 = new ListpackBuilder();
          for (const value of stringsOnly) b2.string(value);
          expect([...b2.finish()]).toEqual(listpack(stringsOnly));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('ziplist', () => {
  it('decodes strings of 6, 14 and 32-bit lengths and every integer encoding', () => {
    const long14 = 'x'.repeat(300);
    const long32 = 'y'.repeat(16500);
    const blob = bytes(
      ziplist([
        '',
        'abc',
        long14,
        long32,
        0,
        12,
        { int8: -128 },
        { int16: 32767 },
        { int24: -8388608 },
        { int32: 2147483647 },
        { int64: 2n ** 62n },
      ]),
    );
    expect(decodeZiplist(blob, false)).toEqual([
      '',
      'abc',
      long14,
      long32,
      0,
      12,
      -128,
      32767,
      -8388608,
      2147483647,
      2n ** 62n,
    ]);
    expect(decodeZiplist(blob, true).slice(4)).toEqual([
      '0',
      '12',
      '-128',
      '32767',
      '-8388608',
      '2147483647',
      '4611686018427387904',
    ]);
  });

  it('reads 5-byte previous-entry lengths after a long entry', () => {
    const blob = bytes(ziplist(['z'.repeat(400), 'after']));
    expect(blob[10 + 1 + 2 + 400]).toBe(0xfe);
    expect(decodeZiplist(blob, true)).toEqual(['z'.repeat(400), 'after']);
  });

  it('rejects a wrong size and unknown encodings', () => {
    const blob = ziplist(['a']);
    blob[0] = 99;
    expect(() => decodeZiplist(bytes(blob), true)).toThrow(/total size/);
    const bad = ziplist([1]);
    bad[11] = 0xf0 | 0x0e; // 0xfe is int8; 0xfe - but 0xff is the end: use an undefined 11xx tag
    bad[11] = 0xc8;
    expect(() => decodeZiplist(bytes(bad), true)).toThrow(/unknown entry encoding 0xc8/);
  });
});

describe('intset', () => {
  it('decodes 16, 32 and 64-bit members', () => {
    expect(decodeIntset(bytes(intset(2, [-32768, 0, 32767])))).toEqual(['-32768', '0', '32767']);
    expect(decodeIntset(bytes(intset(4, [-2147483648, 65536])))).toEqual(['-2147483648', '65536']);
    expect(decodeIntset(bytes(intset(8, [-(2n ** 63n), 2n ** 63n - 1n])))).toEqual([
      '-9223372036854775808',
      '9223372036854775807',
    ]);
  });

  it('rejects an inconsistent header', () => {
    expect(() => decodeIntset(bytes(intset(2, [1, 2]).slice(0, -1)))).toThrow(/intset/);
    expect(() => decodeIntset(bytes([3, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/intset/);
  });
});

describe('zipmap', () => {
  it('decodes pairs, skipping free bytes, with 5-byte lengths for long strings', () => {
    const long = 'q'.repeat(254);
    expect(
      decodeZipmap(
        bytes(
          zipmap([
            ['a', 'b', 3],
            [long, 'v'],
            ['k', long, 1],
          ]),
        ),
      ),
    ).toEqual([
      ['a', 'b'],
      [long, 'v'],
      ['k', long],
    ]);
    expect(decodeZipmap(bytes([0, 0xff]))).toEqual([]);
  });

  it('rejects a zipmap without its end marker', () => {
    expect(() => decodeZipmap(bytes(zipmap([['a', 'b']]).slice(0, -1)))).toThrow(/zipmap/);
  });
});
