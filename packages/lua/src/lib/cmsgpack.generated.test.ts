import { describe, expect, it } from 'vitest';
import type { LuaFunction } from '../value.js';
import { installCmsgpack } from './cmsgpack.js';
import { RedisRandom } from './random.js';
import {
  Both,
  differences,
  luaLiteral,
  runOnFreshRedis,
  toLuaValue,
  type Argument,
  type Call,
} from './test-support/reference.js';

/*
 * Generated values (numbers of every encoding range, strings of every length class, nested
 * arrays and one-key maps) packed and unpacked again, compared with redis-server.
 */

const libraries = { cmsgpack: installCmsgpack() };
const pack = libraries.cmsgpack.get('pack') as LuaFunction;

const NUMBERS = [
  0,
  1,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32768,
  -32769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -(2 ** 53),
  0.5,
  -0.1,
  1e-300,
  3.4e38,
];

function generatedCalls(count: number): Call[] {
  const random = new RedisRandom();
  random.seed(11);
  const below = (n: number) => random.next() % n;
  const value = (depth: number): Argument => {
    const kind = below(depth > 2 ? 4 : 6);
    if (kind === 0) return NUMBERS[below(NUMBERS.length)];
    if (kind === 1) return 'y'.repeat([0, 5, 31, 32, 255, 256, 300][below(7)]);
    if (kind === 2) return below(2) === 0;
    if (kind === 3) return (random.next() % 2000000) / 7 - 100000;
    if (kind === 4) return Array.from({ length: below(20) }, () => value(depth + 1));
    return { [`k${below(5)}`]: value(depth + 1) };
  };
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    const values = Array.from({ length: 1 + below(3) }, () => value(0));
    calls.push(['cmsgpack.pack', ...values]);
    const source = `cmsgpack.pack(${values.map(luaLiteral).join(', ')})`;
    const ours = pack(...values.map(toLuaValue))[0];
    calls.push(['cmsgpack.unpack', new Both(source, ours)]);
  }
  return calls;
}

describe('generated cmsgpack values against redis-server', () => {
  it('packs and unpacks every generated value as lua-cmsgpack does', async () => {
    const calls = generatedCalls(150);
    const expected = await runOnFreshRedis('generated cmsgpack differential', calls);
    if (expected === undefined) return;
    expect(differences(libraries, calls, expected)).toEqual([]);
  });
});
