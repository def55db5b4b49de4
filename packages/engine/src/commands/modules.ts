import type { Client } from '../client.js';
import type { CommandSpec } from '../command-table.js';
import type { Engine } from '../engine.js';
import { NO_KEYS, container, helpSubcommand } from '../command-rows.js';
import { helpReply } from '../replies.js';

/*
 * MODULE: rc loads no modules (they are native code written against Redis's C API), so every
 * load fails as Redis's does when dlopen or the module's OnLoad fails, and none is listed.
 */

const LOAD_FAILED = 'ERR Error loading the extension. Please check the server logs.';

function moduleList(client: Client): void {
  client.out.array(0);
}

function moduleLoad(client: Client, _argv: string[], engine: Engine): void {
  engine.replyError(client, LOAD_FAILED);
}

function moduleLoadex(client: Client, _argv: string[], engine: Engine): void {
  engine.replyError(client, LOAD_FAILED);
}

function moduleUnload(client: Client, _argv: string[], engine: Engine): void {
  engine.replyError(client, 'ERR Error unloading module: no such module with that name');
}

const moduleHelp = helpReply([
  'MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
  'HELP',
  '    Prints this help.',
]);

const LOADING = ['no_async_loading', 'admin', 'noscript', 'protected'] as const;

export const moduleCommand: CommandSpec = container(
  'module',
  'A container for module commands',
  '4.0.0',
  [
    helpSubcommand(moduleHelp, '5.0.0'),
    [
      'list',
      2,
      ['admin', 'noscript'],
      NO_KEYS,
      moduleList,
      'List all modules loaded by the server',
      '4.0.0',
    ],
    ['load', -3, [...LOADING], NO_KEYS, moduleLoad, 'Load a module', '4.0.0'],
    [
      'loadex',
      -3,
      [...LOADING],
      NO_KEYS,
      moduleLoadex,
      'Load a module with extended parameters',
      '7.0.0',
    ],
    ['unload', 3, [...LOADING], NO_KEYS, moduleUnload, 'Unload a module', '4.0.0'],
  ],
);
