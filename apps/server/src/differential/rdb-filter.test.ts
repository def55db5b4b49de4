import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RdbReader } from '@rc/rdb';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const run = promisify(execFile);
const LIBRARY = "#!lua name=lib1\nredis.register_function('func1', function() return 123 end)";

/** The kinds of records of an RDB file, in order (aux fields left out). */
function recordKinds(file: string): string[] {
  const reader = new RdbReader();
  reader.push(readFileSync(file));
  reader.end();
  return [...reader.records()].map((record) => record.kind).filter((kind) => kind !== 'aux');
}

describe.runIf(requireRedisOrSkip('rdb-filter-only differential'))(
  'REPLCONF rdb-filter-only (redis-cli --functions-rdb), compared with redis-server',
  () => {
    const servers = useDifferential();

    it('accepts only the functions filter, and a filtered SYNC only with the EOF capability', () =>
      servers.compare([
        ['REPLCONF', 'rdb-filter-only', 'bogus'],
        ['REPLCONF', 'rdb-filter-only', 'functions keys'],
        ['REPLCONF', 'rdb-filter-only', '"unbalanced'],
        ['REPLCONF', 'rdb-filter-only', 'FUNCTIONS'],
        ['REPLCONF', 'rdb-filter-only', ''],
        ['SYNC'],
      ]));

    it('redis-cli --functions-rdb gets the libraries and no keys', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-functions-rdb-'));
      const kinds: string[][] = [];
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const client = await RawClient.open(port);
        await client.command('FLUSHALL');
        await client.command('FUNCTION', 'FLUSH');
        await client.command('SET', 'key', 'value');
        await client.command('FUNCTION', 'LOAD', LIBRARY);
        client.close();
        const file = join(dir, `${port}.rdb`);
        const cli = await run('redis-cli', ['-p', String(port), '--functions-rdb', file]);
        expect(cli.stdout + cli.stderr).toContain('Transfer finished with success');
        kinds.push(recordKinds(file));
      }
      expect(kinds[0]).toEqual(['function', 'end']);
      expect(kinds[0]).toEqual(kinds[1]);
    });
  },
);
