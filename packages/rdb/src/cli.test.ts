import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import type { RdbKey } from './types.js';
import { writeRdb } from './writer.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const code = await runCli(args, stdout, stderr);
  return { code, stdout: out, stderr: err };
}

function file(contents: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rc-rdb-cli-')), 'dump.rdb');
  writeFileSync(path, contents);
  return path;
}

const KEYS: RdbKey[] = [
  {
    db: 0,
    key: 'bin\x00\xff\n',
    value: { type: 'string', value: 'caf\xc3\xa9' },
    expireAt: 1_700_000_000_000,
  },
  {
    db: 3,
    key: 'z',
    value: {
      type: 'zset',
      entries: [
        ['a', Infinity],
        ['b', 1.5],
      ],
    },
    expireAt: null,
  },
  {
    db: 3,
    key: 's',
    value: {
      type: 'stream',
      stream: {
        entries: [{ id: { ms: 1n, seq: 2n }, fields: ['f', 'v'] }],
        length: 1,
        lastId: { ms: 1n, seq: 2n },
        firstId: { ms: 1n, seq: 2n },
        maxDeletedId: { ms: 0n, seq: 0n },
        entriesAdded: 1n,
        groups: [],
      },
    },
    expireAt: null,
  },
];

describe('rc-rdb', () => {
  it('dump prints one ASCII JSON line per key, bytes recoverable as latin1', async () => {
    const { code, stdout } = await run(['dump', file(writeRdb(KEYS))]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '{"db":0,"key":"bin\\u0000\\u00ff\\n","type":"string","value":"caf\\u00c3\\u00a9","expireAt":1700000000000}',
    );
    expect(Buffer.from(JSON.parse(lines[0]).key, 'latin1')).toEqual(
      Buffer.from([0x62, 0x69, 0x6e, 0, 0xff, 0x0a]),
    );
    expect(JSON.parse(lines[1])).toEqual({
      db: 3,
      key: 'z',
      type: 'zset',
      value: [
        ['a', 'inf'],
        ['b', 1.5],
      ],
      expireAt: null,
    });
    expect(JSON.parse(lines[2]).value).toEqual({
      entries: [{ id: '1-2', fields: ['f', 'v'] }],
      length: 1,
      lastId: '1-2',
      firstId: '1-2',
      maxDeletedId: '0-0',
      entriesAdded: 1,
      groups: [],
    });
    expect(lines).toHaveLength(3);
  });

  it('check summarises the file', async () => {
    const { code, stdout } = await run(['check', file(writeRdb(KEYS, [['redis-ver', '7.0.15']]))]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'RDB version 10, checksum verified\n3 keys (1 with expiry): db0=1 db3=2\naux: redis-ver=7.0.15\n',
    );
  });

  it('fails with the RdbError message on a corrupt file, and with usage on bad arguments', async () => {
    const corrupt = writeRdb(KEYS);
    corrupt[corrupt.length - 3] ^= 1;
    const path = file(corrupt);
    const { code, stderr } = await run(['dump', path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^rc-rdb: ${path}: RDB checksum mismatch`));
    expect((await run(['dump', join(tmpdir(), 'no-such-file.rdb')])).code).toBe(1);
    const usage = await run(['list']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: rc-rdb dump/);
  });
});
