import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  NEED_MORE,
  PushFrame,
  ReplyError,
  ReplyParser,
  VerbatimString,
  replyFrameLength,
  type RespValue,
} from './reply-parser.js';
import { ReplyWriter } from './reply-writer.js';
import { latin1, splitAt, splitEvery } from './test-support/chunks.js';
import { replyTree, writeTree } from './test-support/reply-tree.js';

function parseAll(chunks: Buffer[], parser = new ReplyParser()): RespValue[] {
  const values: RespValue[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let value = parser.next(); value !== NEED_MORE; value = parser.next()) values.push(value);
  }
  return values;
}

const parseOne = (text: string): RespValue => {
  const values = parseAll([latin1(text)]);
  expect(values).toHaveLength(1);
  return values[0];
};

describe('ReplyParser: RESP2 types', () => {
  it('parses a simple string', () => {
    expect(parseOne('+OK\r\n')).toBe('OK');
  });

  it('parses a simple error as a ReplyError', () => {
    const error = parseOne('-ERR unknown command\r\n');
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).message).toBe('ERR unknown command');
  });

  it('parses integers as numbers, and beyond 2^53 as bigints', () => {
    expect(parseOne(':0\r\n')).toBe(0);
    expect(parseOne(':-42\r\n')).toBe(-42);
    expect(parseOne(':9007199254740991\r\n')).toBe(9007199254740991);
    expect(parseOne(':9223372036854775807\r\n')).toBe(9223372036854775807n);
    expect(parseOne(':-9223372036854775808\r\n')).toBe(-9223372036854775808n);
  });

  it('parses a bulk string as a Buffer, binary safe', () => {
    expect(parseOne('$4\r\n\r\n\x00\xff\r\n')).toEqual(latin1('\r\n\x00\xff'));
    expect(parseOne('$0\r\n\r\n')).toEqual(Buffer.alloc(0));
  });

  it('parses bulks as latin1 strings with bulkStrings', () => {
    const values = parseAll(
      [latin1('$3\r\n\x00\xff!\r\n*1\r\n$2\r\nok\r\n')],
      new ReplyParser({ bulkStrings: true }),
    );
    expect(values).toEqual(['\x00\xff!', ['ok']]);
  });

  it('parses the null bulk and the null array as null', () => {
    expect(parseOne('$-1\r\n')).toBeNull();
    expect(parseOne('*-1\r\n')).toBeNull();
  });

  it('parses nested arrays', () => {
    expect(parseOne('*3\r\n:1\r\n*2\r\n+a\r\n$1\r\nb\r\n*0\r\n')).toEqual([
      1,
      ['a', latin1('b')],
      [],
    ]);
  });

  it('returns errors inside arrays as values', () => {
    expect(parseOne('*2\r\n-ERR x\r\n:1\r\n')).toEqual([new ReplyError('ERR x'), 1]);
  });
});

describe('ReplyParser: RESP3 types', () => {
  it('parses null', () => {
    expect(parseOne('_\r\n')).toBeNull();
  });

  it('parses doubles, inf, -inf and nan', () => {
    expect(parseOne(',1.5\r\n')).toBe(1.5);
    expect(parseOne(',1e+17\r\n')).toBe(1e17);
    expect(parseOne(',-0\r\n')).toBe(-0);
    expect(parseOne(',inf\r\n')).toBe(Infinity);
    expect(parseOne(',-inf\r\n')).toBe(-Infinity);
    expect(parseOne(',nan\r\n')).toBeNaN();
  });

  it('parses booleans', () => {
    expect(parseOne('#t\r\n')).toBe(true);
    expect(parseOne('#f\r\n')).toBe(false);
  });

  it('parses big numbers as bigints', () => {
    expect(parseOne('(3492890328409238509324850943850943825024385\r\n')).toBe(
      3492890328409238509324850943850943825024385n,
    );
    expect(parseOne('(-1\r\n')).toBe(-1n);
  });

  it('parses a bulk error as a ReplyError', () => {
    expect(parseOne('!22\r\nSYNTAX invalid\r\nsyntax\r\n')).toEqual(
      new ReplyError('SYNTAX invalid\r\nsyntax'),
    );
  });

  it('parses a verbatim string', () => {
    expect(parseOne('=15\r\ntxt:Some string\r\n')).toEqual(
      new VerbatimString('txt', 'Some string'),
    );
  });

  it('parses a map', () => {
    expect(parseOne('%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n')).toEqual(
      new Map<RespValue, RespValue>([
        ['first', 1],
        ['second', 2],
      ]),
    );
  });

  it('parses a set', () => {
    expect(parseOne('~3\r\n+a\r\n+b\r\n:1\r\n')).toEqual(new Set(['a', 'b', 1]));
  });

  it('parses a push frame', () => {
    expect(parseOne('>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n')).toEqual(
      new PushFrame([latin1('message'), latin1('ch'), latin1('hi')]),
    );
  });

  it('drops attributes and returns the value they annotate', () => {
    expect(parseOne('|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.5\r\n*1\r\n:2\r\n')).toEqual([2]);
    expect(parseOne('*2\r\n|1\r\n+ttl\r\n:3\r\n:1\r\n:2\r\n')).toEqual([1, 2]);
  });

  it('throws on an unknown type byte: the stream is corrupt', () => {
    const parser = new ReplyParser();
    parser.feed(latin1('?\r\n'));
    expect(() => parser.next()).toThrow(/unknown reply type/);
  });
});

describe('ReplyParser: streaming', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns NEED_MORE until a reply is complete', () => {
    const parser = new ReplyParser();
    parser.feed(latin1('*2\r\n$3\r\nfo'));
    expect(parser.next()).toBe(NEED_MORE);
    parser.feed(latin1('o\r\n:'));
    expect(parser.next()).toBe(NEED_MORE);
    parser.feed(latin1('1\r\n+OK\r\n'));
    expect(parser.next()).toEqual([latin1('foo'), 1]);
    expect(parser.next()).toBe('OK');
    expect(parser.next()).toBe(NEED_MORE);
  });

  it('joins the chunks of a 16 MiB bulk once, not per chunk', () => {
    const size = 16 * 1024 * 1024;
    const stream = Buffer.concat([
      latin1(`$${size}\r\n`),
      Buffer.alloc(size, 'x'),
      latin1('\r\n:1\r\n'),
    ]);
    const chunks = splitEvery(stream, 65536);
    const concat = vi.spyOn(Buffer, 'concat');
    const values = parseAll(chunks);
    expect(concat.mock.calls.length).toBeLessThan(4); // 257 chunks
    expect(values).toHaveLength(2);
    expect((values[0] as Buffer).length).toBe(size);
    expect(values[1]).toBe(1);
  });

  it('parses any split of a reply stream like the whole stream', () => {
    fc.assert(
      fc.property(
        fc.array(replyTree, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (trees, offsets) => {
          const out = new ReplyWriter();
          out.protocol = 3;
          for (const tree of trees) writeTree(out, tree);
          const stream = out.take();
          const whole = parseAll([stream]);
          const cuts = offsets.map((offset) => offset % (stream.length + 1));
          expect(parseAll(splitAt(stream, cuts))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('replyFrameLength', () => {
  it('measures one complete reply of each kind', () => {
    for (const text of [
      '+OK\r\n',
      '$3\r\nfoo\r\n',
      '$-1\r\n',
      '*2\r\n:1\r\n*1\r\n+a\r\n',
      '%1\r\n+a\r\n:1\r\n',
      '|1\r\n+a\r\n:1\r\n+annotated\r\n',
      '=7\r\ntxt:a\r\n\r\n',
    ]) {
      expect(replyFrameLength(latin1(text + ':9\r\n'))).toBe(text.length);
    }
  });

  it('returns -1 for an incomplete reply, and honours the offset', () => {
    expect(replyFrameLength(latin1('*2\r\n:1\r\n'))).toBe(-1);
    expect(replyFrameLength(latin1('$3\r\nfo'))).toBe(-1);
    expect(replyFrameLength(latin1('+OK\r\n:12\r\n'), 5)).toBe(5);
  });

  it('cuts a written stream into its replies', () => {
    fc.assert(
      fc.property(fc.array(replyTree, { minLength: 1, maxLength: 5 }), (trees) => {
        const out = new ReplyWriter();
        out.protocol = 3;
        const lengths = trees.map((tree) => {
          const before = out.length;
          writeTree(out, tree);
          return out.length - before;
        });
        const stream = out.take();
        let offset = 0;
        for (const length of lengths) {
          expect(replyFrameLength(stream, offset)).toBe(length);
          offset += length;
        }
      }),
    );
  });
});
