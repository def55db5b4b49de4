import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.js';
import { connect, engineWithClient } from './test-support/engine-client.js';

describe('Clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows the real clock until moved, and again once released', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const clock = new Clock();
    expect(clock.now()).toBe(1_000_000);
    clock.advance(5000);
    vi.advanceTimersByTime(10);
    expect(clock.now()).toBe(1_005_010);
    clock.freeze();
    vi.advanceTimersByTime(10);
    expect(clock.now()).toBe(1_005_010);
    clock.set(42);
    expect(clock.now()).toBe(42);
    clock.real();
    expect(clock.now()).toBe(1_000_020);
  });

  it('maps a cached real-clock reading onto itself: shifted while running, pinned while frozen', () => {
    const clock = new Clock();
    expect(clock.at(1000)).toBe(1000);
    clock.advance(500);
    expect(clock.at(1000)).toBe(1500);
    clock.freeze(7);
    expect(clock.at(1000)).toBe(7);
  });

  it('fires a timer when a move reaches it, not before, and never once cancelled', () => {
    const clock = new Clock();
    clock.freeze(0);
    const fired: string[] = [];
    clock.after(1000, () => fired.push('a'));
    const cancelled = clock.after(1000, () => fired.push('cancelled'));
    clock.after(3000, () => fired.push('b'));
    cancelled.cancel();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['a']);
    clock.set(10_000);
    expect(fired).toEqual(['a', 'b']);
  });

  it('fires a timer as real time passes while it runs', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new Clock();
    const fired = vi.fn();
    clock.after(500, fired);
    vi.advanceTimersByTime(499);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });
});

describe("the engine's clock", () => {
  const frozen = () => {
    const setup = engineWithClient();
    setup.engine.clock.freeze(Date.UTC(2030, 0, 1));
    return setup;
  };

  it('drives TTLs and expiry: keys expire when the clock is advanced past them', () => {
    const { engine, run } = frozen();
    run('SET', 'k', 'v', 'EX', '10');
    run('SET', 'p', 'v');
    run('PEXPIREAT', 'p', String(Date.UTC(2030, 0, 1) + 2500));
    engine.clock.advance(9000);
    expect(run('TTL', 'k')).toBe(':1\r\n');
    expect(run('PTTL', 'p')).toBe(':-2\r\n');
    engine.clock.advance(999);
    expect(run('PTTL', 'k')).toBe(':1\r\n');
    engine.clock.advance(1);
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(run('DBSIZE')).toBe(':0\r\n');
  });

  it('answers TIME and makes * stream IDs from the clock', () => {
    const { engine, run } = frozen();
    const seconds = Date.UTC(2030, 0, 1) / 1000;
    expect(run('TIME')).toBe(`*2\r\n$10\r\n${seconds}\r\n$1\r\n0\r\n`);
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(`$15\r\n${seconds * 1000}-0\r\n`);
    engine.clock.advance(1500);
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(`$15\r\n${seconds * 1000 + 1500}-0\r\n`);
  });

  it("ages consumer groups' pending entries: XPENDING idle times and XAUTOCLAIM", () => {
    const { engine, run } = frozen();
    run('XADD', 's', '1-1', 'f', 'v');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    engine.clock.advance(60_000);
    expect(run('XPENDING', 's', 'g', '-', '+', '10')).toBe(
      '*1\r\n*4\r\n$3\r\n1-1\r\n$5\r\nalice\r\n:60000\r\n:1\r\n',
    );
    expect(run('XAUTOCLAIM', 's', 'g', 'bob', '60001', '0', 'JUSTID')).toBe(
      '*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n',
    );
    engine.clock.advance(1);
    expect(run('XAUTOCLAIM', 's', 'g', 'bob', '60001', '0', 'JUSTID')).toBe(
      '*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n1-1\r\n*0\r\n',
    );
  });

  it('ages keys for OBJECT IDLETIME', () => {
    const { engine, run } = frozen();
    run('SET', 'k', 'v');
    engine.clock.advance(120_000);
    expect(run('OBJECT', 'IDLETIME', 'k')).toBe(':120\r\n');
  });

  it('times out a blocked BLPOP when advanced past its timeout', () => {
    const { engine } = frozen();
    const waiter = connect(engine);
    engine.execute(waiter, ['BLPOP', 'list', '5']);
    engine.clock.advance(4999);
    expect(waiter.out.take().toString('latin1')).toBe('');
    engine.clock.advance(1);
    expect(waiter.out.take().toString('latin1')).toBe('*-1\r\n');
  });
});
