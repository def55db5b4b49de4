import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/random.js';
import { RadixTree } from './radix-tree.js';

const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\x00', '\xff'), maxLength: 6 });

describe('RadixTree', () => {
  it("counts the nodes Redis's rax would have", () => {
    const tree = new RadixTree<number>();
    expect(tree.nodeCount).toBe(1); // the empty root
    tree.insert('abcdefgh', 1);
    expect(tree.nodeCount).toBe(2); // a compressed run, then the key's leaf
    tree.insert('abcxyz', 2);
    // run "abc", a branch on d/x, runs "efgh" and "yz" after it, two leaves
    expect(tree.nodeCount).toBe(6);
    tree.insert('abcq', 3);
    // the branch takes q; a one-byte edge needs no run of its own
    expect(tree.nodeCount).toBe(7);
  });

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
          tree.checkInvariants();
          const after = sorted.filter(([k]) => k > seek);
          const before = sorted.filter(([k]) => k < seek);
          const exact = sorted.find(([k]) => k === seek);
          expect(tree.seek('>', seek)).toEqual(after[0]);
          expect(tree.seek('>=', seek)).toEqual(exact ?? after[0]);
          expect(tree.seek('<', seek)).toEqual(before.at(-1));
          expect(tree.seek('<=', seek)).toEqual(exact ?? before.at(-1));
          expect(tree.first()).toEqual(sorted[0]);
          expect(tree.last()).toEqual(sorted.at(-1));
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
    tree.checkInvariants();
  });

  // Minutes with every package's tests and CPU burners on two cores (timed out at 60 s).
  it('keeps its compression invariants through 100k random inserts and removes', () => {
    const tree = new RadixTree<number>();
    const model = new Map<string, number>();
    const random = seededRandom(7);
    const inserted: string[] = [];
    for (let i = 0; i < 240_000; i++) {
      // Keys over a small alphabet share prefixes, so nodes split and merge constantly.
      const length = 2 + Math.floor(random() * 7);
      let k = '';
      for (let j = 0; j < length; j++) k += String.fromCharCode(Math.floor(random() * 16) * 16);
      if (random() < 0.8 || inserted.length === 0) {
        tree.insert(k, i);
        model.set(k, i);
        inserted.push(k);
      } else {
        // Remove a key that was inserted earlier, so removals hit and merge nodes.
        const victim = inserted[Math.floor(random() * inserted.length)];
        expect(tree.remove(victim)).toBe(model.delete(victim));
      }
    }
    expect(model.size).toBeGreaterThanOrEqual(100_000);
    tree.checkInvariants();
    expect(tree.size).toBe(model.size);
    const sorted = [...model.keys()].sort();
    expect([...tree.ascending()].map(([k]) => k)).toEqual(sorted);
    for (let i = 0; i < 1000; i++) {
      const probe = sorted[Math.floor(random() * sorted.length)] + '\x10';
      const next = sorted.find((k) => k > probe);
      expect(tree.seek('>', probe)?.[0]).toBe(next);
    }
  }, 240_000);
});
