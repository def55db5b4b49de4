import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lzfCompress, lzfDecompressInto } from './lzf.js';

function lzfDecompress(input: Buffer, start: number, end: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  lzfDecompressInto(input, start, end, out, 0, length);
  return out;
}

function compress(input: Buffer, limit = input.length + 64): Buffer | null {
  const out = Buffer.alloc(limit);
  const length = lzfCompress(input, 0, input.length, out);
  return length === 0 ? null : out.subarray(0, length);
}

describe('lzf', () => {
  it('compresses repetitive data and decompresses it back', () => {
    const input = Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabcabc'.repeat(50));
    const compressed = compress(input)!;
    expect(compressed.length).toBeLessThan(input.length / 10);
    expect(lzfDecompress(compressed, 0, compressed.length, input.length)).toEqual(input);
  });

  it('decodes hand-made streams: a literal run, a short and a long back reference', () => {
    // "abc" literal, then match length 3 offset 3 (copies "abc"), then length 12 offset 0
    // (repeats the last byte 12 times: overlapping copy).
    const data = Buffer.from([2, 0x61, 0x62, 0x63, (1 << 5) | 0, 2, (7 << 5) | 0, 3, 0]);
    expect(lzfDecompress(data, 0, data.length, 18).toString()).toBe('abcabc' + 'c'.repeat(12));
  });

  it('refuses data that does not decompress to the announced length', () => {
    const data = Buffer.from([2, 0x61, 0x62, 0x63]);
    expect(() => lzfDecompress(data, 0, data.length, 4)).toThrow(/LZF/);
    expect(() => lzfDecompress(data, 0, data.length, 2)).toThrow(/LZF/);
    // Back reference before the start of the output.
    expect(() => lzfDecompress(Buffer.from([0x20, 5]), 0, 2, 3)).toThrow(/LZF/);
  });

  it('decompresses into the middle of a buffer, never reaching before its place', () => {
    const input = Buffer.from('value-12345-' + 'x'.repeat(40));
    const compressed = compress(input)!;
    const out = Buffer.alloc(100, 0x2e);
    lzfDecompressInto(compressed, 0, compressed.length, out, 20, input.length);
    expect(out.subarray(20, 20 + input.length)).toEqual(input);
    expect(out.subarray(0, 20).toString()).toBe('.'.repeat(20));
    expect(out.subarray(20 + input.length).toString()).toBe('.'.repeat(100 - 20 - input.length));
    // "abc", then a match 4 bytes back: one byte before the place given.
    const data = Buffer.from([2, 0x61, 0x62, 0x63, (1 << 5) | 0, 3]);
    expect(() => lzfDecompressInto(data, 0, data.length, out, 20, 6)).toThrow(/LZF/);
  });

  it('reports incompressible data by returning 0 when it does not fit the limit', () => {
    const random = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) % 251));
    const seeded = Buffer.alloc(1000);
    let state = 12345;
    for (let i = 0; i < seeded.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      seeded[i] = state >>> 24;
    }
    expect(compress(seeded, seeded.length - 4)).toBeNull();
    // With room enough, incompressible data still round-trips (as literal runs).
    const roomy = compress(seeded, seeded.length * 2)!;
    expect(lzfDecompress(roomy, 0, roomy.length, seeded.length)).toEqual(seeded);
    const again = compress(random, random.length * 2)!;
    expect(lzfDecompress(again, 0, again.length, random.length)).toEqual(random);
  });

  it('round-trips arbitrary bytes, including long runs and matches across the 8 KiB window', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 50 }),
            fc
              .tuple(fc.integer({ min: 0, max: 255 }), fc.nat(600))
              .map(([b, n]) => new Uint8Array(n).fill(b)),
          ),
          { maxLength: 40 },
        ),
        (parts) => {
          const input = Buffer.concat(parts);
          const compressed = compress(input, input.length * 2 + 16);
          if (input.length === 0) return;
          expect(compressed).not.toBeNull();
          expect(lzfDecompress(compressed!, 0, compressed!.length, input.length)).toEqual(input);
        },
      ),
    );
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 9000 < 100 ? i & 0xff : 65 + (i % 7);
    const compressed = compress(big)!;
    expect(lzfDecompress(compressed, 0, compressed.length, big.length)).toEqual(big);
  });

  it('compresses a sub-range of a larger buffer', () => {
    const buffer = Buffer.from('xxxxhello hello hello hello hello hello hello!yyyy');
    const out = Buffer.alloc(100);
    const length = lzfCompress(buffer, 4, buffer.length - 4, out);
    expect(lzfDecompress(out, 0, length, buffer.length - 8).toString()).toBe(
      'hello hello hello hello hello hello hello!',
    );
  });
});
