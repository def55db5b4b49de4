import { describe, expect, it } from 'vitest';
import type { MemoryGauge } from './eviction.js';
import { engineWithClient } from './test-support/engine-client.js';

/**
 * A gauge the test sets: `used` bytes, less what evictions freed; `collects` says whether a
 * collection (fresh figures) is possible now.
 */
function fakeGauge() {
  const gauge = {
    usedBytes: 0,
    collects: true,
    used: () => gauge.usedBytes,
    freed: (bytes: number) => {
      gauge.usedBytes -= bytes;
    },
    collect: () => gauge.collects,
  };
  return gauge satisfies MemoryGauge;
}

function setup(policy: string) {
  const gauge = fakeGauge();
  const { engine, run } = engineWithClient(
    [
      ['maxmemory', '1000000'],
      ['maxmemory-policy', policy],
    ],
    { memoryGauge: gauge },
  );
  const keys = () =>
    run('KEYS', '*')
      .match(/\$\d+\r\n([^\r]+)/g)
      ?.map((bulk) => bulk.split('\r\n')[1])
      .sort();
  return { engine, run, gauge, keys };
}

describe('maxmemory eviction', () => {
  it('CONFIG SET maxmemory under the memory used warns, then evicts on the next turn by itself', async () => {
    const { engine, run, gauge } = setup('allkeys-random');
    const lines: string[] = [];
    engine.log = (level, message) => lines.push(`${level} ${message}`);
    run('MSET', 'a', '1', 'b', '2');
    gauge.usedBytes = 500_000;
    expect(run('CONFIG', 'SET', 'maxmemory', '400000')).toBe('+OK\r\n');
    expect(lines).toEqual([
      'warning WARNING: the new maxmemory value set via CONFIG SET (400000) is smaller than the current memory usage (500000). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.',
    ]);
    expect(engine.db(0).size).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.db(0).size).toBeLessThan(2);
  });

  it('allkeys-lru evicts the least recently used key first, counted and announced', () => {
    const { engine, run, gauge, keys } = setup('allkeys-lru');
    run('MSET', 'a', '1', 'b', '2', 'c', '3');
    engine.lruClock += 100;
    run('GET', 'a');
    run('GET', 'c');
    // Just over: one key's worth of excess.
    gauge.usedBytes = 1_000_001;
    expect(run('SET', 'd', '4')).toBe('+OK\r\n');
    expect(keys()).toEqual(['a', 'c', 'd']);
    expect(run('INFO', 'stats')).toContain('evicted_keys:1\r\n');
  });

  it('volatile-ttl evicts the key that expires soonest, and never a key without TTL', () => {
    const { run, gauge, keys } = setup('volatile-ttl');
    run('SET', 'keep', '1');
    run('SET', 'late', '1', 'EX', '1000');
    run('SET', 'soon', '1', 'EX', '10');
    gauge.usedBytes = 1_000_001;
    run('PING');
    expect(keys()).toEqual(['keep', 'late']);
    gauge.usedBytes = 10_000_000;
    expect(run('SET', 'x', '1')).toBe(
      "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    expect(keys()).toEqual(['keep']);
  });

  it('while no collection is possible, figures are stale: the last verdict stands', () => {
    const { run, gauge, keys } = setup('allkeys-random');
    run('MSET', 'a', '1', 'b', '2', 'c', '3');
    gauge.usedBytes = 50_000_000;
    // The settings just changed: this check collects, evicts everything, and stays over.
    expect(run('SET', 'd', '4')).toBe(
      "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    expect(keys()).toBeUndefined();
    gauge.collects = false;
    gauge.usedBytes = 50_000_000;
    expect(run('SET', 'd', '4')).toBe(
      "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    gauge.collects = true;
    gauge.usedBytes = 10;
    expect(run('SET', 'd', '4')).toBe('+OK\r\n');
    gauge.collects = false;
    gauge.usedBytes = 50_000_000;
    expect(run('SET', 'e', '5')).toBe('+OK\r\n');
    expect(keys()).toEqual(['d', 'e']);
  });

  it('allkeys-lfu evicts the least frequently used key; OBJECT FREQ reports the counters', () => {
    const { run, gauge, keys } = setup('allkeys-lfu');
    run('MSET', 'rare', 'x', 'hot', 'y');
    for (let i = 0; i < 200; i++) run('GET', 'hot');
    expect(Number(run('OBJECT', 'FREQ', 'hot').slice(1))).toBeGreaterThan(5);
    expect(run('OBJECT', 'FREQ', 'rare')).toBe(':5\r\n');
    gauge.usedBytes = 1_000_001;
    run('PING');
    expect(keys()).toEqual(['hot']);
  });
});
