import { describe, expect, it } from 'vitest';
import { RedisRandom } from './random.js';
import { installStruct } from './struct.js';
import type { LuaFunction } from '../value.js';
import {
  Both,
  differences,
  luaLiteral,
  runOnFreshRedis,
  type Call,
} from './test-support/reference.js';

/*
 * Generated struct formats (every option, sizes, byte orders, alignments) with values of every
 * range, packed and unpacked again, compared with redis-server.
 */

const libraries = { struct: installStruct() };

const VALUES = [
  0,
  1,
  -1,
  127,
  -128,
  255,
  256,
  65535,
  -65536,
  2 ** 31,
  -(2 ** 31),
  2 ** 32 + 7,
  -(2 ** 40),
  2 ** 53,
  1.5,
  -2.25,
  0.1,
  1e300,
];

const pack = libraries.struct.get('pack') as LuaFunction;

function tryPack(format: string, values: (number | string)[]): string | undefined {
  try {
    return pack(format, ...values)[0] as string;
  } catch {
    return undefined;
  }
}

function generatedCalls(count: number): Call[] {
  const random = new RedisRandom();
  random.seed(7);
  const below = (n: number) => random.next() % n;
  const pick = <T>(items: readonly T[]): T => items[below(items.length)];
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    let format = pick(['', '<', '>', '!', '!2', '!4', '>!8']);
    const values: (number | string)[] = [];
    const items = 1 + below(4);
    for (let j = 0; j < items; j++) {
      const option = pick(['b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'f', 'd', 'x', 'c', 's']);
      if (option === 'i' || option === 'I')
        format += option + pick(['', '1', '2', '3', '5', '8', '12']);
      else if (option === 'c') format += option + pick(['', '2', '5']);
      else format += option;
      if (option === 'c' || option === 's') values.push('abcde'.slice(0, 1 + below(5)));
      else if (option !== 'x') values.push(pick(VALUES));
    }
    calls.push(['struct.pack', format, ...values]);
    const packed = tryPack(format, values);
    if (packed !== undefined) {
      const source = `struct.pack(${[format, ...values].map(luaLiteral).join(', ')})`;
      calls.push(['struct.unpack', format, new Both(source, packed)]);
    }
    calls.push(['struct.size', format]);
  }
  return calls;
}

describe('generated struct formats against redis-server', () => {
  it('packs, unpacks and sizes every generated format as lua_struct does', async () => {
    const calls = generatedCalls(600);
    const expected = await runOnFreshRedis('generated struct differential', calls);
    if (expected === undefined) return;
    expect(differences(libraries, calls, expected)).toEqual([]);
  });
});
