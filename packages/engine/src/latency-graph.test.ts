import { describe, expect, it } from 'vitest';
import { renderLatencyGraph } from './latency-graph.js';

describe('renderLatencyGraph', () => {
  it('draws what redis-server 7.0 drew for the same samples', () => {
    // LATENCY HISTORY command and LATENCY GRAPH command of a real redis-server, one second apart.
    const samples = [
      { time: 1795636573, latency: 5 },
      { time: 1795636574, latency: 16 },
      { time: 1795636575, latency: 7 },
      { time: 1795636577, latency: 25 },
      { time: 1795636578, latency: 2 },
    ];
    expect(renderLatencyGraph('command', samples, 25, 1795636579)).toBe(
      'command - high 25 ms, low 2 ms (all time high 25 ms)\n' +
        `${'-'.repeat(80)}\n` +
        '   # \n' +
        ' o | \n' +
        ' | | \n' +
        'o|#|_\n' +
        '     \n' +
        '65421\n' +
        'sssss\n',
    );
  });

  it('labels older samples in minutes, hours and days, written downwards', () => {
    const now = 10 * 86400;
    const samples = [
      { time: now - 2 * 86400, latency: 3 },
      { time: now - 5 * 3600, latency: 3 },
      { time: now - 150, latency: 3 },
    ];
    const lines = renderLatencyGraph('fork', samples, 9, now).split('\n');
    // A flat series sits on the bottom row; labels follow one blank line.
    expect(lines.slice(2, 9)).toEqual(['   ', '   ', '   ', '___', '   ', '252', 'dhm']);
  });
});
