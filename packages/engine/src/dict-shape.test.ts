import { describe, expect, it } from 'vitest';
import { DictShape } from './dict-shape.js';

function members(count: number, prefix = 'm:'): Set<string> {
  return new Set(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
}

/** Scans `entries` through `shape` from cursor 0 to the end, collecting every page. */
function scanAll(shape: DictShape, entries: Set<string>, count = 10): string[] {
  const seen: string[] = [];
  let cursor = 0;
  do {
    const page = shape.scan(entries, entries.size, cursor, count);
    seen.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== 0);
  return seen;
}

function tableLine(stats: string, table: 0 | 1, field: string): number {
  const section = stats.split(/(?=Hash table \d)/)[table];
  const match = new RegExp(` ${field}: (\\d+)`).exec(section);
  if (match === null) throw new Error(`no ${field} in ${section}`);
  return Number(match[1]);
}

/** Removes members one by one as SREM does, keeping the shape in step. */
function remove(
  shape: DictShape,
  set: Set<string>,
  gone: Iterable<string>,
  policy: 'enable' | 'avoid',
) {
  for (const member of gone) {
    shape.lookedUp(policy);
    if (set.delete(member)) shape.removed(member, set, set.size, policy);
  }
}

describe('DictShape', () => {
  it('holds a converted or loaded dict in the power of two that fits it', () => {
    const set = members(100);
    const stats = DictShape.fitting(set.size).stats(set, set.size);
    expect(tableLine(stats, 0, 'table size')).toBe(128);
    expect(tableLine(stats, 0, 'number of elements')).toBe(100);
    expect(stats).not.toContain('rehashing target');
  });

  it('grows once full, but while a child runs only when five times over', () => {
    const shape = DictShape.fitting(4);
    const set = members(4);
    shape.beforeAdd(4, 'avoid');
    expect(tableLine(shape.stats(set, 4), 0, 'table size')).toBe(4);
    shape.beforeAdd(4, 'enable');
    expect(tableLine(shape.stats(set, 4), 0, 'table size')).toBe(8);
    shape.beforeAdd(48, 'avoid');
    expect(tableLine(shape.stats(set, 4), 0, 'table size')).toBe(64);
  });

  it('shrinks a sparse table by rehashing a bucket per operation into the smaller target', () => {
    const set = members(1000);
    const shape = DictShape.fitting(set.size);
    remove(shape, set, [...set].slice(0, 950), 'enable');
    const stats = shape.stats(set, set.size);
    expect(stats).toContain('Hash table 1 stats (rehashing target):');
    expect(tableLine(stats, 1, 'table size')).toBe(128);
    expect(
      tableLine(stats, 0, 'number of elements') + tableLine(stats, 1, 'number of elements'),
    ).toBe(50);
    for (let i = 0; i < 1000 && shape.rehashing; i++) shape.lookedUp('enable');
    expect(shape.rehashing).toBe(false);
    // Redis shrinks again only on a later removal, and 50 entries fill 128 buckets enough.
    expect(tableLine(shape.stats(set, set.size), 0, 'table size')).toBe(128);
  });

  it('does not shrink while a child runs, and rehashes then only a five-fold change', () => {
    const set = members(1000);
    const shape = DictShape.fitting(set.size);
    remove(shape, set, [...set].slice(0, 990), 'avoid');
    expect(shape.rehashing).toBe(false);
    remove(shape, set, ['m:990'], 'enable');
    expect(shape.rehashing).toBe(true);
    shape.sampled(1000, 'avoid');
    expect(shape.rehashing).toBe(false);

    // 16 buckets down to 4: a four-fold change waits for the child.
    const small = members(16, 's:');
    const shrinking = DictShape.fitting(small.size);
    remove(shrinking, small, [...small].slice(0, 15), 'enable');
    expect(shrinking.rehashing).toBe(true);
    shrinking.sampled(1000, 'avoid');
    expect(shrinking.rehashing).toBe(true);
    shrinking.sampled(1000, 'enable');
    expect(shrinking.rehashing).toBe(false);
  });

  it('scans every member once when the dict does not change, a bucket at a time', () => {
    const set = members(5000);
    const shape = DictShape.fitting(set.size);
    const seen = scanAll(shape, set, 7);
    expect(seen.length).toBe(5000);
    expect(new Set(seen)).toEqual(set);
  });

  it('scans every member at least once across both tables while rehashing', () => {
    const set = members(3000);
    const shape = DictShape.fitting(set.size);
    remove(shape, set, [...set].slice(0, 2800), 'enable');
    shape.beforeAdd(set.size, 'enable');
    set.add('late');
    shape.added('late');
    expect(shape.rehashing).toBe(true);
    expect(new Set(scanAll(shape, set))).toEqual(set);
  });

  it('leaves the last members of a scan in one bucket of the shrunk table, as Redis does', () => {
    // unit/type/set's "SRANDMEMBER with a dict containing long chain" in small: a scan walks
    // buckets in reverse-bit order, so the members it reaches last share their low bits.
    const set = members(20000);
    const shape = DictShape.fitting(set.size);
    const firstOrder = scanAll(shape, set);
    // While a child runs the table keeps its size; the first removal after it shrinks it.
    remove(shape, set, firstOrder.slice(0, firstOrder.length - 500), 'avoid');
    remove(shape, set, [firstOrder[firstOrder.length - 500]], 'enable');
    shape.sampled(100000, 'avoid');
    expect(tableLine(shape.stats(set, set.size), 0, 'table size')).toBe(512);
    const order = scanAll(shape, set);
    remove(shape, set, order.slice(0, order.length - 30), 'enable');
    const stats = shape.stats(set, set.size);
    expect(stats).toContain('rehashing target');
    expect(tableLine(stats, 0, 'different slots')).toBe(1);
    expect(tableLine(stats, 0, 'max chain length')).toBe(30);
  });
});
