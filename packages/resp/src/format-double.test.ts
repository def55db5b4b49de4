import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDouble } from './format-double.js';

describe('formatDouble (printf %.17g)', () => {
  it.each([
    [1.5, '1.5'],
    [0.1, '0.10000000000000001'],
    [1e10, '10000000000'],
    [1e16, '10000000000000000'],
    [1e17, '1e+17'],
    [1e-4, '0.0001'],
    [1e-5, '1.0000000000000001e-05'],
    [123.456, '123.456'],
    [-2.5, '-2.5'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [0, '0'],
    [-0, '-0'],
    [2 ** 53, '9007199254740992'],
    [2 ** 53 + 2, '9007199254740994'],
    [31621961321166848, '31621961321166848'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '4.9406564584124654e-324'],
    [1e100, '1e+100'],
  ])('formats %d as %s', (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  it('rounds exact ties to even, as glibc does', () => {
    expect(formatDouble(1000000000000000.25)).toBe('1000000000000000.2');
    expect(formatDouble(1000000000000000.75)).toBe('1000000000000000.8');
    expect(formatDouble(-1000000000000000.25)).toBe('-1000000000000000.2');
  });

  it('round-trips through Number()', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Object.is(Number(formatDouble(value)), value)).toBe(true);
      }),
    );
  });
});
