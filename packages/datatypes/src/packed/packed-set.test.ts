import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedSet } from './packed-set.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Integers at and around every width's limits, and texts that are not canonical int64s.
const edges = [0n, 1n, -1n, 2n ** 7n, 2n ** 15n, 2n ** 23n, 2n ** 31n, 2n ** 32n];
edges.push(2n ** 39n, 2n ** 47n, 2n ** 53n, INT64_MAX);
const integer = fc.oneof(
  fc.integer({ min: -40000, max: 40000 }).map(BigInt),
  fc.constantFrom(...edges.flatMap((edge) => [edge - 1n, edge, edge + 1n, -edge - 1n, -edge])),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);
const member = integer.filter((value) => value >= INT64_MIN && value <= INT64_MAX).map(String);
const notPackable = fc.constantFrom('', '-0', '01', '+1', '1.0', 'a', ' 1', String(INT64_MAX + 1n));

const operation = fc.oneof(
  fc.tuple(fc.constant('add' as const), member),
  fc.tuple(fc.constant('delete' as const), fc.oneof(member, notPackable)),
  fc.tuple(fc.constant('has' as const), fc.oneof(member, notPackable)),
);

const ascending = (members: Iterable<string>) =>
  [...members].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

describe('PackedSet', () => {
  it('matches a Set and iterates in ascending order over random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), fc.boolean(), (operations, convert) => {
        const packed = new PackedSet();
        const model = new Set<string>();
        for (const [name, text] of operations) {
          if (name === 'add') {
            expect(packed.add(text)).toBe(packed);
            model.add(text);
          } else if (name === 'delete') expect(packed.delete(text)).toBe(model.delete(text));
          else expect(packed.has(text)).toBe(model.has(text));
          expect(packed.size).toBe(model.size);
        }
        expect([...packed]).toEqual(ascending(model));
        if (convert) {
          packed.convertToSet();
          expect(packed.isPacked).toBe(false);
          expect(packed.packedLength).toBe(0);
          expect([...packed]).toEqual(ascending(model));
          packed.add('not an integer');
          expect(packed.has('not an integer')).toBe(true);
        }
      }),
    );
  });

  it('holds each member in the fewest chars that fit them all, and knows the intset width', () => {
    // The packed string: a char giving the width, then the members in that many chars each.
    const set = new PackedSet();
    set.add('1').add('-128').add('127');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 3 * 1, 2]);
    set.add('32767');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 4 * 2, 2]);
    set.add('32768');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 5 * 3, 4]);
    set.add('-2147483648');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 6 * 4, 4]);
    set.add('140737488355327');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 7 * 6, 8]);
    set.add('-9223372036854775808');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 8 * 8, 8]);
    expect([...set]).toEqual([
      '-9223372036854775808',
      '-2147483648',
      '-128',
      '1',
      '127',
      '32767',
      '32768',
      '140737488355327',
    ]);
    set.delete('-9223372036854775808');
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 7 * 8, 8]);
  });

  it('widens to an intset width it is given, never narrower than its members', () => {
    const set = new PackedSet();
    set.add('5').add('-7');
    set.widenTo(2);
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 2 * 1, 2]);
    set.widenTo(4);
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 2 * 3, 4]);
    set.widenTo(8);
    expect([set.packedLength, set.intsetWidth]).toEqual([1 + 2 * 8, 8]);
    set.widenTo(4);
    expect([set.intsetWidth, [...set]]).toEqual([8, ['-7', '5']]);
  });

  it('accepts only canonical int64 text while packed', () => {
    expect(PackedSet.canPack('-12')).toBe(true);
    expect(PackedSet.canPack('9223372036854775808')).toBe(false);
    expect(PackedSet.canPack('007')).toBe(false);
    expect(() => new PackedSet().add('x')).toThrow(RangeError);
  });
});
