import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProtocolError } from './protocol-error.js';
import { RequestParser } from './request-parser.js';
import { splitArguments } from './split-arguments.js';
import { latin1, splitAt, splitEvery } from './test-support/chunks.js';

type Parsed = string[] | string;

/** Every command the chunks yield, in order; a protocol error ends the list as its message. */
function parseAll(chunks: Buffer[], parser = new RequestParser()): Parsed[] {
  const results: Parsed[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let next = parser.next(); next !== null; next = parser.next()) {
      if (next instanceof ProtocolError) {
        results.push(next.message);
        return results;
      }
      results.push(next);
    }
  }
  return results;
}

const parse = (text: string, parser?: RequestParser): Parsed[] => parseAll([latin1(text)], parser);

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('')}`;
}

describe('RequestParser: multibulk', () => {
  it('parses a command', () => {
    expect(parse('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n')).toEqual([['GET', 'k']]);
  });

  it('decodes each name of a pipeline that repeats one, or changes it for one as long', () => {
    const names = ['INCR', 'INCR', 'DECR', 'INCR', 'incr', 'INCR\xff', 'INCR\xfe', 'INCR'];
    expect(parse(names.map((name) => encode([name, 'k'])).join(''))).toEqual(
      names.map((name) => [name, 'k']),
    );
  });

  it('parses pipelined commands from one chunk', () => {
    expect(parse(encode(['PING']) + encode(['ECHO', 'x']) + encode(['GET', 'k']))).toEqual([
      ['PING'],
      ['ECHO', 'x'],
      ['GET', 'k'],
    ]);
  });

  it('keeps binary bytes as latin1, CRLF included', () => {
    expect(parse('*1\r\n$6\r\n\x00\r\n\xff\x80\n\r\n')).toEqual([['\x00\r\n\xff\x80\n']]);
  });

  it('keeps every byte of arguments of each length, short ones decoded in JavaScript', () => {
    const bytes = Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)).join('');
    const args = Array.from({ length: 25 }, (_, length) => bytes.slice(255 - length, 255));
    args.push(bytes.slice(0, 24), bytes);
    expect(parse(encode(args))).toEqual([args]);
  });

  it('parses empty bulks', () => {
    expect(parse('*2\r\n$0\r\n\r\n$0\r\n\r\n')).toEqual([['', '']]);
  });

  it('skips *0, negative counts and the lowest long long silently', () => {
    expect(parse('*0\r\n*-1\r\n*-5\r\n*-9223372036854775808\r\n' + encode(['PING']))).toEqual([
      ['PING'],
    ]);
  });

  it('takes the bulk by length without checking the CRLF after it (as Redis)', () => {
    expect(parse('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n')).toEqual([['PING'], ['PING']]);
  });

  it('skips whatever byte follows the CR of a header line (as Redis)', () => {
    expect(parse('*1\rX$4\r\nPING\r\n')).toEqual([['PING']]);
  });

  it('waits for the byte after a header CR', () => {
    const parser = new RequestParser();
    expect(parse('*1\r', parser)).toEqual([]);
    expect(parse('\n$4\r', parser)).toEqual([]);
    expect(parse('\nPING\r', parser)).toEqual([]);
    expect(parse('\n', parser)).toEqual([['PING']]);
  });

  it('accepts counts up to INT_MAX (Redis 7.0 dropped the 1M limit)', () => {
    const parser = new RequestParser();
    expect(parse('*2147483647\r\n', parser)).toEqual([]);
    expect(parser.buffered).toBe(0);
  });

  it('accepts a bulk of exactly maxBulkLength and honours changes to it', () => {
    const parser = new RequestParser({ maxBulkLength: 3 });
    expect(parse('*1\r\n$3\r\nabc\r\n', parser)).toEqual([['abc']]);
    parser.maxBulkLength = 2;
    expect(parse('*1\r\n$3\r\nabc\r\n', parser)).toEqual([
      'ERR Protocol error: invalid bulk length',
    ]);
  });

  it('reports buffered bytes: received and not yet parsed', () => {
    const parser = new RequestParser();
    parser.feed(latin1('*1\r\n$4\r\nPI'));
    expect(parser.buffered).toBe(10);
    expect(parser.next()).toBeNull();
    expect(parser.buffered).toBe(2); // the headers are parsed, "PI" waits
    parser.feed(latin1('NG\r\n*1'));
    expect(parser.next()).toEqual(['PING']);
    expect(parser.buffered).toBe(2);
  });

  it('stays dead after a protocol error', () => {
    const parser = new RequestParser();
    parser.feed(latin1('*x\r\n'));
    const error = parser.next();
    expect(error).toBeInstanceOf(ProtocolError);
    parser.feed(latin1(encode(['PING'])));
    expect(parser.next()).toBe(error);
  });
});

describe('RequestParser: multibulk protocol errors', () => {
  it.each([
    ['a non-numeric count', '*abc\r\n'],
    ['a count above INT_MAX', '*2147483648\r\n'],
    ['a count with a plus sign', '*+5\r\n'],
    ['a count with a leading space', '* 5\r\n'],
    ['a count with a leading zero', '*05\r\n'],
    ['negative zero', '*-0\r\n'],
    ['a count below the lowest long long', '*-9223372036854775809\r\n'],
    ['an empty count', '*\r\n'],
    ['an LF-only terminator (the next CR ends the line)', '*1\n$4\r\nPING\r\n'],
  ])('rejects %s: invalid multibulk length', (_, input) => {
    expect(parse(input)).toEqual(['ERR Protocol error: invalid multibulk length']);
  });

  it.each([
    ['a non-numeric length', '*1\r\n$abc\r\n'],
    ['a negative length', '*1\r\n$-1\r\n'],
    ['a length with a plus sign', '*1\r\n$+4\r\nPING\r\n'],
    ['a length with a leading zero', '*1\r\n$04\r\nPING\r\n'],
    ['a length above proto-max-bulk-len', '*1\r\n$536870913\r\n'],
    ['a length beyond 64 bits', '*1\r\n$99999999999999999999\r\n'],
    ['an LF-only terminator', '*1\r\n$4\nPING\r\n'],
  ])('rejects %s: invalid bulk length', (_, input) => {
    expect(parse(input)).toEqual(['ERR Protocol error: invalid bulk length']);
  });

  it("names the byte found instead of '$'", () => {
    expect(parse('*1\r\nx\r\n')).toEqual(["ERR Protocol error: expected '$', got 'x'"]);
    expect(parse('*1\r\n\xff\r\n')).toEqual(["ERR Protocol error: expected '$', got '\xff'"]);
  });

  it('prints a CR or LF found instead of $ as a space (addReplyErrorFormat)', () => {
    expect(parse('*1\r\n\r\n$4\r\nPING\r\n')).toEqual([
      "ERR Protocol error: expected '$', got ' '",
    ]);
    expect(parse('*1\r\n\n\r\n')).toEqual(["ERR Protocol error: expected '$', got ' '"]);
  });

  it('waits for a whole line before checking for $', () => {
    expect(parse('*1\r\nx')).toEqual([]);
  });

  it('rejects a count line over 64 KiB without CR: too big mbulk count string', () => {
    expect(parse('*' + '1'.repeat(65536))).toEqual([
      'ERR Protocol error: too big mbulk count string',
    ]);
    expect(parse('*' + '1'.repeat(65535))).toEqual([]);
  });

  it('rejects a bulk header over 64 KiB without CR: too big bulk count string', () => {
    expect(parse('*1\r\n$' + '1'.repeat(65536))).toEqual([
      'ERR Protocol error: too big bulk count string',
    ]);
    expect(parse('*1\r\n' + 'x'.repeat(65537))).toEqual([
      'ERR Protocol error: too big bulk count string',
    ]);
  });

  it('never finds a line end behind a NUL byte (Redis searches with strchr)', () => {
    expect(parse('*1\x00\r\n')).toEqual([]);
    expect(parse('*1\r\n\x00\r\n')).toEqual([]);
    expect(parse('*1\r\n\x00' + 'x'.repeat(70000))).toEqual([
      'ERR Protocol error: too big bulk count string',
    ]);
  });
});

describe('RequestParser: unauthenticated limits', () => {
  it('refuses more than 10 arguments before AUTH', () => {
    const parser = new RequestParser({ authRequired: true });
    expect(parse('*10\r\n', parser)).toEqual([]);
    expect(parse('*11\r\n', new RequestParser({ authRequired: true }))).toEqual([
      'ERR Protocol error: unauthenticated multibulk length',
    ]);
  });

  it('refuses bulks over 16384 bytes before AUTH', () => {
    expect(parse('*1\r\n$16384\r\n', new RequestParser({ authRequired: true }))).toEqual([]);
    expect(parse('*1\r\n$16385\r\n', new RequestParser({ authRequired: true }))).toEqual([
      'ERR Protocol error: unauthenticated bulk length',
    ]);
  });

  it('checks validity before authentication', () => {
    expect(parse('*2147483648\r\n', new RequestParser({ authRequired: true }))).toEqual([
      'ERR Protocol error: invalid multibulk length',
    ]);
  });

  it('applies the limits command by command, so AUTH lifts them for the next one', () => {
    const parser = new RequestParser({ authRequired: true });
    parser.feed(latin1(encode(['AUTH', 'pw']) + encode(['MSET', ...'abcdefghijkl'])));
    expect(parser.next()).toEqual(['AUTH', 'pw']);
    parser.authRequired = false;
    expect(parser.next()).toEqual(['MSET', ...'abcdefghijkl']);
  });
});

describe('RequestParser: inline', () => {
  it('splits a line on blanks', () => {
    expect(parse('SET  k\tv\r\n')).toEqual([['SET', 'k', 'v']]);
  });

  it('accepts a bare LF and keeps a CR that is not last', () => {
    expect(parse('PING\n')).toEqual([['PING']]);
    expect(parse('ECHO a\rb\r\n')).toEqual([['ECHO', 'a', 'b']]);
  });

  it('parses quotes and escapes', () => {
    expect(parse('SET "a b" \'c\\\'d\' "\\x41\\n\\q"\r\n')).toEqual([
      ['SET', 'a b', "c'd", 'A\nq'],
    ]);
  });

  it('reads a line of one plain word, and a word ended by a CR that no LF follows', () => {
    expect(parse('PING\r\nPING\nping\r\n\xffPING:1\r\nPI\rNG\n')).toEqual([
      ['PING'],
      ['PING'],
      ['ping'],
      ['\xffPING:1'],
      ['PI', 'NG'],
    ]);
  });

  it('splits any line as splitArguments does, a CR before its LF dropped', () => {
    const char = fc.constantFrom(
      'P',
      'i',
      ':',
      '1',
      '\xff',
      '\x7f',
      ' ',
      '\t',
      '\r',
      '\v',
      '"',
      "'",
      '\\',
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 10 }), fc.boolean(), (chars, crlf) => {
        const line = chars.join('');
        const split = splitArguments(crlf || !line.endsWith('\r') ? line : line.slice(0, -1));
        const expected =
          split === null
            ? ['ERR Protocol error: unbalanced quotes in request']
            : split.length === 0
              ? []
              : [split];
        expect(parse(`${line}${crlf ? '\r\n' : '\n'}`)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('yields no command for blank lines', () => {
    expect(parse('\r\n\n   \r\n' + 'PING\r\n')).toEqual([['PING']]);
  });

  it('mixes with multibulk commands', () => {
    expect(parse('PING\r\n' + encode(['ECHO', 'x']) + 'ECHO y\r\n')).toEqual([
      ['PING'],
      ['ECHO', 'x'],
      ['ECHO', 'y'],
    ]);
  });

  it.each([
    ['an unterminated double quote', 'ECHO "abc\r\n'],
    ['an unterminated single quote', "ECHO 'abc\r\n"],
    ['a closing quote followed by a letter', 'ECHO "abc"def\r\n'],
    ['a quote opened mid-word and closed mid-word', 'ECHO a"b c"d\r\n'],
  ])('rejects %s: unbalanced quotes in request', (_, input) => {
    expect(parse(input)).toEqual(['ERR Protocol error: unbalanced quotes in request']);
  });

  it('rejects a line over 64 KiB without LF: too big inline request', () => {
    expect(parse('A'.repeat(65536))).toEqual([]);
    expect(parse('A'.repeat(65537))).toEqual(['ERR Protocol error: too big inline request']);
  });

  it('accepts a long line that arrives with its LF', () => {
    expect(parse(`ECHO ${'x'.repeat(70000)}\r\n`)).toEqual([['ECHO', 'x'.repeat(70000)]]);
  });

  it('never finds the LF behind a NUL byte (Redis searches with strchr)', () => {
    expect(parse('PING\x00\r\n')).toEqual([]);
    expect(parse('PING\x00' + 'x'.repeat(70000) + '\r\n')).toEqual([
      'ERR Protocol error: too big inline request',
    ]);
  });
});

describe('RequestParser: large bulks', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('assembles a 16 MiB bulk fed in 64 KiB chunks with one copy per chunk', () => {
    const size = 16 * 1024 * 1024;
    const header = latin1(`*2\r\n$3\r\nSET\r\n$${size}\r\n`);
    const payload = Buffer.alloc(size, '\r\n'); // a CRLF scan over the payload would find plenty
    const tail = latin1('\r\n*1\r\n$4\r\nPING\r\n');
    const chunks = splitEvery(Buffer.concat([header, payload, tail]), 65536);
    const concat = vi.spyOn(Buffer, 'concat');
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    const results = parseAll(chunks) as string[][];
    // Neither re-joining nor searching grows with the number of chunks (257 here).
    expect(concat.mock.calls.length).toBeLessThan(4);
    expect(indexOf.mock.calls.length).toBeLessThan(4);
    expect(results).toHaveLength(2);
    expect(results[0][0]).toBe('SET');
    expect(results[0][1].length).toBe(size);
    expect(results[0][1].slice(0, 4)).toBe('\r\n\r\n');
    expect(results[1]).toEqual(['PING']);
  });

  it('returns bytes announced as a large bulk exactly, when split at every boundary', () => {
    const value = Buffer.alloc(70000);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 255;
    const stream = Buffer.concat([latin1(`*2\r\n$4\r\nECHO\r\n$70000\r\n`), value, latin1('\r\n')]);
    for (const size of [1, 7, 4096, 65536, 70010]) {
      expect(parseAll(splitEvery(stream, size))).toEqual([['ECHO', value.toString('latin1')]]);
    }
  });
});

describe('RequestParser: chunking', () => {
  const argument = fc.string({ unit: 'binary', maxLength: 30 }).map((text) =>
    // fast-check's binary unit spans all code points; keep one byte per char
    Buffer.from(text, 'utf8').toString('latin1'),
  );
  const multibulk = fc.array(argument, { minLength: 1, maxLength: 6 });
  const inlineWord = fc.stringMatching(/^[A-Za-z0-9:_-]{1,10}$/);
  const inline = fc.array(inlineWord, { minLength: 1, maxLength: 4 });
  const command = fc.oneof(
    multibulk.map((args) => ({ args, text: encode(args) })),
    inline.map((args) => ({ args, text: `${args.join(' ')}\r\n` })),
  );

  it('parses any split of a stream into chunks like the whole stream', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (commands, offsets) => {
          const stream = latin1(commands.map((each) => each.text).join(''));
          const expected = commands.map((each) => each.args);
          expect(parseAll([stream])).toEqual(expected);
          const cuts = offsets.map((offset) => offset % (stream.length + 1));
          expect(parseAll(splitAt(stream, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the same protocol error whatever the split', () => {
    const inputs = [
      encode(['PING']) + '*1\r\n$x\r\n',
      encode(['PING']) + '*1\r\nx\r\n',
      'PING\r\nECHO "a\r\n',
      encode(['SET', 'k', 'v']) + '*+1\r\n',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...inputs),
        fc.array(fc.nat(), { maxLength: 10 }),
        (input, offsets) => {
          const stream = latin1(input);
          const cuts = offsets.map((offset) => offset % (stream.length + 1));
          expect(parseAll(splitAt(stream, cuts))).toEqual(parseAll([stream]));
        },
      ),
    );
  });

  it('reads the same from one reused buffer when released after each chunk', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.nat({ max: 3 }),
        (commands, offsets, perChunk) => {
          const stream = latin1(commands.map((each) => each.text).join(''));
          const cuts = offsets.map((offset) => offset % (stream.length + 1));
          const shared = Buffer.alloc(stream.length);
          const parser = new RequestParser();
          const results: Parsed[] = [];
          const take = (limit: number) => {
            for (let taken = 0; taken < limit; taken++) {
              const next = parser.next();
              if (next === null || next instanceof ProtocolError) return;
              results.push(next);
            }
          };
          for (const chunk of splitAt(stream, cuts)) {
            chunk.copy(shared);
            parser.feed(shared.subarray(0, chunk.length));
            // Commands left unread (a blocked client) must survive the buffer's reuse.
            take(perChunk);
            parser.release();
            shared.fill(0x2a);
          }
          take(Infinity);
          expect(results).toEqual(commands.map((each) => each.args));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses a stream fed one byte at a time', () => {
    const stream = latin1(encode(['SET', 'key', 'value']) + 'GET key\r\n' + encode(['DEL', 'k']));
    expect(parseAll(splitEvery(stream, 1))).toEqual([
      ['SET', 'key', 'value'],
      ['GET', 'key'],
      ['DEL', 'k'],
    ]);
  });
});
