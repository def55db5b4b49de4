import { describe, expect, it } from 'vitest';
import { detachedConnection } from '../detached-connection.js';
import type { EngineCrash } from '../engine.js';
import { PropagationTarget } from '../propagation.js';
import { engineWithClient } from '../test-support/engine-client.js';

const DEBUG_ALLOWED: Array<[string, string]> = [['enable-debug-command', 'yes']];

describe('DEBUG without a host', () => {
  it('hands SEGFAULT, PANIC, ASSERT and OOM to onCrash, without replying', () => {
    const crashes: EngineCrash[] = [];
    const { run } = engineWithClient(DEBUG_ALLOWED, { onCrash: (crash) => crashes.push(crash) });
    for (const subcommand of ['SEGFAULT', 'PANIC', 'ASSERT', 'OOM']) {
      expect(run('DEBUG', subcommand)).toBe('');
    }
    expect(crashes.map((crash) => crash.kind)).toEqual([
      'segfault',
      'panic',
      'assertion',
      'out-of-memory',
    ]);
    expect(crashes[1].message).toMatch(/^DEBUG PANIC called at Unix time \d+$/);
  });

  it('stops serving on a crash when nobody handles it: every connection is closed', () => {
    const { engine, run } = engineWithClient(DEBUG_ALLOWED);
    const lines: string[] = [];
    engine.log = (_level, message) => lines.push(message);
    let closed = 0;
    for (let i = 0; i < 2; i++) {
      engine.connect({
        ...detachedConnection('127.0.0.1:3', '127.0.0.1:4'),
        close: () => closed++,
      });
    }
    run('DEBUG', 'SEGFAULT');
    expect(closed).toBe(2);
    expect(lines.join('\n')).toContain('crashed by signal');
  });

  it('writes DEBUG LOG lines to the engine log, as warnings', () => {
    const lines: string[] = [];
    const { run } = engineWithClient(DEBUG_ALLOWED, {
      log: (level, message) => lines.push(`${level} ${message}`),
    });
    expect(run('DEBUG', 'LOG', 'hello')).toBe('+OK\r\n');
    expect(lines).toEqual(['warning DEBUG LOG: hello']);
  });

  it('cannot RELOAD without files: the save fails, and so does a load', () => {
    const { run } = engineWithClient(DEBUG_ALLOWED);
    run('SET', 'k', 'v');
    expect(run('DEBUG', 'RELOAD')).toBe('-ERR\r\n');
    expect(run('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(run('DEBUG', 'RELOAD', 'NOSAVE')).toBe('-ERR Error trying to load the RDB dump\r\n');
  });

  it('crashes on LOADAOF without an append-only file, as Redis exits', () => {
    const crashes: EngineCrash[] = [];
    const { run } = engineWithClient(DEBUG_ALLOWED, { onCrash: (crash) => crashes.push(crash) });
    run('DEBUG', 'LOADAOF');
    expect(crashes.map((crash) => crash.kind)).toEqual(['aof-load']);
  });

  it('lets scripts call noscript commands once SET-DISABLE-DENY-SCRIPTS is on', () => {
    const { run } = engineWithClient(DEBUG_ALLOWED);
    const script = "return redis.pcall('debug', 'sleep', '0')";
    expect(run('EVAL', script, '0')).toContain('not allowed from script');
    expect(run('DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1')).toBe('+OK\r\n');
    expect(run('EVAL', script, '0')).toBe('+OK\r\n');
  });

  it('describes the quicklist Redis would build in DEBUG OBJECT', () => {
    const { run } = engineWithClient(DEBUG_ALLOWED);
    run('RPUSH', 'list', ...Array.from({ length: 1000 }, (_, i) => `element-${i}`));
    const line = run('DEBUG', 'OBJECT', 'list');
    expect(line).toMatch(/ encoding:quicklist /);
    expect(line).toMatch(/ ql_nodes:\d+ ql_avg_node:\d+\.\d\d ql_listpack_max:-2 ql_compressed:0 /);
    const nodes = Number(/ql_nodes:(\d+)/.exec(line)?.[1]);
    // 1000 elements of about 13 bytes each need two 8 kB listpacks.
    expect(nodes).toBe(2);
  });

  it('sends the command REPLICATE is given to the replicas only, and does not propagate POPULATE', () => {
    const { engine, run } = engineWithClient(DEBUG_ALLOWED);
    const sent: Array<{ argv: readonly string[]; target: number }> = [];
    engine.propagation.addListener((batch) => {
      for (const op of batch) sent.push({ argv: op.argv, target: op.target });
    });
    expect(run('DEBUG', 'POPULATE', '3')).toBe('+OK\r\n');
    expect(run('DEBUG', 'REPLICATE', 'fake-command', 'x')).toBe('+OK\r\n');
    expect(sent).toEqual([{ argv: ['fake-command', 'x'], target: PropagationTarget.Replication }]);
  });

  it('keeps the address DEBUG OBJECT shows while a value is modified in place', () => {
    const { run } = engineWithClient(DEBUG_ALLOWED);
    const address = (key: string) =>
      /Value at:(0x[0-9a-f]+) /.exec(run('DEBUG', 'OBJECT', key))?.[1];
    run('SET', 'counter', '20000');
    run('RPUSH', 'list', 'a');
    const [counter, list] = [address('counter'), address('list')];
    run('INCR', 'counter');
    run('RPUSH', 'list', 'b');
    expect(address('counter')).toBe(counter);
    expect(address('list')).toBe(list);
    expect(counter).not.toBe(list);
  });
});
