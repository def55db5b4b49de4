import { describe, expect, it } from 'vitest';
import { LuaTable } from '../table.js';
import { LuaError } from '../error.js';
import { typeName, type LuaValue } from '../value.js';
import { RedisRandom } from './random.js';
import { installTable } from './table.js';
import {
  Both,
  differences,
  fakeHost,
  lua51Available,
  requireOrSkip,
  runLua51,
  type Call,
} from './test-support/reference.js';

/*
 * Generated table.sort calls against lua5.1: arrays of every length with many equal keys,
 * sorted by records' keys (the order of equal elements shows the algorithm), with an invalid
 * comparator (<=) that may run off the array, and without a comparator.
 */

const libraries = { table: installTable(fakeHost) };

/** `a.k` as the Lua comparators read it, failing as they do past the array's end. */
function keyOf(record: LuaValue, name: string): number {
  if (!(record instanceof LuaTable)) {
    throw new LuaError(`attempt to index local '${name}' (a ${typeName(record)} value)`);
  }
  return record.get('k') as number;
}

const COMPARATORS = [
  new Both('function(a, b) return a.k < b.k end', (a, b) => [keyOf(a, 'a') < keyOf(b, 'b')]),
  new Both('function(a, b) return a.k > b.k end', (a, b) => [keyOf(a, 'a') > keyOf(b, 'b')]),
  new Both('function(a, b) return a.k <= b.k end', (a, b) => [keyOf(a, 'a') <= keyOf(b, 'b')]),
];

function generatedCalls(count: number): Call[] {
  const random = new RedisRandom();
  random.seed(5);
  const below = (n: number) => random.next() % n;
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    const length = below(40);
    const distinct = 1 + below(10);
    const records = Array.from({ length }, (_, index) => ({ k: below(distinct), i: index }));
    calls.push(['&table.sort', records, COMPARATORS[below(COMPARATORS.length)]]);
    calls.push(['&table.sort', records.map((record) => record.k * 10 + below(3))]);
  }
  return calls;
}

describe('generated table.sort calls against lua5.1', () => {
  it('leaves every array (equal keys included) as 5.1 does, or fails as it does', () => {
    if (!requireOrSkip('generated table.sort differential', lua51Available, 'lua5.1')) return;
    const calls = generatedCalls(400);
    expect(differences(libraries, calls, runLua51(calls))).toEqual([]);
  });
});
