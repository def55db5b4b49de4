import { Engine } from '@rc/engine';
import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/**
 * Commands (and subcommands) left out of the sweep: they end or change the connection or the
 * server (SHUTDOWN, MONITOR, SUBSCRIBE, SYNC, MULTI...), or their replies differ by nature (times,
 * ids, the command count, memory figures, what the slow log caught), or they are known
 * differences: CLIENT SETINFO is Redis 7.2's (command-introspection.test.ts), and SCRIPT HELP
 * describes rc's SCRIPT, which has no DEBUG.
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
  'slowlog',
  'client|setinfo',
  'script|help',
]);

/** Every command and subcommand rc has, as argv prefixes: ['GET'], ['CLIENT', 'SETNAME']... */
function commandPrefixes(): string[][] {
  const names: string[] = [];
  for (const entry of new Engine().commands.entries()) {
    if (entry.subcommands === null) names.push(entry.fullName);
    else for (const sub of entry.subcommands.values()) names.push(sub.fullName);
  }
  return names
    .filter((name) => !LEFT_OUT.has(name) && !LEFT_OUT.has(name.split('|')[0]))
    .sort()
    .map((name) => name.toUpperCase().split('|'));
}

/** Argument lists short and long enough to reach every arity check and first argument check. */
const ARGUMENTS = [[], ['x'], ['x', 'y'], ['x', 'y', 'z'], ['x', 'y', 'z', 'w']];

describe.runIf(requireRedisOrSkip('arity sweep differential'))(
  'every command with zero to four made-up arguments, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const prefix of commandPrefixes()) {
      it(prefix.join(' '), () =>
        servers.compare([['SET', 'str', 'v'], ...ARGUMENTS.map((args) => [...prefix, ...args])]),
      );
    }
  },
);
