// Replication benchmark: rc as a master (redis-server 7.0 replica) and as a replica (of a
// redis-server master), next to redis-server with a redis-server replica.
// Measures, for a 100k-key dataset: full sync time (from spawning the replica's process to its
// INFO showing master_link_status:up, the same span for both servers, their start included) and,
// within it, when the replica first answered PING;
// replication lag (master offset − replica offset, sampled every 50 ms) under a
// redis-benchmark write load; and WAIT 1 latency after a single SET.
// Usage (from the repo root, after a build): node apps/server/bench/replication-bench.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

const KEYS = Number(process.env.BENCH_REPLICATION_KEYS ?? 100_000);
const WAITS = Number(process.env.BENCH_REPLICATION_WAITS ?? 2000);
const LOAD_REQUESTS = Number(process.env.BENCH_REPLICATION_REQUESTS ?? 300_000);
const main = new URL('../dist/main.js', import.meta.url).pathname;
const children = [];

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function start(kind, args = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `repl-bench-${kind}-`));
  // No wait for more replicas before a diskless transfer (7.0's default waits 5 s), on both.
  const common = [
    ...['--port', String(port), '--save', '', '--dir', dir],
    ...['--repl-diskless-sync-delay', '0', ...args],
  ];
  const child =
    kind === 'rc'
      ? spawn(process.execPath, [main, ...common], { stdio: 'ignore' })
      : spawn('redis-server', [...common, '--bind', '127.0.0.1'], {
          stdio: 'ignore',
        });
  children.push(child);
  const server = { port, kind };
  for (let attempt = 0; attempt < 200; attempt++) {
    const client = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    // Refused until the server listens: the attempt's rejection says so, not an error event.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return server;
    } catch {
      client.disconnect();
      await sleep(25);
    }
  }
  throw new Error(`${kind} did not start`);
}

async function info(client) {
  const fields = {};
  for (const line of (await client.info('replication')).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

async function seed(client) {
  for (let start = 0; start < KEYS; start += 10_000) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(KEYS, start + 10_000); i++) {
      pipeline.set(`key:${i}`, `value-${i}-${'x'.repeat(i % 50)}`);
      if (i % 10 === 0) pipeline.hset(`hash:${i}`, 'a', '1', 'b', '2');
    }
    await pipeline.exec();
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function scenario(masterKind, replicaKind) {
  const master = await start(masterKind);
  const client = new Redis({ port: master.port });
  await seed(client);
  // Full sync: from the replica's start to its link being up.
  const started = performance.now();
  // The master keeps serving during the sync: the longest PING round trip meanwhile.
  let syncing = true;
  let maxPingMs = 0;
  const pinger = (async () => {
    while (syncing) {
      const t = performance.now();
      await client.ping();
      maxPingMs = Math.max(maxPingMs, performance.now() - t);
      await sleep(1);
    }
  })();
  const replica = await start(replicaKind, ['--replicaof', '127.0.0.1', String(master.port)]);
  // Polled every 25 ms: the process start's share of the sync, to that resolution.
  const replicaServingMs = performance.now() - started;
  const replicaClient = new Redis({ port: replica.port });
  let fields;
  for (;;) {
    fields = await info(replicaClient).catch(() => ({}));
    if (fields.master_link_status === 'up') break;
    await sleep(5);
  }
  const fullSyncMs = performance.now() - started;
  syncing = false;
  await pinger;
  const dbsize = await replicaClient.dbsize();

  // Lag under a write load: redis-benchmark SET/LPUSH/INCR, 50 clients, pipeline 16.
  const samples = [];
  const load = spawn('redis-benchmark', [
    '-p',
    String(master.port),
    '-t',
    'set,lpush,incr',
    '-n',
    String(LOAD_REQUESTS),
    '-c',
    '50',
    '-P',
    '16',
    '-r',
    '100000',
    '-q',
  ]);
  let output = '';
  load.stdout.on('data', (chunk) => (output += chunk));
  const done = new Promise((resolve) => load.on('exit', resolve));
  let running = true;
  void done.then(() => (running = false));
  while (running) {
    const [m, r] = await Promise.all([info(client), info(replicaClient)]);
    samples.push(
      Number(m.master_repl_offset) - Number(r.slave_repl_offset ?? r.master_repl_offset),
    );
    await sleep(50);
  }
  const caughtUpStarted = performance.now();
  const target = Number((await info(client)).master_repl_offset);
  while (Number((await info(replicaClient)).master_repl_offset) < target) await sleep(2);
  const catchUpMs = performance.now() - caughtUpStarted;
  samples.sort((a, b) => a - b);
  const throughput = output
    .split(/\r|\n/)
    .filter((line) => line.includes('requests per second'))
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .join('; ');

  // WAIT latency: SET then WAIT 1, one at a time.
  const latencies = [];
  for (let i = 0; i < WAITS; i++) {
    await client.set('wait-key', String(i));
    const t = performance.now();
    const acknowledged = await client.wait(1, 1000);
    latencies.push(performance.now() - t);
    if (acknowledged !== 1) throw new Error(`WAIT answered ${acknowledged}`);
  }
  latencies.sort((a, b) => a - b);
  client.disconnect();
  replicaClient.disconnect();
  return {
    scenario: `${masterKind} master → ${replicaKind} replica`,
    fullSyncMs: Math.round(fullSyncMs),
    replicaServingMs: Math.round(replicaServingMs),
    replicaKeys: dbsize,
    maxPingDuringSyncMs: maxPingMs.toFixed(1),
    lagBytesMedian: percentile(samples, 50),
    lagBytesMax: samples.at(-1),
    catchUpAfterLoadMs: Math.round(catchUpMs),
    waitMsMedian: percentile(latencies, 50).toFixed(3),
    waitMsP99: percentile(latencies, 99).toFixed(3),
    load: throughput,
  };
}

try {
  const results = [];
  for (const [master, replica] of [
    ['rc', 'redis'],
    ['redis', 'rc'],
    ['rc', 'rc'],
    ['redis', 'redis'],
  ]) {
    results.push(await scenario(master, replica));
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await sleep(200);
  }
  console.log(
    `${KEYS} keys (+${KEYS / 10} small hashes), ${LOAD_REQUESTS} requests per benchmark test`,
  );
  console.table(results.map(({ load: _load, ...rest }) => rest));
  for (const { scenario: name, load } of results) console.log(`${name}: ${load}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
}
