import { describe, expect, it } from 'vitest';
import { installStruct } from './struct.js';
import { runOnFreshRedis, runOurs, type Call } from './test-support/reference.js';

const libraries = { struct: installStruct() };

const CALLS: Call[] = [
  ['struct.pack', 'b', -1],
  ['struct.pack', 'B', 255],
  ['struct.pack', 'B', 256],
  ['struct.pack', 'h', -2],
  ['struct.pack', '>h', 258],
  ['struct.pack', '<H', 258],
  ['struct.pack', 'i', 1],
  ['struct.pack', 'I', 2 ** 32 - 1],
  ['struct.pack', 'l', -(2 ** 53)],
  ['struct.pack', 'L', 2 ** 63],
  ['struct.pack', 'L', 2 ** 64],
  ['struct.pack', 'T', 7.9],
  ['struct.pack', 'i3', 0x123456],
  ['struct.pack', '>i3', -2],
  ['struct.pack', 'i16', -1],
  ['struct.pack', '>I16', 1],
  ['struct.pack', 'i33', 1],
  ['struct.pack', 'i99999999999', 1],
  ['struct.pack', 'f', 1.5],
  ['struct.pack', '>f', 0.1],
  ['struct.pack', 'd', Math.PI],
  ['struct.pack', '>d', -0.5],
  ['struct.pack', 'c', 'abc'],
  ['struct.pack', 'c3', 'abcdef'],
  ['struct.pack', 'c5', 'abc'],
  ['struct.pack', 'c0', 'a\0bc'],
  ['struct.pack', 's', 'a\0bc'],
  ['struct.pack', 'bxxh', 1, 2],
  ['struct.pack', '!bd', 1, 2],
  ['struct.pack', '!4bdbh', 1, 2, 3, 4],
  ['struct.pack', '!2bi', 1, 2],
  ['struct.pack', '!bi3', 1, 2],
  ['struct.pack', '!3b', 1],
  ['struct.pack', '!0b', 1],
  ['struct.pack', ' b > h < h', 1, 2, 3],
  ['struct.pack', 'z', 1],
  ['struct.pack', 'b'],
  ['struct.pack', 'b', 'x'],
  ['struct.pack', 'b', '12'],
  ['struct.pack', 'c2', {}],
  ['struct.pack'],
  ['struct.pack', 'b\0h', 1, 2],
  ['struct.unpack', 'b', '\xff'],
  ['struct.unpack', 'B', '\xff'],
  ['struct.unpack', '>h', '\x01\x02'],
  ['struct.unpack', '<H', '\xff\xff'],
  ['struct.unpack', 'i', '\x01\x00\x00\x80'],
  ['struct.unpack', 'l', '\xff\xff\xff\xff\xff\xff\xff\xff'],
  ['struct.unpack', 'L', '\xff\xff\xff\xff\xff\xff\xff\xff'],
  ['struct.unpack', 'i3', '\xfe\xff\xff'],
  ['struct.unpack', 'i16', '\xff'.repeat(16)],
  ['struct.unpack', 'I16', '\x01'.repeat(16)],
  ['struct.unpack', 'i10', '\x00'.repeat(9) + '\x80'],
  ['struct.unpack', 'f', '\x00\x00\xc0\x3f'],
  ['struct.unpack', '>d', '\x40\x09\x21\xfb\x54\x44\x2d\x18'],
  ['struct.unpack', 'c3', 'abcdef'],
  ['struct.unpack', 'c3', 'abcdef', 4],
  ['struct.unpack', 'c3', 'abcdef', 5],
  ['struct.unpack', 'c3', 'abcdef', 0],
  ['struct.unpack', 'bc0', '\x03abcd'],
  ['struct.unpack', 'c1c0', '3abcd'],
  ['struct.unpack', 'c0', 'abc'],
  ['struct.unpack', 'c2c0', 'xyabc'],
  ['struct.unpack', 'bc0', '\x09abc'],
  ['struct.unpack', 'ss', 'ab\0cd\0ef'],
  ['struct.unpack', 's', 'abc'],
  ['struct.unpack', '!bd', '\x01' + '\0'.repeat(7) + '\0\0\0\0\0\0\xf0\x3f'],
  ['struct.unpack', 'bxh', '\x01\x00\x02\x00'],
  ['struct.unpack', 'b>', '\x01', 3],
  ['struct.unpack', 'h', '\x01'],
  ['struct.unpack', 'z', 'abc'],
  ['struct.unpack', 'b'],
  ['struct.unpack', 'b', 'x', 'y'],
  ['struct.size', 'bhilTfdx'],
  ['struct.size', '!bhilTfdx'],
  ['struct.size', 'c10i3'],
  ['struct.size', 'z'],
  ['struct.size', 'zq'],
  ['struct.size', 's'],
  ['struct.size', 'c0'],
  ['struct.size', '#'],
  ['struct.size', '!5'],
  ['struct.size'],
];

describe('the struct library against redis-server', () => {
  it('gives the same results and errors for every call', async () => {
    const expected = await runOnFreshRedis('struct library differential', CALLS);
    if (expected === undefined) return;
    const differences = CALLS.flatMap((call, i) => {
      const ours = runOurs(libraries, call);
      return ours === expected[i] ? [] : [{ call: JSON.stringify(call), ours, redis: expected[i] }];
    });
    expect(differences).toEqual([]);
  });
});
