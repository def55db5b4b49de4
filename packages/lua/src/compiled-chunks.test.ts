import { describe, expect, it } from 'vitest';
import { CompiledChunks, type ChunkFactory } from './compiled-chunks.js';

const factory = (): ChunkFactory => () => {
  throw new Error('not called');
};

describe('CompiledChunks', () => {
  it('keeps chunks by key and forgets the least recently used past its budget', () => {
    // Each entry below costs 1024 + 4 * 1000 bytes: three fit in 16000.
    const chunks = new CompiledChunks(16_000);
    const key = (letter: string) => letter.repeat(1000);
    const a = factory();
    chunks.set(key('a'), a);
    chunks.set(key('b'), factory());
    chunks.set(key('c'), factory());
    expect(chunks.get(key('a'))).toBe(a); // now the most recently used
    chunks.set(key('d'), factory());
    expect(chunks.size).toBe(3);
    expect(chunks.get(key('b'))).toBeUndefined();
    expect(chunks.get(key('a'))).toBe(a);
    expect(chunks.get(key('c'))).toBeDefined();
    expect(chunks.get(key('d'))).toBeDefined();
  });

  it('does not keep a chunk larger than its whole budget', () => {
    const chunks = new CompiledChunks(4096);
    chunks.set('x'.repeat(1000), factory());
    expect(chunks.size).toBe(0);
  });
});
