import type { Client } from '../client.js';
import type { CommandResult, CommandSpec } from '../command-table.js';
import type { Engine } from '../engine.js';
import { commandGroup, helpSubcommand, NO_KEYS } from '../command-rows.js';
import { helpReply, ok } from '../replies.js';
import { isKeyword } from '../arguments.js';

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

/**
 * SCRIPT DEBUG YES|SYNC|NO: the client's next EVAL runs under the Lua debugger (LDB). Redis
 * forks for YES; rc runs both modes as SYNC does (see the engine README).
 */
function scriptDebug(client: Client, argv: string[], engine: Engine): void {
  // Replies still waiting to be written: the debugger would talk over them.
  if (client.out.length !== 0 || client.connection.pendingOutputBytes !== 0) {
    engine.replyError(client, 'ERR SCRIPT DEBUG must be called outside a pipeline');
    return;
  }
  const mode = argv[2].toLowerCase();
  if (mode !== 'no' && mode !== 'yes' && mode !== 'sync') {
    engine.replyError(client, 'ERR Use SCRIPT DEBUG YES/SYNC/NO');
    return;
  }
  client.luaDebug = mode === 'no' ? null : mode;
  ok(client);
}

const scriptHelp = helpReply([
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
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
      'debug',
      3,
      ['noscript'],
      NO_KEYS,
      scriptDebug,
      'Set the debug mode for executed scripts.',
      '3.2.0',
    ],
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
