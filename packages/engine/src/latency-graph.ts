import type { LatencySample } from './latency-monitor.js';

const COLUMNS = 80;
const ROWS = 4;
/** Bar characters from low to high within one row; a full row below the top shows '|'. */
const BAR = '_o#';

/** "12s", "3m", "5h", "2d": how long ago a sample was, as the graph's vertical labels. */
function ago(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.trunc(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.trunc(seconds / 3600)}h`;
  return `${Math.trunc(seconds / 86400)}d`;
}

/**
 * LATENCY GRAPH's text, as Redis draws it: a header with the samples' high and low, then the
 * samples as a four-row bar chart, 80 columns per block, each column labelled underneath
 * (written downwards) with the sample's age.
 */
export function renderLatencyGraph(
  event: string,
  samples: readonly LatencySample[],
  allTimeMax: number,
  now: number,
): string {
  let high = samples[0].latency;
  let low = high;
  for (const { latency } of samples) {
    if (latency > high) high = latency;
    if (latency < low) low = latency;
  }
  let text = `${event} - high ${high} ms, low ${low} ms (all time high ${allTimeMax} ms)\n`;
  text += `${'-'.repeat(COLUMNS)}\n`;
  const labels = samples.map((sample) => ago(now - sample.time));
  const values = samples.map((sample) => sample.latency);
  // The scale's bounds, tracked as Redis's sparkline does: a new low and a new high are
  // looked for with if/else, so a first sample above the others' range never raises `top`.
  let bottom = values[0];
  let top = values[0];
  for (const value of values.slice(1)) {
    if (value < bottom) bottom = value;
    else if (value > top) top = value;
  }
  for (let offset = 0; offset < values.length; offset += COLUMNS) {
    if (offset !== 0) text += '\n';
    const end = Math.min(values.length, offset + COLUMNS);
    text += bars(values.slice(offset, end), bottom, top);
    text += `${' '.repeat(end - offset)}\n`;
    text += verticalLabels(labels.slice(offset, end));
  }
  return text;
}

function bars(values: readonly number[], bottom: number, top: number): string {
  const range = top - bottom === 0 ? 1 : top - bottom;
  const steps = BAR.length * ROWS;
  const levels = values.map((value) => {
    const level = Math.trunc(Math.trunc((value - bottom) * steps) / range);
    return Math.min(steps - 1, Math.max(0, level));
  });
  let text = '';
  for (let row = 0; row < ROWS; row++) {
    const floor = (ROWS - row - 1) * BAR.length;
    for (const level of levels) {
      const index = level - floor;
      text += index < 0 ? ' ' : index < BAR.length ? BAR[index] : '|';
    }
    text += '\n';
  }
  return text;
}

function verticalLabels(labels: readonly string[]): string {
  const longest = Math.max(...labels.map((label) => label.length));
  let text = '';
  for (let line = 0; line < longest; line++) {
    for (const label of labels) text += line < label.length ? label[line] : ' ';
    text += '\n';
  }
  return text;
}
