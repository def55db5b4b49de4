import { describe, expect, it } from 'vitest';
import { installCjson } from './cjson.js';
import { RedisRandom } from './random.js';
import {
  differences,
  runOnFreshRedis,
  type Argument,
  type Call,
} from './test-support/reference.js';

/*
 * Generated JSON documents (numbers in every notation, escapes, \u sequences, nesting, odd
 * spacing), whole and with one byte dropped, changed or added, decoded (and decoded documents
 * encoded again) compared with redis-server: values, error messages and their positions.
 */

const libraries = { cjson: installCjson() };

const NUMBERS = [
  '0',
  '-0',
  '1',
  '-12',
  '3.25',
  '1e3',
  '1E-2',
  '-0.5e+2',
  '123456789012345678',
  '0.1',
  '2.5e308',
  '1e-400',
];
const STRINGS = [
  '',
  'abc',
  'a\\"b',
  '\\\\',
  '\\/',
  '\\b\\f\\n\\r\\t',
  '\\u0041',
  '\\u00e9',
  '\\u20ac',
  '\\ud83d\\ude00',
  'caf\xc3\xa9',
];
const SPACES = ['', ' ', '\n', '\t ', '\r\n'];

function generatedCalls(count: number): Call[] {
  const random = new RedisRandom();
  random.seed(3);
  const below = (n: number) => random.next() % n;
  const pick = <T>(items: readonly T[]): T => items[below(items.length)];
  const space = () => (below(3) === 0 ? pick(SPACES) : '');
  const value = (depth: number): string => {
    const kind = below(depth > 2 ? 4 : 6);
    if (kind === 0) return pick(NUMBERS);
    if (kind === 1) return `"${pick(STRINGS)}"`;
    if (kind === 2) return pick(['true', 'false', 'null']);
    if (kind === 3) return pick(NUMBERS);
    if (kind === 4) {
      const items = Array.from({ length: below(4) }, () => space() + value(depth + 1) + space());
      return `[${items.join(',')}]`;
    }
    return `{${space()}"k${below(3)}"${space()}:${space()}${value(depth + 1)}${space()}}`;
  };
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    const document = space() + value(0) + space();
    calls.push(['cjson.decode', document]);
    const at = below(document.length + 1);
    const mutated = [
      document.slice(0, at) + document.slice(at + 1),
      document.slice(0, at) +
        pick(['x', '"', ',', ']', '}', '\\', '-', '1', 'e']) +
        document.slice(at + 1),
      document.slice(0, at) + pick(['[', '{', ':', ' ', '0']) + document.slice(at),
    ][below(3)];
    calls.push(['cjson.decode', mutated]);
  }
  return calls;
}

/** Lua values of every kind cjson encodes: arrays (with holes), one-key objects, all bytes. */
function encodeCalls(count: number): Call[] {
  const random = new RedisRandom();
  random.seed(4);
  const below = (n: number) => random.next() % n;
  const value = (depth: number): Argument => {
    const kind = below(depth > 2 ? 4 : 6);
    if (kind === 0) return [0, -0.5, 1e14, 1e15, 123.456, 2 ** 53, -1e-7, 1 / 3][below(8)];
    if (kind === 1)
      return String.fromCharCode(...Array.from({ length: below(6) }, () => below(256)));
    if (kind === 2) return below(2) === 0;
    if (kind === 3) return (random.next() % 1000000) / 8;
    if (kind === 4) return Array.from({ length: below(5) }, () => value(depth + 1));
    return { [`k${below(3)}`]: value(depth + 1) };
  };
  return Array.from({ length: count }, (): Call => ['cjson.encode', value(0)]);
}

describe('generated JSON documents against redis-server', () => {
  it('encodes every generated value as lua-cjson', async () => {
    const calls = encodeCalls(400);
    const expected = await runOnFreshRedis('generated cjson encode differential', calls);
    if (expected === undefined) return;
    expect(differences(libraries, calls, expected)).toEqual([]);
  });

  it('decodes every generated document, or fails at the same character, as lua-cjson', async () => {
    const calls = generatedCalls(400);
    const expected = await runOnFreshRedis('generated cjson differential', calls);
    if (expected === undefined) return;
    expect(differences(libraries, calls, expected)).toEqual([]);
  });
});
