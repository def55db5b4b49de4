import { keyHashSlot } from '@rc/cluster';
import { describe, expect, it } from 'vitest';
import { engineWithClient } from './test-support/engine-client.js';

describe('the keys of each hash slot (cluster mode)', () => {
  it('follows every way a key comes and goes', () => {
    const { engine, run } = engineWithClient();
    const db = engine.databases[0]!;
    run('SET', '{a}1', 'v');
    db.indexSlots();
    const slot = keyHashSlot('{a}');
    run('SET', '{a}2', 'v');
    run('RPUSH', '{a}3', 'x');
    run('SET', '{b}1', 'v');
    expect(db.countKeysInSlot(slot)).toBe(3);
    expect(db.keysInSlot(slot, 2)).toEqual(['{a}1', '{a}2']);
    expect(db.countKeysInSlot(keyHashSlot('{b}'))).toBe(1);
    // Overwriting a key does not count it twice; DEL, RENAME and an expiry remove it.
    run('SET', '{a}1', 'w');
    run('DEL', '{a}2');
    run('RENAME', '{a}3', '{b}2');
    expect(db.keysInSlot(slot)).toEqual(['{a}1']);
    expect(db.countKeysInSlot(keyHashSlot('{b}'))).toBe(2);
    run('PEXPIRE', '{a}1', '1');
    engine.clock.advance(10);
    expect(run('GET', '{a}1')).toBe('$-1\r\n');
    expect(db.countKeysInSlot(slot)).toBe(0);
    run('FLUSHALL');
    expect(db.countKeysInSlot(keyHashSlot('{b}'))).toBe(0);
  });

  it('is rebuilt when a loaded dataset takes the place of the database', () => {
    const { engine, run } = engineWithClient();
    const db = engine.databases[0]!;
    db.indexSlots();
    run('SET', '{a}1', 'v');
    const loaded = engine.detachedDataset();
    loaded.databases[0]!.load('{b}1', 'v', null, false);
    engine.swapInDataset(loaded);
    expect(db.countKeysInSlot(keyHashSlot('{a}'))).toBe(0);
    expect(db.keysInSlot(keyHashSlot('{b}'))).toEqual(['{b}1']);
  });

  it('walks the keys when no index is kept', () => {
    const { engine, run } = engineWithClient();
    run('MSET', '{a}1', 'v', '{a}2', 'v', 'other', 'v');
    expect(engine.databases[0]!.keysInSlot(keyHashSlot('{a}'))).toEqual(['{a}1', '{a}2']);
  });
});
