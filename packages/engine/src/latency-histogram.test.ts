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
});
