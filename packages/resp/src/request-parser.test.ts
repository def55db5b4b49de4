import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocol-error.js';
import { RequestParser } from './request-parser.js';

function parseAll(chunks: Buffer[], parser = new RequestParser()): Array<string[] | string> {
  const results: Array<string[] | string> = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (;;) {
      const next = parser.next();
      if (next === null) break;
      if (next instanceof ProtocolError) {
        results.push(next.message);
        return results;
      }
      results.push(next);
    }
  }
  return results;
}

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('')}`;
}

describe('RequestParser', () => {
  it('parses a multibulk command', () => {
    expect(parseAll([bytes('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n')])).toEqual([['GET', 'k']]);
  });

  it('keeps binary bytes as latin1', () => {
    expect(parseAll([bytes('*1\r\n$4\r\n\x00\r\n\xff\r\n')])).toEqual([['\x00\r\n\xff']]);
  });

  it('parses inline commands with quotes', () => {
    expect(parseAll([bytes('SET "a b" \'c\\\'d\' "\\x41\\n"\r\n')])).toEqual([
      ['SET', 'a b', "c'd", 'A\n'],
    ]);
  });

  it('yields an empty command for a blank inline line', () => {
    expect(parseAll([bytes('\r\n')])).toEqual([[]]);
  });

  it('skips *0 and *-1', () => {
    expect(parseAll([bytes('*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n')])).toEqual([['PING']]);
  });

  it.each([
    ['*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*+1\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*1\r\nx\r\n', "ERR Protocol error: expected '$', got 'x'"],
    ['*1\r\n$-1\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'ERR Protocol error: invalid bulk length'],
    ['ECHO "abc\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['ECHO "abc"d\r\n', 'ERR Protocol error: unbalanced quotes in request'],
  ])("rejects %j with Redis's error", (input, error) => {
    expect(parseAll([bytes(input)])).toEqual([error]);
  });

  it('rejects over-long lines without a line end', () => {
    expect(parseAll([bytes('*' + '1'.repeat(70000))])).toEqual([
      'ERR Protocol error: too big mbulk count string',
    ]);
    expect(parseAll([bytes('PING' + ' '.repeat(70000))])).toEqual([
      'ERR Protocol error: too big inline request',
    ]);
  });

  it('assembles a 100 MiB bulk fed in 64 KiB chunks', () => {
    const size = 100 * 1024 * 1024;
    const stream = Buffer.concat([
      bytes(`*2\r\n$3\r\nSET\r\n$${size}\r\n`),
      Buffer.alloc(size, 97),
      bytes('\r\n*1\r\n$4\r\nPING\r\n'),
    ]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 65536) chunks.push(stream.subarray(i, i + 65536));
    const results = parseAll(chunks) as string[][];
    expect(results).toHaveLength(2);
    expect(results[0][1].length).toBe(size);
    expect(results[1]).toEqual(['PING']);
  });

  it('parses any chunk split of a stream like the whole stream', () => {
    const argument = fc.string({ unit: 'binary-ascii', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(fc.array(argument, { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (commands, sizes) => {
          const stream = bytes(commands.map(encode).join(''));
          const chunks: Buffer[] = [];
          let offset = 0;
          for (let i = 0; offset < stream.length; i++) {
            const size = sizes[i % sizes.length];
            chunks.push(stream.subarray(offset, offset + size));
            offset += size;
          }
          expect(parseAll(chunks)).toEqual(commands);
        },
      ),
    );
  });
});
