// ACL benchmark: what permission checks cost. Two rc servers side by side in one run, one open
// (the default user, nothing to check) and one with requirepass and a user limited to the
// benchmark's keys by patterns, which every command is checked against. redis-benchmark logs in
// as that user. Each test runs BENCH_ROUNDS times on each server, alternating which goes first;
// the table gives the medians and the median of the per-round ratios acl/open with their range.
// Usage (from the repo root, after a build): node apps/server/bench/acl-bench.mjs
import { benchmark, clients, median, pinning, ready, startServer } from './bench-support.mjs';

const tests = (process.env.BENCH_TESTS ?? 'set,get,incr,lpush,lpop').split(',');
const requests = process.env.BENCH_REQUESTS ?? '100000';
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
    `redis-benchmark -n ${requests} -c ${clients}, ${rounds} rounds per test and server, alternating` +
      (pinning ? '; servers on core 0, redis-benchmark on core 1\n' : '\n'),
  );
  console.log(
    '| test | pipeline | open req/s | acl req/s | acl/open (median) | acl/open (range) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | :---: |');
  for (const pipeline of [1, 16]) {
    for (const test of tests) {
      const plain = [];
      const checked = [];
      const run = (port, count) =>
        benchmark(port, pipeline, test, count, port === aclPort ? login : []);
      for (const port of [openPort, aclPort]) run(port, Math.ceil(Number(requests) / 10));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [openPort, aclPort] : [aclPort, openPort];
        for (const port of order) (port === openPort ? plain : checked).push(run(port, requests));
      }
      const ratios = checked.map((value, round) => value / plain[round]);
      console.log(
        `| ${test.toUpperCase()} | ${pipeline} | ${median(plain).toFixed(0)} | ${median(checked).toFixed(0)} | ` +
          `${median(ratios).toFixed(2)} | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} |`,
      );
    }
  }
} finally {
  open.kill();
  guarded.kill();
}
