// What the benchmarks share: redis-benchmark runs, medians, servers started on their own core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

export const clients = '50';

export const pinning =
  availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The command line that runs `command` on core `core` when pinning, else as it is. */
export function onCore(core, command, args) {
  return pinning ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/** redis-benchmark's arguments for a built-in test or a custom command, `extra` flags added. */
function benchmarkArguments(port, pipeline, test, count, extra) {
  const args = [
    '-p',
    String(port),
    '-n',
    String(count),
    '-c',
    clients,
    '-P',
    String(pipeline),
    ...extra,
  ];
  const command = typeof test === 'string' ? ['-t', test] : ['-r', '100000', ...test];
  return [...args, '--csv', ...command];
}

/**
 * The test's CSV result line, the last one (the LRANGE tests first print the LPUSH that fills
 * their list): requests per second and the 99th percentile latency in ms. Read from the end: a
 * custom command's name (the first field) may hold commas.
 */
function parseResult(stdout) {
  const line = stdout.trim().split('\n').at(-1);
  const fields = line.split(',').map((field) => Number(field.replaceAll('"', '')));
  return { rps: fields.at(-7), p99: fields.at(-2) };
}

/**
 * Requests per second of one redis-benchmark run: a built-in test or a custom command; `extra`
 * adds flags (TLS, a user to log in as).
 */
export function benchmark(port, pipeline, test, count, extra = []) {
  const run = spawnSync(
    ...onCore(1, 'redis-benchmark', benchmarkArguments(port, pipeline, test, count, extra)),
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  return parseResult(run.stdout).rps;
}

/** As `benchmark`, without blocking this process (it may watch the server meanwhile). */
export function benchmarkAsync(port, pipeline, test, count, extra = []) {
  const child = spawn(
    ...onCore(1, 'redis-benchmark', benchmarkArguments(port, pipeline, test, count, extra)),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.on('close', (status) => {
      if (status === 0) resolve(parseResult(stdout));
      else reject(new Error(`redis-benchmark failed: ${stderr}`));
    }),
  );
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function startServer(command, args) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  return spawn(...onCore(0, command, [...args, '--dir', dir]), { stdio: 'ignore' });
}

/** Waits until the server answers PING. */
export async function ready(port, auth = []) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), ...auth, 'ping'])
        .stdout?.toString()
        .includes('PONG')
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** The least time a timed run should last: shorter runs are mostly connection set-up and noise. */
const TIMED_RUN_SECONDS = 1;

/**
 * One Markdown table: each test on two servers `rounds` times, alternating which goes first,
 * after an untimed run of `requests` on each (so rc's JIT has compiled the test's paths, as a
 * long-running server's would be); the medians and the median of the per-round ratios
 * first/second with their range. The timed runs make `requests`, or as many as the faster
 * server's untimed run made in `TIMED_RUN_SECONDS` (at most ten times `requests`): at -P 16 a
 * run of 100k requests lasts 70 ms, and its rate moved by ±30% from one run to the next.
 * A server is `{ name, port, flags }`, `flags` being redis-benchmark options for it (TLS, a
 * user to log in as).
 */
export function compareServers(first, second, tests, { requests, rounds }) {
  const ratio = `${first.name}/${second.name}`;
  console.log(
    `| test | pipeline | ${first.name} req/s | ${second.name} req/s | ${ratio} (median) | ${ratio} (range) |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | :---: |');
  for (const pipeline of [1, 16]) {
    for (const test of tests) {
      const run = (server, count) => benchmark(server.port, pipeline, test, count, server.flags);
      const untimed = [first, second].map((server) => run(server, requests));
      const perSecond = Math.max(...untimed) * TIMED_RUN_SECONDS;
      const count = Math.min(10 * requests, Math.max(requests, Math.round(perSecond)));
      const ours = [];
      const theirs = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [first, second] : [second, first];
        for (const server of order) (server === first ? ours : theirs).push(run(server, count));
      }
      const ratios = ours.map((value, round) => value / theirs[round]);
      const name = typeof test === 'string' ? test.toUpperCase() : test.join(' ');
      console.log(
        `| ${name} | ${pipeline} | ${median(ours).toFixed(0)} | ${median(theirs).toFixed(0)} | ` +
          `${median(ratios).toFixed(2)} | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} |`,
      );
    }
  }
}
