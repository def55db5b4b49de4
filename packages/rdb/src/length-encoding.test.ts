import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputCursor, NEED_MORE } from './input-cursor.js';
import { readLength, readLengthBig, writeLength, writeLengthBig } from './length-encoding.js';
import { OutputBuffer } from './output-buffer.js';

const encode = (n: number): number[] => {
  const out = new OutputBuffer(16);
  writeLength(out, n);
  return [...out.take()];
};

describe('length encoding', () => {
  it('uses 1 byte below 64, 2 below 16384, 5 below 2^32 and 9 above', () => {
    expect(encode(0)).toEqual([0x00]);
    expect(encode(63)).toEqual([0x3f]);
    expect(encode(64)).toEqual([0x40, 0x40]);
    expect(encode(16383)).toEqual([0x7f, 0xff]);
    expect(encode(16384)).toEqual([0x80, 0x00, 0x00, 0x40, 0x00]);
    expect(encode(0xffffffff)).toEqual([0x80, 0xff, 0xff, 0xff, 0xff]);
    expect(encode(2 ** 32)).toEqual([0x81, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('reads hand-built lengths of every width', () => {
    const read = (...bytes: number[]): number => readLength(new InputCursor(Buffer.from(bytes)));
    expect(read(0x05)).toBe(5);
    expect(read(0x41, 0x02)).toBe(258);
    expect(read(0x80, 0x01, 0x02, 0x03, 0x04)).toBe(0x01020304);
    expect(read(0x81, 0, 0, 0x01, 0, 0, 0, 0, 0x07)).toBe(2 ** 40 + 7);
  });

  it('reads 64-bit lengths exactly as bigints', () => {
    const bytes = Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(readLengthBig(new InputCursor(bytes))).toBe(2n ** 64n - 1n);
    const out = new OutputBuffer(16);
    writeLengthBig(out, 2n ** 64n - 1n);
    writeLengthBig(out, 300n);
    expect(out.take()).toEqual(Buffer.concat([bytes, Buffer.from([0x41, 0x2c])]));
  });

  it('rejects the special-encoding marker where a length is expected', () => {
    expect(() => readLength(new InputCursor(Buffer.from([0xc0])))).toThrow(
      /invalid length encoding 0xc0 at byte offset 0/,
    );
    expect(() => readLength(new InputCursor(Buffer.from([0x82])))).toThrow(
      /invalid length encoding 0x82/,
    );
  });

  it('asks for more input when the length is cut short', () => {
    for (const bytes of [[], [0x41], [0x80, 1, 2], [0x81, 1, 2, 3, 4, 5, 6, 7]]) {
      let thrown: unknown;
      try {
        readLength(new InputCursor(Buffer.from(bytes)));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(NEED_MORE);
    }
  });

  it('round-trips any length up to 2^53', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(20000), fc.nat(), fc.maxSafeNat()), (n) => {
        const out = new OutputBuffer(4);
        writeLength(out, n);
        const input = new InputCursor(out.take());
        expect(readLength(input)).toBe(n);
        expect(input.position).toBe(input.end);
      }),
    );
  });
});
