import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArguments } from './arguments.js';

function configOf(args: string[]): Array<[string, string]> {
  const parsed = parseArguments(args);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${JSON.stringify(parsed)}`);
  return parsed.config;
}

describe('parseArguments', () => {
  it('takes --replicaof as two arguments or as one "host port" argument, and --slaveof', () => {
    expect(configOf(['--replicaof', '127.0.0.1', '6380'])).toEqual([
      ['replicaof', '127.0.0.1 6380'],
    ]);
    expect(configOf(['--replicaof', '127.0.0.1 6380'])).toEqual([['replicaof', '127.0.0.1 6380']]);
    expect(configOf(['--slaveof', '10.0.0.1', '7000'])).toEqual([['replicaof', '10.0.0.1 7000']]);
  });

  it('reads directives from a config file first, then command-line options', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rc-conf-')), 'redis.conf');
    writeFileSync(file, '# a replica\nreplicaof 127.0.0.1 6380\nsave ""\ndir /tmp\n');
    expect(configOf([file, '--port', '7001'])).toEqual([
      ['replicaof', '127.0.0.1 6380'],
      ['save', ''],
      ['dir', '/tmp'],
      ['port', '7001'],
    ]);
  });

  it('rejects unknown options and a config file that is not there', () => {
    expect(parseArguments(['--no-such-option', 'x'])).toEqual({
      kind: 'error',
      message: "Bad directive or wrong number of arguments: 'no-such-option'",
    });
    const missing = parseArguments(['/nonexistent/redis.conf']);
    expect(missing.kind === 'error' && missing.message).toMatch(/^Can't open config file/);
  });
});
