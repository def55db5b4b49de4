import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Crc64, crc64 } from './crc64.js';

describe('crc64', () => {
  it('has the check value of Redis crc64 (Jones polynomial) for "123456789"', () => {
    expect(crc64(0, Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no bytes', () => {
    expect(crc64(0, Buffer.alloc(0))).toBe(0n);
  });

  it('matches a bit-by-bit reference for arbitrary bytes', () => {
    const reference = (bytes: Uint8Array): bigint => {
      // Reflected polynomial of 0xad93d23594c935a9.
      const poly = 0x95ac9329ac4bc9b5n;
      let crc = 0n;
      for (const byte of bytes) {
        crc ^= BigInt(byte);
        for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
      }
      return crc;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(crc64(0, bytes)).toBe(reference(bytes));
      }),
    );
  });

  it('gives the same result fed in pieces as fed at once', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const whole = crc64(0, bytes);
        expect(crc64(crc64(0, bytes.subarray(0, at)), bytes.subarray(at))).toBe(whole);
        const state = new Crc64();
        state.update(bytes, 0, at).update(bytes, at, bytes.length);
        expect(state.value).toBe(whole);
      }),
    );
  });

  it('writes and compares little endian', () => {
    const state = new Crc64().update(Buffer.from('123456789'));
    const out = Buffer.alloc(8);
    state.writeLE(out, 0);
    expect(out.readBigUInt64LE(0)).toBe(0xe9c6d914c4b8d9can);
    expect(state.equalsLE(out, 0)).toBe(true);
    out[3] ^= 1;
    expect(state.equalsLE(out, 0)).toBe(false);
  });
});
