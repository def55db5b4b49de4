import { describe, expect, it } from 'vitest';
import {
  EMPTY_ARRAY,
  NULL_BULK,
  OK,
  ONE,
  ReplyWriter,
  ZERO,
  smallIntegerReply,
  type ErrorReplyStats,
} from './reply-writer.js';

function written(protocol: 2 | 3, write: (out: ReplyWriter) => void): string {
  const out = new ReplyWriter(4);
  out.protocol = protocol;
  write(out);
  return out.take().toString('latin1');
}

describe('ReplyWriter', () => {
  it('writes an error as one line: breaks at the end dropped, the others blanked', () => {
    expect(written(2, (out) => out.error("ERR group 'a\nb\rc'"))).toBe("-ERR group 'a b c'\r\n");
    expect(written(2, (out) => out.error('\nMY x\r\n'))).toBe('- MY x\r\n');
    expect(written(2, (out) => out.errorCountedBefore('ERR x\n'))).toBe('-ERR x\r\n');
  });

  it('encodes the RESP2 forms', () => {
    expect(written(2, (out) => out.simple('OK'))).toBe('+OK\r\n');
    expect(written(2, (out) => out.error('ERR x'))).toBe('-ERR x\r\n');
    expect(written(2, (out) => out.integer(-42))).toBe(':-42\r\n');
    expect(written(2, (out) => out.integer(9223372036854775807n))).toBe(':9223372036854775807\r\n');
    expect(written(2, (out) => out.bulk('\x00\xff'))).toBe('$2\r\n\x00\xff\r\n');
    expect(written(2, (out) => out.nullBulk())).toBe('$-1\r\n');
    expect(written(2, (out) => out.nullArray())).toBe('*-1\r\n');
    expect(written(2, (out) => out.map(2))).toBe('*4\r\n');
    expect(written(2, (out) => out.set(3))).toBe('*3\r\n');
    expect(written(2, (out) => out.push(3))).toBe('*3\r\n');
    expect(written(2, (out) => out.double(1.5))).toBe('$3\r\n1.5\r\n');
    expect(written(2, (out) => out.boolean(true))).toBe(':1\r\n');
    expect(written(2, (out) => out.verbatim('txt', 'hi'))).toBe('$2\r\nhi\r\n');
    expect(written(2, (out) => out.bigNumber('123'))).toBe('$3\r\n123\r\n');
  });

  it('encodes the RESP3 forms', () => {
    expect(written(3, (out) => out.nullBulk())).toBe('_\r\n');
    expect(written(3, (out) => out.nullArray())).toBe('_\r\n');
    expect(written(3, (out) => out.map(2))).toBe('%2\r\n');
    expect(written(3, (out) => out.set(1))).toBe('~1\r\n');
    expect(written(3, (out) => out.push(3))).toBe('>3\r\n');
    expect(written(3, (out) => out.double(Infinity))).toBe(',inf\r\n');
    expect(written(3, (out) => out.boolean(false))).toBe('#f\r\n');
    expect(written(3, (out) => out.verbatim('txt', 'hi'))).toBe('=6\r\ntxt:hi\r\n');
    expect(written(3, (out) => out.bigNumber('123'))).toBe('(123\r\n');
    expect(written(3, (out) => out.bulkError('ERR x'))).toBe('!5\r\nERR x\r\n');
  });

  it('writes RESP3 doubles with %.17g', () => {
    expect(written(3, (out) => out.double(0.1))).toBe(',0.10000000000000001\r\n');
    expect(written(3, (out) => out.double(-Infinity))).toBe(',-inf\r\n');
    expect(written(3, (out) => out.double(NaN))).toBe(',nan\r\n');
    expect(written(2, (out) => out.double(1e17))).toBe('$5\r\n1e+17\r\n');
  });

  it('writes nothing for an attribute in RESP2', () => {
    expect(written(2, (out) => out.attribute(1))).toBe('');
    expect(written(3, (out) => out.attribute(1))).toBe('|1\r\n');
  });

  it('writes a bulk error as a simple error in RESP2', () => {
    expect(written(2, (out) => out.bulkError('ERR x'))).toBe('-ERR x\r\n');
  });

  it('counts each error reply where it is written, once', () => {
    const heard: string[] = [];
    const stats: ErrorReplyStats = {
      errorReplied: (text) => heard.push(`counted ${text}`),
      errorRepeated: (text) => heard.push(`repeated ${text}`),
    };
    const out = new ReplyWriter(4);
    out.error('ERR before');
    out.errorStats = stats;
    out.simple('OK');
    out.error('WRONGTYPE x');
    out.errorCountedBefore('ERR from pcall');
    out.bulkError('ERR resp2');
    out.protocol = 3;
    out.bulkError('ERR resp3');
    expect(heard).toEqual([
      'counted WRONGTYPE x',
      'repeated ERR from pcall',
      'counted ERR resp2',
      'counted ERR resp3',
    ]);
    expect(out.take().toString('latin1')).toBe(
      '-ERR before\r\n+OK\r\n-WRONGTYPE x\r\n-ERR from pcall\r\n-ERR resp2\r\n!9\r\nERR resp3\r\n',
    );
  });

  it('writes integer headers of any size', () => {
    for (const n of [0, 9, 10, 99, 100, 9999, 10000, 123456789, 2 ** 31, 2 ** 53 - 1]) {
      expect(written(2, (out) => out.array(n))).toBe(`*${n}\r\n`);
      expect(written(2, (out) => out.integer(n))).toBe(`:${n}\r\n`);
      expect(written(2, (out) => out.integer(-n))).toBe(`:${-n}\r\n`);
    }
    expect(written(2, (out) => out.integer(-(2n ** 63n)))).toBe(':-9223372036854775808\r\n');
  });

  it('writes two integers joined by a byte as one bulk string', () => {
    for (const [a, b] of [
      [0, 0],
      [9, 10],
      [99, 100],
      [1764080000000, 3],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ]) {
      const text = `${a}-${b}`;
      expect(written(2, (out) => out.bulkJoinedIntegers(a, 45, b))).toBe(
        `$${text.length}\r\n${text}\r\n`,
      );
    }
  });

  it('writes Buffers and latin1 strings byte for byte', () => {
    const bytes = Buffer.from([0, 13, 10, 255]);
    expect(written(2, (out) => out.bulk(bytes))).toBe('$4\r\n\x00\r\n\xff\r\n');
    expect(written(2, (out) => out.bulk('\x00\r\n\xff'))).toBe('$4\r\n\x00\r\n\xff\r\n');
    const slab = Buffer.from('..\x00\r\n\xff..', 'latin1');
    expect(written(2, (out) => out.bulkOfBytes(slab, 2, 6))).toBe('$4\r\n\x00\r\n\xff\r\n');
    // Short ones are copied byte by byte, longer ones natively.
    for (const length of [0, 1, 15, 16, 17, 40]) {
      const text = Array.from({ length }, (_, i) => String.fromCharCode(255 - i)).join('');
      const source = Buffer.from(`ab${text}cd`, 'latin1');
      expect(written(2, (out) => out.bulkOfBytes(source, 2, 2 + length))).toBe(
        `$${length}\r\n${text}\r\n`,
      );
    }
  });

  it('writes a run of spans of a buffer as bulk strings, as one bulk each', () => {
    // Lengths across the one- and two-digit headers and the byte-loop limit; empty ones too.
    const texts = [0, 1, 9, 10, 15, 16, 99, 100, 300].map((length) =>
      Array.from({ length }, (_, i) => String.fromCharCode((i * 7 + length) % 256)).join(''),
    );
    const source = Buffer.from(texts.map((text) => `..${text}`).join(''), 'latin1');
    const spans = new Int32Array(2 * texts.length);
    let at = 0;
    texts.forEach((text, i) => {
      spans[2 * i] = at + 2;
      spans[2 * i + 1] = text.length;
      at += 2 + text.length;
    });
    const expected = texts.map((text) => `$${text.length}\r\n${text}\r\n`).join('');
    expect(written(2, (out) => out.bulksOfBytes(source, spans, texts.length))).toBe(expected);
    // From a nearly full buffer, the run grows it once and keeps what was there.
    const out = new ReplyWriter(16);
    out.simple('0123456789');
    out.bulksOfBytes(source, spans, texts.length);
    out.bulksOfBytes(source, spans, 0);
    expect(out.take().toString('latin1')).toBe(`+0123456789\r\n${expected}`);
    // A run one byte past the room left: the buffer grows rather than lose the last byte.
    const edge = new ReplyWriter(16);
    edge.simple('abcde');
    edge.bulksOfBytes(Buffer.from('xxx'), Int32Array.of(0, 3), 1);
    expect(edge.take().toString('latin1')).toBe('+abcde\r\n$3\r\nxxx\r\n');
  });

  it('exports the pre-encoded common replies', () => {
    expect(OK.toString()).toBe('+OK\r\n');
    expect(ZERO.toString()).toBe(':0\r\n');
    expect(ONE.toString()).toBe(':1\r\n');
    expect(NULL_BULK.toString()).toBe('$-1\r\n');
    expect(EMPTY_ARRAY.toString()).toBe('*0\r\n');
    expect(smallIntegerReply(9999)?.toString()).toBe(':9999\r\n');
    expect(smallIntegerReply(10000)).toBeUndefined();
    expect(written(2, (out) => out.raw(OK))).toBe('+OK\r\n');
  });
});

describe('ReplyWriter buffer', () => {
  it('grows to hold any reply and keeps what was written before', () => {
    const out = new ReplyWriter(4);
    out.simple('OK');
    out.bulk('x'.repeat(100000));
    out.integer(1);
    const text = out.take().toString('latin1');
    expect(text).toBe(`+OK\r\n$100000\r\n${'x'.repeat(100000)}\r\n:1\r\n`);
  });

  it('take() returns bytes that later writes do not change, and empties the writer', () => {
    const out = new ReplyWriter(16);
    out.simple('first');
    const first = out.take();
    expect(out.length).toBe(0);
    out.simple('other');
    expect(first.toString()).toBe('+first\r\n');
    const big = (out.take(), out.bulk('y'.repeat(70000)), out.take());
    out.bulk('z'.repeat(70000));
    expect(big.toString('latin1', 0, 12)).toBe('$70000\r\nyyyy');
  });

  it('sendTo() lends a view of the pending bytes, and moves to fresh storage when it is kept', () => {
    const out = new ReplyWriter(16);
    out.simple('lent');
    let lent: Buffer = Buffer.alloc(0);
    out.sendTo((bytes) => {
      lent = bytes;
      return false;
    });
    expect(out.length).toBe(0);
    out.simple('next');
    // Not kept: the writer reused its storage, so the view shows the later write.
    expect(lent.toString()).toBe('+next\r\n');
    let kept: Buffer = Buffer.alloc(0);
    out.sendTo((bytes) => {
      kept = bytes;
      return true;
    });
    out.simple('later');
    expect(kept.toString()).toBe('+next\r\n');
    expect(out.take().toString()).toBe('+later\r\n');
  });
});

/** Whether two views start at the same byte of the same memory (small Buffers share a pool). */
function sameStorage(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset;
}

describe('ReplyWriter storage beyond the reply buffer', () => {
  it('writes in the reply buffer again once grown output is sent, unless the buffer is kept', () => {
    const out = new ReplyWriter(16);
    out.simple('a');
    let small: Buffer = Buffer.alloc(0);
    out.sendTo((bytes) => {
      small = bytes;
      return false;
    });
    out.bulk('g'.repeat(100));
    let grown: Buffer = Buffer.alloc(0);
    out.sendTo((bytes) => {
      grown = bytes;
      return true;
    });
    expect(sameStorage(grown, small)).toBe(false);
    // The grown storage is the socket's now; the reply buffer takes the next output.
    out.simple('b');
    let next: Buffer = Buffer.alloc(0);
    out.sendTo((bytes) => {
      next = bytes;
      return true;
    });
    expect(sameStorage(next, small)).toBe(true);
    expect(grown.toString('latin1')).toBe(`$100\r\n${'g'.repeat(100)}\r\n`);
    // That buffer was kept by the socket: later output goes elsewhere and leaves it alone.
    out.bulk('h'.repeat(100));
    out.simple('c');
    expect(next.toString()).toBe('+b\r\n');
    expect(out.take().toString('latin1')).toBe(`$100\r\n${'h'.repeat(100)}\r\n+c\r\n`);
    out.simple('d');
    expect(next.toString()).toBe('+b\r\n');
    expect(out.take().toString()).toBe('+d\r\n');
  });

  it('resizes to a reply buffer smaller than what is pending, keeping it all', () => {
    const out = new ReplyWriter(1024);
    out.bulk('p'.repeat(500));
    out.resize(64);
    expect(out.capacity).toBe(64);
    out.simple('more');
    expect(out.take().toString('latin1')).toBe(`$500\r\n${'p'.repeat(500)}\r\n+more\r\n`);
    out.simple('small');
    expect(out.take().toString()).toBe('+small\r\n');
  });
});

describe('ReplyWriter onGrow', () => {
  it('is told the bytes needed when the output outgrows its storage, and may drop it', () => {
    const out = new ReplyWriter(64);
    const told: number[] = [];
    let dropping = false;
    out.onGrow = (needed) => {
      told.push(needed);
      return dropping;
    };
    out.bulk('x'.repeat(50));
    expect(told).toEqual([]);
    out.bulk('y'.repeat(50));
    expect(told).toHaveLength(1);
    expect(told[0]).toBeGreaterThan(64);
    dropping = true;
    for (let i = 0; i < 1000; i++) out.bulk('z'.repeat(50));
    // What was pending is dropped each time it would grow: the storage stays at 128 bytes.
    expect(out.length).toBeLessThanOrEqual(128);
    expect(out.take().toString()).toMatch(/^(\$50\r\nz{50}\r\n)+$/);
  });

  it('keeps a reply buffer of its capacity, with output beyond it in storage of its own', () => {
    const out = new ReplyWriter(1024);
    expect(out.capacity).toBe(1024);
    // New, it counts as full, as Redis's createClient sets buf_peak.
    expect(out.peak).toBe(1024);
    out.resetPeak();
    expect(out.peak).toBe(0);
    out.bulk('x'.repeat(100));
    expect(out.take().length).toBe(108);
    expect(out.peak).toBe(108);
    out.bulk('y'.repeat(5000));
    const sent: Buffer[] = [];
    out.sendTo((bytes) => {
      sent.push(Buffer.from(bytes));
      return false;
    });
    expect(sent[0].toString('latin1')).toBe(`$5000\r\n${'y'.repeat(5000)}\r\n`);
    // The reply filled the buffer; the rest went beyond it and was let go once sent.
    expect(out.peak).toBe(1024);
    expect(out.capacity).toBe(1024);
    out.simple('OK');
    expect(out.take().toString('latin1')).toBe('+OK\r\n');
  });

  it('resizes its reply buffer, keeping what is pending', () => {
    const out = new ReplyWriter(1024);
    out.simple('pending');
    out.resize(4096);
    expect(out.capacity).toBe(4096);
    out.bulk('z'.repeat(3000));
    expect(out.take().toString('latin1')).toBe(`+pending\r\n$3000\r\n${'z'.repeat(3000)}\r\n`);
    expect(out.peak).toBe(3019);
    // Dropped output (CLIENT REPLY OFF) was in the buffer all the same.
    out.bulk('w'.repeat(4000));
    out.truncate(0);
    expect(out.peak).toBe(4009);
    out.resetPeak();
    expect(out.peak).toBe(0);
  });
});
