import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/random.js';
import { type BulkSink, NODE_BYTES, QuickList } from './quicklist.js';

/** The reference model: a plain array with the list commands' rules spelled out naively. */
function modelRange(values: string[], start: number, stop: number): string[] {
  const length = values.length;
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return [];
  return values.slice(start, Math.min(stop, length - 1) + 1);
}

/** LPOS over the model: indexes of matches, rank < 0 from the tail, count and maxlen 0 all. */
function modelPositions(
  values: string[],
  sought: string,
  rank: number,
  count: number,
  maxlen: number,
): number[] {
  const order = rank > 0 ? [...values.keys()] : [...values.keys()].reverse();
  const scanned = maxlen === 0 ? order : order.slice(0, maxlen);
  const matches = scanned.filter((i) => values[i] === sought).slice(Math.abs(rank) - 1);
  return count === 0 ? matches : matches.slice(0, count);
}

/** A sink that records what LRANGE's reply would hold. */
function recordingSink(): BulkSink & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    bulk: (text) => written.push(text),
    bulkOfBytes: (source, start, end) => written.push(source.toString('latin1', start, end)),
    bulksOfBytes: (source, spans, count) => {
      for (let i = 0; i < count; i++) {
        written.push(source.toString('latin1', spans[2 * i], spans[2 * i] + spans[2 * i + 1]));
      }
    },
  };
}

// Few distinct values (so LINSERT, LREM and LPOS find them), every latin1 char, and lengths
// across the one-byte length limit and past the small node sizes the lists below use.
const value = fc.oneof(
  fc.constantFrom('a', 'b', 'c', '', '\u0000', '\u00ff\u0080'),
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
    maxLength: 3,
  }),
  fc.constantFrom('x'.repeat(127), 'y'.repeat(128), 'z'.repeat(300)),
);
const index = fc.integer({ min: -40, max: 40 });
const operation = fc.oneof(
  fc.tuple(fc.constant('pushHead' as const), value),
  fc.tuple(fc.constant('pushTail' as const), value),
  fc.tuple(fc.constant('pushMany' as const), value, fc.integer({ min: 1, max: 30 })),
  fc.tuple(fc.constant('popHead' as const)),
  fc.tuple(fc.constant('popTail' as const)),
  fc.tuple(fc.constant('popHeadTo' as const)),
  fc.tuple(fc.constant('popTailTo' as const)),
  fc.tuple(fc.constant('set' as const), index, value),
  fc.tuple(fc.constant('insert' as const), value, value, fc.boolean()),
  fc.tuple(fc.constant('remove' as const), value, fc.integer({ min: -3, max: 3 })),
  fc.tuple(fc.constant('trim' as const), index, index),
);

describe('QuickList', () => {
  it('matches an array model over random operation sequences, across node sizes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 64, 512, NODE_BYTES),
        fc.array(operation, { maxLength: 60 }),
        fc.tuple(index, index),
        fc.tuple(
          value,
          fc.integer({ min: -3, max: 3 }).filter((rank) => rank !== 0),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 5 }),
        ),
        (nodeBytes, operations, [start, stop], [sought, rank, count, maxlen]) => {
          const list = new QuickList(nodeBytes);
          let model: string[] = [];
          for (const step of operations) {
            switch (step[0]) {
              case 'pushHead':
                list.pushHead(step[1]);
                model.unshift(step[1]);
                break;
              case 'pushTail':
                list.pushTail(step[1]);
                model.push(step[1]);
                break;
              case 'pushMany':
                for (let i = 0; i < step[2]; i++) {
                  list.pushTail(step[1]);
                  model.push(step[1]);
                }
                break;
              case 'popHead':
                expect(list.popHead()).toBe(model.shift());
                break;
              case 'popTail':
                expect(list.popTail()).toBe(model.pop());
                break;
              case 'popHeadTo':
              case 'popTailTo': {
                const sink = recordingSink();
                const nonEmpty = model.length > 0;
                const taken = step[0] === 'popHeadTo' ? list.popHeadTo(sink) : list.popTailTo(sink);
                expect(taken).toBe(nonEmpty);
                if (taken) {
                  expect(sink.written).toEqual([
                    step[0] === 'popHeadTo' ? model.shift() : model.pop(),
                  ]);
                }
                break;
              }
              case 'set': {
                const at = step[1] < 0 ? step[1] + model.length : step[1];
                const inRange = at >= 0 && at < model.length;
                expect(list.set(step[1], step[2])).toBe(inRange);
                if (inRange) model[at] = step[2];
                break;
              }
              case 'insert': {
                const pivot = model.indexOf(step[1]);
                if (pivot !== -1) model.splice(step[3] ? pivot + 1 : pivot, 0, step[2]);
                expect(list.insert(step[1], step[2], step[3])).toBe(
                  pivot === -1 ? -1 : model.length,
                );
                break;
              }
              case 'remove': {
                const [, sought, count] = step;
                const limit = count === 0 ? Infinity : Math.abs(count);
                const order = count < 0 ? [...model.keys()].reverse() : [...model.keys()];
                const drop = new Set(order.filter((i) => model[i] === sought).slice(0, limit));
                model = model.filter((_, i) => !drop.has(i));
                expect(list.remove(sought, count)).toBe(drop.size);
                break;
              }
              case 'trim':
                model = modelRange(model, step[1], step[2]);
                list.trim(step[1], step[2]);
                break;
            }
            expect(list.length).toBe(model.length);
            list.checkInvariants();
          }
          expect([...list]).toEqual(model);
          expect(list.range(start, stop)).toEqual(modelRange(model, start, stop));
          const sink = recordingSink();
          const bounds = list.resolveRange(start, stop);
          if (bounds !== null) list.writeRange(bounds[0], bounds[1], sink);
          expect(sink.written).toEqual(modelRange(model, start, stop));
          expect(list.at(start)).toBe(model.at(start));
          expect(list.charsOfFirst(stop)).toBe(model.slice(0, Math.max(0, stop)).join('').length);
          expect(list.positions(sought, rank, count, maxlen)).toEqual(
            modelPositions(model, sought, rank, count, maxlen),
          );
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

  it('keeps elements of every length-prefix size, and longer than a node, at both ends', () => {
    const lengths = [0, 1, 127, 128, 16383, 16384, NODE_BYTES, NODE_BYTES + 1, 2097152];
    const values = lengths.map((length, i) => String.fromCharCode(0x80 + i).repeat(length));
    const list = new QuickList();
    for (const element of values) {
      list.pushTail(element);
      list.pushHead(element);
    }
    list.checkInvariants();
    expect([...list]).toEqual([...values].reverse().concat(values));
    for (let i = 0; i < values.length; i++) expect(list.at(-1 - i)).toBe(values.at(-1 - i));
    for (const element of [...values].reverse()) {
      expect(list.popHead()).toBe(element);
      expect(list.popTail()).toBe(element);
    }
    expect(list.length).toBe(0);
    expect(list.nodeCount).toBe(0);
  });

  it('holds a million short elements in a few hundred nodes of at most NODE_BYTES', () => {
    const list = new QuickList();
    for (let i = 0; i < 1_000_000; i++) list.pushHead('xxx');
    // An element of 3 bytes takes 5: its length before and after it.
    expect(list.nodeCount).toBe(Math.ceil(1_000_000 / Math.floor(NODE_BYTES / 5)));
    expect(list.range(0, 599)).toEqual(new Array<string>(600).fill('xxx'));
    list.checkInvariants();
  });

  it('writes ranges across nodes and runs longer than one batch of spans', () => {
    // Empty and short elements: thousands to a node, so a node's run is cut into batches.
    const values = Array.from({ length: 10_000 }, (_, i) => 'e'.repeat(i % 4));
    const list = QuickList.from(values);
    for (const [first, last] of [
      [0, 9_999],
      [0, 255],
      [0, 256],
      [255, 257],
      [1_000, 7_777],
      [9_999, 9_999],
    ]) {
      const sink = recordingSink();
      list.writeRange(first, last, sink);
      expect(sink.written).toEqual(values.slice(first, last + 1));
    }
  });

  it('matches a deque model through 100k+ elements of random end operations', () => {
    const random = seededRandom(3);
    const list = new QuickList();
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
    // Draining drops every node.
    while (list.popTail() !== undefined);
    expect(list.nodeCount).toBe(0);
    list.checkInvariants();
  });
});
