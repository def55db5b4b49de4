import { describe, expect, it } from 'vitest';
import { LuaError } from './error.js';
import { LuaTable } from './table.js';
import type { LuaValue } from './value.js';

function entries(table: LuaTable): [LuaValue, LuaValue][] {
  const all: [LuaValue, LuaValue][] = [];
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0]))
    all.push(entry);
  return all;
}

describe('LuaTable', () => {
  it('keeps 1..n in the array part and counts its length', () => {
    const t = new LuaTable();
    for (let i = 1; i <= 5; i++) t.set(i, i * 10);
    expect(t.length()).toBe(5);
    expect(t.get(3)).toBe(30);
    t.set(5, undefined);
    expect(t.length()).toBe(4);
  });

  it('moves following keys from the hash part when the gap is filled', () => {
    const t = new LuaTable();
    t.set(2, 'b');
    t.set(3, 'c');
    expect(t.length()).toBe(0);
    t.set(1, 'a');
    expect(t.length()).toBe(3);
  });

  it('treats 2 and 2.0 as one key and 2.5 as another', () => {
    const t = new LuaTable();
    t.set(2.0, 'two');
    t.set(2.5, 'two and a half');
    expect(t.get(2)).toBe('two');
    expect(t.get(2.5)).toBe('two and a half');
  });

  it('refuses nil and NaN keys', () => {
    const t = new LuaTable();
    expect(() => t.set(undefined, 1)).toThrow(LuaError);
    expect(() => t.set(NaN, 1)).toThrow('table index is NaN');
  });

  it('traverses array keys in order, then the others, and allows clearing while traversing', () => {
    const t = LuaTable.fromArray(['a', 'b']);
    t.set('x', 1);
    t.set('y', 2);
    const all = entries(t);
    expect(all.slice(0, 2)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(all.slice(2).sort()).toEqual([
      ['x', 1],
      ['y', 2],
    ]);
    for (let entry = t.next(undefined); entry !== undefined; entry = t.next(entry[0]))
      t.set(entry[0], undefined);
    expect(entries(t)).toEqual([]);
  });

  it('rejects a key it does not hold in next', () => {
    expect(() => new LuaTable().next('missing')).toThrow("invalid key to 'next'");
    expect(() => new LuaTable().next(1)).toThrow("invalid key to 'next'");
    const cleared = LuaTable.fromArray([1, 2]);
    cleared.set(2, undefined);
    cleared.set(1, undefined);
    expect(cleared.next(2)).toBeUndefined();
    expect(() => cleared.next(3)).toThrow("invalid key to 'next'");
  });

  it('keeps a cleared key in its slot: next goes on from it, a new store reuses it', () => {
    const t = new LuaTable();
    for (const key of ['a', 'b', 'c', 'd']) t.set(key, key);
    const order = entries(t).map(([key]) => key);
    t.set(order[1], undefined);
    expect(t.next(order[1])).toEqual([order[2], order[2]]);
    t.set(order[1], 'again');
    expect(entries(t).map(([key]) => key)).toEqual(order);
  });

  it('gives a border of the array part by binary search, as 5.1', () => {
    const t = LuaTable.fromArray([1, 2, 3, 4]);
    t.set(2, undefined);
    expect(t.length()).toBe(4);
    t.set(4, undefined);
    expect(t.length()).toBe(1);
  });

  it('refills a table of strings as fromArray would make it, and refuses one that changed', () => {
    const argv = ['EVAL', 'body', '3', 'a', 'b', 'c', 'd'];
    const t = LuaTable.fromArray(argv.slice(3, 6));
    expect(t.refillWithStrings(argv, 4, 7)).toBe(true);
    expect(entries(t)).toEqual(entries(LuaTable.fromArray(['b', 'c', 'd'])));
    expect(t.refillWithStrings(argv, 3, 4)).toBe(true);
    expect(entries(t)).toEqual([[1, 'a']]);
    expect(t.length()).toBe(1);
    expect(t.refillWithStrings(argv, 7, 7)).toBe(true);
    expect(t.length()).toBe(0);
    expect(t.next(undefined)).toBeUndefined();
    // Stores past the array part, metatables and sealing leave the table as it is.
    const grown = LuaTable.fromArray(['a']);
    grown.set('field', 'v');
    expect(grown.refillWithStrings(argv, 3, 4)).toBe(false);
    const withMetatable = LuaTable.fromArray(['a']);
    withMetatable.metatable = new LuaTable();
    expect(withMetatable.refillWithStrings(argv, 3, 4)).toBe(false);
    const sealed = LuaTable.fromArray(['a']);
    sealed.readonly = true;
    expect(sealed.refillWithStrings(argv, 3, 4)).toBe(false);
    // Holes made in the array part are filled again.
    const holes = LuaTable.fromArray(['a', 'b', 'c']);
    holes.set(1, undefined);
    holes.set(4, 'x');
    expect(holes.refillWithStrings(argv, 4, 6)).toBe(true);
    expect(entries(holes)).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(holes.length()).toBe(2);
  });

  // Hundreds of megabytes to fill and copy: a minute and more on a busy machine.
  it('holds more than 2^24 array elements', () => {
    const values = new Array<LuaValue>(2 ** 24 + 2).fill(true);
    const t = LuaTable.fromArray(values);
    t.push(false);
    expect(t.length()).toBe(2 ** 24 + 3);
  }, 180_000);
});
