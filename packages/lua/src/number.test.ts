import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumber } from './number.js';

describe('formatNumber (%.14g)', () => {
  it.each([
    [3, '3'],
    [-0, '-0'],
    [0.1, '0.1'],
    [1 / 3, '0.33333333333333'],
    [1e14, '1e+14'],
    [99999999999999, '99999999999999'],
    [1e15, '1e+15'],
    [2 ** 53, '9.007199254741e+15'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [123.456, '123.456'],
    [123456789012345, '1.2345678901234e+14'],
    [34361055622350.5, '34361055622350'],
    [6369750542822.25, '6369750542822.2'],
    [1e100, '1e+100'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, '-nan'],
  ])('%s prints as %s', (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });
});

describe('parseNumber (strtod as 5.1 reads numbers)', () => {
  it.each([
    ['10', 10],
    [' 12 ', 12],
    ['1e2', 100],
    ['.5', 0.5],
    ['5.', 5],
    ['0x10', 16],
    ['0xFFFFFFFF', 4294967295],
    ['0x100000000', 4294967296],
    ['-0x10', -16],
    ['0x1p4', 16],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
  ])('%j reads as %s', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });

  it.each(['', ' ', '1e', '0x', '12a', '1 2', 'x1', '--1'])('%j is no number', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });

  it('reads nan', () => {
    expect(parseNumber('nan')).toBeNaN();
  });
});
