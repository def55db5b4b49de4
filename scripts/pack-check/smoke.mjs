// Runs in a fresh project that installed the packed tarballs: uses each package as a Node
// developer would (ESM imports, the bins), and exits non-zero on the first mismatch.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ReplyParser, ReplyWriter } from '@rc/resp';
import { SortedSet } from '@rc/datatypes/zset';
import { writeRdb } from '@rc/rdb';
import { RcServer } from '@rc/server';
import { pingDaemon } from './daemon-ping.mjs';

// Every installed package loads, including any without a check of its own below.
const project = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
for (const name of Object.keys(project.dependencies).filter((name) => name.startsWith('@rc/')))
  assert.ok(Object.keys(await import(name)).length > 0, name);

const writer = new ReplyWriter();
writer.array(2);
writer.bulk('hello');
writer.integer(42);
const parser = new ReplyParser();
parser.feed(writer.take());
assert.deepEqual(parser.next(), [Buffer.from('hello'), 42]);

const zset = new SortedSet();
zset.add('b', 2);
zset.add('a', 1);
assert.deepEqual(
  zset.rangeByRank(0, -1).map((entry) => entry.member),
  ['a', 'b'],
);

const dir = mkdtempSync(join(tmpdir(), 'rc-smoke-'));
try {
  const file = join(dir, 'dump.rdb');
  writeFileSync(
    file,
    writeRdb([{ db: 0, key: 'greeting', value: { type: 'string', value: 'hi' }, expireAt: null }]),
  );
  const dumped = execFileSync('npx', ['--no-install', 'rc-rdb', 'dump', file], {
    encoding: 'utf8',
  });
  assert.match(dumped, /"greeting"/);

  await pingDaemon();

  // Embedded in the test process, with the test API.
  const server = await RcServer.start();
  const client = new Redis(server.url);
  server.time.freeze();
  assert.equal(await client.set('k', 'v', 'EX', 10), 'OK');
  server.time.advance(10_000);
  assert.equal(await client.get('k'), null);
  server.data.set('seeded', 'yes');
  assert.equal(await client.get('seeded'), 'yes');
  client.disconnect();
  await server.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('ESM smoke test passed');
