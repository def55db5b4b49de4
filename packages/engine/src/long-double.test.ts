import { describe, expect, it } from 'vitest';
import {
  INFINITE,
  addLongDoubles,
  ceilThousandTimes,
  formatLongDouble,
  parseLongDouble,
  readLongDouble,
} from './long-double.js';

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

describe('readLongDouble and ceilThousandTimes (timeouts in seconds)', () => {
  const ms = (text: string): bigint | string | null => {
    const value = readLongDouble(text);
    return value === null || value === INFINITE ? value : ceilThousandTimes(value);
  };

  it('rounds up to whole milliseconds, after rounding the product to long double', () => {
    expect(ms('1')).toBe(1000n);
    expect(ms('0.001')).toBe(1n);
    expect(ms('0.0001')).toBe(1n);
    expect(ms('0.1')).toBe(100n);
    expect(ms('1.5')).toBe(1500n);
  });

  it('keeps the sign, truncating toward zero below it, as ceill does', () => {
    expect(ms('-1')).toBe(-1000n);
    expect(ms('-0.0001')).toBe(0n);
    expect(ms('-0')).toBe(0n);
  });

  it('reads hexadecimal, and turns out-of-range products into the lowest int64', () => {
    expect(ms('0x1f')).toBe(31000n);
    expect(ms('0x1.8p1')).toBe(3000n);
    expect(ms('9223372036854775807')).toBe(-(2n ** 63n));
    expect(ms('1e309')).toBe(-(2n ** 63n));
  });

  it('accepts inf, and rejects what string2ld rejects', () => {
    expect(ms('inf')).toBe(INFINITE);
    expect(ms('-Infinity')).toBe(INFINITE);
    for (const text of ['', ' 1', '1 ', 'nan', '1e5000', '0x', 'abc', '1_0']) {
      expect(ms(text), text).toBeNull();
    }
  });
});
