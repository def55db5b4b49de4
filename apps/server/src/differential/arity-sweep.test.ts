import { Engine, type CommandEntry } from '@rc/engine';
import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';
import { TYPED_KEYS, TYPED_KEYS_SETUP } from '../test-support/typed-keys.js';

/**
 * Commands (and subcommands) left out of the sweep: they end or change the connection or the
 * server (SHUTDOWN, MONITOR, SUBSCRIBE, SYNC, MULTI...), or their replies differ by nature (times,
 * ids, idle times, the command count, memory figures, what the slow log caught), or they are known
 * differences: CLIENT SETINFO is Redis 7.2's (command-introspection.test.ts), and SCRIPT HELP
 * describes rc's SCRIPT, which has no DEBUG. ACL CAT's commands come in Redis's dictionary order,
 * GENPASS is random and ACL LOG shows ages: acl.test.ts compares them with those masked.
 */
const LEFT_OUT = new Set([
  'shutdown',
  'monitor',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'sync',
  'psync',
  'multi',
  'exec',
  'discard',
  'watch',
  'quit',
  'reset',
  'debug',
  'replicaof',
  'slaveof',
  'failover',
  'save',
  'bgsave',
  'bgrewriteaof',
  'time',
  'lastsave',
  'info',
  'randomkey',
  'role',
  'hello',
  'command',
  'command|count',
  'command|list',
  'command|docs',
  'command|info',
  'client|list',
  'client|info',
  'client|id',
  'client|kill',
  'client|pause',
  'memory|stats',
  'memory|doctor',
  'memory|malloc-stats',
  'latency|doctor',
  'pfselftest',
  'lolwut',
  'config|get',
  'config|rewrite',
  'config|resetstat',
  'function|stats',
  'function|dump',
  'script|kill',
  'function|kill',
  'slowlog|get',
  'latency|histogram',
  'memory|usage',
  'object|idletime',
  'slowlog',
  'client|setinfo',
  'script|help',
  'acl|cat',
  'acl|genpass',
  'acl|log',
]);

interface SweptCommand {
  /** The argv prefix: ['GET'], ['CLIENT', 'SETNAME']... */
  readonly prefix: string[];
  /** A blocking command waits on a missing key: it is tried with made-up arguments only. */
  readonly blocking: boolean;
}

/** Every command and subcommand rc has, but those left out. */
function sweptCommands(): SweptCommand[] {
  const entries: CommandEntry[] = [];
  for (const entry of new Engine().commands.entries()) {
    if (entry.subcommands === null) entries.push(entry);
    else entries.push(...entry.subcommands.values());
  }
  return entries
    .filter(({ fullName }) => !LEFT_OUT.has(fullName) && !LEFT_OUT.has(fullName.split('|')[0]))
    .sort((a, b) => (a.fullName < b.fullName ? -1 : 1))
    .map((entry) => ({
      prefix: entry.fullName.toUpperCase().split('|'),
      blocking: entry.spec.flags.includes('blocking'),
    }));
}

/** Argument lists short and long enough to reach every arity check and first argument check. */
const ARGUMENTS = [[], ['x'], ['x', 'y'], ['x', 'y', 'z'], ['x', 'y', 'z', 'w']];

/** Big ordered values, past Redis's compact encodings (quicklist nodes, skiplist, stream nodes). */
const BIG_SETUP = [
  ['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `e${i % 50}`)],
  ['ZADD', 'bigzset', ...Array.from({ length: 200 }, (_, i) => [String(i % 40), `m${i}`]).flat()],
  ...Array.from({ length: 150 }, (_, i) => ['XADD', 'bigstream', `${i + 1}-1`, 'f', `v${i}`]),
];
const BIG_KEYS = ['biglist', 'bigzset', 'bigstream'];

/** Commands whose answer on a big value is random or in hash order, by nature. */
const RANDOM_ON_BIG_VALUES = new Set(['zrandmember', 'zscan']);

/** Then a key of each type first, with a few plausible values after it. */
const keyedArguments = (keys: string[]) =>
  keys.flatMap((key) => [
    [key],
    [key, '0'],
    [key, '0', '-1'],
    [key, 'a', '1'],
    [key, '1', 'a'],
    [key, '0', '-1', 'WITHSCORES'],
    [key, '-inf', '+inf', 'LIMIT', '0', '1'],
    [key, '-', '+', 'COUNT', '1'],
    [key, '1', '2', '3'],
    [key, 'a', 'b', 'c', 'd'],
    [key, 'NX', '1', 'a'],
    [key, 'XX', 'GT', 'CH', '1', 'a'],
    [key, 'a', 'EX', '10'],
    [key, '(1', '[a'],
    [key, '+', '-', 'BYLEX', 'REV'],
    [key, 'MAXLEN', '~', '1', '5-5', 'f', 'v'],
    [key, '0', 'MATCH', '*', 'COUNT', '5'],
  ]);

describe.runIf(requireRedisOrSkip('arity sweep differential'))(
  'every command with zero to four made-up arguments, then on each type of key, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const { prefix, blocking } of sweptCommands()) {
      const keys = RANDOM_ON_BIG_VALUES.has(prefix.join('|').toLowerCase())
        ? TYPED_KEYS
        : [...TYPED_KEYS, ...BIG_KEYS];
      const keyed = keyedArguments(keys);
      const argumentLists = blocking ? ARGUMENTS : [...ARGUMENTS, ...keyed];
      it(prefix.join(' '), () =>
        servers.compare([
          ...TYPED_KEYS_SETUP,
          ...BIG_SETUP,
          ...argumentLists.map((args) => [...prefix, ...args]),
          // Queued in a transaction: what MULTI refuses at once, what EXEC runs (a blocking
          // command does not block there).
          ['MULTI'],
          ...[...ARGUMENTS, ...keyed].map((args) => [...prefix, ...args]),
          ['EXEC'],
          ['MULTI'],
          [...prefix, 'list', '0', '-1'],
          ['EXEC'],
        ]),
      );
    }
  },
);
