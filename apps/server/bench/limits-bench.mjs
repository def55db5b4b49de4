// Limits benchmark: what maxmemory and a client that does not read cost, rc and redis-server
// side by side in one run (servers on core 0 and redis-benchmark on core 1 when pinning).
//
// maxmemory: rc and redis-server with `--maxmemory 100mb --maxmemory-policy allkeys-lru`, and rc
// without a limit, each take BENCH_REQUESTS pipelined SETs of 1 KB values on random keys
// (redis-benchmark -P 16 -d 1024 -r 10000000), several times the limit. used_memory and RSS are
// read every 100 ms meanwhile: their peaks, and the throughput of rc with the limit against rc
// without it, are what the table shows.
//
// Slow reader: one client sends 1M GETs of a 10 KB value and never reads its replies, while
// redis-benchmark runs GET with 50 clients; their p99 latency against a run without the slow
// reader, and the server's peak RSS.
//
// BENCH_PORT (16391) moves the four ports the servers take (that one and the next three).
//
// Usage (from the repo root, after a build): node apps/server/bench/limits-bench.mjs
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { benchmark, benchmarkAsync, pinning, ready, startServer } from './bench-support.mjs';

const requests = Number(process.env.BENCH_REQUESTS ?? '400000');
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const MAXMEMORY = 100 * 1024 * 1024;
const firstPort = Number(process.env.BENCH_PORT ?? '16391');
const mainJs = new URL('../dist/main.js', import.meta.url).pathname;

function rc(port, flags = []) {
  return {
    name: 'rc',
    port,
    process: startServer(process.execPath, [
      mainJs,
      '--port',
      String(port),
      '--save',
      '',
      ...flags,
    ]),
  };
}

function redis(port, flags = []) {
  return {
    name: 'redis',
    port,
    process: startServer('redis-server', [
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      ...flags,
    ]),
  };
}

/** The server's resident memory, from /proc (its pid is the one taskset exec'd into). */
function rssOf(server) {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** A connection that sends one command at a time and reads its reply as text. */
async function openClient(port) {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let pending = '';
  let waiter = null;
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    pending += chunk;
    const bulk = /^\$(\d+)\r\n/.exec(pending);
    const complete = bulk
      ? pending.length >= bulk[0].length + Number(bulk[1]) + 2
      : pending.endsWith('\r\n');
    if (complete && waiter !== null) {
      const reply = pending;
      pending = '';
      waiter(reply);
    }
  });
  return {
    command(...argv) {
      socket.write(
        `*${argv.length}\r\n${argv.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`,
      );
      return new Promise((resolve) => (waiter = resolve));
    },
    close: () => socket.destroy(),
  };
}

/** Reads used_memory and RSS every 100 ms until `work` settles; their peaks, and its result. */
async function watchWhile(server, work) {
  const client = await openClient(server.port);
  let peakUsed = 0;
  let peakRss = 0;
  let done = false;
  const watching = (async () => {
    while (!done) {
      const info = await client.command('INFO', 'memory');
      peakUsed = Math.max(peakUsed, Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0));
      peakRss = Math.max(peakRss, rssOf(server));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await work, peakUsed, peakRss };
  } finally {
    done = true;
    await watching;
    client.close();
  }
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function maxmemoryTable() {
  const limited = ['--maxmemory', String(MAXMEMORY), '--maxmemory-policy', 'allkeys-lru'];
  const servers = [rc(firstPort, limited), redis(firstPort + 1, limited), rc(firstPort + 2)];
  const [rcLimited, redisLimited, rcUnlimited] = servers;
  const setArgs = ['-d', '1024', '-r', '10000000'];
  try {
    for (const server of servers) await ready(server.port);
    // Untimed, as the other benchmarks: rc's JIT compiles the paths first.
    for (const server of servers) benchmark(server.port, 16, 'set', requests / 10, setArgs);
    console.log(
      `maxmemory 100 MB allkeys-lru: ${requests} SETs of 1 KB (-P 16 -c 50 -r 10000000), ${rounds} rounds` +
        (pinning ? '; servers on core 0, redis-benchmark on core 1\n' : '\n'),
    );
    console.log('| server | SET req/s (median) | peak used_memory (MB) | peak RSS (MB) |');
    console.log('| --- | ---: | ---: | ---: |');
    const results = new Map(servers.map((server) => [server, { rps: [], used: 0, rss: 0 }]));
    for (let round = 0; round < rounds; round++) {
      for (const server of servers) {
        const run = await watchWhile(
          server,
          benchmarkAsync(server.port, 16, 'set', requests, setArgs),
        );
        const result = results.get(server);
        result.rps.push(run.result.rps);
        result.used = Math.max(result.used, run.peakUsed);
        result.rss = Math.max(result.rss, run.peakRss);
      }
    }
    const names = new Map([
      [rcLimited, 'rc, maxmemory 100 MB'],
      [redisLimited, 'redis, maxmemory 100 MB'],
      [rcUnlimited, 'rc, no maxmemory'],
    ]);
    for (const server of servers) {
      const { rps, used, rss } = results.get(server);
      console.log(
        `| ${names.get(server)} | ${median(rps).toFixed(0)} | ${mb(used)} | ${mb(rss)} |`,
      );
    }
    const rcResult = results.get(rcLimited);
    console.log(
      `\nrc with the limit / rc without: ${(median(rcResult.rps) / median(results.get(rcUnlimited).rps)).toFixed(2)} ` +
        `(target >= 0.9); rc's peak RSS / redis's: ${(rcResult.rss / results.get(redisLimited).rss).toFixed(2)} (target <= 1.5); ` +
        `rc's peak used_memory ${mb(rcResult.used)} MB (target <= 105)`,
    );
  } finally {
    for (const server of servers) server.process.kill();
  }
}

/** A client that pipelines `count` GETs of `key` as fast as the socket takes them and never reads. */
function slowReader(port, key, count) {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  const batch = Buffer.from(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`.repeat(1000));
  let sent = 0;
  const write = () => {
    while (sent < count) {
      sent += 1000;
      if (!socket.write(batch)) return;
    }
  };
  socket.on('drain', write);
  socket.on('error', () => {});
  socket.once('connect', write);
  return { close: () => socket.destroy(), sent: () => sent };
}

async function slowReaderTable() {
  // rc alone: redis-server keeps every reply for a client that does not read (no limit for
  // normal clients by default), gigabytes within seconds.
  const servers = [rc(firstPort + 3)];
  const getArgs = ['-d', '10240'];
  try {
    for (const server of servers) await ready(server.port);
    console.log(
      `\nSlow reader: 1M GETs of 10 KB never read, and GET from 50 clients (redis-benchmark -n ${requests} -d 10240)\n`,
    );
    console.log(
      '| server | p99 alone (ms) | p99 with the slow reader (ms) | ratio | peak RSS with it (MB) |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const server of servers) {
      // The key redis-benchmark's GET test reads, with its 10 KB value.
      benchmark(server.port, 1, 'set', 1000, getArgs);
      benchmark(server.port, 1, 'get', requests / 10, getArgs);
      const alone = [];
      const loaded = [];
      let peakRss = 0;
      for (let round = 0; round < rounds; round++) {
        alone.push((await benchmarkAsync(server.port, 1, 'get', requests, getArgs)).p99);
        const reader = slowReader(server.port, 'key:__rand_int__', 1_000_000);
        try {
          const run = await watchWhile(
            server,
            benchmarkAsync(server.port, 1, 'get', requests, getArgs),
          );
          loaded.push(run.result.p99);
          peakRss = Math.max(peakRss, run.peakRss);
        } finally {
          reader.close();
        }
      }
      const ratio = median(loaded) / median(alone);
      console.log(
        `| ${server.name} | ${median(alone).toFixed(2)} | ${median(loaded).toFixed(2)} | ${ratio.toFixed(2)} | ${mb(peakRss)} |`,
      );
    }
  } finally {
    for (const server of servers) server.process.kill();
  }
}

if (process.env.BENCH_ONLY !== 'slow-reader') await maxmemoryTable();
if (process.env.BENCH_ONLY !== 'maxmemory') await slowReaderTable();
