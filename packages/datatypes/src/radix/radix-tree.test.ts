import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RadixTree } from './radix-tree.js';

const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\x00', '\xff'), maxLength: 6 });

describe('RadixTree', () => {
  it('matches a sorted-map model over random inserts, removes and seeks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), key), { maxLength: 60 }),
        key,
        fc.boolean(),
        (operations, seek, exclusive) => {
          const tree = new RadixTree<number>();
          const model = new Map<string, number>();
          operations.forEach(([insert, k], i) => {
            if (insert) {
              tree.insert(k, i);
              model.set(k, i);
            } else {
              expect(tree.remove(k)).toBe(model.delete(k));
            }
          });
          expect(tree.size).toBe(model.size);
          const sorted = [...model].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          expect([...tree.ascending()]).toEqual(sorted);
          expect([...tree.descending()]).toEqual([...sorted].reverse());
          expect([...tree.ascending(seek, exclusive)]).toEqual(
            sorted.filter(([k]) => (exclusive ? k > seek : k >= seek)),
          );
          expect([...tree.descending(seek, exclusive)]).toEqual(
            sorted.filter(([k]) => (exclusive ? k < seek : k <= seek)).reverse(),
          );
          for (const [k, v] of model) expect(tree.find(k)).toBe(v);
        },
      ),
    );
  });

  it('holds 100k 16-byte keys in order', () => {
    const tree = new RadixTree<number>();
    const keys: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const bytes = Buffer.alloc(16);
      bytes.writeBigUInt64BE(BigInt(1_700_000_000_000 + i * 7));
      bytes.writeBigUInt64BE(BigInt(i % 3), 8);
      keys.push(bytes.toString('latin1'));
    }
    for (const [i, k] of [...keys].reverse().entries()) tree.insert(k, i);
    expect(tree.size).toBe(100_000);
    const ordered = [...tree.ascending()].map(([k]) => k);
    expect(ordered).toEqual([...keys].sort());
  });
});
