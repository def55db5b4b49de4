import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDouble } from './format-double.js';
import { NEED_MORE, ReplyParser, replyFrameLength, type RespValue } from './reply-parser.js';
import { ReplyWriter } from './reply-writer.js';

function written(protocol: 2 | 3, write: (out: ReplyWriter) => void): string {
  const out = new ReplyWriter(4);
  out.protocol = protocol;
  write(out);
  return out.take().toString('latin1');
}

describe('ReplyWriter', () => {
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

  it('formats doubles as printf %.17g', () => {
    expect(formatDouble(1.5)).toBe('1.5');
    expect(formatDouble(0.1)).toBe('0.10000000000000001');
    expect(formatDouble(1e10)).toBe('10000000000');
    expect(formatDouble(1e17)).toBe('1e+17');
    expect(formatDouble(1e-5)).toBe('1.0000000000000001e-05');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(-0)).toBe('-0');
    expect(formatDouble(123.456)).toBe('123.456');
  });
});

type Tree =
  | { kind: 'bulk'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'array'; items: Tree[] };

function writeTree(out: ReplyWriter, tree: Tree): void {
  if (tree.kind === 'bulk') out.bulk(tree.value);
  else if (tree.kind === 'int') out.integer(tree.value);
  else {
    out.array(tree.items.length);
    for (const item of tree.items) writeTree(out, item);
  }
}

function toValue(tree: Tree): RespValue {
  if (tree.kind === 'bulk') return Buffer.from(tree.value, 'latin1');
  if (tree.kind === 'int') return tree.value;
  return tree.items.map(toValue);
}

describe('ReplyParser options', () => {
  it('returns bulks as latin1 strings when asked', () => {
    const parser = new ReplyParser({ bulkStrings: true });
    parser.feed(Buffer.from('$3\r\n\x00\xff!\r\n*1\r\n$2\r\nok\r\n', 'latin1'));
    expect(parser.next()).toBe('\x00\xff!');
    expect(parser.next()).toEqual(['ok']);
    expect(parser.next()).toBe(NEED_MORE);
  });
});

describe('encode → parse round trip', () => {
  const tree = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('bulk' as const), value: fc.string({ unit: 'binary-ascii' }) }),
      fc.record({ kind: fc.constant('int' as const), value: fc.integer() }),
      fc.record({
        kind: fc.constant('array' as const),
        items: fc.array(tie('tree'), { maxLength: 4 }),
      }),
    ),
  })).tree;

  it('parses what the writer wrote, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(tree, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 16 }),
        (trees, size) => {
          const out = new ReplyWriter(8);
          for (const each of trees) writeTree(out, each);
          const bytes = out.take();
          const parser = new ReplyParser();
          const parsed: RespValue[] = [];
          for (let offset = 0; offset < bytes.length; offset += size) {
            parser.feed(bytes.subarray(offset, offset + size));
            for (let value = parser.next(); value !== NEED_MORE; value = parser.next())
              parsed.push(value);
          }
          expect(parsed).toEqual(trees.map(toValue));
          let offset = 0;
          for (let i = 0; i < trees.length; i++) offset += replyFrameLength(bytes, offset);
          expect(offset).toBe(bytes.length);
        },
      ),
    );
  });
});
