import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatencyMonitor } from './latency-monitor.js';

afterEach(() => vi.useRealTimers());

function monitorAt(threshold: number): LatencyMonitor {
  const monitor = new LatencyMonitor();
  monitor.threshold = threshold;
  return monitor;
}

describe('LatencyMonitor', () => {
  it('records nothing while the threshold is 0, and only spikes at or above it', () => {
    const off = monitorAt(0);
    off.addIfNeeded('command', 500);
    expect(off.latest()).toEqual([]);
    const on = monitorAt(10);
    on.addIfNeeded('command', 9);
    expect(on.latest()).toEqual([]);
    on.addIfNeeded('command', 10);
    expect(on.history('command').map((sample) => sample.latency)).toEqual([10]);
  });

  it('keeps one sample per second, the highest, and the all-time maximum', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const monitor = monitorAt(1);
    monitor.addIfNeeded('command', 5);
    monitor.addIfNeeded('command', 7);
    monitor.addIfNeeded('command', 3);
    vi.advanceTimersByTime(1000);
    monitor.addIfNeeded('command', 2);
    expect(monitor.history('command')).toEqual([
      { time: 1000, latency: 7 },
      { time: 1001, latency: 2 },
    ]);
    expect(monitor.latest()).toEqual([
      { event: 'command', sample: { time: 1001, latency: 2 }, max: 7 },
    ]);
  });

  it('keeps the last 160 seconds that had a spike, oldest first', () => {
    vi.useFakeTimers({ now: 0 });
    const monitor = monitorAt(1);
    for (let second = 0; second < 200; second++) {
      monitor.addIfNeeded('expire-cycle', second + 1);
      vi.advanceTimersByTime(1000);
    }
    const history = monitor.history('expire-cycle');
    expect(history).toHaveLength(160);
    expect(history[0]).toEqual({ time: 40, latency: 41 });
    expect(history[159]).toEqual({ time: 199, latency: 200 });
  });

  it('resets named events case-insensitively, or all of them, and counts them', () => {
    const monitor = monitorAt(1);
    monitor.addIfNeeded('command', 5);
    monitor.addIfNeeded('fast-command', 5);
    monitor.addIfNeeded('expire-cycle', 5);
    expect(monitor.reset(['COMMAND', 'nothing'])).toBe(1);
    expect(monitor.history('command')).toEqual([]);
    expect(monitor.reset()).toBe(2);
    expect(monitor.latest()).toEqual([]);
  });
});
