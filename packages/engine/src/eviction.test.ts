import { describe, expect, it } from 'vitest';
import { evictionTimeLimitMs } from './eviction.js';
import { engineWithClient } from './test-support/engine-client.js';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

/**
 * An engine under `policy` with no limit yet; `limitAt(extra)` sets maxmemory to the memory
 * counted now plus `extra` bytes. Many samples: the pool then surely sees every key of a few.
 */
function setup(policy: string) {
  // A limit far away for a start: clients are counted from then on.
  const { engine, run } = engineWithClient([
    ['maxmemory', String(2 ** 40)],
    ['maxmemory-policy', policy],
    ['maxmemory-samples', '64'],
  ]);
  const limitAt = (extra: number) =>
    run('CONFIG', 'SET', 'maxmemory', String(engine.memoryForEviction() + extra));
  const keys = () =>
    run('KEYS', '*')
      .match(/\$\d+\r\n([^\r]+)/g)
      ?.map((bulk) => bulk.split('\r\n')[1])
      .sort();
  const info = (field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(run('INFO'))?.[1]);
  return { engine, run, limitAt, keys, info };
}

describe('used_memory', () => {
  it('grows by what MEMORY USAGE reports for a key and its table slot, and goes back on DEL', () => {
    const { run, info } = setup('noeviction');
    const before = info('used_memory');
    run('SET', 'key', 'x'.repeat(100));
    const usage = Number(run('MEMORY', 'USAGE', 'key').slice(1));
    expect(usage).toBe(160); // Redis 7.0's figure for this key
    expect(info('used_memory')).toBe(before + usage + 8);
    run('DEL', 'key');
    expect(info('used_memory')).toBe(before);
  });

  it('follows collections changed in place, TTLs, SWAPDB and FLUSHALL', () => {
    const { engine, run } = setup('noeviction');
    const empty = engine.dataset.bytes;
    run('RPUSH', 'list', 'x'.repeat(20));
    const one = engine.dataset.bytes;
    run('RPUSH', 'list', ...Array.from({ length: 100 }, () => 'x'.repeat(20)));
    expect(engine.dataset.bytes).toBeGreaterThan(one + 100 * 20);
    run('EXPIRE', 'list', '100');
    const withTtl = engine.dataset.bytes;
    run('PERSIST', 'list');
    expect(engine.dataset.bytes).toBe(withTtl - 32);
    run('SWAPDB', '0', '1');
    expect(engine.dataset.bytes).toBe(withTtl - 32);
    run('FLUSHALL');
    expect(engine.dataset.bytes).toBe(empty);
  });

  it("gives back the dataset a replica's swapdb load discards or swaps out", () => {
    const { engine, run, info } = setup('noeviction');
    const empty = info('used_memory');
    run('SET', 'old', 'x'.repeat(100));
    const withOld = info('used_memory');
    const loadAside = () => {
      const dataset = engine.detachedDataset();
      dataset.databases[0]!.load('new', 'y'.repeat(200), null, false);
      return dataset;
    };
    // An aborted sync: the temporary data goes.
    engine.discardDataset(loadAside());
    expect(info('used_memory')).toBe(withOld);
    // A finished one: the old data goes, what is counted is the loaded key alone.
    engine.swapInDataset(loadAside());
    run('DEL', 'new');
    expect(info('used_memory')).toBe(empty);
  });
});

describe('maxmemory eviction', () => {
  it('CONFIG SET maxmemory under the memory used warns, then evicts on the next turn by itself', async () => {
    const { engine, run } = setup('allkeys-random');
    const lines: string[] = [];
    engine.log = (level, message) => lines.push(`${level} ${message}`);
    run('MSET', 'a', '1', 'b', '2');
    const used = engine.memoryForEviction();
    expect(run('CONFIG', 'SET', 'maxmemory', String(used - 10))).toBe('+OK\r\n');
    expect(lines).toEqual([
      `warning WARNING: the new maxmemory value set via CONFIG SET (${used - 10}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
    ]);
    expect(engine.db(0).size).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.db(0).size).toBe(1);
  });

  it('allkeys-lru evicts the least recently used key first, counted and announced', () => {
    const { engine, run, limitAt, keys, info } = setup('allkeys-lru');
    run('MSET', 'a', '1', 'b', '2', 'c', '3');
    engine.lruClock += 100;
    run('GET', 'a');
    run('GET', 'c');
    limitAt(0);
    expect(run('SET', 'd', '4')).toBe('+OK\r\n');
    // Over by d's worth: one key goes before the next command.
    expect(run('PING')).toBe('+PONG\r\n');
    expect(keys()).toEqual(['a', 'c', 'd']);
    expect(info('evicted_keys')).toBe(1);
  });

  it('allkeys-lfu evicts the least frequently used key; OBJECT FREQ reports the counters', () => {
    const { run, limitAt, keys } = setup('allkeys-lfu');
    run('MSET', 'rare', 'x', 'hot', 'y', 'new', 'z');
    for (let i = 0; i < 200; i++) run('GET', 'hot');
    expect(Number(run('OBJECT', 'FREQ', 'hot').slice(1))).toBeGreaterThan(5);
    expect(run('OBJECT', 'FREQ', 'rare')).toBe(':5\r\n');
    // A first read surely lifts a counter above 5: rare is the one least used.
    run('GET', 'new');
    limitAt(-1);
    run('PING');
    expect(keys()).toEqual(['hot', 'new']);
  });

  it('volatile-ttl evicts the key that expires soonest, never one without TTL, then refuses', () => {
    const { run, limitAt, keys } = setup('volatile-ttl');
    run('SET', 'keep', '1');
    run('SET', 'late', '1', 'EX', '1000');
    run('SET', 'soon', '1', 'EX', '10');
    limitAt(0);
    run('SET', 'x', '1');
    run('PING');
    expect(keys()).toEqual(['keep', 'late', 'x']);
    run('SET', 'y', 'y'.repeat(1000));
    expect(run('SET', 'z', '1')).toBe(OOM);
    expect(keys()).toEqual(['keep', 'x', 'y']);
    // Commands that add no memory still run.
    expect(run('GET', 'keep')).toBe('$1\r\n1\r\n');
  });

  it('noeviction refuses writes over the limit and keeps every key', () => {
    const { run, limitAt, keys } = setup('noeviction');
    run('SET', 'a', '1');
    limitAt(-1);
    expect(run('SET', 'b', '2')).toBe(OOM);
    expect(run('DEL', 'a')).toBe(':1\r\n');
    expect(run('SET', 'b', '2')).toBe('+OK\r\n');
    expect(keys()).toEqual(['b']);
  });

  it('allkeys-random evicts until memory is under the limit again', () => {
    const { engine, run, limitAt } = setup('allkeys-random');
    for (let i = 0; i < 100; i++) run('SET', `key:${i}`, 'v'.repeat(100));
    limitAt(0);
    const limit = engine.memoryForEviction();
    for (let i = 100; i < 200; i++) run('SET', `key:${i}`, 'v'.repeat(100));
    run('PING');
    expect(engine.memoryForEviction()).toBeLessThanOrEqual(limit);
    expect(engine.db(0).size).toBeGreaterThan(90);
    expect(engine.db(0).size).toBeLessThanOrEqual(100);
  });

  it('keeps strings of 45 bytes to 4 KB as bytes while maxmemory is set, values unchanged', () => {
    const { engine, run } = engineWithClient();
    const db = engine.databases[0];
    const medium = 'm'.repeat(1024);
    const keptAsBytes = (key: string) => db.data.keptAsBytes(db.data.slotOf(key));
    run('SET', 'before', medium);
    run('CONFIG', 'SET', 'maxmemory', '1gb');
    run('SET', 'during', medium);
    run('SET', 'long', 'l'.repeat(4097));
    run('APPEND', 'before', 'x');
    expect(['before', 'during', 'long'].map(keptAsBytes)).toEqual([true, true, false]);
    expect(run('GET', 'during')).toBe(`$1024\r\n${medium}\r\n`);
    expect(run('GET', 'before')).toBe(`$1025\r\n${medium}x\r\n`);
    run('CONFIG', 'SET', 'maxmemory', '0');
    run('SET', 'after', medium);
    expect(['during', 'after'].map(keptAsBytes)).toEqual([true, false]);
    expect(run('GET', 'during')).toBe(`$1024\r\n${medium}\r\n`);
  });

  it('maxmemory-eviction-tenacity bounds a round as Redis does', () => {
    expect(evictionTimeLimitMs(10)).toBe(0.5);
    expect(evictionTimeLimitMs(0)).toBe(0);
    expect(evictionTimeLimitMs(11)).toBeCloseTo(0.575);
    expect(evictionTimeLimitMs(100)).toBe(Infinity);
  });
});
