import { describe, expect, it } from 'vitest';
import type { LuaFunction } from '../value.js';
import { installCmsgpack } from './cmsgpack.js';
import { Both, differences, runOnFreshRedis, type Call } from './test-support/reference.js';

const libraries = { cmsgpack: installCmsgpack() };

/** The strings of the suite's "cmsgpack pack/unpack smoke test", one per length class. */
const strings = [30, 250, 65530, 100000].map(
  (n) => new Both(`string.rep('x', ${n})`, 'x'.repeat(n)),
);
const pack = libraries.cmsgpack.get('pack') as LuaFunction;
const packed = new Both(
  `cmsgpack.pack(${strings.map((s) => s.lua).join(', ')})`,
  pack(...strings.map((s) => s.js))[0],
);

/** Maps have one key at most: the order of several is the hash order of Lua's tables. */
const CALLS: Call[] = [
  ['cmsgpack.pack', 0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 62],
  ['cmsgpack.pack', -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1],
  ['cmsgpack.pack', -(2 ** 63), 2 ** 63, 1.5, 0.1, 1 / 0, 0 / 0, 1e300],
  ['cmsgpack.pack', '', 'abc', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(256)],
  ['cmsgpack.pack', true, false, undefined],
  ['cmsgpack.pack', [1, 2, [3]], {}, { a: 1 }, { 2: 'x' }, { 1.5: 1 }],
  ['cmsgpack.pack', Array.from({ length: 20 }, (_, i) => i)],
  ['cmsgpack.pack', [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],
  ['cmsgpack.pack'],
  ['cmsgpack.unpack', '\x93\x01\xa3abc\xc0'],
  ['cmsgpack.unpack', '\x01\x02\x03'],
  ['cmsgpack.unpack', '\x81\xa1a\x01'],
  [
    'cmsgpack.unpack',
    '\xcc\xff\xcd\xff\xff\xce\xff\xff\xff\xff\xcf\x00\x00\x00\x01\x00\x00\x00\x00',
  ],
  [
    'cmsgpack.unpack',
    '\xd0\xff\xd1\xff\xfe\xd2\xff\xff\xff\xfd\xd3\xff\xff\xff\xff\xff\xff\xff\xfc',
  ],
  ['cmsgpack.unpack', '\xca\x3f\xc0\x00\x00\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a\xe0\xff'],
  ['cmsgpack.unpack', '\xc3\xc2'],
  ['cmsgpack.unpack', '\xd9\x03abc\xda\x00\x01x\xdb\x00\x00\x00\x01y'],
  ['cmsgpack.unpack', '\xdc\x00\x01\x05\xde\x00\x01\x01\x02'],
  ['cmsgpack.unpack', '\x92\x01'],
  ['cmsgpack.unpack', '\xa5ab'],
  ['cmsgpack.unpack', '\xcd\x01'],
  ['cmsgpack.unpack', '\xc1'],
  ['cmsgpack.unpack', '\xc4\x01x'],
  ['cmsgpack.unpack', '\x81\xc0\x01'],
  ['cmsgpack.unpack', ''],
  ['cmsgpack.unpack'],
  ['cmsgpack.unpack_one', '\x01\x02\x03'],
  ['cmsgpack.unpack_one', '\x01\x02\x03', 1],
  ['cmsgpack.unpack_one', '\x01\x02\x03', 2],
  ['cmsgpack.unpack_one', '\x01\x02\x03', 3],
  ['cmsgpack.unpack_one', '\x01\x02\x03', 4],
  ['cmsgpack.unpack_one', '\x01\x02\x03', -1],
  ['cmsgpack.unpack_limit', '\x01\x02\x03', 2],
  ['cmsgpack.unpack_limit', '\x01\x02\x03', 2, 2],
  ['cmsgpack.unpack_limit', '\x01\x02\x03', 5],
  ['cmsgpack.unpack_limit', '\x01\x02\x03', -1],
  ['cmsgpack.unpack_limit', '\x01\x02\x03'],
  ['cmsgpack.pack', ...strings],
  ['cmsgpack.unpack_limit', packed, 1, 0],
  ['cmsgpack.unpack_limit', packed, 1, 32],
  ['cmsgpack.unpack_limit', packed, 1, 32 + 252],
  ['cmsgpack.unpack_limit', packed, 1, 32 + 252 + 65533],
  ['cmsgpack.unpack_limit', packed, 2, 32 + 252 + 65533],
  ['cmsgpack.unpack', packed],
];

describe('the cmsgpack library against redis-server', () => {
  it('gives the same results and errors for every call', async () => {
    const expected = await runOnFreshRedis('cmsgpack library differential', CALLS);
    if (expected === undefined) return;
    expect(differences(libraries, CALLS, expected)).toEqual([]);
  });
});
