// Full sync phases: rc → rc and redis-server → redis-server, alternating, ROUNDS syncs each.
// Per sync: the span replication-bench.mjs times (replica spawn to master_link_status:up), its
// phases from the replica's own log lines (first line to "Ready to accept connections",
// "+FULLRESYNC" to the first payload byte, the payload, the load) and the CPU of both
// processes over the sync (all threads, /proc/<pid>/task/*/schedstat; redis-server's forked
// child is not counted). The dataset is replication-bench.mjs's: 100k strings + 10k hashes.
// Usage (from the repo root, after a build):
//   BASEPORT=28000 ROUNDS=5 node apps/server/bench/full-sync-bench.mjs
// RC_MAIN=<another build's dist/main.js> measures that build instead.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

const KEYS = 100_000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const main = process.env.RC_MAIN ?? new URL('../dist/main.js', import.meta.url).pathname;
let nextPort = Number(process.env.BASEPORT ?? 28000);
const logs = mkdtempSync(join(tmpdir(), 'full-sync-bench-'));

/** CPU time of every thread of a process so far, in ms. */
function cpuMs(pid) {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(
        readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0],
      );
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nanoseconds / 1e6;
}

function start(kind, args, logfile) {
  const port = nextPort++;
  const dir = mkdtempSync(join(tmpdir(), `full-sync-bench-${kind}-`));
  const common = [
    ...['--port', String(port), '--save', '', '--dir', dir, '--logfile', logfile],
    ...['--repl-diskless-sync-delay', '0', ...args],
  ];
  const child =
    kind === 'rc'
      ? spawn(process.execPath, [main, ...common], { stdio: 'ignore' })
      : spawn('redis-server', [...common, '--bind', '127.0.0.1'], { stdio: 'ignore' });
  return { port, child };
}

async function untilPong(port) {
  for (;;) {
    const client = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await sleep(5);
    } finally {
      client.disconnect();
    }
  }
}

async function seed(client) {
  for (let first = 0; first < KEYS; first += 10_000) {
    const pipeline = client.pipeline();
    for (let i = first; i < first + 10_000; i++) {
      pipeline.set(`key:${i}`, `value-${i}-${'x'.repeat(i % 50)}`);
      if (i % 10 === 0) pipeline.hset(`hash:${i}`, 'a', '1', 'b', '2');
    }
    await pipeline.exec();
  }
}

/** Milliseconds between the replica's log lines that mark the phases. */
function phases(logfile) {
  const at = {};
  for (const line of readFileSync(logfile, 'utf8').split('\n')) {
    const time = / (\d\d):(\d\d):(\d\d\.\d\d\d) /.exec(line);
    if (time === null) continue;
    const ms = (Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3])) * 1000;
    at.first ??= ms;
    if (line.includes('Ready to accept connections')) at.ready ??= ms;
    if (line.includes('Full resync from master')) at.fullResync = ms;
    if (line.includes('sync: receiving')) at.firstByte = ms;
    if (line.includes('Loading DB in memory')) at.loading = ms;
    if (line.includes('Finished with success')) at.done = ms;
  }
  return {
    startMs: Math.round(at.ready - at.first),
    firstByteMs: Math.round(at.firstByte - at.fullResync),
    payloadMs: Math.round(at.loading - at.firstByte),
    loadMs: Math.round(at.done - at.loading),
  };
}

async function sync(kind) {
  const master = start(kind, [], join(logs, `master-${nextPort}.log`));
  const children = [master.child];
  try {
    await untilPong(master.port);
    const client = new Redis({ port: master.port });
    await seed(client);
    client.disconnect();
    const masterCpu = cpuMs(master.child.pid);
    const started = performance.now();
    const logfile = join(logs, `replica-${nextPort}.log`);
    const replica = start(kind, ['--replicaof', '127.0.0.1', String(master.port)], logfile);
    children.push(replica.child);
    await untilPong(replica.port);
    const replicaClient = new Redis({ port: replica.port });
    while (!(await replicaClient.info('replication')).includes('master_link_status:up')) {
      await sleep(2);
    }
    const fullSyncMs = Math.round(performance.now() - started);
    const keys = await replicaClient.dbsize();
    replicaClient.disconnect();
    return {
      kind,
      fullSyncMs,
      ...phases(logfile),
      replicaCpuMs: Math.round(cpuMs(replica.child.pid)),
      masterCpuMs: Math.round(cpuMs(master.child.pid) - masterCpu),
      keys,
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await sleep(200);
  }
}

const results = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ['rc', 'redis']) results.push(await sync(kind));
}
console.table(results);
