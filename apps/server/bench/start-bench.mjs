// Start-time benchmark: how long RcServer.start() takes, and the daemon until it is ready.
// - warm: starts in a process that already started one (a test worker's second and later
//   servers), BENCH_STARTS sequential start() calls, each stopped before the next;
// - first: import of @rc/server, then the first start() of a fresh process (a test worker's
//   first server), BENCH_PROCESSES processes;
// - twenty at once: twenty concurrent start() calls in a warm process, until all listen;
// - daemon: `node dist/main.js --port 0 --save ''` from spawn to its "Ready to accept" line.
// Usage (from the repo root, after a build): node apps/server/bench/start-bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { median } from './bench-support.mjs';

const starts = Number(process.env.BENCH_STARTS ?? '200');
const processes = Number(process.env.BENCH_PROCESSES ?? '15');
const index = new URL('../dist/index.js', import.meta.url).href;
const main = new URL('../dist/main.js', import.meta.url).pathname;

/** Milliseconds `run` takes to settle. */
async function timed(run) {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

const format = (ms, width) => ms.toFixed(1).padStart(width);

function report(name, values) {
  console.log(
    `| ${name.padEnd(30)} | ${format(median(values), 9)} | ${format(percentile(values, 0.9), 6)} | ${String(values.length).padStart(4)} |`,
  );
}

/** One fresh process: import, then one start() and stop(); prints both times as JSON. */
const firstStart = `
  const started = performance.now();
  const { RcServer } = await import(${JSON.stringify(index)});
  const imported = performance.now();
  const server = await RcServer.start();
  const listening = performance.now();
  await server.stop();
  console.log(JSON.stringify({ importMs: imported - started, startMs: listening - imported }));
`;

/** Milliseconds from spawning the daemon to its ready line. */
function daemonReady() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [main, '--port', '0', '--save', '', '--dir', '/tmp']);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!output.includes('Ready to accept connections')) return;
      const elapsed = performance.now() - started;
      child.kill('SIGKILL');
      child.on('exit', () => resolve(elapsed));
    });
    child.on('exit', (code) => {
      if (!output.includes('Ready to accept connections')) {
        reject(new Error(`the daemon exited (${code}) before it was ready: ${output}`));
      }
    });
  });
}

const { RcServer } = await import(index);
await (await RcServer.start()).stop();

const warm = [];
for (let i = 0; i < starts; i++) {
  const [ms, server] = await timed(() => RcServer.start());
  warm.push(ms);
  await server.stop();
}

const twenty = [];
for (let round = 0; round < 10; round++) {
  const [ms, servers] = await timed(() =>
    Promise.all(Array.from({ length: 20 }, () => RcServer.start())),
  );
  twenty.push(ms);
  await Promise.all(servers.map((server) => server.stop()));
}

const imports = [];
const firsts = [];
for (let i = 0; i < processes; i++) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', firstStart], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`a first start failed: ${run.stderr}`);
  const { importMs, startMs } = JSON.parse(run.stdout);
  imports.push(importMs);
  firsts.push(startMs);
}

const daemon = [];
for (let i = 0; i < processes; i++) daemon.push(await daemonReady());

console.log(`load average at the end: ${loadavg()[0].toFixed(2)} (1 min)`);
console.log('| what                           | median ms | p90 ms | runs |');
console.log('| ------------------------------ | --------: | -----: | ---: |');
report('start() in a warm process', warm);
report('twenty start() at once (all)', twenty);
report('import of @rc/server', imports);
report('first start() after the import', firsts);
report('daemon: spawn to ready', daemon);
