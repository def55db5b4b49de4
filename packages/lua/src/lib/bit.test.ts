import { describe, expect, it } from 'vitest';
import { installBit } from './bit.js';
import { differences, runOnFreshRedis, type Call } from './test-support/reference.js';

const libraries = { bit: installBit() };

const CALLS: Call[] = [
  ['bit.tobit', 1],
  ['bit.tobit', 1.5],
  ['bit.tobit', 2.5],
  ['bit.tobit', -1.5],
  ['bit.tobit', 2 ** 32 + 5],
  ['bit.tobit', 2 ** 31],
  ['bit.tobit', -(2 ** 31) - 1],
  ['bit.tobit', 1e20],
  ['bit.tobit', '0x10'],
  ['bit.tobit', 'x'],
  ['bit.tobit'],
  ['bit.tobit', {}],
  ['bit.bnot', 0],
  ['bit.bnot', 5],
  ['bit.band', 0xff, 0x0f, 0x3],
  ['bit.band', 1],
  ['bit.band'],
  ['bit.band', 1, 'x', {}],
  ['bit.bor', 1, 2, 4, 2 ** 31],
  ['bit.bxor', 0xff, 0x0f],
  ['bit.lshift', 1, 31],
  ['bit.lshift', 1, 32],
  ['bit.lshift', 1, 33],
  ['bit.lshift', 1, -1],
  ['bit.rshift', -1, 28],
  ['bit.arshift', -256, 4],
  ['bit.arshift', 256, 4],
  ['bit.rol', 0x12345678, 8],
  ['bit.rol', 0x12345678, 0],
  ['bit.ror', 0x12345678, 8],
  ['bit.ror', 0x12345678, 32],
  ['bit.rshift', 1],
  ['bit.bswap', 0x12345678],
  ['bit.bswap', -1],
  ['bit.tohex', 255],
  ['bit.tohex', -1],
  ['bit.tohex', 255, 2],
  ['bit.tohex', 255, -4],
  ['bit.tohex', 255, 20],
  ['bit.tohex', 255, 0],
  ['bit.tohex', 0x12345678, 3],
  ['bit.tohex', 255, nil()],
];

function nil(): undefined {
  return undefined;
}

describe('the bit library against redis-server', () => {
  it('gives the same results and errors for every call', async () => {
    const expected = await runOnFreshRedis('bit library differential', CALLS);
    if (expected === undefined) return;
    expect(differences(libraries, CALLS, expected)).toEqual([]);
  });
});
