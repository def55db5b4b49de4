import type { Client } from '../client.js';
import { subcommandSyntaxError } from '../errors.js';
import type { CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { globMatch } from '../glob.js';
import {
  ENGINE_NAME,
  LOAD_TIMEOUT_MILLISECONDS,
  type Library,
  type RestorePolicy,
} from '../scripting/function-libraries.js';
import { SCRIPT_FLAG_NAMES } from '../scripting/script-flags.js';
import { ok, replyHelp } from '../replies.js';
import { isKeyword } from '../arguments.js';

/** Redis's addReplySubcommandSyntaxError, for FUNCTION's subcommands. */
function syntaxError(client: Client, argv: string[]): void {
  client.out.error(subcommandSyntaxError('function', argv[1]));
}

export function fcall(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.fcall(client, argv, false);
}

export function fcall_ro(client: Client, argv: string[], engine: Engine): CommandResult {
  engine.monitors.feed(client, argv);
  return engine.scripting.fcall(client, argv, true);
}

/** FUNCTION LOAD [REPLACE] code */
export function functionLoad(client: Client, argv: string[], engine: Engine): void {
  let replace = false;
  let position = 2;
  while (position < argv.length - 1) {
    const option = argv[position++];
    if (!isKeyword(option, 'replace')) {
      client.out.error(`ERR Unknown option given: ${option}`);
      return;
    }
    replace = true;
  }
  // What a master or the AOF sends loaded once already: no timeout for it.
  const timeout = client.obeysAll ? 0 : LOAD_TIMEOUT_MILLISECONDS;
  const result = engine.scripting.libraries.load(argv[position], replace, timeout);
  if ('error' in result) {
    client.out.error(`ERR ${result.error}`);
    return;
  }
  engine.stats.dirty++;
  client.out.bulk(result.name);
}

export function functionDelete(client: Client, argv: string[], engine: Engine): void {
  if (!engine.scripting.libraries.delete(argv[2])) {
    client.out.error('ERR Library not found');
    return;
  }
  engine.stats.dirty++;
  ok(client);
}

/** FUNCTION FLUSH [ASYNC|SYNC]: both free at once, the libraries being small. */
export function functionFlush(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 3) {
    syntaxError(client, argv);
    return;
  }
  if (argv.length === 3 && !isKeyword(argv[2], 'sync') && !isKeyword(argv[2], 'async')) {
    client.out.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    return;
  }
  engine.scripting.libraries.flush();
  engine.stats.dirty++;
  ok(client);
}

export function functionKill(client: Client, _argv: string[], engine: Engine): void {
  engine.scripting.kill(client, false);
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
export function functionList(client: Client, argv: string[], engine: Engine): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && isKeyword(argv[i], 'withcode')) {
      withCode = true;
      continue;
    }
    if (pattern === null && isKeyword(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) {
        client.out.error('ERR library name argument was not given');
        return;
      }
      pattern = argv[++i];
      continue;
    }
    client.out.error(`ERR Unknown argument ${argv[i]}`);
    return;
  }
  const libraries: Library[] = [];
  for (const library of engine.scripting.libraries.libraries()) {
    if (pattern === null || globMatch(pattern, library.name, true)) libraries.push(library);
  }
  const out = client.out;
  out.array(libraries.length);
  for (const library of libraries) {
    out.map(withCode ? 4 : 3);
    out.bulk('library_name');
    out.bulk(library.name);
    out.bulk('engine');
    out.bulk(ENGINE_NAME);
    out.bulk('functions');
    out.array(library.functions.size);
    for (const fn of library.functions.values()) {
      out.map(3);
      out.bulk('name');
      out.bulk(fn.name);
      out.bulk('description');
      if (fn.description === null) out.nullBulk();
      else out.bulk(fn.description);
      out.bulk('flags');
      out.set(fn.flags.size);
      for (const flag of SCRIPT_FLAG_NAMES) if (fn.flags.has(flag)) out.simple(flag);
    }
    if (withCode) {
      out.bulk('library_code');
      out.bulk(library.code);
    }
  }
}

/** FUNCTION STATS: the function running (a running EVAL gets -BUSY) and the engine's counts. */
export function functionStats(client: Client, _argv: string[], engine: Engine): void {
  const scripting = engine.scripting;
  const running = scripting.runningScript;
  if (running !== null && running.isEval) {
    client.out.error(scripting.busyError);
    return;
  }
  const out = client.out;
  out.map(2);
  out.bulk('running_script');
  if (running === null) {
    out.nullBulk();
  } else {
    out.map(3);
    out.bulk('name');
    out.bulk(running.name);
    out.bulk('command');
    out.array(running.argv.length);
    for (const arg of running.argv) out.bulk(arg);
    out.bulk('duration_ms');
    out.integer(running.milliseconds);
  }
  out.bulk('engines');
  out.map(1);
  out.bulk(ENGINE_NAME);
  out.map(2);
  out.bulk('libraries_count');
  out.integer(scripting.libraries.libraryCount);
  out.bulk('functions_count');
  out.integer(scripting.libraries.functionCount);
}

export function functionDump(client: Client, _argv: string[], engine: Engine): void {
  client.out.bulk(engine.scripting.libraries.dump());
}

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
export function functionRestore(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 4) {
    syntaxError(client, argv);
    return;
  }
  let policy: RestorePolicy = 'append';
  if (argv.length === 4) {
    const given = argv[3].toLowerCase();
    if (given !== 'append' && given !== 'replace' && given !== 'flush') {
      client.out.error(
        'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
      );
      return;
    }
    policy = given;
  }
  const error = engine.scripting.libraries.restore(Buffer.from(argv[2], 'latin1'), policy);
  if (error !== null) {
    client.out.error(`ERR ${error}`);
    return;
  }
  engine.stats.dirty++;
  ok(client);
}

const FUNCTION_HELP: readonly string[] = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

export function functionHelp(client: Client): void {
  replyHelp(client, FUNCTION_HELP);
}
