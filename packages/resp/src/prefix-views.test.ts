import { describe, expect, it } from 'vitest';
import { PrefixViews } from './prefix-views.js';

describe('PrefixViews', () => {
  it('gives the same view for the same short length, a fresh one for long lengths', () => {
    const buffer = Buffer.from('hello world');
    const views = new PrefixViews(buffer, 5);
    const first = views.of(5);
    expect(first.toString()).toBe('hello');
    expect(views.of(5)).toBe(first);
    expect(views.of(3).toString()).toBe('hel');
    const long = views.of(8);
    expect(long.toString()).toBe('hello wo');
    expect(views.of(8)).not.toBe(long);
  });

  it('sees the bytes written into the buffer after the view was made', () => {
    const buffer = Buffer.from('abc');
    const views = new PrefixViews(buffer, 16);
    const view = views.of(2);
    buffer.write('xy');
    expect(views.of(2)).toBe(view);
    expect(view.toString()).toBe('xy');
  });

  it('views the new buffer after a reset', () => {
    const views = new PrefixViews(Buffer.from('old'), 16);
    const before = views.of(3);
    views.reset(Buffer.from('new'));
    const after = views.of(3);
    expect(after).not.toBe(before);
    expect(after.toString()).toBe('new');
    expect(before.toString()).toBe('old');
  });
});
