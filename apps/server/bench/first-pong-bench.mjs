// Start to first PONG: the daemon (`dist/main.js`) and redis-server, each spawned with an empty
// dataset and pinged over TCP until it answers, alternating, BENCH_STARTS (10) times each.
// Reports wall time from spawn to the PONG and the server's CPU time until then (the sum of its
// threads' run time from /proc/<pid>/task/*/schedstat, in ns: on a loaded machine wall time
// says more about the other processes than about the server).
// Usage (from the repo root, after a build): node apps/server/bench/first-pong-bench.mjs
// BENCH_PORT (28001) is the port both servers take in turn.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './bench-support.mjs';

const starts = Number(process.env.BENCH_STARTS ?? '10');
const port = String(process.env.BENCH_PORT ?? '28001');
const main = new URL('../dist/main.js', import.meta.url).pathname;
const empty = ['--port', port, '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
const servers = {
  rc: () => spawn(process.execPath, [main, ...empty], { stdio: 'ignore' }),
  'redis-server': () => spawn('redis-server', empty, { stdio: 'ignore' }),
};

/** Milliseconds of CPU the process's threads have run. */
function cpuMs(pid) {
  let ns = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return ns / 1e6;
}

/** Whether a PING on a new connection is answered with PONG. */
function pong() {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

async function firstPong(name) {
  const started = performance.now();
  const child = servers[name]();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  while (!(await pong())) await sleep(1);
  const wall = performance.now() - started;
  const cpu = cpuMs(child.pid);
  child.kill('SIGKILL');
  await exited;
  return { wall, cpu };
}

const runs = { rc: [], 'redis-server': [] };
const loadBefore = loadavg()[0];
for (let i = 0; i < starts; i++)
  for (const name of Object.keys(runs)) runs[name].push(await firstPong(name));

const range = (values) =>
  `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`.padStart(9);
console.log(`load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} (1 min)`);
console.log('| server       | CPU ms median | CPU range | wall ms median | wall range | runs |');
console.log('| ------------ | ------------: | --------: | -------------: | ---------: | ---: |');
for (const [name, values] of Object.entries(runs)) {
  const cpu = values.map((run) => run.cpu);
  const wall = values.map((run) => run.wall);
  console.log(
    `| ${name.padEnd(12)} | ${median(cpu).toFixed(1).padStart(13)} | ${range(cpu)} | ${median(wall).toFixed(1).padStart(14)} | ${range(wall).padStart(10)} | ${String(values.length).padStart(4)} |`,
  );
}
