import { describe, expect, it } from 'vitest';
import type { LuaValue } from '../value.js';
import { installTable } from './table.js';
import {
  Both,
  fakeHost,
  runOurs,
  type Call,
  checkAgainstReferences,
} from './test-support/reference.js';

const libraries = { table: installTable(fakeHost) };

const greater = new Both('function(a, b) return a > b end', (a, b) => [
  (a as number) > (b as number),
]);
const byKey = new Both('function(a, b) return a.k < b.k end', (a, b) => [
  ((a as { get(k: string): LuaValue }).get('k') as number) <
    ((b as { get(k: string): LuaValue }).get('k') as number),
]);
const always = new Both('function() return true end', () => [true]);
const firstOf = new Both('function(k, v) if v == "b" then return k end end', (k, v) => [
  v === 'b' ? k : undefined,
]);
const records = [3, 1, 2, 1, 3, 2, 1].map((k, i) => ({ k, i }));
const longRecords = Array.from({ length: 100 }, (_, i) => ({ k: (i * 37) % 10, i }));

const CALLS: Call[] = [
  ['table.concat', [1, 2, 'x', 4.5]],
  ['table.concat', [1, 2, 3], ', '],
  ['table.concat', [1, 2, 3], ', ', 2],
  ['table.concat', [1, 2, 3], ', ', 2, 3],
  ['table.concat', [1, 2, 3], ', ', 3, 2],
  ['table.concat', [1, 2, 3], ', ', 0],
  ['table.concat', [1, {}, 3]],
  ['table.concat', [1, 2, 3], 5, 1, 3],
  ['table.concat'],
  ['table.concat', 'x'],
  ['table.concat', [], {}],
  ['&table.insert', [1, 2, 3], 'x'],
  ['&table.insert', [1, 2, 3], 2, 'x'],
  ['&table.insert', [1, 2, 3], 1, 'x'],
  ['&table.insert', [1, 2, 3], 4, 'x'],
  ['&table.insert', [1, 2, 3], 6, 'x'],
  ['&table.insert', [1, 2, 3], 0, 'x'],
  ['&table.insert', [1, 2, 3], -1, 'x'],
  ['&table.insert', [1, 2, 3], '2', 'x'],
  ['&table.insert', [1, 2, 3], 'y', 'x'],
  ['&table.insert', [1, 2, 3], 1, 2, 3],
  ['&table.insert', [1, 2, 3]],
  ['table.insert', 'x', 1],
  ['table.insert'],
  ['&table.remove', [1, 2, 3]],
  ['&table.remove', [1, 2, 3], 1],
  ['&table.remove', [1, 2, 3], 3],
  ['&table.remove', [1, 2, 3], 4],
  ['&table.remove', [1, 2, 3], 0],
  ['&table.remove', []],
  ['&table.remove', [], 1],
  ['table.remove'],
  ['table.maxn', [1, 2, 3]],
  ['table.maxn', { a: 1 }],
  ['table.maxn', []],
  ['table.maxn'],
  ['table.getn', [1, 2, 3]],
  ['table.getn', 5],
  ['table.setn', [], 1],
  ['table.setn', 5],
  ['table.foreach', ['a', 'b', 'c'], firstOf],
  ['table.foreach', ['a'], firstOf],
  ['table.foreach', ['a']],
  ['table.foreachi', ['a', 'b', 'c'], firstOf],
  ['table.foreachi', ['a', 'c'], firstOf],
  ['table.foreachi', 1, firstOf],
  ['&table.sort', [5, 2, 8, 1, 9, 3, 7, 4, 6, 0]],
  ['&table.sort', ['b', 'a', 'C', 'ab', '', 'B']],
  ['&table.sort', [5, 2, 8, 1, 9, 3, 7, 4, 6, 0], greater],
  ['&table.sort', records, byKey],
  ['&table.sort', longRecords, byKey],
  ['&table.sort', Array.from({ length: 300 }, (_, i) => (i * 7919) % 211), greater],
  ['&table.sort', [3, 1, 2, 5, 4, 7, 6, 9, 8, 10, 12, 11], always],
  ['&table.sort', [1, 2], always],
  ['&table.sort', [1, 'x', 2]],
  ['&table.sort', [{}, {}, {}]],
  ['&table.sort', []],
  ['&table.sort', [1]],
  ['table.sort', [1], 1],
  ['table.sort'],
];

describe('the table library against the references', () => {
  checkAgainstReferences('table', libraries, CALLS);
});

describe('table.sort', () => {
  it('calls the comparator through the host', () => {
    let calls = 0;
    const host = {
      ...fakeHost,
      call: (f: LuaValue, ...args: LuaValue[]) => (calls++, fakeHost.call(f, ...args)),
    };
    const t = runOurs({ table: installTable(host) }, ['&table.sort', [3, 1, 2], greater]);
    expect(t).toBe('{n1=n3,n2=n2,n3=n1}');
    expect(calls).toBe(3);
  });
});
