import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplicationBacklog } from './backlog.js';

const MIN_SIZE = 16 * 1024;

describe('ReplicationBacklog', () => {
  it('starts empty right after the offset it was created at', () => {
    const backlog = new ReplicationBacklog(MIN_SIZE, 100);
    expect(backlog.firstByteOffset).toBe(101);
    expect(backlog.histlen).toBe(0);
    expect(backlog.covers(101)).toBe(true);
    expect(backlog.covers(100)).toBe(false);
    expect(backlog.readFrom(101)).toEqual([]);
  });

  it('numbers bytes from the offset after its start, as Redis', () => {
    const backlog = new ReplicationBacklog(MIN_SIZE, 0);
    backlog.append(Buffer.from('hello'));
    backlog.append(Buffer.from(' world'));
    expect(backlog.endOffset).toBe(11);
    expect(backlog.firstByteOffset).toBe(1);
    expect(Buffer.concat(backlog.readFrom(7)).toString()).toBe('world');
    expect(backlog.covers(12)).toBe(true);
    expect(backlog.covers(13)).toBe(false);
  });

  it('never grows below its minimum of 16 KiB', () => {
    expect(new ReplicationBacklog(10, 0).size).toBe(MIN_SIZE);
  });

  it('holds exactly the last `size` bytes of the stream, across wrap-arounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 3 * MIN_SIZE }), { maxLength: 20 }),
        (start, lengths) => {
          const backlog = new ReplicationBacklog(MIN_SIZE, start);
          const stream: Buffer[] = [];
          let next = 0;
          for (const length of lengths) {
            const bytes = Buffer.alloc(length);
            for (let i = 0; i < length; i++) bytes[i] = (next + i) % 251;
            next += length;
            stream.push(bytes);
            backlog.append(bytes);
          }
          const all = Buffer.concat(stream);
          expect(backlog.endOffset).toBe(start + all.length);
          expect(backlog.histlen).toBe(Math.min(MIN_SIZE, all.length));
          const first = backlog.firstByteOffset;
          expect(backlog.covers(first - 1)).toBe(false);
          expect(backlog.covers(backlog.endOffset + 2)).toBe(false);
          for (const offset of [first, first + 1, first + 777, backlog.endOffset]) {
            if (offset > backlog.endOffset || offset < first) continue;
            const expected = all.subarray(offset - start - 1);
            expect(Buffer.concat(backlog.readFrom(offset)).equals(expected)).toBe(true);
          }
        },
      ),
    );
  });

  it('keeps the newest bytes when resized', () => {
    const backlog = new ReplicationBacklog(2 * MIN_SIZE, 0);
    const bytes = Buffer.alloc(2 * MIN_SIZE, 0);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
    backlog.append(bytes);
    backlog.resize(MIN_SIZE);
    expect(backlog.endOffset).toBe(2 * MIN_SIZE);
    expect(backlog.histlen).toBe(MIN_SIZE);
    const held = Buffer.concat(backlog.readFrom(backlog.firstByteOffset));
    expect(held.equals(bytes.subarray(MIN_SIZE))).toBe(true);
    backlog.resize(4 * MIN_SIZE);
    backlog.append(Buffer.from('more'));
    expect(Buffer.concat(backlog.readFrom(2 * MIN_SIZE + 1)).toString()).toBe('more');
    expect(backlog.histlen).toBe(MIN_SIZE + 4);
  });
});
