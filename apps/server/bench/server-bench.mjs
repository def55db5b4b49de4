// Server benchmark: rc and a real redis-server side by side in one run, measured with
// redis-benchmark. Each test runs BENCH_ROUNDS times on each server, alternating which goes
// first, and the table gives the medians and the median of the per-round ratios rc/redis with
// their range: on a shared 2-core machine one run of each moved ratios by ±0.2.
// With two or more cores and `taskset`, the servers run on core 0 and redis-benchmark on core 1,
// so neither server competes with the load generator for its core.
// Then the same over TLS (tls-port, throwaway certificates made with openssl) for SET and GET
// (BENCH_TLS_TESTS), when redis-benchmark has --tls.
// Usage (from the repo root, after a build): pnpm bench   or   node apps/server/bench/server-bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCertificates, opensslAvailable, tlsSettings } from '@rc/test-support';

const tests = (process.env.BENCH_TESTS ?? 'ping_inline,ping_mbulk,set,get,incr,lpush,lpop').split(
  ',',
);
const requests = process.env.BENCH_REQUESTS ?? '100000';
const rounds = Number(process.env.BENCH_ROUNDS ?? '15');
const warmUpRequests = Math.ceil(Number(requests) / 10);
const clients = '50';
const tlsTests = (process.env.BENCH_TLS_TESTS ?? 'set,get').split(',');
const tlsBench =
  opensslAvailable &&
  spawnSync('redis-benchmark', ['--help'], { encoding: 'utf8' }).stdout.includes('--tls');

/** Commands without a built-in redis-benchmark test, run in its custom-command mode. */
const customCommands = [
  ['ZADD', 'z', '__rand_int__', 'm:__rand_int__'],
  ['ZRANGE', 'z', '0', '9', 'WITHSCORES'],
  ['XADD', 's', '*', 'field', '__rand_int__'],
  ['XRANGE', 's', '-', '+', 'COUNT', '10'],
];

const pinning =
  availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The command line that runs `command` on core `core` when pinning, else as it is. */
function onCore(core, command, args) {
  return pinning ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/**
 * Requests per second of one redis-benchmark run: a built-in test or a custom command;
 * `connection` adds its TLS flags.
 */
function benchmark(port, pipeline, test, connection, count = requests) {
  const args = ['-p', String(port), '-n', String(count), '-c', clients, '-P', String(pipeline)];
  args.push(...connection);
  const command = typeof test === 'string' ? ['-t', test] : ['-r', '100000', ...test];
  const run = spawnSync(...onCore(1, 'redis-benchmark', [...args, '--csv', ...command]), {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const [, line] = run.stdout.trim().split('\n');
  return Number(line.split(',')[1].replaceAll('"', ''));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function startServer(command, args) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  return spawn(...onCore(0, command, [...args, '--dir', dir]), { stdio: 'ignore' });
}

/** Waits until the server answers PING. */
async function ready(port) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .includes('PONG')
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** One table: each test on both servers, `rounds` times, alternating which goes first. */
function table(rcPort, redisPort, testList, connection) {
  console.log(
    '| test | pipeline | rc req/s | redis req/s | rc/redis (median) | rc/redis (range) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | :---: |');
  for (const pipeline of [1, 16]) {
    for (const test of testList) {
      const ours = [];
      const theirs = [];
      // An untimed run on each server first: rc's code paths for the test get compiled by the
      // JIT before it is measured, as a long-running server's would be.
      for (const port of [rcPort, redisPort]) {
        benchmark(port, pipeline, test, connection, warmUpRequests);
      }
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [rcPort, redisPort] : [redisPort, rcPort];
        for (const port of order) {
          (port === rcPort ? ours : theirs).push(benchmark(port, pipeline, test, connection));
        }
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

const rcPort = 16379;
const redisPort = 16380;
const rcTlsPort = 16381;
const redisTlsPort = 16382;
const certificates = tlsBench ? makeTestCertificates() : null;
/** Both servers' TLS settings; clients need no certificate. */
const tlsFlags = (port) =>
  certificates === null
    ? []
    : [
        ['tls-port', String(port)],
        ...tlsSettings(certificates),
        ['tls-auth-clients', 'no'],
      ].flatMap(([name, value]) => [`--${name}`, value]);
// rc runs in a child process so it does not share this process's event loop.
const rc = startServer(process.execPath, [
  new URL('../dist/main.js', import.meta.url).pathname,
  '--port',
  String(rcPort),
  '--save',
  '',
  ...tlsFlags(rcTlsPort),
]);
const redis = startServer('redis-server', [
  '--port',
  String(redisPort),
  '--save',
  '',
  '--appendonly',
  'no',
  ...tlsFlags(redisTlsPort),
]);
try {
  await ready(rcPort);
  await ready(redisPort);
  console.log(
    `redis-benchmark -n ${requests} -c ${clients}, ${rounds} rounds per test and server, alternating` +
      (pinning ? '; servers on core 0, redis-benchmark on core 1\n' : '\n'),
  );
  table(rcPort, redisPort, [...tests, ...customCommands], []);
  if (certificates !== null) {
    console.log('\nOver TLS (redis-benchmark --tls, TLSv1.3):\n');
    table(rcTlsPort, redisTlsPort, tlsTests, ['--tls', '--cacert', certificates.ca.certFile]);
  } else {
    console.log('\nNo TLS figures: needs openssl and a redis-benchmark with --tls.');
  }
} finally {
  rc.kill();
  redis.kill();
}
