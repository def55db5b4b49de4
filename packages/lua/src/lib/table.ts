import { argumentError, LuaError } from '../error.js';
import type { LibraryHost } from '../host.js';
import { formatNumber } from '../number.js';
import { LuaTable } from '../table.js';
import { isTruthy, NO_VALUES, typeName, type LuaValue } from '../value.js';
import {
  checkFunction,
  checkInt,
  checkTable,
  libraryTable,
  optInt,
  optString,
} from './arguments.js';

/** The `table` library of Lua 5.1: every access raw, lengths without metamethods. */
export function installTable(host: LibraryHost): LuaTable {
  return libraryTable({
    concat: tableConcat,
    foreach: (...args) => tableForeach(host, args),
    foreachi: (...args) => tableForeachi(host, args),
    getn: (...args) => [checkTable(args, 1, 'getn').length()],
    insert: tableInsert,
    maxn: tableMaxn,
    remove: tableRemove,
    setn: (...args) => {
      checkTable(args, 1, 'setn');
      throw new LuaError("'setn' is obsolete");
    },
    sort: (...args) => tableSort(host, args),
  });
}

function tableConcat(...args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'concat');
  const separator = optString(args, 2, 'concat', '');
  const first = optInt(args, 3, 'concat', 1);
  const last = args[3] === undefined ? table.length() : checkInt(args, 4, 'concat');
  const parts: string[] = [];
  for (let i = first; i <= last; i++) {
    const value = table.get(i);
    if (typeof value === 'string') parts.push(value);
    else if (typeof value === 'number') parts.push(formatNumber(value));
    else
      throw new LuaError(`invalid value (${typeName(value)}) at index ${i} in table for 'concat'`);
  }
  return [parts.join(separator)];
}

function tableInsert(...args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'insert');
  const end = table.length() + 1;
  if (args.length === 2) {
    table.set(end, args[1]);
    return NO_VALUES;
  }
  if (args.length !== 3) throw new LuaError("wrong number of arguments to 'insert'");
  const position = checkInt(args, 2, 'insert');
  // Shift t[position..] up one place, from the top down.
  for (let i = end; i > position; i--) table.set(i, table.get(i - 1));
  table.set(position, args[2]);
  return NO_VALUES;
}

function tableRemove(...args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'remove');
  const end = table.length();
  let position = optInt(args, 2, 'remove', end);
  if (position < 1 || position > end) return NO_VALUES;
  const removed = table.get(position);
  for (; position < end; position++) table.set(position, table.get(position + 1));
  table.set(end, undefined);
  return [removed];
}

function tableMaxn(...args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'maxn');
  let max = 0;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    const key = entry[0];
    if (typeof key === 'number' && key > max) max = key;
  }
  return [max];
}

/** table.foreach(t, f): f(k, v) for every pair until one returns a value. */
function tableForeach(host: LibraryHost, args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'foreach');
  const fn = checkFunction(args, 2, 'foreach');
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    const result = host.call(fn, entry[0], entry[1])[0];
    if (result !== undefined) return [result];
  }
  return NO_VALUES;
}

/** table.foreachi(t, f): f(i, t[i]) for i = 1..#t until one returns a value. */
function tableForeachi(host: LibraryHost, args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'foreachi');
  const fn = checkFunction(args, 2, 'foreachi');
  const length = table.length();
  for (let i = 1; i <= length; i++) {
    const result = host.call(fn, i, table.get(i))[0];
    if (result !== undefined) return [result];
  }
  return NO_VALUES;
}

function tableSort(host: LibraryHost, args: LuaValue[]): LuaValue[] {
  const table = checkTable(args, 1, 'sort');
  const comparator = args[1];
  if (comparator !== undefined && typeof comparator !== 'function') {
    throw argumentError(2, 'sort', `function expected, got ${typeName(comparator)}`);
  }
  const less =
    comparator === undefined
      ? (a: LuaValue, b: LuaValue) => host.lessThan(a, b)
      : (a: LuaValue, b: LuaValue) => isTruthy(host.call(comparator, a, b)[0]);
  quicksort(table, less, 1, table.length());
  return NO_VALUES;
}

/**
 * 5.1's quicksort, step for step: its order of comparisons and swaps is observable (through
 * the comparator, the order of equal elements, and "invalid order function for sorting" when
 * an inconsistent comparator runs an index off the range).
 */
function quicksort(
  t: LuaTable,
  less: (a: LuaValue, b: LuaValue) => boolean,
  low: number,
  high: number,
): void {
  const swap = (i: number, j: number) => {
    const value = t.get(i);
    t.set(i, t.get(j));
    t.set(j, value);
  };
  while (low < high) {
    // Order a[low], a[middle], a[high]; the middle one becomes the pivot.
    if (less(t.get(high), t.get(low))) swap(low, high);
    if (high - low === 1) return;
    let i = Math.floor((low + high) / 2);
    if (less(t.get(i), t.get(low))) swap(i, low);
    else if (less(t.get(high), t.get(i))) swap(i, high);
    if (high - low === 2) return;
    const pivot = t.get(i);
    swap(i, high - 1);
    i = low;
    let j = high - 1;
    for (;;) {
      while (less(t.get(++i), pivot)) {
        if (i > high) throw new LuaError('invalid order function for sorting');
      }
      while (less(pivot, t.get(--j))) {
        if (j < low) throw new LuaError('invalid order function for sorting');
      }
      if (j < i) break;
      swap(i, j);
    }
    swap(high - 1, i);
    // Recurse into the smaller part, loop on the larger.
    if (i - low < high - i) {
      quicksort(t, less, low, i - 1);
      low = i + 1;
    } else {
      quicksort(t, less, i + 1, high);
      high = i - 1;
    }
  }
}
