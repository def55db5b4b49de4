// Memory benchmark: the same datasets loaded into a fresh rc and a fresh redis-server 7.0.15,
// side by side in one run. Each dataset is written once as RESP commands to a file and piped
// into each server with `redis-cli --pipe`; after BENCH_IDLE_SECONDS (10) of idle time the table
// gives each server's RSS growth (from its RSS once ready) and its INFO used_memory growth, and
// the ratios rc/redis. BENCH_MEMORY_DATASETS (names, comma-separated) runs some of them;
// BENCH_MEMORY_SCALE (1) multiplies every dataset's size; BENCH_PORT (16393) moves rc's port, and
// redis-server's (the next one).
// Usage (from the repo root, after a build): node apps/server/bench/memory-bench.mjs
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ready, startServer } from './bench-support.mjs';

const scale = Number(process.env.BENCH_MEMORY_SCALE ?? '1');
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? '10');
const rcPort = Number(process.env.BENCH_PORT ?? '16393');
const mainPath = new URL('../dist/main.js', import.meta.url).pathname;

const count = (n) => Math.max(1, Math.round(n * scale));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** Each dataset: its name and the commands that build it, one at a time. */
const datasets = [
  {
    name: 'strings',
    label: `${count(1e6)} strings (key:N → 10-byte value)`,
    *commands() {
      for (let i = 0; i < count(1e6); i++)
        yield ['SET', `key:${i}`, `v${String(i).padStart(9, '0')}`];
    },
  },
  {
    name: 'hashes',
    label: `${count(1e5)} hashes × 10 fields`,
    *commands() {
      for (let i = 0; i < count(1e5); i++) {
        yield ['HSET', `hash:${i}`, ...range(10).flatMap((f) => [`field${f}`, `value:${i}:${f}`])];
      }
    },
  },
  {
    name: 'sets',
    label: `${count(1e5)} sets × 10 integers`,
    *commands() {
      for (let i = 0; i < count(1e5); i++) {
        yield ['SADD', `set:${i}`, ...range(10).map((m) => String(i * 10 + m))];
      }
    },
  },
  {
    name: 'zsets',
    label: `${count(1e5)} sorted sets × 10 members`,
    *commands() {
      for (let i = 0; i < count(1e5); i++) {
        yield ['ZADD', `zset:${i}`, ...range(10).flatMap((m) => [String(m * 1.5), `member:${m}`])];
      }
    },
  },
  {
    name: 'lists',
    label: `${count(1e5)} lists × 10 elements`,
    *commands() {
      for (let i = 0; i < count(1e5); i++) {
        yield ['RPUSH', `list:${i}`, ...range(10).map((e) => `element:${i}:${e}`)];
      }
    },
  },
  {
    name: 'big-hash',
    label: `1 hash × ${count(1e6)} fields`,
    *commands() {
      for (let i = 0; i < count(1e6); i += 10) {
        const fields = range(Math.min(10, count(1e6) - i)).flatMap((f) => [
          `field:${i + f}`,
          `value:${i + f}`,
        ]);
        yield ['HSET', 'big', ...fields];
      }
    },
  },
];

function resp(args) {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return text;
}

/** Writes the dataset's commands to a file, in chunks. */
async function writeDataset(dataset, file) {
  const out = createWriteStream(file);
  let chunk = '';
  for (const args of dataset.commands()) {
    chunk += resp(args);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

function usedMemory(port) {
  const info = spawnSync('redis-cli', ['-p', String(port), 'info', 'memory'], {
    encoding: 'utf8',
  });
  return Number(/used_memory:(\d+)/.exec(info.stdout)[1]);
}

function pipe(port, file) {
  const run = spawnSync('redis-cli', ['-p', String(port), '--pipe'], {
    stdio: [openSync(file, 'r'), 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0 || !/errors: 0,/.test(run.stdout)) {
    throw new Error(`redis-cli --pipe failed on port ${port}: ${run.stdout}${run.stderr}`);
  }
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Starts both servers, loads the file into each in turn, idles, and measures the growth. */
async function measure(file) {
  const servers = [
    { name: 'rc', port: rcPort, command: process.execPath, args: [mainPath] },
    { name: 'redis', port: rcPort + 1, command: 'redis-server', args: ['--appendonly', 'no'] },
  ];
  for (const server of servers) {
    server.process = startServer(server.command, [
      ...server.args,
      '--port',
      String(server.port),
      '--save',
      '',
    ]);
  }
  try {
    for (const server of servers) await ready(server.port);
    await sleep(1);
    for (const server of servers) {
      server.rssBefore = rssBytes(server.process.pid);
      server.usedBefore = usedMemory(server.port);
    }
    for (const server of servers) pipe(server.port, file);
    await sleep(idleSeconds);
    const result = {};
    for (const server of servers) {
      result[server.name] = {
        rss: rssBytes(server.process.pid) - server.rssBefore,
        used: usedMemory(server.port) - server.usedBefore,
      };
    }
    return result;
  } finally {
    for (const server of servers) server.process.kill('SIGKILL');
  }
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  const only = process.env.BENCH_MEMORY_DATASETS?.split(',');
  const dir = mkdtempSync(join(tmpdir(), 'rc-memory-bench-'));
  console.log(
    `Memory growth after loading and ${idleSeconds} s idle (MB; RSS from /proc, used_memory from INFO)`,
  );
  console.log(
    '| dataset | rc RSS | redis RSS | rc/redis RSS | rc used_memory | redis used_memory | rc/redis used_memory |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  try {
    for (const dataset of datasets) {
      if (only !== undefined && !only.includes(dataset.name)) continue;
      const file = join(dir, `${dataset.name}.resp`);
      await writeDataset(dataset, file);
      const { rc, redis } = await measure(file);
      rmSync(file);
      console.log(
        `| ${dataset.label} | ${mb(rc.rss)} | ${mb(redis.rss)} | ${(rc.rss / redis.rss).toFixed(2)} | ` +
          `${mb(rc.used)} | ${mb(redis.used)} | ${(rc.used / redis.used).toFixed(2)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
