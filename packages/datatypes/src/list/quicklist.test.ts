import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/random.js';
import { QuickList } from './quicklist.js';

/** The reference model: a plain array with the list commands' rules spelled out naively. */
function modelRange(values: string[], start: number, stop: number): string[] {
  const length = values.length;
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return [];
  return values.slice(start, Math.min(stop, length - 1) + 1);
}

const value = fc.constantFrom('a', 'b', 'c', 'd');
const index = fc.integer({ min: -12, max: 12 });
const operation = fc.oneof(
  fc.tuple(fc.constant('pushHead' as const), value),
  fc.tuple(fc.constant('pushTail' as const), value),
  fc.tuple(fc.constant('popHead' as const)),
  fc.tuple(fc.constant('popTail' as const)),
  fc.tuple(fc.constant('set' as const), index, value),
  fc.tuple(fc.constant('insert' as const), value, value, fc.boolean()),
  fc.tuple(fc.constant('remove' as const), value, fc.integer({ min: -3, max: 3 })),
  fc.tuple(fc.constant('trim' as const), index, index),
);

describe('QuickList', () => {
  it('matches an array model over random operation sequences', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 60 }),
        fc.tuple(index, index),
        (operations, [start, stop]) => {
          const list = new QuickList<string>(2);
          let model: string[] = [];
          for (const [name, a, b, c] of operations) {
            switch (name) {
              case 'pushHead':
                list.pushHead(a);
                model.unshift(a);
                break;
              case 'pushTail':
                list.pushTail(a);
                model.push(a);
                break;
              case 'popHead':
                expect(list.popHead()).toBe(model.shift());
                break;
              case 'popTail':
                expect(list.popTail()).toBe(model.pop());
                break;
              case 'set': {
                const at = a < 0 ? a + model.length : a;
                const inRange = at >= 0 && at < model.length;
                expect(list.set(a, b)).toBe(inRange);
                if (inRange) model[at] = b;
                break;
              }
              case 'insert': {
                const pivot = model.indexOf(a);
                if (pivot !== -1) model.splice(c ? pivot + 1 : pivot, 0, b);
                expect(list.insert(a, b, c)).toBe(pivot === -1 ? -1 : model.length);
                break;
              }
              case 'remove': {
                let removed = 0;
                const limit = b === 0 ? Infinity : Math.abs(b);
                const order = b < 0 ? [...model.keys()].reverse() : [...model.keys()];
                const drop = new Set<number>();
                for (const i of order) {
                  if (removed < limit && model[i] === a) {
                    drop.add(i);
                    removed++;
                  }
                }
                model = model.filter((_, i) => !drop.has(i));
                expect(list.remove(a, b)).toBe(removed);
                break;
              }
              case 'trim':
                model = modelRange(model, a, b);
                list.trim(a, b);
                break;
            }
            expect(list.length).toBe(model.length);
          }
          expect([...list]).toEqual(model);
          list.checkInvariants();
          expect(list.range(start, stop)).toEqual(modelRange(model, start, stop));
          expect(list.at(start)).toBe(model.at(start));
        },
      ),
    );
  });

  it('finds positions with LPOS rank, count and maxlen', () => {
    const list = QuickList.from(['a', 'b', 'c', 'a', 'b', 'a']);
    expect(list.positions('a', 1, 1, 0)).toEqual([0]);
    expect(list.positions('a', 2, 0, 0)).toEqual([3, 5]);
    expect(list.positions('a', -1, 2, 0)).toEqual([5, 3]);
    expect(list.positions('a', 1, 0, 3)).toEqual([0]);
    expect(list.positions('z', 1, 0, 0)).toEqual([]);
  });

  it('keeps order across growth with 100k elements at both ends', () => {
    const list = new QuickList<number>();
    for (let i = 0; i < 50_000; i++) {
      list.pushTail(i);
      list.pushHead(-i - 1);
    }
    expect(list.length).toBe(100_000);
    expect(list.at(0)).toBe(-50_000);
    expect(list.at(-1)).toBe(49_999);
    let expected = -50_000;
    for (const element of list) expect(element).toBe(expected++);
  });

  it('matches a deque model through 100k+ elements of random end operations', () => {
    const random = seededRandom(3);
    const list = new QuickList<string>();
    // The model: a plain array for the tail half and a reversed one for the head half.
    const front: string[] = [];
    const back: string[] = [];
    const modelAt = (i: number): string | undefined =>
      i < 0 ? undefined : i < front.length ? front[front.length - 1 - i] : back[i - front.length];
    for (let i = 0; i < 300_000; i++) {
      const roll = random();
      const value = `v${i}`;
      if (roll < 0.35) {
        list.pushHead(value);
        front.push(value);
      } else if (roll < 0.7) {
        list.pushTail(value);
        back.push(value);
      } else if (roll < 0.8) {
        expect(list.popHead()).toBe(front.length > 0 ? front.pop() : back.shift());
      } else if (roll < 0.9) {
        expect(list.popTail()).toBe(back.length > 0 ? back.pop() : front.shift());
      } else {
        const length = front.length + back.length;
        // Indexes from -length - 1 to length: both ends of the valid range and one past each.
        const index = Math.floor(random() * (2 * length + 2)) - length - 1;
        expect(list.at(index)).toBe(modelAt(index < 0 ? index + length : index));
      }
    }
    expect(list.length).toBe(front.length + back.length);
    expect(list.length).toBeGreaterThanOrEqual(100_000);
    list.checkInvariants();
    expect([...list]).toEqual([...front].reverse().concat(back));
    expect(list.range(-5, -1)).toEqual(back.slice(-5));
    // Draining gives the buffer back.
    while (list.popTail() !== undefined);
    list.checkInvariants();
  });
});
