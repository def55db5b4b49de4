import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedMap } from './packed-map.js';

// Keys and values around the one-char length limit (127) and with every latin1 char.
const text = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'c', 'field', '\u0000', '\u00ff\u0080'),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)) }),
  fc.integer({ min: 120, max: 20000 }).map((length) => 'x'.repeat(length)),
);
const operation = fc.oneof(
  fc.tuple(fc.constant('set' as const), text, text),
  fc.tuple(fc.constant('delete' as const), text),
  fc.tuple(fc.constant('get' as const), text),
  fc.tuple(fc.constant('convert' as const)),
);

describe('PackedMap', () => {
  it('matches a Map (contents, and insertion order while packed) over random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const packed = new PackedMap();
        const model = new Map<string, string>();
        for (const [name, a, b] of operations) {
          switch (name) {
            case 'set':
              expect(packed.set(a, b)).toBe(packed);
              model.set(a, b);
              break;
            case 'delete':
              expect(packed.delete(a)).toBe(model.delete(a));
              break;
            case 'get':
              expect(packed.get(a)).toBe(model.get(a));
              expect(packed.has(a)).toBe(model.has(a));
              break;
            case 'convert':
              packed.convertToMap();
              expect(packed.isPacked).toBe(false);
              break;
          }
          expect(packed.size).toBe(model.size);
        }
        // A packed map keeps insertion order; a converted one has the hash table's own.
        const order = <T>(items: T[]): T[] => (packed.isPacked ? items : items.sort());
        expect(order([...packed])).toEqual(order([...model]));
        expect(order([...packed.keys()])).toEqual(order([...model.keys()]));
        expect(order([...packed.values()])).toEqual(order([...model.values()]));
      }),
    );
  });

  it('matches a Map each for two maps written in turns (the pair found last is shared)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1), operation), { maxLength: 80 }), (steps) => {
        const packed = [new PackedMap(), new PackedMap()];
        const models = [new Map<string, string>(), new Map<string, string>()];
        for (const [which, [name, a, b]] of steps) {
          if (name === 'set') packed[which].set(a, b);
          if (name === 'set') models[which].set(a, b);
          if (name === 'delete') expect(packed[which].delete(a)).toBe(models[which].delete(a));
          if (name === 'convert') packed[which].convertToMap();
          // Every key of both maps read again, and the key just named in the other map.
          for (const map of [0, 1]) {
            for (const [key, value] of models[map]) expect(packed[map].get(key)).toBe(value);
            if (a !== undefined) expect(packed[map].get(a)).toBe(models[map].get(a));
          }
        }
      }),
    );
  });

  it('keeps its order when converted to a Map, and stays one', () => {
    const map = new PackedMap();
    for (let i = 0; i < 200; i++) map.set(`field:${i}`, 'v'.repeat(i));
    map.delete('field:3');
    map.set('field:5', 'changed');
    const before = [...map];
    expect(map.isPacked).toBe(true);
    map.convertToMap();
    expect(map.isPacked).toBe(false);
    expect(map.packedLength).toBe(0);
    expect([...map]).toEqual(before);
    map.set('field:0', 'again');
    expect(map.get('field:0')).toBe('again');
    expect(map.isPacked).toBe(false);
  });

  it('reads an entry by index, packed and converted, in iteration order', () => {
    const map = new PackedMap();
    for (let i = 0; i < 50; i++) map.set(`field:${i}`, `value:${i}`);
    map.delete('field:7');
    for (const convert of [false, true]) {
      if (convert) map.convertToMap();
      const entries = [...map];
      expect(entries.map((_, i) => [map.keyAt(i), map.valueAt(i)])).toEqual(entries);
    }
  });

  it('weighs one char per char of its keys and values, plus one per length below 128', () => {
    const map = new PackedMap();
    map.set('ab', 'cde');
    map.set('f', '');
    expect(map.packedLength).toBe(2 + 1 + 3 + 1 + 1 + 1 + 0 + 1);
    map.set('long', 'x'.repeat(200));
    expect(map.packedLength).toBe(10 + 1 + 4 + 2 + 200);
  });
});
