import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Stream } from './stream.js';
import { compareIds, formatId, parseId, type StreamId } from './stream-id.js';

const id = (ms: number, seq = 0): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('Stream', () => {
  it('matches an array model over appends, deletes, exact trims and ranges', () => {
    const operation = fc.oneof(
      fc.tuple(fc.constant('add' as const), fc.integer({ min: 0, max: 3 })),
      fc.tuple(fc.constant('delete' as const), fc.integer({ min: 0, max: 60 })),
      fc.tuple(fc.constant('maxlen' as const), fc.integer({ min: 0, max: 20 })),
      fc.tuple(fc.constant('minid' as const), fc.integer({ min: 0, max: 60 })),
    );
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 80 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 70 }),
        (operations, from, to) => {
          const stream = new Stream(4);
          let model: Array<{ id: StreamId; fields: string[] }> = [];
          let clock = 0;
          for (const [name, value] of operations) {
            if (name === 'add') {
              clock += value;
              const next = stream.nextIdFor({ kind: 'auto' }, BigInt(clock));
              if (typeof next === 'string') throw new Error(next);
              const fields =
                value % 2 === 0 ? ['f', String(clock)] : ['g', 'x', 'h', String(clock)];
              stream.append(next, fields);
              model.push({ id: next, fields });
            } else if (name === 'delete') {
              const target = id(value, 0);
              const exists = model.some((entry) => compareIds(entry.id, target) === 0);
              expect(stream.delete(target)).toBe(exists);
              model = model.filter((entry) => compareIds(entry.id, target) !== 0);
            } else if (name === 'maxlen') {
              const removed = stream.trim({
                strategy: 'maxlen',
                maxlen: value,
                approximate: false,
                limit: 0,
              });
              expect(removed).toBe(Math.max(0, model.length - value));
              model = model.slice(Math.max(0, model.length - value));
            } else {
              const removed = stream.trim({
                strategy: 'minid',
                minid: id(value),
                approximate: false,
                limit: 0,
              });
              const kept = model.filter((entry) => compareIds(entry.id, id(value)) >= 0);
              expect(removed).toBe(model.length - kept.length);
              model = kept;
            }
            expect(stream.length).toBe(model.length);
          }
          const start = id(Math.min(from, to));
          const end = id(Math.max(from, to), 5);
          const expected = model.filter(
            (entry) => compareIds(entry.id, start) >= 0 && compareIds(entry.id, end) <= 0,
          );
          expect(stream.range(start, end)).toEqual(expected);
          expect(stream.range(start, end, 0, true)).toEqual([...expected].reverse());
          expect(stream.range(start, end, 2)).toEqual(expected.slice(0, 2));
        },
      ),
    );
  });

  it('generates IDs like XADD: *, <ms>-*, explicit, and refuses the invalid ones', () => {
    const stream = new Stream();
    expect(stream.nextIdFor({ kind: 'explicit', id: id(0, 0) }, 5n)).toBe('zero');
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 0n }, 5n)).toEqual(id(0, 1));
    stream.append(id(10, 5), ['a', '1']);
    expect(stream.nextIdFor({ kind: 'auto' }, 3n)).toEqual(id(10, 6));
    expect(stream.nextIdFor({ kind: 'auto' }, 20n)).toEqual(id(20, 0));
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 10n }, 0n)).toEqual(id(10, 6));
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 9n }, 0n)).toBe('not-greater');
    expect(stream.nextIdFor({ kind: 'explicit', id: id(10, 5) }, 0n)).toBe('not-greater');
    const full = new Stream();
    full.append({ ms: 2n ** 64n - 1n, seq: 2n ** 64n - 1n }, ['a', '1']);
    expect(full.nextIdFor({ kind: 'auto' }, 0n)).toBe('exhausted');
  });

  it('parses and formats IDs, including incomplete ones', () => {
    expect(parseId('123')).toEqual(id(123, 0));
    expect(parseId('123', 2n ** 64n - 1n)).toEqual({ ms: 123n, seq: 2n ** 64n - 1n });
    expect(parseId('18446744073709551615-18446744073709551615')).not.toBeNull();
    expect(parseId('18446744073709551616-0')).toBeNull();
    expect(parseId('1-x')).toBeNull();
    expect(formatId(id(5, 7))).toBe('5-7');
  });

  it('trims whole blocks only with ~, and holds 100k entries in order', () => {
    const stream = new Stream(100);
    for (let i = 1; i <= 100_000; i++) stream.append(id(i), ['f', 'v']);
    expect(stream.trim({ strategy: 'maxlen', maxlen: 99_950, approximate: true, limit: 0 })).toBe(
      0,
    );
    expect(stream.trim({ strategy: 'maxlen', maxlen: 99_850, approximate: true, limit: 0 })).toBe(
      100,
    );
    expect(stream.length).toBe(99_900);
    expect(stream.firstEntry()?.id).toEqual(id(101));
    const all = stream.range(id(0), id(200_000));
    expect(all).toHaveLength(99_900);
    for (let i = 1; i < all.length; i++) expect(compareIds(all[i - 1].id, all[i].id)).toBe(-1);
  });
});
