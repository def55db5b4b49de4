import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplicationBuffer, type ReplicaCursor } from './replication-buffer.js';

const MIN_SIZE = 16 * 1024;
/** Redis's per-block bookkeeping: sizeof(replBufBlock) + sizeof(listNode). */
const BLOCK_OVERHEAD = 40 + 24;

function drain(cursor: ReplicaCursor): Buffer {
  const chunks: Buffer[] = [];
  for (let chunk = cursor.take(); chunk !== null; chunk = cursor.take()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `length` bytes that differ from one write to the next. */
function bytes(length: number, seed: number): Buffer {
  return Buffer.alloc(length, `${seed}-${length}|`);
}

describe('ReplicationBuffer', () => {
  it('starts empty right after the offset it was created at', () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 100);
    expect(buffer.firstByteOffset).toBe(101);
    expect(buffer.histlen).toBe(0);
    expect(buffer.memory).toBe(0);
    expect(buffer.covers(101)).toBe(true);
    expect(buffer.covers(100)).toBe(false);
  });

  it('numbers bytes from the offset after its start, as Redis', () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 0);
    buffer.append(Buffer.from('hello'));
    buffer.append(Buffer.from(' world'));
    expect(buffer.endOffset).toBe(11);
    expect(buffer.firstByteOffset).toBe(1);
    expect(drain(buffer.cursorAt(7)).toString()).toBe('world');
    expect(buffer.covers(12)).toBe(true);
    expect(buffer.covers(13)).toBe(false);
  });

  it('never holds less than its minimum of 16 KiB', () => {
    expect(new ReplicationBuffer(10, 0).size).toBe(MIN_SIZE);
  });

  it('keeps at least `size` bytes and at most one block more while nobody else holds them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 3 * MIN_SIZE }), { maxLength: 20 }),
        (start, lengths) => {
          const buffer = new ReplicationBuffer(MIN_SIZE, start);
          let total = 0;
          lengths.forEach((length, index) => {
            buffer.append(bytes(length, index));
            total += length;
          });
          expect(buffer.endOffset).toBe(start + total);
          expect(buffer.histlen).toBeLessThanOrEqual(total);
          expect(buffer.histlen).toBeGreaterThanOrEqual(Math.min(total, MIN_SIZE));
          // Blocks of this backlog are at most 20 KiB (16 KiB rounded up by the allocator).
          expect(buffer.histlen).toBeLessThanOrEqual(MIN_SIZE + 20 * 1024 + 3 * MIN_SIZE);
        },
      ),
    );
  });

  it('gives a replica exactly the stream from the offset it continues at', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (lengths, pick) => {
          const buffer = new ReplicationBuffer(64 * 1024, 0);
          const stream = Buffer.concat(lengths.map((length, index) => bytes(length, index)));
          let from = 0;
          for (const length of lengths) {
            buffer.append(stream.subarray(from, from + length));
            from += length;
          }
          const span = buffer.endOffset + 1 - buffer.firstByteOffset;
          const offset = buffer.firstByteOffset + (pick % (span + 1));
          expect(drain(buffer.cursorAt(offset)).equals(stream.subarray(offset - 1))).toBe(true);
        },
      ),
    );
  });

  it('starts a following replica at the next byte appended', () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 0);
    buffer.append(Buffer.from('before'));
    const cursor = buffer.follow();
    expect(cursor.take()).toBeNull();
    expect(cursor.outputBytes).toBe(0);
    buffer.append(Buffer.from('after'));
    expect(drain(cursor).toString()).toBe('after');
  });

  it('grows past its size while a replica holds old blocks, and trims once it lets go', () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 0);
    const slow = buffer.follow();
    for (let i = 0; i < 100; i++) buffer.append(bytes(10_000, i));
    expect(buffer.histlen).toBe(1_000_000);
    expect(buffer.firstByteOffset).toBe(1);
    const memory = buffer.memory;
    expect(slow.outputBytes).toBeGreaterThanOrEqual(1_000_000);
    slow.release();
    expect(buffer.histlen).toBeGreaterThan(MIN_SIZE);
    expect(buffer.histlen).toBeLessThan(2 * MIN_SIZE + 20 * 1024);
    expect(buffer.memory).toBeLessThan(memory - 900_000);
    expect(buffer.covers(1)).toBe(false);
  });

  it('counts memory once however many replicas share the blocks', () => {
    const alone = new ReplicationBuffer(1 << 20, 0);
    const shared = new ReplicationBuffer(1 << 20, 0);
    const cursors = [shared.follow(), shared.follow(), shared.follow()];
    for (let i = 0; i < 50; i++) {
      alone.append(bytes(1000, i));
      shared.append(bytes(1000, i));
    }
    expect(shared.memory).toBe(alone.memory);
    // Three 16 KiB blocks, each taking the allocator's 20 KiB, hold the 50 000 bytes.
    const usable = 20 * 1024 - 40;
    expect(shared.memory).toBe(3 * (usable + BLOCK_OVERHEAD));
    for (const cursor of cursors) expect(cursor.outputBytes).toBe(3 * (usable + BLOCK_OVERHEAD));
  });

  it("measures a replica's output from its block to the end of the last one", () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 0);
    const cursor = buffer.follow();
    // A 256 KiB write in blocks of at most 16 KiB (20 440 usable bytes after the allocator).
    buffer.append(bytes(256 * 1024, 0));
    const usable = 20 * 1024 - 40;
    const blocks = Math.ceil((256 * 1024) / usable);
    expect(cursor.outputBytes).toBe(blocks * (usable + BLOCK_OVERHEAD));
    drain(cursor);
    // Sent: it holds the last block only.
    expect(cursor.outputBytes).toBe(usable + BLOCK_OVERHEAD);
  });

  it('moves its history later in the stream when rebased', () => {
    const buffer = new ReplicationBuffer(MIN_SIZE, 0);
    buffer.append(Buffer.from('abc'));
    buffer.rebase(1000);
    expect(buffer.endOffset).toBe(1003);
    expect(drain(buffer.cursorAt(1002)).toString()).toBe('bc');
  });

  it('trims down to a smaller size when resized', () => {
    const buffer = new ReplicationBuffer(1 << 20, 0);
    for (let i = 0; i < 20; i++) buffer.append(bytes(50_000, i));
    expect(buffer.histlen).toBe(1_000_000);
    buffer.resize(MIN_SIZE);
    expect(buffer.histlen).toBeLessThan(MIN_SIZE + 64 * 1024 + BLOCK_OVERHEAD);
  });
});
