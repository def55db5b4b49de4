import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyWriter } from '@rc/resp';
import { KeyTable } from './key-table.js';
import { parseInteger } from './numbers.js';

type Operation = {
  kind: 'add' | 'delete' | 'replace';
  key: string;
  stamp: number;
  /** A number is stored as the string of its digits (INCR's store). */
  value: string | number;
};

const operations = fc.array(
  fc.record({
    kind: fc.constantFrom<Operation['kind']>('add', 'delete', 'replace'),
    key: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `k${i}`)),
    stamp: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    value: fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('', 'x'.repeat(44), 'y'.repeat(45), 'z'.repeat(4096), 'w'.repeat(4097)),
      fc.string({ unit: 'binary', minLength: 45, maxLength: 2000 }),
      fc.string({ minLength: 45, maxLength: 300 }).map((text) => `\u{100}${text}`),
      fc.constantFrom('-0', '007', '9007199254740993'),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.maxSafeInteger(),
      fc.integer({ min: -12, max: 12 }),
    ),
  }),
  { maxLength: 400 },
);

describe('KeyTable', () => {
  it('holds what a Map of key → value, stamp and count holds, each key in its slot', () => {
    /** What integerAt gives for a stored string: the integer it spells when a double holds it. */
    const integerOf = (value: string) => {
      const parsed = parseInteger(value);
      return typeof parsed === 'number' ? parsed : null;
    };
    fc.assert(
      fc.property(operations, (steps) => {
        const table = new KeyTable();
        const model = new Map<string, { value: string; stamp: number; count: number }>();
        for (const { kind, key, stamp, value } of steps) {
          const slot = table.slotOf(key);
          if (kind === 'delete') {
            expect(table.delete(key)).toBe(model.delete(key));
          } else if (slot < 0) {
            const added = table.addNew(key, value);
            table.setStampAt(added, stamp);
            table.setCountAt(added, stamp / 2);
            model.set(key, { value: String(value), stamp, count: stamp / 2 });
          } else if (kind === 'replace') {
            table.setValueAt(slot, value);
            table.setStampAt(slot, stamp);
            (model.get(key) as { value: string; stamp: number }).value = String(value);
            (model.get(key) as { value: string; stamp: number }).stamp = stamp;
          }
        }
        expect(table.size).toBe(model.size);
        expect([...table.keys()].sort()).toEqual([...model.keys()].sort());
        expect([...table].sort()).toEqual(
          [...model].map(([key, { value }]) => [key, value]).sort(),
        );
        [...table.keys()].forEach((key, slot) => expect(table.slotOf(key)).toBe(slot));
        for (const [key, { value, stamp, count }] of model) {
          const slot = table.slotOf(key);
          expect(table.keyAt(slot)).toBe(key);
          expect(table.get(key)).toBe(value);
          expect(table.valueAt(slot)).toBe(value);
          expect(table.integerAt(slot)).toBe(integerOf(value));
          expect(table.stampAt(slot)).toBe(stamp);
          expect(table.countAt(slot)).toBe(count);
        }
        expect(table.slotOf('missing')).toBe(-1);
        expect(table.get('missing')).toBeUndefined();
      }),
    );
  });

  it('steps a counter in its digits only when they keep their count, replying them', () => {
    const stepped = (digits: string, up: boolean) => {
      const table = new KeyTable();
      const slot = table.addNew('k', digits);
      if (!table.stepAt(slot, up)) return { done: false, value: table.valueAt(slot) };
      const out = new ReplyWriter();
      table.writeIntegerAt(slot, out);
      return { done: true, value: table.valueAt(slot), reply: out.take().toString('latin1') };
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e6, max: 1e6 }).map(String),
          fc.integer({ min: 0, max: 1e15 + 10 }).map(String),
          fc.constantFrom('99999', '10000', '100000', '999999999999999', '1000000000000000'),
          fc.constantFrom('09999', '1234x', '-12345', '+12345', ' 12345', '12345 '),
        ),
        fc.boolean(),
        (digits, up) => {
          const sum = Number(digits) + (up ? 1 : -1);
          const canonical = /^[1-9][0-9]*$/.test(digits);
          const keeps = canonical && String(sum).length === digits.length;
          const result = stepped(digits, up);
          const expectedDone = keeps && digits.length >= 5 && digits.length <= 15;
          expect(result.done).toBe(expectedDone);
          if (expectedDone) {
            expect(result.value).toBe(String(sum));
            expect(result.reply).toBe(`:${sum}\r\n`);
          } else {
            expect(result.value).toBe(digits);
          }
        },
      ),
    );
  });

  it('keeps short strings through the repacks that give removed ones back', () => {
    const table = new KeyTable();
    const model = new Map<string, string>();
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 1000; i++) {
        const key = `k${i}`;
        const value = `${round}:${i}:`.padEnd(10 + ((round * i) % 35), '.');
        if ((round + i) % 7 === 0) {
          table.delete(key);
          model.delete(key);
        } else if (table.slotOf(key) < 0) {
          table.addNew(key, value);
          model.set(key, value);
        } else {
          table.setValueAt(table.slotOf(key), value);
          model.set(key, value);
        }
      }
    }
    expect(new Map(table)).toEqual(model);
  });

  it('finds every key through its index growing, removals that shift its buckets, and shrinking', () => {
    const table = new KeyTable();
    const model = new Set<string>();
    const check = () => {
      expect(table.size).toBe(model.size);
      for (const key of model) expect(table.keyAt(table.slotOf(key))).toBe(key);
      for (let i = 0; i < 200; i++)
        if (!model.has(`k${i * 97}`)) expect(table.has(`k${i * 97}`)).toBe(false);
    };
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 20_000;
    for (let i = 0; i < 30_000; i++) {
      const key = `k${next()}`;
      if (model.has(key)) {
        expect(table.delete(key)).toBe(true);
        model.delete(key);
      } else {
        expect(table.addNew(key, key)).toBe(model.size);
        model.add(key);
      }
      if (i % 5000 === 0) check();
    }
    check();
    for (const key of [...model]) {
      table.delete(key);
      model.delete(key);
      if (model.size % 3000 === 0) check();
    }
    expect(table.size).toBe(0);
  });

  it('keeps medium strings through the repacks that give removed slots back', () => {
    const table = new KeyTable();
    const model = new Map<string, string>();
    const put = (key: string, value: string): void => {
      const slot = table.slotOf(key);
      if (slot < 0) table.addNew(key, value);
      else table.setValueAt(slot, value);
      model.set(key, value);
    };
    for (let round = 0; round < 3; round++) {
      // 4000 values of 45 to 3000 chars, then three in four of them removed: more than half of
      // the slots' bytes freed, several MB, which a repack gives back.
      for (let i = 0; i < 4000; i++) {
        put(`k${i}`, `${round}:${i}:`.padEnd(45 + ((round * 131 + i * 17) % 3000), '.'));
      }
      for (let i = 0; i < 4000; i++) {
        if ((round + i) % 4 !== 0) {
          table.delete(`k${i}`);
          model.delete(`k${i}`);
        }
      }
      expect(new Map(table)).toEqual(model);
    }
  });

  it('picks random slots among the keys it holds, and none when empty', () => {
    const table = new KeyTable();
    expect(table.randomSlot()).toBe(-1);
    for (let i = 0; i < 100; i++) table.addNew(`k${i}`, 'v');
    expect(table.countAt(table.slotOf('k5'))).toBe(0);
    for (let i = 0; i < 90; i++) table.delete(`k${i}`);
    for (let i = 0; i < 50; i++) {
      const slot = table.randomSlot();
      expect(table.keyAt(slot)).toMatch(/^k9\d$/);
    }
  });

  it('adds a key that is new, and leaves the table as it was for one that is not', () => {
    const table = new KeyTable();
    for (let i = 0; i < 10; i++) expect(table.addNew(`k${i}`, `v${i}`)).toBe(i);
    table.delete('k3');
    const before = [...table.entries()].map(([key]) => [key, table.slotOf(key)]);
    expect(table.addNew('k7', 'other')).toBe(-1);
    expect([...table.entries()].map(([key]) => [key, table.slotOf(key)])).toEqual(before);
    expect(table.get('k7')).toBe('v7');
    expect(table.addNew('k3', 'again')).toBe(9);
    expect(table.get('k3')).toBe('again');
  });

  it('indexes keys added unchecked at the next lookup or settle, a table of any size', () => {
    for (const [before, loaded] of [
      [0, 1],
      [0, 5000],
      [300, 20_000],
    ]) {
      const table = new KeyTable();
      for (let i = 0; i < before; i++) table.addNew(`old${i}`, 'v');
      for (let i = 0; i < before; i += 3) table.delete(`old${i}`);
      const size = table.size;
      table.reserve(size + loaded);
      for (let i = 0; i < loaded; i++) expect(table.addUnchecked(`k${i}`, `v${i}`)).toBe(size + i);
      if (loaded > 1) expect(table.get('k1')).toBe('v1');
      for (let i = 0; i < loaded; i++) table.addUnchecked(`later${i}`, 'w');
      expect(table.settle()).toBeNull();
      [...table.keys()].forEach((key, slot) => expect(table.slotOf(key)).toBe(slot));
      expect(table.has('missing')).toBe(false);
      expect(table.size).toBe(size + 2 * loaded);
    }
  });

  it('tells of a key added unchecked that was there, and keeps both slots removable', () => {
    const table = new KeyTable();
    table.addNew('a', '1');
    for (let i = 0; i < 1000; i++) table.addUnchecked(`k${i}`, 'v');
    table.addUnchecked('k500', 'second');
    table.addUnchecked('a', '2');
    table.addUnchecked('k7', 'third');
    expect(table.get('k500')).toBe('v');
    expect(table.settle()).toBe('k500');
    expect(table.settle()).toBeNull();
    expect(table.get('a')).toBe('1');
    expect(table.delete('a')).toBe(true);
    expect(table.get('a')).toBe('2');
    expect(table.delete('k7')).toBe(true);
    expect(table.get('k7')).toBe('third');
    [...table.keys()].forEach((key, slot) => {
      if (key !== 'k500') expect(table.slotOf(key)).toBe(slot);
    });
    expect(table.delete('a')).toBe(true);
    expect(table.delete('a')).toBe(false);
  });

  it('gives a replaced string kept as bytes as its length, without reading it', () => {
    const table = new KeyTable();
    const short = table.addNew('short', 'x'.repeat(44));
    const medium = table.addNew('medium', 'y'.repeat(4096));
    const long = table.addNew('long', 'z'.repeat(4097));
    const wide = table.addNew('wide', '\u{100}'.repeat(45));
    expect(table.replacedAt(short)).toBe(44);
    expect(table.replacedAt(medium)).toBe(4096);
    expect(table.replacedAt(long)).toBe('z'.repeat(4097));
    expect(table.replacedAt(wide)).toBe('\u{100}'.repeat(45));
    expect([short, medium, long, wide, -1].map((slot) => table.keptAsBytes(slot))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('writes a short string over one as long in its bytes, and a wider one as a string', () => {
    const table = new KeyTable();
    const slots = ['xxx', 'yyy', 'zz'].map((v, i) => table.addNew(`k${i}`, v));
    const bytesBefore = table.shortStrings.buffer;
    table.setValueAt(slots[0], 'abc');
    expect(table.shortStrings.buffer).toBe(bytesBefore);
    table.setValueAt(slots[1], '\u{100}bc');
    table.setValueAt(slots[2], 'zzz');
    expect(slots.map((slot) => table.valueAt(slot))).toEqual(['abc', '\u{100}bc', 'zzz']);
    expect(slots.map((slot) => table.keptAsBytes(slot))).toEqual([true, false, true]);
  });

  it('writes a string kept as bytes to a reply from there, and only such a string', () => {
    const table = new KeyTable();
    const value = Array.from({ length: 1024 }, (_, i) => String.fromCharCode(i % 256)).join('');
    const short = '\x00\r\n\xff'.repeat(11);
    const slots = [value, short, 'z'.repeat(4097)].map((v, i) => table.addNew(`k${i}`, v));
    const out = new ReplyWriter();
    expect(slots.map((slot) => table.writeBulkAt(slot, out))).toEqual([true, true, false]);
    expect(out.take().toString('latin1')).toBe(`$1024\r\n${value}\r\n$44\r\n${short}\r\n`);
    // A snapshot takes it as a string (only short strings' bytes are read in place).
    expect(table.storedAt(slots[0])).toBe(value);
  });
});
