import { describe, expect, it } from 'vitest';
import { addLongDoubles, formatLongDouble, parseLongDouble } from './long-double.js';

function add(a: string, b: string): string {
  const left = parseLongDouble(a);
  const right = parseLongDouble(b);
  if (left === null || right === null) throw new Error('not a decimal');
  return formatLongDouble(addLongDoubles(left, right));
}

// Expected values are what redis-server 7.0 replies to INCRBYFLOAT for the same operands.
describe('long double INCRBYFLOAT arithmetic', () => {
  it.each([
    ['10.5', '0.1', '10.6'],
    ['0.1', '0.2', '0.3'],
    ['5.6', '1e3', '1005.59999999999999998'],
    ['10.6', '-5', '5.6'],
    ['0', '3', '3'],
    ['1', '-1', '0'],
    ['-0.5', '0.25', '-0.25'],
    ['5.0e3', '2.0e2', '5200'],
  ])('%s + %s = %s', (a, b, expected) => {
    expect(add(a, b)).toBe(expected);
  });

  it('rejects what strtold would not parse as a finite decimal', () => {
    expect(parseLongDouble('inf')).toBeNull();
    expect(parseLongDouble('1e99999')).toBeNull();
    expect(parseLongDouble('.')).toBeNull();
  });
});
