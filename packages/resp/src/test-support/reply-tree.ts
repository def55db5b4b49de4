import fc from 'fast-check';
import { formatDouble } from '../format-double.js';
import { PushFrame, ReplyError, VerbatimString, type RespValue } from '../reply-parser.js';
import type { ProtocolVersion, ReplyWriter } from '../reply-writer.js';

/** A reply as a tree of ReplyWriter calls, for round-trip properties. */
export type ReplyTree =
  | { kind: 'simple'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'bulkError'; text: string }
  | { kind: 'integer'; value: number | bigint }
  | { kind: 'bulk'; value: string }
  | { kind: 'null' }
  | { kind: 'double'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'bigNumber'; value: bigint }
  | { kind: 'verbatim'; format: string; text: string }
  | { kind: 'array' | 'set' | 'push'; items: ReplyTree[] }
  | { kind: 'map'; pairs: Array<[ReplyTree, ReplyTree]> }
  | { kind: 'attribute'; pairs: Array<[ReplyTree, ReplyTree]>; value: ReplyTree };

const bytes = fc
  .string({ unit: 'binary', maxLength: 24 })
  .map((text) => Buffer.from(text, 'utf8').toString('latin1'));
const line = bytes.map((text) => text.replace(/[\r\n]/g, ' '));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

export const replyTree: fc.Arbitrary<ReplyTree> = fc.letrec<{ tree: ReplyTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('simple' as const), text: line }),
    fc.record({ kind: fc.constant('error' as const), text: line }),
    fc.record({ kind: fc.constant('bulkError' as const), text: bytes }),
    fc.record({
      kind: fc.constant('integer' as const),
      value: fc.oneof(fc.integer({ min: -1e15, max: 1e15 }), fc.maxSafeInteger(), int64),
    }),
    fc.record({ kind: fc.constant('bulk' as const), value: bytes }),
    fc.record({ kind: fc.constant('null' as const) }),
    fc.record({ kind: fc.constant('double' as const), value: fc.double() }),
    fc.record({ kind: fc.constant('boolean' as const), value: fc.boolean() }),
    fc.record({ kind: fc.constant('bigNumber' as const), value: fc.bigInt() }),
    fc.record({
      kind: fc.constant('verbatim' as const),
      format: fc.constantFrom('txt', 'mkd'),
      text: bytes,
    }),
    fc.record({
      kind: fc.constantFrom('array' as const, 'set' as const, 'push' as const),
      items: fc.array(tie('tree'), { maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant('map' as const),
      pairs: fc.array(fc.tuple(tie('tree'), tie('tree')), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('attribute' as const),
      pairs: fc.array(fc.tuple(tie('tree'), tie('tree')), { maxLength: 2 }),
      value: tie('tree'),
    }),
  ),
})).tree;

/** Writes the tree with ReplyWriter calls (in the writer's protocol). */
export function writeTree(out: ReplyWriter, tree: ReplyTree): void {
  switch (tree.kind) {
    case 'simple':
      return out.simple(tree.text);
    case 'error':
      return out.error(tree.text);
    case 'bulkError':
      // A RESP2 simple error cannot carry CR or LF: only write what both protocols can hold.
      return out.bulkError(out.protocol === 3 ? tree.text : tree.text.replace(/[\r\n]/g, ' '));
    case 'integer':
      return out.integer(tree.value);
    case 'bulk':
      return out.bulk(tree.value);
    case 'null':
      return out.nullBulk();
    case 'double':
      return out.double(tree.value);
    case 'boolean':
      return out.boolean(tree.value);
    case 'bigNumber':
      return out.bigNumber(String(tree.value));
    case 'verbatim':
      return out.verbatim(tree.format, tree.text);
    case 'array':
    case 'set':
    case 'push':
      out[tree.kind](tree.items.length);
      for (const item of tree.items) writeTree(out, item);
      return;
    case 'map':
      out.map(tree.pairs.length);
      for (const [key, value] of tree.pairs) {
        writeTree(out, key);
        writeTree(out, value);
      }
      return;
    case 'attribute':
      out.attribute(tree.pairs.length);
      // RESP2 has no attributes: the writer writes no header, and the caller skips the pairs.
      if (out.protocol === 3) {
        for (const [key, value] of tree.pairs) {
          writeTree(out, key);
          writeTree(out, value);
        }
      }
      return writeTree(out, tree.value);
  }
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** What ReplyParser must return for the tree written in `protocol`. */
export function expectedValue(tree: ReplyTree, protocol: ProtocolVersion): RespValue {
  const resp3 = protocol === 3;
  switch (tree.kind) {
    case 'simple':
      return tree.text;
    case 'error':
      return new ReplyError(tree.text);
    case 'bulkError':
      return new ReplyError(resp3 ? tree.text : tree.text.replace(/[\r\n]/g, ' '));
    case 'integer':
      return Number.isSafeInteger(Number(tree.value)) ? Number(tree.value) : BigInt(tree.value);
    case 'bulk':
      return latin1(tree.value);
    case 'null':
      return null;
    case 'double':
      return resp3
        ? Number(formatDouble(tree.value).replace('inf', 'Infinity'))
        : latin1(formatDouble(tree.value));
    case 'boolean':
      return resp3 ? tree.value : tree.value ? 1 : 0;
    case 'bigNumber':
      return resp3 ? tree.value : latin1(String(tree.value));
    case 'verbatim':
      return resp3 ? new VerbatimString(tree.format, tree.text) : latin1(tree.text);
    case 'array':
      return tree.items.map((item) => expectedValue(item, protocol));
    case 'set': {
      const items = tree.items.map((item) => expectedValue(item, protocol));
      return resp3 ? new Set(items) : items;
    }
    case 'push': {
      const items = tree.items.map((item) => expectedValue(item, protocol));
      return resp3 ? new PushFrame(items) : items;
    }
    case 'map': {
      if (!resp3) {
        return tree.pairs.flatMap(([key, value]) => [
          expectedValue(key, protocol),
          expectedValue(value, protocol),
        ]);
      }
      const map = new Map<RespValue, RespValue>();
      for (const [key, value] of tree.pairs)
        map.set(expectedValue(key, protocol), expectedValue(value, protocol));
      return map;
    }
    case 'attribute':
      return expectedValue(tree.value, protocol);
  }
}
