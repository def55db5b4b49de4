import { describe, expect, it } from 'vitest';
import { EMPTY_DIGEST, datasetDigest, valueDigest } from './digest.js';
import { engineWithClient } from './test-support/engine-client.js';

/** A fresh engine after `commands`: its dataset digest and a value digest helper. */
function digestAfter(...commands: string[][]) {
  const { engine, run } = engineWithClient();
  for (const command of commands) run(...command);
  return {
    dataset: datasetDigest(engine.databases),
    value: (key: string, db = 0) => valueDigest(engine.databases[db], key),
  };
}

describe('DEBUG DIGEST', () => {
  it('is forty zeros for an empty dataset and for a missing key', () => {
    const empty = digestAfter();
    expect(empty.dataset).toBe(EMPTY_DIGEST);
    expect(empty.value('missing')).toBe(EMPTY_DIGEST);
    expect(EMPTY_DIGEST).toMatch(/^0{40}$/);
  });

  it('does not depend on the order keys, set members or hash fields were added in', () => {
    const one = digestAfter(
      ['SADD', 's', 'a', 'b', 'c'],
      ['HSET', 'h', 'f', '1', 'g', '2'],
      ['SET', 'k', 'v'],
    );
    const other = digestAfter(
      ['SET', 'k', 'v'],
      ['HSET', 'h', 'g', '2', 'f', '1'],
      ['SADD', 's', 'c', 'a', 'b'],
    );
    expect(one.dataset).toBe(other.dataset);
    expect(one.value('s')).toBe(other.value('s'));
    expect(one.value('h')).toBe(other.value('h'));
  });

  it('depends on the order of list elements and stream entries', () => {
    expect(digestAfter(['RPUSH', 'l', 'a', 'b']).dataset).not.toBe(
      digestAfter(['RPUSH', 'l', 'b', 'a']).dataset,
    );
    expect(digestAfter(['RPUSH', 'l', 'ab']).value('l')).not.toBe(
      digestAfter(['RPUSH', 'l', 'a', 'b']).value('l'),
    );
  });

  it('tells a key with a TTL from one without, whatever the TTL', () => {
    const plain = digestAfter(['SET', 'k', 'v']);
    const soon = digestAfter(['SET', 'k', 'v', 'EX', '100']);
    const later = digestAfter(['SET', 'k', 'v', 'EX', '1000']);
    expect(soon.dataset).not.toBe(plain.dataset);
    expect(soon.dataset).toBe(later.dataset);
  });

  it('tells the same data in another database apart, and a value from its key', () => {
    const db0 = digestAfter(['SET', 'k', 'v']);
    const db1 = digestAfter(['SELECT', '1'], ['SET', 'k', 'v']);
    expect(db0.dataset).not.toBe(db1.dataset);
    expect(db1.value('k', 1)).toBe(db0.value('k'));
    expect(digestAfter(['SET', 'other', 'v']).value('other')).toBe(db0.value('k'));
  });

  it('tells types apart: a string is not a one-element list', () => {
    expect(digestAfter(['SET', 'k', 'a']).value('k')).not.toBe(
      digestAfter(['RPUSH', 'k', 'a']).value('k'),
    );
  });
});
