import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFloatLoosely, parseFloatStrict, parseInteger, strtod } from './numbers.js';

describe('parseInteger (string2ll rules)', () => {
  it.each([
    ['0', 0],
    ['-1', -1],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775808', null],
    ['01', null],
    ['-0', null],
    ['+1', null],
    [' 1', null],
    ['', null],
    ['1.5', null],
  ])('%j → %s', (text, expected) => {
    expect(parseInteger(text)).toBe(expected);
  });
});

describe('parseFloatStrict (strtod rules)', () => {
  it.each([
    ['1.5', 1.5],
    ['-inf', -Infinity],
    ['+Infinity', Infinity],
    ['1e3', 1000],
    ['.5', 0.5],
    ['0x10', 16],
    ['nan', null],
    [' 1', null],
    ['1 ', null],
    ['', null],
    ['abc', null],
    ['-', null],
    ['-0', -0],
    ['007', 7],
    ['1-2', null],
    ['0x1.8p1', 3],
    ['0x', null],
    ['1e309', null],
    ['-1e309', null],
    ['1e-400', null],
    ['0e-400', 0],
    ['4.9e-324', 5e-324],
    ['nan(123)', null],
  ])('%j → %s', (text, expected) => {
    expect(parseFloatStrict(text)).toBe(expected);
  });

  it('reads decimal integers of every length exactly as Number does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,20}$/), (text) => {
        expect(parseFloatStrict(text)).toBe(Number(text));
      }),
    );
  });
});

describe('parseFloatLoosely (score ranges, SORT)', () => {
  it.each([
    ['1.5', false, 1.5],
    [' 1', false, 1],
    ['', false, 0],
    ['   ', false, null],
    ['1 ', false, null],
    ['1e309', false, Infinity],
    ['1e309', true, null],
    ['1e-400', false, 0],
    ['1e-400', true, null],
    ['nan', false, null],
    ['0x1f', false, 31],
  ])('%j (rejecting ERANGE: %s) → %s', (text, rejectOutOfRange, expected) => {
    expect(parseFloatLoosely(text, rejectOutOfRange)).toBe(expected);
  });
});

describe('strtod', () => {
  it('reports how far it read, like C', () => {
    expect(strtod('12abc')).toEqual({ value: 12, length: 2, outOfRange: false });
    expect(strtod('0x')).toEqual({ value: 0, length: 1, outOfRange: false });
    expect(strtod('1e')).toEqual({ value: 1, length: 1, outOfRange: false });
    expect(strtod('  -infinityx')).toEqual({ value: -Infinity, length: 11, outOfRange: false });
    expect(strtod('x')).toEqual({ value: 0, length: 0, outOfRange: false });
  });
});
