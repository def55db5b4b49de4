import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LexBound } from '../zset/bounds.js';
import { SortedSet, type SortedSetEntry } from '../zset/sorted-set.js';
import { PackedSortedSet } from './packed-sorted-set.js';

// Members around the one-char length limit (127) and with every latin1 char.
const member = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'c', 'aa', 'ab', '\u0000', '\u00ff\u0080', 'x'.repeat(127)),
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
    maxLength: 4,
  }),
  fc.integer({ min: 126, max: 300 }).map((length) => 'y'.repeat(length)),
);
const score = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(Infinity, -Infinity, 0.5, -0, 1e-300, Number.MAX_VALUE),
  fc.constantFrom(-1.5, 2.25, 1e-7, 12345678, 123456789, -0.0001, 0.1 + 0.2),
);
const scoreBound = fc.record({ value: score, exclusive: fc.boolean() });
const lexBound: fc.Arbitrary<LexBound> = fc.oneof(
  fc.constant<LexBound>({ kind: 'min' }),
  fc.constant<LexBound>({ kind: 'max' }),
  fc.record({ kind: fc.constant('value' as const), value: member, exclusive: fc.boolean() }),
);
const limit = fc.record({
  reverse: fc.boolean(),
  offset: fc.integer({ min: -1, max: 4 }),
  count: fc.integer({ min: -1, max: 4 }),
});
const rankIndex = fc.integer({ min: -8, max: 8 });
const operation = fc.oneof(
  fc.tuple(
    fc.constant('add' as const),
    member,
    score,
    fc.record({
      nx: fc.boolean(),
      xx: fc.boolean(),
      gt: fc.boolean(),
      lt: fc.boolean(),
      incr: fc.boolean(),
    }),
  ),
  fc.tuple(fc.constant('remove' as const), member),
  fc.tuple(fc.constant('popMin' as const), fc.integer({ min: -1, max: 3 })),
  fc.tuple(fc.constant('popMax' as const), fc.integer({ min: -1, max: 3 })),
  fc.tuple(fc.constant('removeRangeByRank' as const), rankIndex, rankIndex),
  fc.tuple(fc.constant('removeRangeByScore' as const), scoreBound, scoreBound),
  fc.tuple(fc.constant('convert' as const)),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Runs one operation on both sets and checks they answer alike. */
function apply(packed: PackedSortedSet, skiplist: SortedSet, step: Operation): void {
  switch (step[0]) {
    case 'add':
      expect(packed.add(step[1], step[2], step[3])).toEqual(
        skiplist.add(step[1], step[2], step[3]),
      );
      break;
    case 'remove':
      expect(packed.remove(step[1])).toBe(skiplist.remove(step[1]));
      break;
    case 'popMin':
      expect(packed.popMin(step[1])).toEqual(skiplist.popMin(step[1]));
      break;
    case 'popMax':
      expect(packed.popMax(step[1])).toEqual(skiplist.popMax(step[1]));
      break;
    case 'removeRangeByRank':
      expect(packed.removeRangeByRank(step[1], step[2])).toBe(
        skiplist.removeRangeByRank(step[1], step[2]),
      );
      break;
    case 'removeRangeByScore':
      expect(packed.removeRangeByScore(step[1], step[2])).toBe(
        skiplist.removeRangeByScore(step[1], step[2]),
      );
      break;
    case 'convert':
      packed.convertToSkiplist();
      expect(packed.isPacked).toBe(false);
      break;
  }
  expect(packed.size).toBe(skiplist.size);
}

describe('PackedSortedSet', () => {
  it('answers as the skiplist SortedSet over random operations, ranks and score ranges', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 60 }),
        scoreBound,
        scoreBound,
        limit,
        rankIndex,
        rankIndex,
        (operations, min, max, rangeLimit, start, stop) => {
          const packed = new PackedSortedSet();
          const skiplist = new SortedSet();
          for (const step of operations) apply(packed, skiplist, step);
          packed.checkInvariants();
          const entries = [...skiplist];
          expect([...packed]).toEqual(entries);
          for (const { member: m, score: s } of entries) {
            expect(packed.score(m)).toBe(s);
            expect(packed.has(m)).toBe(true);
            expect(packed.rank(m)).toBe(skiplist.rank(m));
            expect(packed.rank(m, true)).toBe(skiplist.rank(m, true));
          }
          expect(packed.score('absent\u0001')).toBe(undefined);
          expect(packed.rank('absent\u0001')).toBe(undefined);
          expect(packed.rangeByRank(start, stop)).toEqual(skiplist.rangeByRank(start, stop));
          expect(packed.rangeByRank(start, stop, true)).toEqual(
            skiplist.rangeByRank(start, stop, true),
          );
          expect(packed.rangeByScore(min, max)).toEqual(skiplist.rangeByScore(min, max));
          expect(packed.rangeByScore(min, max, rangeLimit)).toEqual(
            skiplist.rangeByScore(min, max, rangeLimit),
          );
          expect(packed.countByScore(min, max)).toBe(skiplist.countByScore(min, max));
        },
      ),
    );
  });

  it('answers as the skiplist for two sets written in turns (the entry found last is shared)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1), operation), { maxLength: 80 }), (steps) => {
        const packed = [new PackedSortedSet(), new PackedSortedSet()];
        const skiplists = [new SortedSet(), new SortedSet()];
        for (const [which, step] of steps) {
          apply(packed[which], skiplists[which], step);
          // Each set's members looked up again, from either set's last find.
          for (const set of [0, 1]) {
            for (const { member: m, score: s } of skiplists[set]) {
              expect(packed[set].score(m)).toBe(s);
              expect(packed[set].rank(m)).toBe(skiplists[set].rank(m));
            }
          }
        }
      }),
    );
  });

  it('answers lex ranges as the skiplist when all scores are equal', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { maxLength: 20 }),
        lexBound,
        lexBound,
        limit,
        (members, min, max, rangeLimit) => {
          const packed = new PackedSortedSet();
          const skiplist = new SortedSet();
          for (const m of members) {
            packed.add(m, 7);
            skiplist.add(m, 7);
          }
          expect(packed.rangeByLex(min, max)).toEqual(skiplist.rangeByLex(min, max));
          expect(packed.rangeByLex(min, max, rangeLimit)).toEqual(
            skiplist.rangeByLex(min, max, rangeLimit),
          );
          expect(packed.countByLex(min, max)).toBe(skiplist.countByLex(min, max));
          expect(packed.removeRangeByLex(min, max)).toBe(skiplist.removeRangeByLex(min, max));
          expect([...packed]).toEqual([...skiplist]);
          packed.checkInvariants();
        },
      ),
    );
  });

  it('walks lex ranges over differing scores as Redis walks a listpack', () => {
    // Members out of lex order: a (1), z (2), b (3). The expected answers are redis-server
    // 7.0's for ZREVRANGEBYLEX q [c [a, ZRANGEBYLEX q [a [c (LIMIT 2 5), ZLEXCOUNT and
    // ZREMRANGEBYLEX on that listpack.
    const set = new PackedSortedSet();
    set.add('a', 1);
    set.add('z', 2);
    set.add('b', 3);
    const a: LexBound = { kind: 'value', value: 'a', exclusive: false };
    const c: LexBound = { kind: 'value', value: 'c', exclusive: false };
    const members = (entries: SortedSetEntry[]) => entries.map((entry) => entry.member);
    expect(members(set.rangeByLex(a, c, { reverse: true }))).toEqual(['b', 'z', 'a']);
    expect(members(set.rangeByLex(a, c))).toEqual(['a']);
    // The offset is skipped without looking at the range.
    expect(members(set.rangeByLex(a, c, { offset: 2, count: 5 }))).toEqual(['b']);
    expect(set.countByLex(a, c)).toBe(1);
    expect(set.removeRangeByLex(a, c)).toBe(1);
    expect(members([...set])).toEqual(['z', 'b']);
  });

  it('keeps its entries when converted to a skiplist, and stays one', () => {
    const set = new PackedSortedSet();
    for (let i = 0; i < 200; i++) set.add(`member:${i}`, i % 7);
    set.remove('member:3');
    set.add('member:5', 2.5);
    const before = [...set];
    set.convertToSkiplist();
    expect(set.isPacked).toBe(false);
    expect(set.packedLength).toBe(0);
    expect([...set]).toEqual(before);
    set.add('member:0', -1);
    expect(set.rank('member:0')).toBe(0);
    expect(set.isPacked).toBe(false);
    set.checkInvariants();
  });

  it('gives back every score it was given, negative zero and the infinities too', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => {
        const set = new PackedSortedSet();
        set.add('a', value);
        set.add('b', 0);
        expect(Object.is(set.score('a'), value)).toBe(true);
        expect([...set].map((entry) => entry.score)).toEqual(value <= 0 ? [value, 0] : [0, value]);
      }),
    );
  });

  it('weighs a score as its text after its length up to 8 chars, else 9 chars', () => {
    const set = new PackedSortedSet();
    set.add('ab', 1.5);
    set.add('', -0);
    expect(set.packedLength).toBe(1 + 2 + 1 + 0 + (1 + 3 + 1 + 2));
    set.add('long', 123456789);
    set.add('x'.repeat(200), 0.1 + 0.2);
    expect(set.packedLength).toBe(11 + 9 + 1 + 4 + 9 + 2 + 200);
  });
});
