// Server benchmark: rc and a real redis-server side by side in one run, measured with
// redis-benchmark. Prints requests per second for each and the ratio rc/redis.
// Usage (from the repo root, after a build): pnpm bench   or   node apps/server/bench/server-bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tests = process.env.BENCH_TESTS ?? 'ping,set,get,incr,lpush,lpop';
const requests = process.env.BENCH_REQUESTS ?? '200000';
const clients = '50';

function benchmark(port, pipeline) {
  const args = [
    '-p',
    String(port),
    '-t',
    tests,
    '-n',
    requests,
    '-c',
    clients,
    '-P',
    String(pipeline),
    '--csv',
  ];
  const run = spawnSync('redis-benchmark', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const results = new Map();
  for (const line of run.stdout.trim().split('\n').slice(1)) {
    const [name, rps] = line.split(',').map((cell) => cell.replaceAll('"', ''));
    results.set(name, Number(rps));
  }
  return results;
}

/** Commands without a built-in redis-benchmark test, run in its custom-command mode. */
const customCommands = [
  ['ZADD', 'z', '__rand_int__', 'm:__rand_int__'],
  ['ZRANGE', 'z', '0', '9', 'WITHSCORES'],
  ['XADD', 's', '*', 'field', '__rand_int__'],
  ['XRANGE', 's', '-', '+', 'COUNT', '10'],
];

function benchmarkCommand(port, pipeline, command) {
  const args = ['-p', String(port), '-n', requests, '-c', clients, '-P', String(pipeline)];
  const run = spawnSync('redis-benchmark', [...args, '-r', '100000', '--csv', ...command], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const [, line] = run.stdout.trim().split('\n');
  return Number(line.split(',')[1].replaceAll('"', ''));
}

async function startRedis(port) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  return child;
}

// rc runs in a child process so it does not share this process's event loop.
async function startRc(port) {
  const child = spawn(
    process.execPath,
    [
      new URL('../dist/main.js', import.meta.url).pathname,
      '--port',
      String(port),
      '--save',
      '',
      '--dir',
      mkdtempSync(join(tmpdir(), 'rc-bench-')),
    ],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  return child;
}

const rcPort = 16379;
const redisPort = 16380;
const rc = await startRc(rcPort);
const redis = await startRedis(redisPort);
try {
  console.log(`redis-benchmark -t ${tests} -n ${requests} -c ${clients}\n`);
  console.log('| test | pipeline | rc req/s | redis req/s | rc/redis |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const pipeline of [1, 16]) {
    const ours = benchmark(rcPort, pipeline);
    const theirs = benchmark(redisPort, pipeline);
    for (const command of customCommands) {
      ours.set(command.join(' '), benchmarkCommand(rcPort, pipeline, command));
      theirs.set(command.join(' '), benchmarkCommand(redisPort, pipeline, command));
    }
    for (const [name, theirRps] of theirs) {
      const ourRps = ours.get(name) ?? 0;
      console.log(
        `| ${name} | ${pipeline} | ${ourRps.toFixed(0)} | ${theirRps.toFixed(0)} | ${(ourRps / theirRps).toFixed(2)} |`,
      );
    }
  }
} finally {
  rc.kill();
  redis.kill();
}
