import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEED_MORE, ReplyParser, type RespValue } from './reply-parser.js';
import { ReplyWriter, type ProtocolVersion } from './reply-writer.js';
import { expectedValue, replyTree, writeTree } from './test-support/reply-tree.js';

function roundTrip(protocol: ProtocolVersion): void {
  fc.assert(
    fc.property(fc.array(replyTree, { minLength: 1, maxLength: 5 }), (trees) => {
      const out = new ReplyWriter(8); // tiny, so growth is exercised
      out.protocol = protocol;
      for (const tree of trees) writeTree(out, tree);
      const parser = new ReplyParser();
      parser.feed(out.take());
      const values: RespValue[] = [];
      for (let value = parser.next(); value !== NEED_MORE; value = parser.next())
        values.push(value);
      expect(values).toEqual(trees.map((tree) => expectedValue(tree, protocol)));
      expect(out.length).toBe(0);
    }),
    { numRuns: 500 },
  );
}

describe('ReplyWriter → ReplyParser round trip', () => {
  it('returns every RESP3 value tree as written', () => {
    roundTrip(3);
  });

  it('returns every tree as RESP2 represents it (maps flattened, doubles as bulks...)', () => {
    roundTrip(2);
  });
});
