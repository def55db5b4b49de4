import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineWithClient } from './test-support/engine-client.js';

/** The clock calls read (performance.now(), in ms): set by each test, still between reads. */
let now = 0;

afterEach(() => {
  vi.restoreAllMocks();
});

function setup() {
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  now = 0;
  const { engine, run } = engineWithClient();
  run('CONFIG', 'RESETSTAT');
  /** cmdstat_<name>'s usec. */
  const usec = (name: string): number =>
    Number(
      new RegExp(`cmdstat_${name}:calls=\\d+,usec=(\\d+)`).exec(run('INFO', 'commandstats'))![1],
    );
  return { engine, run, usec };
}

describe('the time of a call (commandstats, LATENCY HISTOGRAM, SLOWLOG)', () => {
  it('is its own outside a batch: the time before it is not counted', () => {
    const { run, usec } = setup();
    run('SET', 'k', 'v');
    now = 5;
    run('GET', 'k');
    expect(usec('get')).toBe(0);
  });

  it('runs from the end of the call before it within a batch of pipelined commands', () => {
    const { engine, run, usec } = setup();
    engine.chainCallTimes(true);
    run('SET', 'k', 'v');
    // Reading the next command of the batch, its checks: counted with it.
    now = 5;
    run('GET', 'k');
    engine.chainCallTimes(false);
    expect(usec('set')).toBe(0);
    expect(usec('get')).toBe(5000);
  });

  it("starts from the clock for a batch's first call", () => {
    const { engine, run, usec } = setup();
    engine.chainCallTimes(true);
    run('SET', 'k', 'v');
    engine.chainCallTimes(false);
    now = 5;
    engine.chainCallTimes(true);
    run('GET', 'k');
    engine.chainCallTimes(false);
    expect(usec('get')).toBe(0);
  });
});
