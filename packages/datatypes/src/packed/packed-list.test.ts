import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuickList } from '../list/quicklist.js';
import { PACKED_CHARS, PACKED_ENTRIES, PackedList } from './packed-list.js';

// Few distinct values (so LINSERT, LREM and LPOS find them), every latin1 char, lengths across
// the one-char length limit, and long ones that pass the packed chars limit in a few pushes.
const value = fc.oneof(
  fc.constantFrom('a', 'b', '', '\u0000', '\u00ff\u0080'),
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
    maxLength: 3,
  }),
  fc.constantFrom('x'.repeat(127), 'y'.repeat(128), 'z'.repeat(3000)),
);
const index = fc.integer({ min: -12, max: 12 });
const operation = fc.oneof(
  fc.tuple(fc.constant('pushHead' as const), value),
  fc.tuple(fc.constant('pushTail' as const), value),
  fc.tuple(fc.constant('pushMany' as const), value, fc.integer({ min: 1, max: 140 })),
  fc.tuple(fc.constant('popHead' as const)),
  fc.tuple(fc.constant('popTail' as const)),
  fc.tuple(fc.constant('popHeadTo' as const)),
  fc.tuple(fc.constant('popTailTo' as const)),
  fc.tuple(fc.constant('set' as const), index, value),
  fc.tuple(fc.constant('insert' as const), value, value, fc.boolean()),
  fc.tuple(fc.constant('remove' as const), value, fc.integer({ min: -3, max: 3 })),
  fc.tuple(fc.constant('trim' as const), index, index),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Runs one operation on both lists and checks they answer alike. */
function apply(packed: PackedList, list: QuickList, step: Operation): void {
  switch (step[0]) {
    case 'pushHead':
      packed.pushHead(step[1]);
      list.pushHead(step[1]);
      break;
    case 'pushTail':
      packed.pushTail(step[1]);
      list.pushTail(step[1]);
      break;
    case 'pushMany':
      for (let i = 0; i < step[2]; i++) {
        packed.pushTail(step[1]);
        list.pushTail(step[1]);
      }
      break;
    case 'popHead':
      expect(packed.popHead()).toBe(list.popHead());
      break;
    case 'popTail':
      expect(packed.popTail()).toBe(list.popTail());
      break;
    case 'popHeadTo':
    case 'popTailTo': {
      const expected =
        list.length === 0 ? [] : [step[0] === 'popHeadTo' ? list.popHead() : list.popTail()];
      const written: string[] = [];
      const sink = {
        bulk: (text: string) => written.push(text),
        bulkOfBytes: (bytes: Buffer, from: number, to: number) =>
          written.push(bytes.toString('latin1', from, to)),
        bulksOfBytes: () => {
          throw new Error('a pop writes one element');
        },
      };
      expect(step[0] === 'popHeadTo' ? packed.popHeadTo(sink) : packed.popTailTo(sink)).toBe(
        expected.length === 1,
      );
      expect(written).toEqual(expected);
      break;
    }
    case 'set':
      expect(packed.set(step[1], step[2])).toBe(list.set(step[1], step[2]));
      break;
    case 'insert':
      expect(packed.insert(step[1], step[2], step[3])).toBe(list.insert(step[1], step[2], step[3]));
      break;
    case 'remove':
      expect(packed.remove(step[1], step[2])).toBe(list.remove(step[1], step[2]));
      break;
    case 'trim':
      packed.trim(step[1], step[2]);
      list.trim(step[1], step[2]);
      break;
  }
  expect(packed.length).toBe(list.length);
}

describe('PackedList', () => {
  it('answers as the QuickList over random operations, packed and converted', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 40 }),
        index,
        index,
        value,
        fc.integer({ min: -3, max: 3 }).filter((rank) => rank !== 0),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        (operations, start, stop, sought, rank, count, maxlen) => {
          const packed = new PackedList();
          const list = new QuickList();
          for (const step of operations) apply(packed, list, step);
          packed.checkInvariants();
          expect([...packed]).toEqual([...list]);
          const head = [...list].slice(0, count + 1);
          expect(packed.charsOfFirst(count + 1)).toBe(head.join('').length);
          expect(packed.range(start, stop)).toEqual(list.range(start, stop));
          const written: string[] = [];
          const bounds = packed.resolveRange(start, stop);
          if (bounds !== null) {
            packed.writeRange(bounds[0], bounds[1], {
              bulk: (text) => written.push(text),
              bulkOfBytes: () => {
                throw new Error('a range writes runs');
              },
              bulksOfBytes: (bytes, spans, count) => {
                for (let i = 0; i < count; i++) {
                  const from = spans[2 * i];
                  written.push(bytes.toString('latin1', from, from + spans[2 * i + 1]));
                }
              },
            });
          }
          expect(written).toEqual(list.range(start, stop));
          expect(packed.at(start)).toBe(list.at(start));
          expect(packed.resolveRange(start, stop)).toEqual(list.resolveRange(start, stop));
          expect(packed.positions(sought, rank, count, maxlen)).toEqual(
            list.positions(sought, rank, count, maxlen),
          );
        },
      ),
    );
  });

  it('turns into a QuickList for good past its entries or chars limit', () => {
    const byEntries = PackedList.from(Array.from({ length: PACKED_ENTRIES }, (_, i) => `e${i}`));
    expect(byEntries.isPacked).toBe(true);
    byEntries.pushHead('one more');
    expect(byEntries.isPacked).toBe(false);
    expect(byEntries.packedLength).toBe(0);
    expect(byEntries.range(0, 1)).toEqual(['one more', 'e0']);
    while (byEntries.length > 1) byEntries.popTail();
    expect(byEntries.isPacked).toBe(false);

    const byChars = PackedList.from(['a', 'b']);
    byChars.set(1, 'x'.repeat(PACKED_CHARS));
    expect(byChars.isPacked).toBe(false);
    expect([...byChars]).toEqual(['a', 'x'.repeat(PACKED_CHARS)]);
    byChars.checkInvariants();
  });

  it('weighs one char per char of its elements, plus one per length below 128', () => {
    const list = PackedList.from(['ab', '', 'cde']);
    expect(list.packedLength).toBe(3 + 1 + 4);
    list.pushHead('x'.repeat(200));
    expect(list.packedLength).toBe(8 + 2 + 200);
  });
});
