import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('reports the highest value equivalent to a recorded one, as hdr_histogram with 2 figures', () => {
    const histogram = new LatencyHistogram();
    histogram.record(1000);
    // Redis prints p50=1.003 for calls that took 1 µs.
    expect(histogram.valueAtPercentile(50)).toBe(1003);
  });

  it('counts small values exactly', () => {
    const histogram = new LatencyHistogram();
    histogram.record(7);
    expect(histogram.valueAtPercentile(99.9)).toBe(7);
  });

  it('finds percentiles over the distribution', () => {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 99; i++) histogram.record(2000);
    histogram.record(500_000);
    expect(histogram.valueAtPercentile(50)).toBe(2007);
    expect(histogram.valueAtPercentile(99)).toBe(2007);
    expect(histogram.valueAtPercentile(100)).toBeGreaterThanOrEqual(500_000);
    expect(histogram.valueAtPercentile(100)).toBeLessThan(505_000);
  });

  it('clamps to 1 ns .. 1 s', () => {
    const histogram = new LatencyHistogram();
    histogram.record(5_000_000_000);
    expect(histogram.valueAtPercentile(50)).toBeGreaterThanOrEqual(1_000_000_000);
    expect(histogram.valueAtPercentile(50)).toBeLessThan(1_010_000_000);
  });

  it('lists cumulative buckets per power of two from 1024 ns, as LATENCY HISTOGRAM', () => {
    const histogram = new LatencyHistogram();
    // 0 and 1 µs land in the first bucket (up to 1031 ns), 3 µs in the one up to 4127 ns.
    histogram.record(1);
    histogram.record(1000);
    histogram.record(3000);
    histogram.record(3000);
    // 8 ms: the slot holding 8388608 ns ends at 8454143 ns.
    histogram.record(8_000_000);
    expect(histogram.calls).toBe(5);
    expect(histogram.cumulativeBuckets()).toEqual([
      [1, 2],
      [4, 4],
      [8454, 5],
    ]);
  });

  it('puts values past the last power of two in the last slot, labelled with its end', () => {
    const histogram = new LatencyHistogram();
    histogram.record(900_000_000);
    expect(histogram.cumulativeBuckets()).toEqual([[1073741, 1]]);
    expect(new LatencyHistogram().cumulativeBuckets()).toEqual([]);
  });
});
