import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteHashTable, stringHash } from './byte-hash-table.js';

// Keys from a small pool (so operations meet), values around the one-byte length limit (127),
// the own-chunk limit (4096) and with every latin1 char.
const key = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'field', '\u0000', '\u00ff\u0080'),
  fc.integer({ min: 0, max: 40 }).map((i) => `field:${i}`),
);
const value = fc.oneof(
  fc.constantFrom('', 'v', 'value'),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)) }),
  fc.integer({ min: 120, max: 9000 }).map((length) => 'x'.repeat(length)),
);
const operation = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('set' as const), key, value) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('delete' as const), key) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('get' as const), key) },
);

const sorted = (entries: Iterable<[string, string]>) =>
  [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** Every entry by `scan`, `count` at a time, and the pages it took. */
function scanAll(table: ByteHashTable, count: number): { entries: string[]; pages: number } {
  const entries: string[] = [];
  let from = 0;
  let pages = 0;
  do {
    from = table.scan(from, count, entries);
    pages++;
  } while (from !== -1);
  return { entries, pages };
}

// The default hash, a seeded one as rc passes, and one that chains every key in one bucket.
const seed = 0x9e3779b9;
const hashes: Array<[string, ((key: string) => number) | undefined]> = [
  ['stringHash', undefined],
  ['a seeded hash', (key) => stringHash(key) ^ seed],
  ['one colliding hash', () => 0x12345678],
];

describe('ByteHashTable', () => {
  it.each(hashes)('matches a Map over random operation sequences (%s)', (_, hash) => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const table = new ByteHashTable(undefined, hash);
        const model = new Map<string, string>();
        for (const [name, k, v] of operations) {
          if (name === 'set') {
            expect(table.set(k, v)).toBe(table);
            model.set(k, v);
          } else if (name === 'delete') {
            expect(table.delete(k)).toBe(model.delete(k));
          } else {
            expect(table.get(k)).toBe(model.get(k));
            expect(table.has(k)).toBe(model.has(k));
          }
          expect(table.size).toBe(model.size);
        }
        expect(sorted(table)).toEqual(sorted(model));
        for (const [k, v] of model) expect(table.get(k)).toBe(v);
        const keys = [...table.keys()];
        expect(keys.map((k, i) => [k, table.valueAt(i)])).toEqual([...table]);
        expect(keys.map((_, i) => table.keyAt(i))).toEqual(keys);
      }),
    );
  });

  it('grows, shrinks and repacks its bytes without losing an entry', () => {
    const table = new ByteHashTable();
    for (let i = 0; i < 100_000; i++) table.set(`field:${i}`, `value:${i}`);
    for (let i = 0; i < 100_000; i += 2) table.set(`field:${i}`, `longer value:${i}`);
    for (let i = 0; i < 100_000; i++) if (i % 100 !== 0) table.delete(`field:${i}`);
    expect(table.size).toBe(1000);
    for (let i = 0; i < 100_000; i += 100)
      expect(table.get(`field:${i}`)).toBe(`longer value:${i}`);
    expect(table.get('field:1')).toBeUndefined();
    const big = 'y'.repeat(100_000);
    table.set('big', big);
    expect(table.get('big')).toBe(big);
    table.set('big', 'small');
    expect(table.get('big')).toBe('small');
  });

  it('refuses a char beyond latin1 and keeps what it held', () => {
    const table = new ByteHashTable();
    table.set('k', 'old');
    expect(() => table.set('k', 'ne\u0101')).toThrow(RangeError);
    expect(() => table.set('\u0101', 'v')).toThrow(RangeError);
    expect(table.get('k')).toBe('old');
    expect(table.size).toBe(1);
  });

  it('scans every entry once, in hash order, about count at a time', () => {
    const table = new ByteHashTable();
    for (let i = 0; i < 5000; i++) table.set(`f${i}`, `v${i}`);
    for (const count of [1, 10, 100, 10_000]) {
      const { entries, pages } = scanAll(table, count);
      const keys = entries.filter((_, i) => i % 2 === 0);
      expect(keys.length).toBe(5000);
      expect(new Set(keys).size).toBe(5000);
      for (let i = 0; i < entries.length; i += 2)
        expect(table.get(entries[i])).toBe(entries[i + 1]);
      const hashes = keys.map(stringHash);
      expect(hashes).toEqual([...hashes].sort((a, b) => a - b));
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(5000 / count) - 1);
      expect(pages).toBeLessThanOrEqual(Math.ceil(5000 / count) + 1);
    }
  });

  it.each(hashes)(
    'scan returns the entries present throughout, whatever changes between pages (%s)',
    (_, hash) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 50 }),
          fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 })), { maxLength: 400 }),
          (count, changes) => {
            const table = new ByteHashTable(undefined, hash);
            for (let i = 0; i < 1000; i++) table.set(`k${i}`, 'v');
            const kept = new Set<string>();
            for (let i = 0; i < 1000; i++) kept.add(`k${i}`);
            const seen: string[] = [];
            let from = 0;
            let step = 0;
            do {
              const page: string[] = [];
              from = table.scan(from, count, page);
              for (let i = 0; i < page.length; i += 2) seen.push(page[i]);
              // Writes between pages: adds grow the table, removals shrink it.
              for (let j = 0; j < 8 && step < changes.length; j++, step++) {
                const [add, n] = changes[step];
                if (add) table.set(`k${n}`, 'v');
                else if (table.delete(`k${n}`)) kept.delete(`k${n}`);
              }
            } while (from !== -1);
            const returned = new Set(seen);
            for (const k of kept) expect(returned.has(k)).toBe(true);
          },
        ),
      );
    },
  );

  it('gives the same pages as sorting every key by hash', () => {
    const table = new ByteHashTable();
    const keys = Array.from({ length: 3000 }, (_, i) => `member:${i * 7}`);
    for (const k of keys) table.set(k, '');
    const byHash = [...keys].sort((a, b) => stringHash(a) - stringHash(b));
    const page: string[] = [];
    const next = table.scan(stringHash(byHash[100]), 50, page);
    expect(page.filter((_, i) => i % 2 === 0)).toEqual(byHash.slice(100, 150));
    expect(next).toBe(stringHash(byHash[150]));
  });
});
