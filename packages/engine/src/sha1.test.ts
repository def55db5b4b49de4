import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHA1_WORDS, sha1Hex, sha1Latin1, sha1Words } from './sha1.js';

function reference(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function ofLatin1(text: string): string {
  const out = new Int32Array(SHA1_WORDS);
  sha1Latin1(text, out);
  return sha1Hex(out);
}

describe('sha1', () => {
  it('hashes binary strings of every length around the block and padding edges as node:crypto', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 131 + length) & 255));
      expect(ofLatin1(bytes.toString('latin1')), `length ${length}`).toBe(reference(bytes));
    }
  });

  it('hashes any binary string as node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (array) => {
        const bytes = Buffer.from(array);
        expect(ofLatin1(bytes.toString('latin1'))).toBe(reference(bytes));
      }),
    );
  });

  it('hashes a megabyte as node:crypto', () => {
    const bytes = Buffer.alloc(1 << 20, 'A');
    expect(ofLatin1(bytes.toString('latin1'))).toBe(reference(bytes));
  });

  it("hashes a digest's 20 bytes as node:crypto, in place too", () => {
    fc.assert(
      fc.property(fc.int32Array({ minLength: SHA1_WORDS, maxLength: SHA1_WORDS }), (words) => {
        const bytes = Buffer.alloc(SHA1_WORDS * 4);
        words.forEach((word, i) => bytes.writeInt32BE(word, i * 4));
        const digest = Int32Array.from(words);
        sha1Words(digest, digest);
        expect(sha1Hex(digest)).toBe(reference(bytes));
      }),
    );
  });
});
