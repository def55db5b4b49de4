import type { Client } from '../client.js';
import type { CommandEntry } from '../command-table.js';
import type { Engine } from '../engine.js';
import type { LatencyHistogram } from '../latency-histogram.js';
import type { LatencySample } from '../latency-monitor.js';
import { renderLatencyGraph } from '../latency-graph.js';
import { findByFullName } from '../command-table.js';
import { replyHelp } from '../replies.js';

/** LATENCY HISTORY event: [time, latency] per second that had a spike, oldest first. */
export function latencyHistory(client: Client, argv: string[], engine: Engine): void {
  const samples = engine.latencyMonitor.history(argv[2]);
  client.out.array(samples.length);
  for (const sample of samples) {
    client.out.array(2);
    client.out.integer(sample.time);
    client.out.integer(sample.latency);
  }
}

/** LATENCY LATEST: [event, time, latest latency, all-time maximum] per event. */
export function latencyLatest(client: Client, _argv: string[], engine: Engine): void {
  const events = engine.latencyMonitor.latest();
  client.out.array(events.length);
  for (const { event, sample, max } of events) {
    client.out.array(4);
    client.out.bulk(event);
    client.out.integer(sample.time);
    client.out.integer(sample.latency);
    client.out.integer(max);
  }
}

export function latencyReset(client: Client, argv: string[], engine: Engine): void {
  client.out.integer(engine.latencyMonitor.reset(argv.length > 2 ? argv.slice(2) : undefined));
}

export function latencyGraph(client: Client, argv: string[], engine: Engine): void {
  const event = argv[2];
  const samples = engine.latencyMonitor.history(event);
  if (samples.length === 0) {
    client.out.error(`ERR No samples available for event '${event}'`);
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const max = engine.latencyMonitor.maxOf(event);
  client.out.verbatim('txt', renderLatencyGraph(event, samples, max, now));
}

/**
 * LATENCY DOCTOR: a plain summary per event. Redis writes a longer essay with advice; its
 * wording is not reproduced here.
 */
export function latencyDoctor(client: Client, _argv: string[], engine: Engine): void {
  const monitor = engine.latencyMonitor;
  const events = monitor.latest();
  let report: string;
  if (events.length === 0) {
    report =
      monitor.threshold === 0
        ? 'Latency monitoring is disabled: CONFIG SET latency-monitor-threshold <milliseconds> turns it on.\n'
        : 'No latency spike was recorded since the start or the last LATENCY RESET.\n';
  } else {
    report = events
      .map(({ event, max }, index) => {
        const samples = monitor.history(event);
        return `${index + 1}. ${event}: ${samples.length} latency spikes (average ${averageOf(samples)}ms). Worst all time event ${max}ms.\n`;
      })
      .join('');
  }
  client.out.verbatim('txt', report);
}

function averageOf(samples: readonly LatencySample[]): number {
  return Math.floor(samples.reduce((sum, sample) => sum + sample.latency, 0) / samples.length);
}

/**
 * LATENCY HISTOGRAM [command ...]: per command (subcommands by full name) its calls and
 * cumulative latency buckets; all commands with data when none are named. Unknown names and
 * commands without calls are left out.
 */
export function latencyHistogram(client: Client, argv: string[], engine: Engine): void {
  const measured: Array<[fullName: string, latency: LatencyHistogram]> = [];
  const addWithSubcommands = (entry: CommandEntry) => {
    if (entry.latency !== null) measured.push([entry.fullName, entry.latency]);
    for (const child of entry.subcommands?.values() ?? []) {
      if (child.latency !== null) measured.push([child.fullName, child.latency]);
    }
  };
  if (argv.length === 2) {
    for (const entry of engine.commands.entries()) addWithSubcommands(entry);
  } else {
    for (const name of argv.slice(2)) {
      const entry = findByFullName(engine, name);
      if (entry !== undefined) addWithSubcommands(entry);
    }
  }
  const out = client.out;
  out.map(measured.length);
  for (const [fullName, latency] of measured) {
    out.bulk(fullName);
    out.map(2);
    out.bulk('calls');
    out.integer(latency.calls);
    out.bulk('histogram_usec');
    const buckets = latency.cumulativeBuckets();
    out.map(buckets.length);
    for (const [microseconds, calls] of buckets) {
      out.integer(microseconds);
      out.integer(calls);
    }
  }
}

const LATENCY_HELP: readonly string[] = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
];

export function latencyHelp(client: Client): void {
  replyHelp(client, LATENCY_HELP);
}
