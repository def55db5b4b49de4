// Server benchmark: rc and a real redis-server side by side in one run, measured with
// redis-benchmark. Each test runs BENCH_ROUNDS times on each server, alternating which goes
// first, and the table gives the medians and the median of the per-round ratios rc/redis with
// their range: on a shared 2-core machine one run of each moved ratios by ±0.2.
// With two or more cores and `taskset`, the servers run on core 0 and redis-benchmark on core 1,
// so neither server competes with the load generator for its core.
// Then the same over TLS (tls-port, throwaway certificates made with openssl) for SET and GET
// (BENCH_TLS_TESTS), when redis-benchmark has --tls; BENCH_TLS_ONLY=1 runs that table alone,
// BENCH_TLS=0 leaves it out.
// Usage (from the repo root, after a build): pnpm bench   or   node apps/server/bench/server-bench.mjs
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { clients, compareServers, pinning, ready, startServer } from './bench-support.mjs';
import { makeTestCertificates, opensslAvailable, tlsSettings } from '@rc/test-support';

/**
 * redis-benchmark's own default tests but LRANGE_300 and LRANGE_500 (issue 22's seventeen).
 * Each LRANGE run first fills `mylist` with as many LPUSHes as it makes requests, as
 * redis-benchmark does; the table takes the LRANGE line, not that LPUSH's.
 */
const DEFAULT_TESTS =
  'ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,' +
  'lrange_100,lrange_600,mset';
const tests = (process.env.BENCH_TESTS ?? DEFAULT_TESTS).split(',');
const requests = Number(process.env.BENCH_REQUESTS ?? 100000);
const rounds = Number(process.env.BENCH_ROUNDS ?? '5');
const tlsTests = (process.env.BENCH_TLS_TESTS ?? 'set,get').split(',');
const tlsBench =
  process.env.BENCH_TLS !== '0' &&
  opensslAvailable &&
  spawnSync('redis-benchmark', ['--help'], { encoding: 'utf8' }).stdout.includes('--tls');

const benchScripts = process.env.BENCH_SCRIPTS !== '0';
const INCR_SCRIPT = "return redis.call('incr', KEYS[1])";
const TWENTY_COMMANDS_SCRIPT =
  "local n = 0 for i = 1, 10 do redis.call('set', KEYS[1], i) n = n + tonumber(redis.call('get', KEYS[1])) end return n";

/**
 * Commands without a built-in redis-benchmark test, run in its custom-command mode; with
 * BENCH_CUSTOM=0 only the scripts (so `BENCH_TESTS=incr BENCH_CUSTOM=0` compares the scripts
 * with the plain command they call).
 */
const customCommands = [
  ...(process.env.BENCH_CUSTOM === '0'
    ? []
    : [
        ['ZADD', 'z', '__rand_int__', 'm:__rand_int__'],
        ['ZRANGE', 'z', '0', '9', 'WITHSCORES'],
        ['XADD', 's', '*', 'field', '__rand_int__'],
        ['XRANGE', 's', '-', '+', 'COUNT', '10'],
      ]),
  ...scriptCommands(),
];

/**
 * Scripts: one INCR per call by EVAL and by EVALSHA (loaded on both servers first), and a
 * script of 20 commands. BENCH_SCRIPTS=0 leaves them out.
 */
function scriptCommands() {
  if (!benchScripts) return [];
  return [
    ['EVAL', INCR_SCRIPT, '1', 'counter'],
    ['EVALSHA', createHash('sha1').update(INCR_SCRIPT).digest('hex'), '1', 'counter'],
    ['EVAL', TWENTY_COMMANDS_SCRIPT, '1', 'twenty'],
  ];
}

/** Loads the EVALSHA script into a server's script cache. */
function loadScripts(port) {
  if (!benchScripts) return;
  spawnSync('redis-cli', ['-p', String(port), 'SCRIPT', 'LOAD', INCR_SCRIPT], { stdio: 'ignore' });
}

// BENCH_PORT moves the four ports (rc, redis-server, their TLS ports) off the defaults, for a
// machine where another run of the benchmark may hold them.
const rcPort = Number(process.env.BENCH_PORT ?? '16379');
const redisPort = rcPort + 1;
const rcTlsPort = rcPort + 2;
const redisTlsPort = rcPort + 3;
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
  loadScripts(rcPort);
  loadScripts(redisPort);
  console.log(
    `redis-benchmark -n ${requests} (or up to ten times more, see README) -c ${clients}, ${rounds} rounds per test and server, alternating` +
      (pinning ? '; servers on core 0, redis-benchmark on core 1\n' : '\n'),
  );
  if (process.env.BENCH_TLS_ONLY !== '1') {
    compareServers(
      { name: 'rc', port: rcPort, flags: [] },
      { name: 'redis', port: redisPort, flags: [] },
      [...tests, ...customCommands],
      { requests, rounds },
    );
  }
  if (certificates !== null) {
    console.log('\nOver TLS (redis-benchmark --tls, TLSv1.3):\n');
    const tls = ['--tls', '--cacert', certificates.ca.certFile];
    compareServers(
      { name: 'rc', port: rcTlsPort, flags: tls },
      { name: 'redis', port: redisTlsPort, flags: tls },
      tlsTests,
      { requests, rounds },
    );
  } else if (process.env.BENCH_TLS !== '0') {
    console.log('\nNo TLS figures: needs openssl and a redis-benchmark with --tls.');
  }
} finally {
  rc.kill();
  redis.kill();
}
