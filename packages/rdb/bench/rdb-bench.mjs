// @rc/rdb writer and reader throughput.
// Run: pnpm --filter @rc/rdb build && pnpm --filter @rc/rdb bench
//      (add -- --compare-redis to also load the same datasets into redis-server, SAVE, and
//      compare file sizes and reading Redis's own file; needs redis-server and redis-cli)
// Writing drains the writer every 1 MiB (as a background save does); reading pushes 64 KiB
// chunks and drains records after each push. Best of ROUNDS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdbReader, RdbWriter, defaultAuxFields } from '../dist/index.js';

const ROUNDS = 3;
const CHUNK = 64 * 1024;
const compareRedis = process.argv.includes('--compare-redis');

function best(pass) {
  let fastest = Infinity;
  let result;
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    result = pass();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return { seconds: fastest, result };
}

function write(keys) {
  const writer = new RdbWriter();
  const slices = [];
  writer.header(defaultAuxFields());
  writer.selectDb(0, keys.length, 0);
  for (const { key, value } of keys) {
    writer.key(key, value, null);
    if (writer.pendingBytes >= 1 << 20) slices.push(writer.take());
  }
  writer.end();
  slices.push(writer.take());
  return Buffer.concat(slices);
}

function read(file) {
  const reader = new RdbReader();
  let keys = 0;
  for (let at = 0; at < file.length; at += CHUNK) {
    reader.push(file.subarray(at, at + CHUNK));
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (record.kind === 'key') keys++;
    }
  }
  reader.end();
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    if (record.kind === 'key') keys++;
  }
  return keys;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);

const datasets = [
  {
    name: '1M small strings (key:N -> value:N)',
    keys: () =>
      range(1_000_000).map((i) => ({
        key: `key:${i}`,
        value: { type: 'string', value: `value:${i}` },
      })),
    redis: (i) => (i < 1_000_000 ? ['SET', `key:${i}`, `value:${i}`] : null),
  },
  {
    name: '1M strings of 100 bytes (LZF attempted)',
    keys: () =>
      range(1_000_000).map((i) => ({
        key: `key:${i}`,
        value: { type: 'string', value: `${i}:`.padEnd(100, 'abcdefghij') },
      })),
    redis: (i) => (i < 1_000_000 ? ['SET', `key:${i}`, `${i}:`.padEnd(100, 'abcdefghij')] : null),
  },
  {
    name: 'hash of 1M fields',
    keys: () => [
      {
        key: 'hash',
        value: { type: 'hash', entries: range(1_000_000).map((i) => [`field:${i}`, `value:${i}`]) },
      },
    ],
    redis: (i) =>
      i < 1000
        ? [
            'HSET',
            'hash',
            ...range(1000).flatMap((j) => [`field:${i * 1000 + j}`, `value:${i * 1000 + j}`]),
          ]
        : null,
  },
  {
    name: 'list of 1M items',
    keys: () => [
      { key: 'list', value: { type: 'list', items: range(1_000_000).map((i) => `item:${i}`) } },
    ],
    redis: (i) =>
      i < 1000 ? ['RPUSH', 'list', ...range(1000).map((j) => `item:${i * 1000 + j}`)] : null,
  },
  {
    name: 'zset of 1M members',
    keys: () => [
      {
        key: 'zset',
        value: { type: 'zset', entries: range(1_000_000).map((i) => [`member:${i}`, i * 1.5]) },
      },
    ],
    redis: (i) =>
      i < 1000
        ? [
            'ZADD',
            'zset',
            ...range(1000).flatMap((j) => [String((i * 1000 + j) * 1.5), `member:${i * 1000 + j}`]),
          ]
        : null,
  },
  {
    name: 'stream of 100K entries',
    keys: () => [
      {
        key: 'stream',
        value: {
          type: 'stream',
          stream: {
            entries: range(100_000).map((i) => ({
              id: { ms: 1_700_000_000_000n + BigInt(i), seq: 0n },
              fields: ['name', `n${i}`, 'count', String(i)],
            })),
            length: 100_000,
            lastId: { ms: 1_700_000_099_999n, seq: 0n },
            firstId: { ms: 1_700_000_000_000n, seq: 0n },
            maxDeletedId: { ms: 0n, seq: 0n },
            entriesAdded: 100_000n,
            groups: [],
          },
        },
      },
    ],
    redis: (i) =>
      i < 100_000
        ? ['XADD', 'stream', `${1_700_000_000_000 + i}-0`, 'name', `n${i}`, 'count', String(i)]
        : null,
  },
];

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Loads a dataset into a fresh redis-server with redis-cli --pipe, SAVEs, returns the file. */
async function redisFile(dataset) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-rdb-bench-'));
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--dir', dir], {
    stdio: 'ignore',
  });
  for (
    let i = 0;
    i < 100 &&
    spawnSync('redis-cli', ['-p', String(port), 'PING'])
      .stdout?.toString()
      .trim() !== 'PONG';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const parts = [];
  for (let i = 0; ; i++) {
    const args = dataset.redis(i);
    if (args === null) break;
    parts.push(
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
    );
  }
  spawnSync('redis-cli', ['-p', String(port), '--pipe'], {
    input: parts.join(''),
    maxBuffer: 1 << 30,
  });
  spawnSync('redis-cli', ['-p', String(port), 'SAVE']);
  const file = readFileSync(join(dir, 'dump.rdb'));
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  return file;
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);
console.log(`node ${process.version}, best of ${ROUNDS}`);
for (const dataset of datasets) {
  const keys = dataset.keys();
  const written = best(() => write(keys));
  const file = written.result;
  const readBack = best(() => read(file));
  if (readBack.result !== keys.length)
    throw new Error(`${dataset.name}: read ${readBack.result} keys`);
  console.log(
    `${dataset.name}: ${mb(file.length)} MB; write ${mb(file.length / written.seconds)} MB/s (${written.seconds.toFixed(2)} s), ` +
      `read ${mb(file.length / readBack.seconds)} MB/s (${readBack.seconds.toFixed(2)} s)`,
  );
  if (compareRedis) {
    const theirs = await redisFile(dataset);
    const theirsRead = best(() => read(theirs));
    console.log(
      `  redis-server 7.0 SAVE of the same data: ${mb(theirs.length)} MB (ours ${((file.length / theirs.length) * 100).toFixed(0)}%); ` +
        `reading it: ${mb(theirs.length / theirsRead.seconds)} MB/s (${theirsRead.seconds.toFixed(2)} s)`,
    );
  }
}
