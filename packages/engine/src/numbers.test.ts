import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFloatStrict, parseInteger } from './numbers.js';

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
