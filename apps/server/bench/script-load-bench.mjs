// SCRIPT LOAD of BullMQ's largest script (moveToFinished, 40 KB of Lua) as a client sees it: a
// fresh server per round, then BENCH_LOADS loads of sources that differ in a first line
// `local bench_k = <n>` (so no compilation cache can serve them), one at a time over one
// connection. Per round: the median and best wall time of a load, and the server's CPU time per
// load from /proc/<pid>/task (10 ms ticks): all threads, and its main thread alone (the rest is
// V8's helpers: optimizing compiles, parallel scavenges, concurrent marking). Then, as a BullMQ
// client does on connecting to a fresh server, each of BullMQ's scripts loaded once: the total
// wall and CPU time.
// Servers (alternating, BENCH_ROUNDS rounds each): this build's daemon, redis-server, and the
// daemon of another worktree when BENCH_BASE names one (a build to compare with).
// Usage (from the repo root, after a build): node apps/server/bench/script-load-bench.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './bench-support.mjs';

const loads = Number(process.env.BENCH_LOADS ?? '60');
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const port = Number(process.env.BENCH_PORT ?? '6390');
const require = createRequire(import.meta.url);
const scriptsDirectory = join(require.resolve('bullmq/package.json'), '../dist/cjs/scripts');
const scriptOf = (file) => Object.values(require(join(scriptsDirectory, file)))[0].content;
const script = scriptOf('moveToFinished-14.js');
const bullmqScripts = readdirSync(scriptsDirectory)
  .filter((file) => file.endsWith('.js') && file !== 'index.js')
  .map(scriptOf);

const daemon = (worktree) => [process.execPath, [`${worktree}/apps/server/bin/rc-server.js`]];
const servers = [
  ['rc', daemon(new URL('../../..', import.meta.url).pathname)],
  ...(process.env.BENCH_BASE ? [['rc base', daemon(process.env.BENCH_BASE)]] : []),
  ['redis', ['redis-server', []]],
];

/** CPU milliseconds of each thread of `pid` so far: `main` and the sum of the others. */
function threadTimes(pid) {
  const times = { main: 0, helpers: 0 };
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    times[Number(task) === pid ? 'main' : 'helpers'] += ms;
  }
  return times;
}

async function connected() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const socket = connect(port, '127.0.0.1');
    const ok = await new Promise((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (ok) return socket;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** Sends one command; resolves with its reply (one line or one bulk string). */
function call(socket, args) {
  return new Promise((resolve) => {
    let reply = '';
    const onData = (data) => {
      reply += data;
      if (
        reply.endsWith('\r\n') &&
        (reply[0] !== '$' || reply.indexOf('\r\n') < reply.length - 2)
      ) {
        socket.off('data', onData);
        resolve(reply);
      }
    };
    socket.on('data', onData);
    const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
    socket.write(`*${args.length}\r\n${parts.join('')}`);
  });
}

/** A fresh server loading `sources` one at a time: each load's wall time, CPU time in all. */
async function loadAll([command, args], sources) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const server = spawn(command, [...args, '--port', String(port), '--save', '', '--dir', dir], {
    stdio: 'ignore',
  });
  try {
    const socket = await connected();
    await call(socket, ['PING']);
    const before = threadTimes(server.pid);
    const walls = [];
    for (const source of sources) {
      const started = performance.now();
      const reply = await call(socket, ['SCRIPT', 'LOAD', source]);
      walls.push(performance.now() - started);
      if (!reply.startsWith('$40')) throw new Error(`SCRIPT LOAD replied ${reply.slice(0, 80)}`);
    }
    const after = threadTimes(server.pid);
    socket.destroy();
    const main = after.main - before.main;
    return { walls, cpu: main + after.helpers - before.helpers, main };
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill();
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
}

const largest = new Map(servers.map(([name]) => [name, []]));
const all = new Map(servers.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [index, [name, server]] of servers.entries()) {
    // The first line keeps each round's sources apart from the others'.
    const sources = Array.from(
      { length: loads },
      (_, i) => `local bench_k = ${r}${index}${i}\n${script}`,
    );
    const { walls, cpu, main } = await loadAll(server, sources);
    largest.get(name).push({
      wall: median(walls),
      best: Math.min(...walls),
      cpu: cpu / loads,
      main: main / loads,
    });
    const whole = await loadAll(server, bullmqScripts);
    all.get(name).push({ wall: whole.walls.reduce((a, b) => a + b), cpu: whole.cpu });
  }
}
const show = (list, key) => list.map((result) => result[key].toFixed(1)).join(' / ');
console.log(
  `moveToFinished, ${script.length} bytes of Lua: ${loads} loads per round, ${rounds} rounds`,
);
console.log('| server | wall median (ms) | best | server CPU per load (ms) | main thread |');
console.log('| --- | --: | --: | --: | --: |');
for (const [name, list] of largest) {
  const cells = ['wall', 'best', 'cpu', 'main'].map((key) => show(list, key));
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
const bytes = bullmqScripts.reduce((sum, source) => sum + source.length, 0);
console.log(`\nBullMQ's ${bullmqScripts.length} scripts (${bytes} bytes of Lua), each loaded once`);
console.log('| server | wall (ms) | server CPU (ms) |');
console.log('| --- | --: | --: |');
for (const [name, list] of all)
  console.log(`| ${name} | ${show(list, 'wall')} | ${show(list, 'cpu')} |`);
console.log(`load average at the end: ${loadavg()[0].toFixed(1)}`);
