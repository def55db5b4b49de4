import { describe, expect, it } from 'vitest';
import { CJSON_NULL, installCjson } from './cjson.js';
import { LuaTable } from '../table.js';
import type { LuaFunction } from '../value.js';
import { Both, differences, runOnFreshRedis, type Call } from './test-support/reference.js';

const libraries = { cjson: installCjson() };
const booleanKeyed = new LuaTable();
booleanKeyed.set(true, 1);
/** {1, 2, [last] = 4}: an array with holes, or too sparse to be one. */
function sparse(last: number): Both {
  const table = LuaTable.fromArray([1, 2]);
  table.set(last, 4);
  return new Both(`{1, 2, [${last}] = 4}`, table);
}
const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Objects have one key at most: the order of several is the hash order of Lua's tables. */
const CALLS: Call[] = [
  ['cjson.encode', 1],
  ['cjson.encode', 1.5],
  ['cjson.encode', 0.1],
  ['cjson.encode', 1e100],
  ['cjson.encode', 2 ** 53],
  ['cjson.encode', -0.000001234],
  ['cjson.encode', 'a"b\\c/d\n\t\x01\x7f\xff'],
  ['cjson.encode', true],
  ['cjson.encode', undefined],
  ['cjson.encode', [1, 'two', [3], { k: 'v' }]],
  ['cjson.encode', { 1: 'a', 2: 'b' }],
  ['cjson.encode', { 5: 'a' }],
  ['cjson.encode', { 20: 'a' }],
  ['cjson.encode', { 1.5: 'a' }],
  ['cjson.encode', {}],
  ['cjson.encode', 1 / 0],
  ['cjson.encode', 0 / 0],
  ['cjson.encode'],
  ['cjson.encode', new Both('function() end', () => [])],
  [
    'cjson.encode',
    new Both('{1, {function() end}}', LuaTable.fromArray([1, LuaTable.fromArray([() => []])])),
  ],
  ['cjson.encode', new Both('{[true] = 1}', booleanKeyed)],
  ['cjson.encode', sparse(4)],
  ['cjson.encode', sparse(11)],
  ['cjson.encode', sparse(12)],
  ['cjson.encode', [[], [[]]]],
  ['cjson.encode', 1, 2],
  ['cjson.decode', '{"a":1}'],
  ['cjson.decode', '[1,2,[3,{"x":null}]]'],
  ['cjson.decode', ' "a\\u00e9\\ud83d\\ude00\\n\\/" '],
  ['cjson.decode', '[true,false,null,-1.5e3,0.25]'],
  ['cjson.decode', '{}'],
  ['cjson.decode', '[]'],
  ['cjson.decode', '[1,]'],
  ['cjson.decode', '{"a" 1}'],
  ['cjson.decode', '{1:2}'],
  ['cjson.decode', '[1 2]'],
  ['cjson.decode', '{"a":1,}'],
  ['cjson.decode', '{"a":1 "b"}'],
  ['cjson.decode', '"abc'],
  ['cjson.decode', '"\\x"'],
  ['cjson.decode', '"\\ud800"'],
  ['cjson.decode', '"\\u12"'],
  ['cjson.decode', 'nul'],
  ['cjson.decode', '1 2'],
  ['cjson.decode', ''],
  ['cjson.decode', ']'],
  // A NaN prints as "-nan" here whatever its sign (JavaScript hides it): only -NaN compares.
  ['cjson.decode', '-NaN'],
  ['cjson.decode', '-Infinity'],
  ['cjson.decode', 'inf'],
  ['cjson.decode', '+1'],
  ['cjson.decode', '01'],
  ['cjson.decode', '-'],
  ['cjson.decode', '-x'],
  ['cjson.decode', '1.5e'],
  ['cjson.decode', '.5'],
  ['cjson.decode', 'truex'],
  ['cjson.decode', 'fals'],
  ['cjson.decode', '[1,2]\0junk'],
  ['cjson.decode', '"a\0b"'],
  ['cjson.decode', 'a\0'],
  ['cjson.decode', '\t[ 1 ,\r\n 2 ] '],
  ['cjson.decode', '{"a":{"b":[]}}'],
  ['cjson.decode', '"\\u0000"'],
  ['cjson.decode', '0x1F'],
  ['cjson.decode', deep(1000)],
  ['cjson.decode', deep(1001)],
  ['cjson.decode', 5],
  ['cjson.decode'],
  ['cjson.decode', {}],
  ['cjson.encode_max_depth', 3],
  ['cjson.encode', [[[1]]]],
  ['cjson.encode', [[[[1]]]]],
  ['cjson.encode_max_depth', 0],
  ['cjson.encode_max_depth'],
  ['cjson.decode_max_depth', 2],
  ['cjson.decode', '[[1]]'],
  ['cjson.decode', '[[[1]]]'],
  ['cjson.encode_number_precision', 3],
  ['cjson.encode', 3.14159],
  ['cjson.encode', 123456],
  ['cjson.encode_number_precision', 15],
  ['cjson.encode_number_precision', 14],
  ['cjson.encode_invalid_numbers', true],
  ['cjson.encode', 1 / 0],
  ['cjson.encode', -1 / 0],
  ['cjson.encode_invalid_numbers', 'null'],
  ['cjson.encode', 1 / 0],
  ['cjson.encode_invalid_numbers', 'off'],
  ['cjson.encode_invalid_numbers', 'maybe'],
  ['cjson.decode_invalid_numbers', false],
  ['cjson.decode', 'NaN'],
  ['cjson.decode', '0x10'],
  ['cjson.decode', '-01'],
  ['cjson.decode', '-inf'],
  ['cjson.decode_invalid_numbers', 1, 2],
  ['cjson.encode_max_depth', 'x'],
  ['cjson.encode_max_depth', 2 ** 31],
  ['cjson.encode_sparse_array', {}],
  ['cjson.decode_invalid_numbers'],
  ['cjson.decode_invalid_numbers', 'on'],
  ['cjson.encode_keep_buffer', false],
  ['cjson.encode_keep_buffer', 'x'],
  ['cjson.encode_sparse_array', true],
  ['cjson.encode', { 20: 'a' }],
  ['cjson.encode_sparse_array', false, 3, 1],
  ['cjson.encode', { 3: 'a' }],
  ['cjson.encode_sparse_array', true, -1],
];

describe('the cjson library against redis-server', () => {
  it('gives the same results and errors for every call', async () => {
    const expected = await runOnFreshRedis('cjson library differential', CALLS);
    if (expected === undefined) return;
    expect(differences(libraries, CALLS, expected)).toEqual([]);
  });

  it('makes instances with settings of their own (cjson.new)', () => {
    const cjson = installCjson();
    const other = (cjson.get('new') as LuaFunction)()[0] as LuaTable;
    (other.get('encode_number_precision') as LuaFunction)(3);
    expect((other.get('encode') as LuaFunction)(Math.PI)).toEqual(['3.14']);
    expect((cjson.get('encode') as LuaFunction)(Math.PI)).toEqual(['3.1415926535898']);
    expect(other.get('null')).toBe(CJSON_NULL);
  });

  it('decodes null to cjson.null, which encodes as null', () => {
    const cjson = installCjson();
    const decode = cjson.get('decode') as (...args: unknown[]) => unknown[];
    expect(decode('null')).toEqual([CJSON_NULL]);
    expect(cjson.get('null')).toBe(CJSON_NULL);
  });
});
