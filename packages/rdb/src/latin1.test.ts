import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLatin1 } from './latin1.js';

describe('decodeLatin1', () => {
  it('makes the string Node makes of the bytes, one char per byte, at every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(8), (bytes, start) => {
        const buffer = Buffer.concat([Buffer.alloc(start, 0x41), bytes, Buffer.from('zz')]);
        const text = decodeLatin1(buffer, start, start + bytes.length);
        expect(text).toBe(Buffer.from(bytes).toString('latin1'));
      }),
      { numRuns: 2000 },
    );
  });
});
