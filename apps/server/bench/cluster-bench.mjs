// Cluster benchmark: rc and redis-server as clusters of 1 and 2 nodes on this machine (started
// by scripts/start-cluster.mjs, one process per node), measured with `redis-benchmark --cluster`
// (SET and GET, 50 clients, with and without a pipeline of 16; a 1-node cluster, which
// redis-benchmark refuses in cluster mode, plainly). Rounds alternate rc and redis;
// the table gives medians. Nothing is pinned: the nodes of a 2-node cluster need both cores, and
// redis-benchmark shares them.
// Usage (after a build): node apps/server/bench/cluster-bench.mjs
import { spawnSync } from 'node:child_process';
import { clients, median } from './bench-support.mjs';
import { startCluster, stopCluster } from '../scripts/start-cluster.mjs';

const tests = (process.env.BENCH_TESTS ?? 'set,get').split(',');
const requests = process.env.BENCH_REQUESTS ?? '200000';
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const sizes = (process.env.BENCH_NODES ?? '1,2').split(',').map(Number);
const servers = { rc: 'rc', redis: 'redis-server' };

/** redis-benchmark needs two nodes for --cluster: a single node (all slots) is run plainly. */
function clusterBenchmark(ports, test, pipeline) {
  const mode = ports.length > 1 ? ['--cluster'] : [];
  const args = ['-p', String(ports[0]), '-n', requests, '-c', clients, '-P', String(pipeline)];
  const run = spawnSync('redis-benchmark', [...mode, ...args, '-t', test, '--csv'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const line = run.stdout.trim().split('\n').at(-1);
  return Number(line.split(',')[1].replaceAll('"', ''));
}

const results = new Map();
// Bus ports (port + 10000) stay below the ephemeral range (32768 and up) that clients bind.
let base = 12000;
for (const size of sizes) {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['rc', 'redis'] : ['redis', 'rc'];
    for (const name of order) {
      base += 10;
      const ports = await startCluster({ count: size, base, server: servers[name] });
      try {
        for (const test of tests) {
          for (const pipeline of [1, 16]) {
            const key = `${test}|${pipeline}|${size}|${name}`;
            if (!results.has(key)) results.set(key, []);
            results.get(key).push(clusterBenchmark(ports, test, pipeline));
          }
        }
      } finally {
        await stopCluster(ports);
      }
    }
  }
}

console.log(
  `redis-benchmark --cluster -n ${requests} -c ${clients}, ${rounds} rounds per cluster, alternating\n`,
);
console.log('| test | pipeline | nodes | rc req/s | redis req/s | rc/redis |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const test of tests) {
  for (const pipeline of [1, 16]) {
    for (const size of sizes) {
      const rc = median(results.get(`${test}|${pipeline}|${size}|rc`));
      const redis = median(results.get(`${test}|${pipeline}|${size}|redis`));
      console.log(
        `| ${test.toUpperCase()} | ${pipeline} | ${size} | ${Math.round(rc)} | ${Math.round(redis)} | ${(rc / redis).toFixed(2)} |`,
      );
    }
  }
}
