import { describe, expect, it } from 'vitest';
import { parseIntegerBytes } from './integer-text.js';

const parse = (text: string): number => {
  const bytes = Buffer.from(text, 'latin1');
  return parseIntegerBytes(bytes, 0, bytes.length);
};

describe('parseIntegerBytes (string2ll)', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    ['-7', -7],
    ['123456789', 123456789],
  ])('parses %s', (text, value) => {
    expect(parse(text)).toBe(value);
  });

  it('accepts the long long extremes (rounded beyond 2^53)', () => {
    expect(parse('9223372036854775807')).toBeGreaterThan(9.2e18);
    expect(parse('-9223372036854775808')).toBeLessThan(-9.2e18);
  });

  it.each([
    [''],
    ['-'],
    ['+1'],
    [' 1'],
    ['1 '],
    ['01'],
    ['-0'],
    ['1a'],
    ['9223372036854775808'],
    ['-9223372036854775809'],
    ['99999999999999999999'],
    ['123456789012345678901'],
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeNaN();
  });
});
