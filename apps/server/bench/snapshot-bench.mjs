// Snapshot benchmark: a 1M-key dataset in rc and in a real redis-server, side by side.
// Measures SAVE throughput (MB/s of RDB written) on both, and for rc's fork-less BGSAVE the
// longest stall a client sees (PING round trips while it runs) and the extra memory (RSS).
// Usage (from the repo root, after a build): node apps/server/bench/snapshot-bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const KEYS = Number(process.env.BENCH_SNAPSHOT_KEYS ?? 1_000_000);
const BATCH = 10_000;

/** A tiny RESP client: sends commands and counts reply frames (simple lines or bulks). */
class Connection {
  constructor(port) {
    this.socket = connect(port, '127.0.0.1');
    this.buffer = '';
    this.waiting = [];
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk) => {
      this.buffer += chunk;
      this.drain();
    });
  }

  ready() {
    return new Promise((resolve) => this.socket.once('connect', resolve));
  }

  /** Resolves with the raw reply text once `count` replies arrived. */
  send(commands, count = 1) {
    let text = '';
    for (const args of commands) {
      text += `*${args.length}\r\n`;
      for (const arg of args) text += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
    }
    this.socket.write(text, 'latin1');
    return new Promise((resolve) => this.waiting.push({ count, replies: [], resolve }));
  }

  drain() {
    while (this.waiting.length > 0) {
      const end = frameEnd(this.buffer);
      if (end === -1) return;
      const head = this.waiting[0];
      head.replies.push(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end);
      if (head.replies.length === head.count) {
        this.waiting.shift();
        head.resolve(head.replies);
      }
    }
  }

  close() {
    this.socket.destroy();
  }
}

/** End of the first reply frame (status, error, integer or bulk), or -1 if incomplete. */
function frameEnd(text) {
  const line = text.indexOf('\r\n');
  if (line === -1) return -1;
  if (text[0] !== '$') return line + 2;
  const length = Number(text.slice(1, line));
  if (length < 0) return line + 2;
  const end = line + 2 + length + 2;
  return text.length >= end ? end : -1;
}

async function waitForPort(port) {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const probe = new Connection(port);
      await new Promise((resolve, reject) => {
        probe.socket.once('connect', resolve);
        probe.socket.once('error', reject);
      });
      probe.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing listening on ${port}`);
}

async function fill(connection) {
  for (let start = 0; start < KEYS; start += BATCH) {
    const commands = [];
    for (let i = start; i < start + BATCH; i++) commands.push(['SET', `key:${i}`, `value:${i}`]);
    await connection.send(commands, BATCH);
  }
}

function rssMegabytes(pid) {
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(ps.stdout.trim()) / 1024;
}

async function persistenceField(connection, name) {
  const [reply] = await connection.send([['INFO', 'persistence']]);
  return new RegExp(`${name}:(\\S+)`).exec(reply)?.[1];
}

/** SAVE's wall time and the file's size. */
async function measureSave(connection, file) {
  const started = performance.now();
  await connection.send([['SAVE']]);
  const seconds = (performance.now() - started) / 1000;
  const megabytes = statSync(file).size / 1024 / 1024;
  return { seconds, megabytes, throughput: megabytes / seconds };
}

/**
 * BGSAVE while a client PINGs back to back: the slowest round trip is the longest stall. The
 * first PING goes with the BGSAVE, so the time the server takes to start the save counts too.
 */
async function measureBackgroundSave(port, pid) {
  const control = new Connection(port);
  const probe = new Connection(port);
  await Promise.all([control.ready(), probe.ready()]);
  const rssBefore = rssMegabytes(pid);
  let rssPeak = rssBefore;
  let longest = 0;
  let pings = 0;
  const started = performance.now();
  const replied = control.send([['BGSAVE']]);
  for (;;) {
    const sent = performance.now();
    await probe.send([['PING']]);
    longest = Math.max(longest, performance.now() - sent);
    if (++pings % 50 === 0) {
      await replied;
      rssPeak = Math.max(rssPeak, rssMegabytes(pid));
      if ((await persistenceField(control, 'rdb_bgsave_in_progress')) === '0') break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  control.close();
  probe.close();
  return { seconds, longest, pings, extraMegabytes: rssPeak - rssBefore, rssBefore };
}

async function main() {
  const rcDir = mkdtempSync(join(tmpdir(), 'rc-snapshot-bench-'));
  const redisDir = mkdtempSync(join(tmpdir(), 'redis-snapshot-bench-'));
  const rcPort = 16391;
  const redisPort = 16392;
  const mainPath = new URL('../dist/main.js', import.meta.url).pathname;
  const rc = spawn(
    process.execPath,
    [mainPath, '--port', String(rcPort), '--save', '', '--dir', rcDir],
    {
      stdio: 'ignore',
    },
  );
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', redisDir],
    { stdio: 'ignore' },
  );
  try {
    await Promise.all([waitForPort(rcPort), waitForPort(redisPort)]);
    const results = {};
    for (const [name, port, dir, pid] of [
      ['rc', rcPort, rcDir, rc.pid],
      ['redis', redisPort, redisDir, redis.pid],
    ]) {
      const connection = new Connection(port);
      await connection.ready();
      const filling = performance.now();
      await fill(connection);
      const fillSeconds = (performance.now() - filling) / 1000;
      const save = await measureSave(connection, join(dir, 'dump.rdb'));
      connection.close();
      const background = await measureBackgroundSave(port, pid);
      results[name] = { fillSeconds, save, background };
    }
    const { rc: ours, redis: theirs } = results;
    console.log(`Snapshot of ${KEYS} string keys`);
    console.log('| measure | rc | redis | rc/redis |');
    console.log('| --- | ---: | ---: | ---: |');
    const row = (label, a, b, digits = 1) =>
      console.log(
        `| ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(a / b).toFixed(2)} |`,
      );
    row('RDB size (MB)', ours.save.megabytes, theirs.save.megabytes);
    row('SAVE time (s)', ours.save.seconds, theirs.save.seconds, 2);
    row('SAVE throughput (MB/s)', ours.save.throughput, theirs.save.throughput);
    row('BGSAVE time (s)', ours.background.seconds, theirs.background.seconds, 2);
    row('longest PING during BGSAVE (ms)', ours.background.longest, theirs.background.longest);
    row('RSS before BGSAVE (MB)', ours.background.rssBefore, theirs.background.rssBefore);
    console.log(
      `| extra RSS during BGSAVE (MB) | ${ours.background.extraMegabytes.toFixed(1)} | ` +
        `${theirs.background.extraMegabytes.toFixed(1)} (parent only; the fork's pages are not counted) | |`,
    );
  } finally {
    rc.kill('SIGKILL');
    redis.kill('SIGKILL');
  }
}

await main();
