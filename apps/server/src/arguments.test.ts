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

  it('follows include directives, and takes a multi-word value given as one argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-conf-'));
    writeFileSync(join(dir, 'other.conf'), 'maxmemory 10mb\n');
    writeFileSync(join(dir, 'redis.conf'), `include ${join(dir, 'other.conf')}\nport 7002\n`);
    expect(configOf([join(dir, 'redis.conf'), '--save', '900 1 300 10'])).toEqual([
      ['maxmemory', '10mb'],
      ['port', '7002'],
      ['save', '900 1 300 10'],
    ]);
  });

  it('reads --save with no value as save "", and a value starting with -- after a bare name', () => {
    expect(configOf(['--save', '--port', '7003'])).toEqual([
      ['save', ''],
      ['port', '7003'],
    ]);
    expect(configOf(['--logfile', '--my--log--file'])).toEqual([['logfile', '--my--log--file']]);
  });

  it("names the bad line of the whole text, as Redis's FATAL CONFIG FILE ERROR", () => {
    const parsed = parseArguments(['--port', '7000', '--no-such-option', 'x']);
    expect(parsed).toEqual({
      kind: 'error',
      via: 'stderr',
      message:
        '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n' +
        'Reading the configuration file, at line 3\n' +
        `>>> 'no-such-option "x"'\n` +
        'Bad directive or wrong number of arguments\n',
    });
    const missing = parseArguments(['/nonexistent/redis.conf']);
    expect(missing).toEqual({
      kind: 'error',
      via: 'log',
      message:
        "Fatal error, can't open config file '/nonexistent/redis.conf': No such file or directory",
    });
  });

  it('reads the shutdown flags as several words, and refuses none', () => {
    expect(
      configOf([
        '--shutdown-on-sigint',
        'nosave',
        'force',
        'now',
        '--shutdown-on-sigterm',
        'nosave force',
      ]),
    ).toEqual([
      ['shutdown-on-sigint', 'nosave force now'],
      ['shutdown-on-sigterm', 'nosave force'],
    ]);
    const parsed = parseArguments(['--shutdown-on-sigint', 'now force', '--shutdown-on-sigterm']);
    expect(parsed.kind === 'error' && parsed.message).toContain(
      ">>> 'shutdown-on-sigterm'\nargument(s) must be one of the following: default, save, nosave, now, force\n",
    );
  });

  it('takes save lines together: the first replaces the defaults, "" empties them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rc-conf-')), 'redis.conf');
    writeFileSync(file, 'save 900 1\n');
    expect(configOf([file])).toEqual([['save', '900 1']]);
    expect(configOf([file, '--save', '100', '100'])).toEqual([['save', '900 1 100 100']]);
    expect(configOf([file, '--save', ''])).toEqual([['save', '']]);
    expect(configOf([file, '--save', '', '--save', '60 5'])).toEqual([['save', '60 5']]);
  });

  it('reads user lines apart from the config, and refuses a user declared twice', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rc-conf-')), 'redis.conf');
    writeFileSync(file, 'user default on nopass ~* &* +@all\nport 7004\nuser alice (~a* +get)\n');
    const parsed = parseArguments([file]);
    expect(parsed.kind === 'run' && parsed.config).toEqual([['port', '7004']]);
    expect(parsed.kind === 'run' && parsed.users).toEqual([
      ['default', 'on', 'nopass', '~*', '&*', '+@all'],
      ['alice', '(~a* +get)'],
    ]);
    writeFileSync(file, 'user alice on >secret ~* +@all\nuser alice off\n');
    const twice = parseArguments([file]);
    expect(twice.kind === 'error' && twice.message).toContain(
      "Error in user declaration 'alice': Duplicate user found",
    );
  });
});
