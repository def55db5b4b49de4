import { describe, expect, it } from 'vitest';
import { addDecimalStrings, parseFloatStrict, parseInteger } from './numbers.js';

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
  ])('%j → %s', (text, expected) => {
    expect(parseFloatStrict(text)).toBe(expected);
  });
});

describe('addDecimalStrings', () => {
  it('adds exactly at 17 fractional digits', () => {
    expect(addDecimalStrings('0.1', '0.2')).toBe('0.3');
    expect(addDecimalStrings('10.5', '-10.5')).toBe('0');
    expect(addDecimalStrings('-1', '0.25')).toBe('-0.75');
    expect(addDecimalStrings('1e3', '1')).toBeNull();
  });
});
