import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const SCRIPT = [
  'local a = 1',
  "local b = {1, 2, 'x', {y = true}}",
  "redis.call('set', KEYS[1], a)",
  "redis.debug('hello', b)",
  'for i = 1, 2 do',
  '  a = a + i',
  'end',
  'redis.breakpoint()',
  "redis.call('incr', KEYS[1])",
  'return a',
].join('\n');

/** Each step's raw reply in one debugging session (null once the server closed it). */
async function session(port: number, steps: string[][]): Promise<Array<string | null>> {
  const client = await RawClient.open(port);
  const replies: Array<string | null> = [];
  for (const step of steps) {
    const reply = await client.command(...step);
    replies.push(reply === null ? null : reply.toString('latin1'));
  }
  client.close();
  return replies;
}

describe.runIf(requireRedisOrSkip('Lua debugger differential'))(
  'SCRIPT DEBUG SYNC (the Lua debugger), compared with redis-server',
  () => {
    const servers = useDifferential();
    const compare = async (steps: string[][]) => {
      const ours = await session(servers.rcPort(), steps);
      const theirs = await session(servers.redisPort(), steps);
      for (let i = 0; i < steps.length; i++) {
        expect(ours[i], `step ${i}: ${steps[i].join(' ')}`).toBe(theirs[i]);
      }
    };

    it('steps, prints, lists, breaks, evaluates and runs commands', () =>
      compare([
        ['SCRIPT', 'DEBUG', 'SYNC'],
        ['EVAL', SCRIPT, '1', 'debugged'],
        ['s'],
        ['step'],
        ['print'],
        ['p', 'b'],
        ['p', 'KEYS'],
        ['p', 'nosuch'],
        ['b', '6'],
        ['b'],
        ['b', 'x', '99', '-4'],
        ['list'],
        ['l', '3', '1'],
        ['c'],
        ['eval', 'a', '+', '1'],
        ['e', 'return', 'nosuch'],
        ['e', 'if'],
        ['redis', 'get', 'debugged'],
        ['r', 'nosuch'],
        ['whole'],
        ['maxlen'],
        ['m', '10'],
        ['e', "string.rep('x', 100)"],
        ['m', '0'],
        ['t'],
        ['nosuch', 'command'],
        ['h'],
        ['b', '-6'],
        ['c'],
        ['n'],
        ['c'],
        ['PING'],
      ]));

    it('abort ends the script with its error', () =>
      compare([
        ['SCRIPT', 'DEBUG', 'SYNC'],
        ['EVAL', SCRIPT, '1', 'aborted'],
        ['s'],
        ['abort'],
        ['PING'],
      ]));

    it('a script with an error, and EVALSHA refused', () =>
      compare([
        ['SCRIPT', 'LOAD', 'return 1'],
        ['SCRIPT', 'DEBUG', 'YES'],
        ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
        ['SCRIPT', 'DEBUG', 'NO'],
        ['SCRIPT', 'DEBUG', 'MAYBE'],
        ['SCRIPT', 'DEBUG', 'SYNC'],
        ['EVAL', 'local x = {}\nreturn x.y.z', '0'],
        ['c'],
        ['PING'],
      ]));

    it('a bad EVAL ends the session at once', () =>
      compare([['SCRIPT', 'DEBUG', 'SYNC'], ['EVAL', 'return +', '0'], ['PING']]));
  },
);
