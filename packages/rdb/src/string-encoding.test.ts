import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputCursor } from './input-cursor.js';
import { OutputBuffer } from './output-buffer.js';
import {
  canonicalSmallInteger,
  readBlob,
  readString,
  writeBytes,
  writeString,
} from './string-encoding.js';
import { binaryString, byteString } from './test-support/arbitraries.js';

const encode = (text: string, compress = true): Buffer => {
  const out = new OutputBuffer(16);
  writeString(out, text, compress);
  return out.take();
};

describe('string encoding', () => {
  it('encodes canonical integers as 8, 16 or 32-bit integers, like rdbTryIntegerEncoding', () => {
    expect([...encode('0')]).toEqual([0xc0, 0]);
    expect([...encode('-128')]).toEqual([0xc0, 0x80]);
    expect([...encode('128')]).toEqual([0xc1, 0x80, 0x00]);
    expect([...encode('-32768')]).toEqual([0xc1, 0x00, 0x80]);
    expect([...encode('32768')]).toEqual([0xc2, 0x00, 0x80, 0x00, 0x00]);
    expect([...encode('-2147483648')]).toEqual([0xc2, 0, 0, 0, 0x80]);
  });

  it('writes a string held as bytes exactly as the same string', () => {
    fc.assert(
      fc.property(byteString, fc.boolean(), fc.nat(5), (text, compress, offset) => {
        const held = Buffer.alloc(offset + text.length + 3, 0x61);
        held.write(text, offset, 'latin1');
        const out = new OutputBuffer(16);
        writeBytes(out, held, offset, offset + text.length, compress);
        expect(out.take()).toEqual(encode(text, compress));
      }),
    );
  });

  it('recognises only canonical decimal integers of up to 11 chars', () => {
    expect(canonicalSmallInteger('-12')).toBe(-12);
    expect(canonicalSmallInteger('0')).toBe(0);
    expect(canonicalSmallInteger('12345678901')).toBe(12345678901);
    for (const text of ['-0', '007', '+1', ' 1', '1 ', '', '-', '1e3', '123456789012']) {
      expect(canonicalSmallInteger(text), text).toBeNaN();
    }
  });

  it('keeps non-canonical or too large numbers as raw strings', () => {
    for (const text of ['2147483648', '-0', '007', '+1', ' 1', '1 ', '', '-', '12345678901']) {
      expect(encode(text)[0], text).toBe(text.length);
    }
  });

  it('LZF-compresses strings over 20 bytes when that saves 4 bytes or more', () => {
    const long = 'a'.repeat(100);
    const encoded = encode(long);
    expect(encoded[0]).toBe(0xc3);
    expect(encoded.length).toBeLessThan(20);
    expect([...encode('a'.repeat(20))]).toEqual([20, ...Buffer.from('a'.repeat(20))]);
    expect([...encode(long, false).subarray(0, 2)]).toEqual([0x40, 100]);
    const noise = Array.from({ length: 40 }, (_, i) =>
      String.fromCharCode((i * 97 + 31) % 256),
    ).join('');
    expect(encode(noise)[0]).toBe(40);
  });

  it('reads raw, integer and LZF strings, as text or bytes', () => {
    const input = new InputCursor(
      Buffer.from([3, 0x61, 0x62, 0x63, 0xc1, 0x39, 0x30, 0xc3, 5, 6, 0x01, 0x78, 0x79, 0x40, 1]),
    );
    expect(readString(input)).toBe('abc');
    expect(readString(input)).toBe('12345');
    expect(readBlob(input).toString()).toBe('xyxyxy');
    expect(input.position).toBe(input.end);
  });

  it('round-trips strings beyond the 1 MiB scratch buffers', () => {
    const big = 'abcdefgh'.repeat(300_000) + 'tail';
    const encoded = encode(big);
    expect(encoded[0]).toBe(0xc3);
    expect(readString(new InputCursor(encoded))).toBe(big);
  });

  it('round-trips any bytes, with and without compression', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          binaryString(100),
          fc.integer().map(String),
          binaryString(4).map((s) => s.repeat(30)),
        ),
        fc.boolean(),
        (text, compress) => {
          const input = new InputCursor(encode(text, compress));
          expect(readString(input)).toBe(text);
          expect(input.position).toBe(input.end);
        },
      ),
    );
  });
});
