import { describe, expect, it } from 'vitest';
import { commandKeys, hasKeys, keyRoutingOf } from './command-keys.js';
import { redisCommands } from './redis-commands.js';

function keysOf(...argv: string[]) {
  return commandKeys(redisCommands[argv[0].toLowerCase()], argv).map(({ index, flags }) => [
    argv[index],
    flags.join(' '),
  ]);
}

describe('commandKeys', () => {
  it('takes fixed positions with their key spec flags', () => {
    expect(keysOf('LMOVE', 'a', 'b', 'LEFT', 'RIGHT')).toEqual([
      ['a', 'RW access delete'],
      ['b', 'RW insert'],
    ]);
  });

  it('follows ranges to the end with their step', () => {
    expect(keysOf('MSET', 'a', '1', 'b', '2')).toEqual([
      ['a', 'OW update'],
      ['b', 'OW update'],
    ]);
  });

  it('counts keys from a numkeys argument', () => {
    expect(keysOf('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2')).toEqual([
      ['dst', 'OW update'],
      ['a', 'RO access'],
      ['b', 'RO access'],
    ]);
  });

  it("falls back to the command's procedure, without flags, when numkeys is malformed", () => {
    expect(keysOf('EVAL', 's', '0')).toEqual([]);
    expect(keysOf('ZUNION', '02', 'a', 'b')).toEqual([
      ['a', ''],
      ['b', ''],
    ]);
  });

  it('finds keys after a keyword searched from the end (XREAD STREAMS)', () => {
    expect(keysOf('XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0')).toEqual([
      ['a', 'RO access'],
      ['b', 'RO access'],
    ]);
  });

  it('uses the procedure when flags vary with the arguments (SET ... GET)', () => {
    expect(keysOf('SET', 'k', 'v', 'EX', '1')).toEqual([['k', 'OW update']]);
    expect(keysOf('SET', 'k', 'v', 'GET')).toEqual([['k', 'RW access update']]);
  });

  it('uses the procedure when a spec is incomplete (SORT ... STORE)', () => {
    expect(keysOf('SORT', 'k', 'GET', 'store', 'STORE', 'd')).toEqual([
      ['k', 'RO access'],
      ['d', 'OW update'],
    ]);
  });
});

describe('hasKeys', () => {
  it('is false for commands without key specs or procedure', () => {
    expect(hasKeys(redisCommands.ping)).toBe(false);
    expect(hasKeys(redisCommands.publish)).toBe(false);
    expect(hasKeys(redisCommands.get)).toBe(true);
  });
});

describe('keyRoutingOf', () => {
  it('names the one key commandKeys finds, for every command it gives a position for', () => {
    let checked = 0;
    for (const [name, metadata] of Object.entries(redisCommands)) {
      const routing = keyRoutingOf(metadata);
      if (typeof routing !== 'number') continue;
      const argc = Math.max(Math.abs(metadata.arity), routing + 1);
      const argv = [name, ...Array.from({ length: argc - 1 }, (_, i) => `arg${i + 1}`)];
      expect(
        commandKeys(metadata, argv, true).map((key) => key.index),
        name,
      ).toEqual([routing]);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('leaves commands without keys to no routing, and several keys to the key specs', () => {
    expect(keyRoutingOf(redisCommands['ping'])).toBe('keyless');
    expect(keyRoutingOf(redisCommands['get'])).toBe(1);
    expect(keyRoutingOf(redisCommands['set'])).toBe(1);
    expect(keyRoutingOf(redisCommands['mset'])).toBe('specs');
    expect(keyRoutingOf(redisCommands['eval'])).toBe('specs');
    // Cluster routing takes a one-key command's write flag as is: no script may be one.
    for (const script of ['evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']) {
      expect(keyRoutingOf(redisCommands[script]), script).toBe('specs');
    }
  });
});
