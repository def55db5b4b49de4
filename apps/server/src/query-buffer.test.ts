import { describe, expect, it } from 'vitest';
import { QueryBufferSize } from './query-buffer.js';

describe('QueryBufferSize', () => {
  it('reserves one read of 16 KB for a small command, and frees it after 2 idle seconds', () => {
    const size = new QueryBufferSize();
    size.read(0, 40);
    expect(size.allocated).toBe(16384);
    size.cron(0, -1, 2);
    expect(size.allocated).toBe(16384);
    size.cron(0, -1, 3);
    expect(size.allocated).toBe(0);
  });

  it('grows greedily past one read, and to the exact size of a big argument', () => {
    const size = new QueryBufferSize();
    size.read(0, 65536);
    expect(size.allocated).toBe(131072);
    size.parsed(400000);
    expect(size.allocated).toBe(400002);
    size.parsed(100);
    expect(size.allocated).toBe(400002);
  });

  it('cuts a buffer twice as large as its recent peak down to that peak', () => {
    const size = new QueryBufferSize();
    size.read(0, 65536);
    size.parsed(400000);
    size.read(65536, 334466);
    // The big argument filled it since the last cron: kept.
    size.cron(0, -1, 0);
    expect(size.allocated).toBe(400002);
    size.read(0, 40);
    size.cron(0, -1, 0);
    expect(size.allocated).toBe(40);
  });

  it('keeps a buffer with little free space as it is', () => {
    const size = new QueryBufferSize();
    size.read(0, 16000);
    size.cron(15000, -1, 10);
    expect(size.allocated).toBe(16384);
  });
});
