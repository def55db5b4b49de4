import { ReplyWriter } from '@rc/resp';
import { describe, expect, it } from 'vitest';
import { ReplyBufferResizing } from './reply-buffer-resizing.js';

/** Sends what is pending, as the connection does at the end of a turn. */
function flush(out: ReplyWriter): void {
  out.sendTo(() => false);
}

describe('ReplyBufferResizing', () => {
  it('shrinks an idle reply buffer to 1 KB once its peak was reset, counting shrinks', () => {
    const resizing = new ReplyBufferResizing();
    resizing.peakResetTime = 100;
    const out = new ReplyWriter();
    resizing.visit(out, 0);
    // A new buffer counts as full until its first reset.
    expect(out.capacity).toBe(16 * 1024);
    resizing.visit(out, 100);
    expect(out.capacity).toBe(16 * 1024);
    resizing.visit(out, 200);
    expect(out.capacity).toBe(1024);
    expect(resizing.shrinks).toBe(1);
    resizing.visit(out, 300);
    expect(out.capacity).toBe(1024);
  });

  it('shrinks to what the peak needed, and doubles while replies fill it, up to 16 KB', () => {
    const resizing = new ReplyBufferResizing();
    resizing.peakResetTime = -1;
    const out = new ReplyWriter();
    out.resetPeak();
    out.bulk('x'.repeat(3000));
    flush(out);
    resizing.visit(out, 0);
    expect(out.capacity).toBe(3009 + 1);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      out.bulk('y'.repeat(40_000));
      flush(out);
      resizing.visit(out, 0);
      sizes.push(out.capacity);
    }
    expect(sizes).toEqual([6020, 12040, 16384, 16384]);
    expect(resizing.expands).toBe(3);
  });

  it('leaves buffers alone while resizing is off', () => {
    const resizing = new ReplyBufferResizing();
    resizing.enabled = false;
    resizing.peakResetTime = 0;
    const out = new ReplyWriter();
    for (let now = 0; now < 1000; now += 100) resizing.visit(out, now);
    expect(out.capacity).toBe(16 * 1024);
  });
});
