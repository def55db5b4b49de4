import type { Client } from '../client.js';
import type { CommandResult, CommandSpec } from '../command-table.js';
import type { Engine } from '../engine.js';
import { commandGroup, helpSubcommand, NO_KEYS } from './define.js';
import { helpReply, isKeyword, ok } from './reply-helpers.js';

function evalCommand(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, false, false);
}

function evalsha(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, true, false);
}

function evalRo(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, false, true);
}

function evalshaRo(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, true, true);
}

function scriptLoad(client: Client, argv: string[], engine: Engine): void {
  engine.scripting.load(client, argv[2]);
}

function scriptExists(client: Client, argv: string[], engine: Engine): void {
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++)
    client.out.integer(engine.scripting.exists(argv[i]) ? 1 : 0);
}

function scriptFlush(client: Client, argv: string[], engine: Engine): void {
  if (
    argv.length > 3 ||
    (argv.length === 3 && !isKeyword(argv[2], 'sync') && !isKeyword(argv[2], 'async'))
  ) {
    engine.replyError(client, 'ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    return;
  }
  engine.scripting.flush();
  ok(client);
}

function scriptKill(client: Client, _argv: string[], engine: Engine): void {
  engine.scripting.kill(client, true);
}

const scriptHelp = helpReply([
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'EXISTS <sha1> [<sha1> ...]',
  '    For each SHA1, 1 if the script is cached, 0 otherwise.',
  'FLUSH [ASYNC|SYNC]',
  '    Empty the script cache.',
  'KILL',
  '    Stop the running script, if it has not written anything yet.',
  'LOAD <script>',
  '    Cache a script without running it; replies its SHA1.',
  'HELP',
  '    Prints this help.',
]);

const EVAL_FLAGS = ['noscript', 'skip_monitor', 'may_replicate', 'stale'] as const;
const EVAL_RO_FLAGS = ['noscript', 'skip_monitor', 'stale', 'readonly'] as const;

export const scriptingCommands: CommandSpec[] = commandGroup('scripting', [
  ['eval', -3, [...EVAL_FLAGS], NO_KEYS, evalCommand, 'Execute a Lua script server side', '2.6.0'],
  ['evalsha', -3, [...EVAL_FLAGS], NO_KEYS, evalsha, 'Execute a Lua script server side', '2.6.0'],
  [
    'eval_ro',
    -3,
    [...EVAL_RO_FLAGS],
    NO_KEYS,
    evalRo,
    'Execute a read-only Lua script server side',
    '7.0.0',
  ],
  [
    'evalsha_ro',
    -3,
    [...EVAL_RO_FLAGS],
    NO_KEYS,
    evalshaRo,
    'Execute a read-only Lua script server side',
    '7.0.0',
  ],
]).concat({
  name: 'script',
  arity: -2,
  flags: [],
  keys: NO_KEYS,
  group: 'scripting',
  summary: 'A container for Lua scripts management commands',
  since: '2.6.0',
  subcommands: commandGroup('scripting', [
    [
      'load',
      3,
      ['noscript', 'stale'],
      NO_KEYS,
      scriptLoad,
      'Load the specified Lua script into the script cache.',
      '2.6.0',
    ],
    [
      'exists',
      -3,
      ['noscript'],
      NO_KEYS,
      scriptExists,
      'Check existence of scripts in the script cache.',
      '2.6.0',
    ],
    [
      'flush',
      -2,
      ['noscript'],
      NO_KEYS,
      scriptFlush,
      'Remove all the scripts from the script cache.',
      '2.6.0',
    ],
    [
      'kill',
      2,
      ['noscript', 'allow_busy'],
      NO_KEYS,
      scriptKill,
      'Kill the script currently in execution.',
      '2.6.0',
    ],
    helpSubcommand(scriptHelp, '5.0.0'),
  ]),
});
