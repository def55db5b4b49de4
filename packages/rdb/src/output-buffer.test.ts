import { describe, expect, it } from 'vitest';
import { OutputBuffer } from './output-buffer.js';

describe('OutputBuffer.takeDoubleBuffered', () => {
  it('keeps a taken chunk intact while the next one is written, then reuses its buffer', () => {
    const out = new OutputBuffer();
    out.bytes(Buffer.from('first'));
    const first = out.takeDoubleBuffered();
    out.bytes(Buffer.from('second'));
    expect(first.toString()).toBe('first');
    const second = out.takeDoubleBuffered();
    expect(second.toString()).toBe('second');
    out.bytes(Buffer.from('third'));
    const third = out.takeDoubleBuffered();
    expect(third.toString()).toBe('third');
    // Two buffers take turns: no allocation per chunk.
    expect(third.buffer).toBe(first.buffer);
    expect(second.buffer).not.toBe(first.buffer);
  });

  it('does not keep a buffer grown past 4 MB', () => {
    const out = new OutputBuffer();
    out.bytes(Buffer.alloc(5 << 20, 1));
    const huge = out.takeDoubleBuffered();
    out.takeDoubleBuffered();
    out.bytes(Buffer.from('small'));
    expect(out.takeDoubleBuffered().buffer).not.toBe(huge.buffer);
  });
});
