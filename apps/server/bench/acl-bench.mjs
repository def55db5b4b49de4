// ACL benchmark: what permission checks cost. Two rc servers side by side in one run, one open
// (the default user, nothing to check) and one with requirepass and a user limited to the
// benchmark's keys by patterns, which every command is checked against. redis-benchmark logs in
// as that user. Each test runs BENCH_ROUNDS times on each server, alternating which goes first;
// the table gives the medians and the median of the per-round ratios acl/open with their range.
// Usage (from the repo root, after a build): node apps/server/bench/acl-bench.mjs
import { clients, compareServers, pinning, ready, startServer } from './bench-support.mjs';

const tests = (process.env.BENCH_TESTS ?? 'set,get,incr,lpush,lpop').split(',');
const requests = Number(process.env.BENCH_REQUESTS ?? 100000);
const rounds = Number(process.env.BENCH_ROUNDS ?? '9');
const main = new URL('../dist/main.js', import.meta.url).pathname;
const openPort = 16383;
const aclPort = 16384;
const login = ['--user', 'bench', '-a', 'benchpass'];

const open = startServer(process.execPath, [main, '--port', String(openPort), '--save', '']);
const guarded = startServer(process.execPath, [
  main,
  '--port',
  String(aclPort),
  '--save',
  '',
  '--requirepass',
  'secret',
  '--user',
  'bench',
  'on',
  '>benchpass',
  '~key:*',
  '~counter:*',
  '~mylist*',
  '+@all',
  '-@dangerous',
]);
try {
  await ready(openPort);
  await ready(aclPort, login);
  console.log(
    `redis-benchmark -n ${requests} (or up to ten times more, see README) -c ${clients}, ${rounds} rounds per test and server, alternating` +
      (pinning ? '; servers on core 0, redis-benchmark on core 1\n' : '\n'),
  );
  compareServers(
    { name: 'acl', port: aclPort, flags: login },
    { name: 'open', port: openPort, flags: [] },
    tests,
    { requests, rounds },
  );
} finally {
  open.kill();
  guarded.kill();
}
