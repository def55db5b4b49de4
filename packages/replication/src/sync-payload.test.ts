import { describe, expect, it } from 'vitest';
import { ReplyLineReader, SyncPayloadReader } from './sync-payload.js';

const MARK = 'a'.repeat(20) + 'b'.repeat(20);

/** Feeds `bytes` split at `cut`: the payload, and every byte after it (fed or not). */
function feedSplit(bytes: Buffer, cut: number): { rdb: Buffer; rest: Buffer } | null {
  const reader = new SyncPayloadReader();
  const first = reader.feed(bytes.subarray(0, cut));
  if (first !== null)
    return { rdb: first.rdb, rest: Buffer.concat([first.rest, bytes.subarray(cut)]) };
  return reader.feed(bytes.subarray(cut));
}

describe('SyncPayloadReader', () => {
  it('reads a length-prefixed payload and returns the stream that follows it', () => {
    const bytes = Buffer.from('\n\n$5\r\nREDIS*1\r\n$4\r\nPING\r\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const result = feedSplit(bytes, cut);
      expect(result?.rdb.toString(), `cut at ${cut}`).toBe('REDIS');
      expect(result?.rest.toString(), `cut at ${cut}`).toBe('*1\r\n$4\r\nPING\r\n');
    }
  });

  it('finds the end mark of a streamed payload wherever chunks split it', () => {
    const bytes = Buffer.from(`$EOF:${MARK}\r\nREDIS0010-payload-${MARK}`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(feedSplit(bytes, cut)?.rdb.toString(), `cut at ${cut}`).toBe('REDIS0010-payload-');
    }
  });

  it('streams either framing in order, wherever chunks split it, done only at the end', () => {
    for (const [framed, after] of [
      [`\n$18\r\nREDIS0010-payload-*1\r\n`, '*1\r\n'],
      [`$EOF:${MARK}\r\nREDIS0010-payload-${MARK}`, ''],
    ]) {
      const bytes = Buffer.from(framed);
      for (let first = 0; first <= bytes.length; first++) {
        for (let second = first; second <= bytes.length; second += 7) {
          const reader = new SyncPayloadReader();
          const rdb: Buffer[] = [];
          let rest: Buffer | null = null;
          for (const [from, to] of [
            [0, first],
            [first, second],
            [second, bytes.length],
          ]) {
            const chunk = bytes.subarray(from, to);
            if (rest !== null) {
              rest = Buffer.concat([rest, chunk]);
              continue;
            }
            const part = reader.feedStreaming(chunk);
            rdb.push(part.rdb);
            if (part.done) rest = part.rest;
          }
          expect(Buffer.concat(rdb).toString(), `cuts ${first}, ${second}`).toBe(
            'REDIS0010-payload-',
          );
          expect(rest?.toString(), `cuts ${first}, ${second}`).toBe(after);
        }
      }
    }
  });

  it('reports the size of a length-prefixed payload while it arrives', () => {
    const reader = new SyncPayloadReader();
    expect(reader.feed(Buffer.from('$10\r\n1234'))).toBeNull();
    expect(reader.started).toBe(true);
    expect([reader.total, reader.received]).toEqual([10, 4]);
  });

  it('rejects a header that is not a bulk', () => {
    const reader = new SyncPayloadReader();
    expect(() => reader.feed(Buffer.from('+OK\r\n'))).toThrow(/bad sync payload header/);
    expect(() => new SyncPayloadReader().feed(Buffer.from('$EOF:short\r\n'))).toThrow(/EOF mark/);
  });
});

describe('ReplyLineReader', () => {
  it('returns one line per reply and skips keepalive newlines', () => {
    const reader = new ReplyLineReader();
    reader.feed(Buffer.from('\n+PONG\r\n\n\n+FULLRES'));
    expect(reader.next()).toBe('+PONG');
    expect(reader.next()).toBeNull();
    reader.feed(Buffer.from('YNC abc 0\r\n$EOF:'));
    expect(reader.next()).toBe('+FULLRESYNC abc 0');
    expect(reader.take().toString()).toBe('$EOF:');
  });
});
