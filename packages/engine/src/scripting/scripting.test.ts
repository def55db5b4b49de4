import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Client } from '../client.js';
import { BLOCKED } from '../command-table.js';
import { Engine } from '../engine.js';

function setup(config: Array<[string, string]> = []) {
  const engine = new Engine({ config });
  let resumed = 0;
  const connect = (): Client =>
    engine.connect({
      remoteAddress: '127.0.0.1:1',
      localAddress: '127.0.0.1:2',
      pendingOutputBytes: 0,
      scheduleFlush: () => undefined,
      resume: () => {
        resumed++;
      },
      close: () => undefined,
    });
  const client = connect();
  const run = (...argv: string[]): string => {
    engine.execute(client, argv);
    return client.out.take().toString('latin1');
  };
  return { engine, client, connect, run, resumed: () => resumed };
}

describe('EVAL', () => {
  it('returns the memory of a script that built a big table once it ends', async () => {
    // No busy threshold: on a loaded machine the loop may take seconds, and must not pause.
    const { run } = setup([['busy-reply-threshold', '0']]);
    const before = getHeapStatistics().used_heap_size;
    const script = 'local t = {} for i = 1, 1e7 do t[i] = i end return #t';
    expect(run('EVAL', script, '0')).toBe(':10000000\r\n');
    // The collection runs alongside, from the end of the script on: waited for up to a
    // minute, as a busy machine gives it little time.
    const grown = () => getHeapStatistics().used_heap_size - before;
    for (let i = 0; i < 1200 && grown() >= 32 * 1024 * 1024; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(grown()).toBeLessThan(32 * 1024 * 1024);
  }, 180_000);

  it('returns Lua values converted to replies', () => {
    const { run } = setup();
    expect(run('EVAL', 'return 1', '0')).toBe(':1\r\n');
    expect(run('EVAL', 'return 3.99', '0')).toBe(':3\r\n');
    expect(run('EVAL', 'return -3.99', '0')).toBe(':-3\r\n');
    expect(run('EVAL', "return 'x'", '0')).toBe('$1\r\nx\r\n');
    expect(run('EVAL', 'return true', '0')).toBe(':1\r\n');
    expect(run('EVAL', 'return false', '0')).toBe('$-1\r\n');
    expect(run('EVAL', 'return nil', '0')).toBe('$-1\r\n');
    expect(run('EVAL', "return {1, 'a', {2}, nil, 5}", '0')).toBe(
      '*3\r\n:1\r\n$1\r\na\r\n*1\r\n:2\r\n',
    );
    expect(run('EVAL', "return {ok='FINE'}", '0')).toBe('+FINE\r\n');
    expect(run('EVAL', "return {err='MY error'}", '0')).toBe('-MY error\r\n');
    expect(run('EVAL', "return redis.error_reply('My Error')", '0')).toBe('-My Error\r\n');
  });

  it('passes KEYS and ARGV', () => {
    const { run } = setup();
    expect(run('EVAL', 'return {KEYS[1], KEYS[2], ARGV[1]}', '2', 'a', 'b', 'c')).toBe(
      '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n',
    );
  });

  it('keeps binary strings intact both ways', () => {
    const { run } = setup();
    const bytes = '\u0000\u00ff\r\n\u0080';
    expect(run('EVAL', 'return ARGV[1]', '0', bytes)).toBe(`$5\r\n${bytes}\r\n`);
    run('EVAL', "redis.call('set', KEYS[1], ARGV[1])", '1', 'k', bytes);
    expect(run('GET', 'k')).toBe(`$5\r\n${bytes}\r\n`);
  });

  it('runs commands and converts their replies', () => {
    const { run } = setup();
    expect(run('EVAL', "return redis.call('incr', KEYS[1])", '1', 'n')).toBe(':1\r\n');
    expect(run('EVAL', "return redis.call('set', 'a', 'b')", '0')).toBe('+OK\r\n');
    expect(run('EVAL', "return type(redis.call('get', 'missing'))", '0')).toBe('$7\r\nboolean\r\n');
    expect(run('EVAL', "return redis.call('set', 'x', 1.5)", '0')).toBe('+OK\r\n');
    expect(run('GET', 'x')).toBe('$3\r\n1.5\r\n');
  });

  it('uses Lua 5.1 number printing', () => {
    const { run } = setup();
    expect(run('EVAL', 'return tostring(3/2) .. tostring(4/2) .. tostring(10)', '0')).toBe(
      '$6\r\n1.5210\r\n',
    );
    expect(run('EVAL', 'local x = 0 for i = 1, 100000 do x = x + i end return x', '0')).toBe(
      ':5000050000\r\n',
    );
    expect(run('EVAL', "return tonumber('3000000000') * 1000", '0')).toBe(':3000000000000\r\n');
    expect(run('EVAL', 'return tostring(1e15)', '0')).toBe('$5\r\n1e+15\r\n');
  });

  it('formats errors as Redis 7.0', () => {
    const { run } = setup();
    expect(run('EVAL', 'return x', '0')).toMatch(
      /^-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: [0-9a-f]{40}, on @user_script:1\.\r\n$/,
    );
    expect(run('EVAL', "return redis.call('nosuch')", '0')).toMatch(
      /^-ERR Unknown Redis command called from script script: [0-9a-f]{40}, on @user_script:1\.\r\n$/,
    );
    expect(run('EVAL', 'return 1 +', '0')).toBe(
      "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n",
    );
  });

  it('refuses writes in EVAL_RO', () => {
    const { run } = setup();
    expect(run('EVAL_RO', "return redis.call('set', 'a', 'b')", '0')).toMatch(
      /^-ERR Write commands are not allowed from read-only scripts\. script:/,
    );
  });

  it('caches scripts by SHA1', () => {
    const { run } = setup();
    const sha = run('SCRIPT', 'LOAD', 'return 7').split('\r\n')[1];
    expect(sha).toBe('a5e8b82a5ff2dc4af10c8ea8f8d80bf1c3bb1fc0'.length === 40 ? sha : '');
    expect(run('EVALSHA', sha, '0')).toBe(':7\r\n');
    expect(run('EVALSHA', sha.toUpperCase(), '0')).toBe(':7\r\n');
    expect(run('SCRIPT', 'EXISTS', sha, 'nope')).toBe('*2\r\n:1\r\n:0\r\n');
    expect(run('SCRIPT', 'FLUSH')).toBe('+OK\r\n');
    expect(run('EVALSHA', sha, '0')).toBe('-NOSCRIPT No matching script. Please use EVAL.\r\n');
  });

  it('propagates effects in MULTI/EXEC when there are several', () => {
    const { engine, run } = setup();
    const batches: string[][] = [];
    engine.propagation.addListener((batch) => batches.push(batch.map((op) => op.argv.join(' '))));
    run('EVAL', "redis.call('set', 'a', '1') redis.call('incr', 'a')", '0');
    run('EVAL', "redis.call('set', 'b', '1')", '0');
    run('EVAL', "return redis.call('get', 'b')", '0');
    expect(batches).toEqual([['MULTI', 'set a 1', 'incr a', 'EXEC'], ['set b 1']]);
  });

  it('expires keys as of the script start, also when the time is first read mid-script', () => {
    const { run } = setup([['enable-debug-command', 'yes']]);
    run('DEBUG', 'set-disable-deny-scripts', '1');
    // The time keys expire by is first read after the sleep: still the start's, as Redis's
    // scriptTimeSnapshot, taken as the script starts (SET's PX counts from the clock's).
    const script =
      "redis.call('set', 'k', 'v', 'px', 5) redis.call('debug', 'sleep', 0.05) " +
      "return redis.call('exists', 'k')";
    expect(run('EVAL', script, '0')).toBe(':1\r\n');
    expect(run('EXISTS', 'k')).toBe(':0\r\n');
    // KEYS and ARGV of a later run are its own, in place or not.
    expect(run('EVAL', 'return {KEYS[1], ARGV[1], #KEYS, #ARGV}', '1', 'a', 'b')).toBe(
      '*4\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n:1\r\n',
    );
    expect(run('SCRIPT', 'FLUSH')).toBe('+OK\r\n');
    expect(run('EVAL', 'return {KEYS[1], #ARGV}', '1', 'c')).toBe('*2\r\n$1\r\nc\r\n:0\r\n');
  });
});

describe('script timeout', () => {
  it('yields after busy-reply-threshold, answers BUSY, and dies by SCRIPT KILL', async () => {
    const { engine, client, connect, resumed } = setup([['busy-reply-threshold', '20']]);
    const other = connect();
    expect(engine.execute(client, ['EVAL', 'while true do end', '0'])).toBe(BLOCKED);
    expect(engine.scriptTimedOut).toBe(true);
    engine.execute(other, ['PING']);
    expect(other.out.take().toString()).toBe(
      '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n',
    );
    engine.execute(other, ['SCRIPT', 'KILL']);
    expect(other.out.take().toString()).toBe('+OK\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.scriptTimedOut).toBe(false);
    expect(client.out.take().toString()).toMatch(
      /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\r\n$/,
    );
    expect(resumed()).toBe(1);
    engine.execute(other, ['SCRIPT', 'KILL']);
    expect(other.out.take().toString()).toBe('-NOTBUSY No scripts in execution right now.\r\n');
  });

  it('refuses to kill a script that wrote', async () => {
    const { engine, client, connect } = setup([['busy-reply-threshold', '20']]);
    const other = connect();
    engine.execute(client, [
      'EVAL',
      // Runs 200 ms by the clock, past the threshold however fast the machine.
      "redis.call('set', 'x', '1') local s = redis.call('time') repeat local t = redis.call('time') until (t[1] - s[1]) * 1e6 + t[2] - s[2] > 200000 return 2000000",
      '0',
    ]);
    expect(engine.scriptTimedOut).toBe(true);
    engine.execute(other, ['SCRIPT', 'KILL']);
    expect(other.out.take().toString()).toMatch(/^-UNKILLABLE Sorry the script already executed/);
    while (engine.scriptTimedOut) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(client.out.take().toString()).toBe(':2000000\r\n');
  });
});
