import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
);

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
          let from = start < 0 ? start + entries.length : start;
          let to = stop < 0 ? stop + entries.length : stop;
          if (from < 0) from = 0;
          if (to >= entries.length) to = entries.length - 1;
          const byRank = from > to ? [] : entries.slice(from, to + 1);
          expect(set.rangeByRank(start, stop)).toEqual(byRank);
          expect(set.rangeByRank(start, stop, true)).toEqual(
            from > to ? [] : [...entries].reverse().slice(from, to + 1),
          );
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

  it('keeps its invariants with 100k members', () => {
    const set = new SortedSet();
    for (let i = 0; i < 100_000; i++) set.add(`m${i}`, (i * 7919) % 1000);
    for (let i = 0; i < 100_000; i += 3) set.remove(`m${i}`);
    set.checkInvariants();
    expect(set.rank('m1')).toBe(set.rangeByRank(0, -1).findIndex((entry) => entry.member === 'm1'));
  });
});
