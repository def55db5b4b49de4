import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/random.js';
import type { LexBound, ScoreBound } from './bounds.js';
import { SortedSet, type SortedSetEntry } from './sorted-set.js';

/** The reference model: entries kept sorted by (score, member) in a plain array. */
function sortedModel(model: Map<string, number>): SortedSetEntry[] {
  return [...model]
    .map(([member, score]) => ({ member, score }))
    .sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
}

const inScore = (score: number, min: ScoreBound, max: ScoreBound): boolean =>
  (min.exclusive ? score > min.value : score >= min.value) &&
  (max.exclusive ? score < max.value : score <= max.value);

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'aa', 'ab');
const score = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(Infinity, -Infinity, 0.5));
const bound = fc.record({ value: score, exclusive: fc.boolean() });
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
  fc.tuple(fc.constant('popMin' as const), fc.integer({ min: 0, max: 3 })),
  fc.tuple(fc.constant('popMax' as const), fc.integer({ min: 0, max: 3 })),
  fc.tuple(
    fc.constant('removeRangeByRank' as const),
    fc.integer({ min: -6, max: 6 }),
    fc.integer({ min: -6, max: 6 }),
  ),
  fc.tuple(fc.constant('removeRangeByScore' as const), bound, bound),
);

/** ZRANGE's index rules applied to the model. */
function rankSlice<T>(entries: T[], start: number, stop: number): T[] {
  let from = start < 0 ? start + entries.length : start;
  let to = stop < 0 ? stop + entries.length : stop;
  if (from < 0) from = 0;
  if (to >= entries.length) to = entries.length - 1;
  return from > to ? [] : entries.slice(from, to + 1);
}

describe('SortedSet', () => {
  it('matches a sorted-array model over random operations, including ranges and ranks', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 50 }),
        bound,
        bound,
        fc.integer({ min: -10, max: 10 }),
        fc.integer({ min: -10, max: 10 }),
        (operations, min, max, start, stop) => {
          const set = new SortedSet();
          const model = new Map<string, number>();
          for (const [name, a, b, options] of operations) {
            if (name === 'add') {
              const current = model.get(a);
              const result = set.add(a, b, options);
              if (current === undefined) {
                if (options.xx) expect(result.outcome).toBe('skipped');
                else model.set(a, b);
              } else if (!options.nx) {
                const next = options.incr ? current + b : b;
                if (Number.isNaN(next)) expect(result.outcome).toBe('nan');
                else if (!((options.gt && next <= current) || (options.lt && next >= current)))
                  model.set(a, next);
              }
            } else if (name === 'remove') {
              expect(set.remove(a)).toBe(model.delete(a));
            } else if (name === 'removeRangeByRank') {
              const doomed = rankSlice(sortedModel(model), a, b);
              expect(set.removeRangeByRank(a, b)).toBe(doomed.length);
              for (const entry of doomed) model.delete(entry.member);
            } else if (name === 'removeRangeByScore') {
              const doomed = sortedModel(model).filter((entry) => inScore(entry.score, a, b));
              expect(set.removeRangeByScore(a, b)).toBe(doomed.length);
              for (const entry of doomed) model.delete(entry.member);
            } else {
              const entries = sortedModel(model);
              const expected =
                name === 'popMin' ? entries.slice(0, a) : entries.reverse().slice(0, a);
              expect(name === 'popMin' ? set.popMin(a) : set.popMax(a)).toEqual(expected);
              for (const entry of expected) model.delete(entry.member);
            }
          }
          set.checkInvariants();
          const entries = sortedModel(model);
          expect([...set]).toEqual(entries);
          entries.forEach((entry, index) => {
            expect(set.rank(entry.member)).toBe(index);
            expect(set.rank(entry.member, true)).toBe(entries.length - 1 - index);
          });
          const inRange = entries.filter((entry) => inScore(entry.score, min, max));
          expect(set.rangeByScore(min, max)).toEqual(inRange);
          expect(set.rangeByScore(min, max, { reverse: true })).toEqual([...inRange].reverse());
          expect(set.rangeByScore(min, max, { offset: 1, count: 2 })).toEqual(inRange.slice(1, 3));
          expect(set.countByScore(min, max)).toBe(inRange.length);
          expect(set.rangeByRank(start, stop)).toEqual(rankSlice(entries, start, stop));
          expect(set.rangeByRank(start, stop, true)).toEqual(
            rankSlice([...entries].reverse(), start, stop),
          );
          expect(set.rangeByScore(min, max, { reverse: true, offset: 1, count: 1 })).toEqual(
            [...inRange].reverse().slice(1, 2),
          );
        },
      ),
    );
  });

  it('matches a sorted-array model for lex ranges over equal scores', () => {
    const lexBound: fc.Arbitrary<LexBound> = fc.oneof(
      fc.constant<LexBound>({ kind: 'min' }),
      fc.constant<LexBound>({ kind: 'max' }),
      fc.record({ kind: fc.constant('value' as const), value: member, exclusive: fc.boolean() }),
    );
    const lexAtLeast = (m: string, b: LexBound): boolean =>
      b.kind === 'min' ? true : b.kind === 'max' ? false : b.exclusive ? m > b.value : m >= b.value;
    const lexAtMost = (m: string, b: LexBound): boolean =>
      b.kind === 'max' ? true : b.kind === 'min' ? false : b.exclusive ? m < b.value : m <= b.value;
    fc.assert(
      fc.property(
        fc.uniqueArray(member),
        lexBound,
        lexBound,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -1, max: 3 }),
        (members, min, max, offset, count) => {
          const set = new SortedSet();
          for (const m of members) set.add(m, 0);
          const sorted = [...members].sort();
          const inRange = sorted.filter((m) => lexAtLeast(m, min) && lexAtMost(m, max));
          const names = (entries: SortedSetEntry[]): string[] => entries.map((e) => e.member);
          expect(names(set.rangeByLex(min, max))).toEqual(inRange);
          expect(names(set.rangeByLex(min, max, { reverse: true }))).toEqual(
            [...inRange].reverse(),
          );
          const limited = inRange.slice(offset, count < 0 ? undefined : offset + count);
          expect(names(set.rangeByLex(min, max, { offset, count }))).toEqual(limited);
          expect(set.countByLex(min, max)).toBe(inRange.length);
          expect(set.removeRangeByLex(min, max)).toBe(inRange.length);
          expect(names([...set])).toEqual(sorted.filter((m) => !inRange.includes(m)));
          set.checkInvariants();
        },
      ),
    );
  });

  it('ranges by lex over equal scores', () => {
    const set = new SortedSet();
    for (const member of ['a', 'b', 'c', 'd', 'e']) set.add(member, 0);
    const value = (text: string, exclusive = false): LexBound => ({
      kind: 'value',
      value: text,
      exclusive,
    });
    expect(set.rangeByLex({ kind: 'min' }, value('c')).map((entry) => entry.member)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(set.rangeByLex(value('b', true), { kind: 'max' }).map((entry) => entry.member)).toEqual([
      'c',
      'd',
      'e',
    ]);
    expect(
      set.rangeByLex(value('b'), value('d', true), { reverse: true }).map((entry) => entry.member),
    ).toEqual(['c', 'b']);
    expect(set.countByLex(value('aa'), value('cc'))).toBe(2);
    expect(set.removeRangeByLex(value('b'), value('c'))).toBe(2);
    expect([...set].map((entry) => entry.member)).toEqual(['a', 'd', 'e']);
  });

  it('moves members to new scores, up and down, with every link and span intact', () => {
    // Few members and many moves: the walk to the new place often passes through the moved
    // node itself, at several levels.
    const random = seededRandom(11);
    const set = new SortedSet();
    const model = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const m = `m${i}`;
      const s = Math.floor(random() * 50);
      set.add(m, s);
      model.set(m, s);
    }
    for (let step = 0; step < 4000; step++) {
      const m = `m${Math.floor(random() * 400)}`;
      const s = Math.floor(random() * 50);
      set.add(m, s);
      model.set(m, s);
      if (step % 200 === 0) set.checkInvariants();
    }
    set.checkInvariants();
    const entries = sortedModel(model);
    expect([...set]).toEqual(entries);
    entries.forEach((entry, index) => expect(set.rank(entry.member)).toBe(index));
  });

  it('keeps spans, order and the score map with 100k members under random operations', () => {
    const random = seededRandom(5);
    const set = new SortedSet();
    const model = new Map<string, number>();
    for (let i = 0; i < 170_000; i++) {
      // Mostly fresh members, some repeats so updates and removals hit.
      const m = `m${Math.floor(random() * (i < 20_000 ? 20_000 : 1_000_000))}`;
      const s = Math.floor(random() * 1000) - 500;
      const roll = random();
      if (roll < 0.85) {
        const incr = roll < 0.1;
        const result = set.add(m, s, { incr });
        const next = incr ? (model.get(m) ?? 0) + s : s;
        expect(result.outcome === 'skipped' || result.outcome === 'nan').toBe(false);
        model.set(m, next);
      } else if (roll < 0.97) {
        expect(set.remove(m)).toBe(model.delete(m));
      } else {
        for (const entry of random() < 0.5 ? set.popMin(3) : set.popMax(3)) {
          expect(model.get(entry.member)).toBe(entry.score);
          model.delete(entry.member);
        }
      }
    }
    expect(set.size).toBe(model.size);
    expect(set.size).toBeGreaterThanOrEqual(100_000);
    set.checkInvariants();
    const entries = sortedModel(model);
    expect([...set]).toEqual(entries);
    for (let i = 0; i < 2000; i++) {
      const index = Math.floor(random() * entries.length);
      expect(set.rank(entries[index].member)).toBe(index);
      expect(set.rangeByRank(index, index)).toEqual([entries[index]]);
    }
    expect(set.removeRangeByRank(0, 9_999)).toBe(10_000);
    expect(
      set.removeRangeByScore({ value: -100, exclusive: false }, { value: 100, exclusive: true }),
    ).toBe(entries.slice(10_000).filter((e) => e.score >= -100 && e.score < 100).length);
    set.checkInvariants();
  });
});
