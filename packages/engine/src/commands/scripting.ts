import type { Client } from '../client.js';
import type { CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { ok, replyHelp } from '../replies.js';
import { isKeyword } from '../arguments.js';

export function evalCommand(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, false, false);
}

export function evalsha(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, true, false);
}

export function eval_ro(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, false, true);
}

export function evalsha_ro(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.eval(client, argv, true, true);
}

export function scriptLoad(client: Client, argv: string[], engine: Engine): void {
  engine.scripting.load(client, argv[2]);
}

export function scriptExists(client: Client, argv: string[], engine: Engine): void {
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++)
    client.out.integer(engine.scripting.exists(argv[i]) ? 1 : 0);
}

export function scriptFlush(client: Client, argv: string[], engine: Engine): void {
  if (
    argv.length > 3 ||
    (argv.length === 3 && !isKeyword(argv[2], 'sync') && !isKeyword(argv[2], 'async'))
  ) {
    client.out.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    return;
  }
  engine.scripting.flush();
  ok(client);
}

export function scriptKill(client: Client, _argv: string[], engine: Engine): void {
  engine.scripting.kill(client, true);
}

/**
 * SCRIPT DEBUG YES|SYNC|NO: the client's next EVAL runs under the Lua debugger (LDB). Redis
 * forks for YES; rc runs both modes as SYNC does (see the engine README).
 */
export function scriptDebug(client: Client, argv: string[]): void {
  // Replies still waiting to be written: the debugger would talk over them.
  if (client.out.length !== 0 || client.connection.pendingOutputBytes !== 0) {
    client.out.error('ERR SCRIPT DEBUG must be called outside a pipeline');
    return;
  }
  const mode = argv[2].toLowerCase();
  if (mode !== 'no' && mode !== 'yes' && mode !== 'sync') {
    client.out.error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
    return;
  }
  client.luaDebug = mode === 'no' ? null : mode;
  ok(client);
}

const SCRIPT_HELP: readonly string[] = [
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
];

export function scriptHelp(client: Client): void {
  replyHelp(client, SCRIPT_HELP);
}
