import type { Client } from '../client.js';
import { replyHelp } from '../replies.js';

/*
 * MODULE: rc loads no modules (they are native code written against Redis's C API), so every
 * load fails as Redis's does when dlopen or the module's OnLoad fails, and none is listed.
 */

const LOAD_FAILED = 'ERR Error loading the extension. Please check the server logs.';

export function moduleList(client: Client): void {
  client.out.array(0);
}

export function moduleLoad(client: Client, _argv: string[]): void {
  client.out.error(LOAD_FAILED);
}

export function moduleLoadex(client: Client, _argv: string[]): void {
  client.out.error(LOAD_FAILED);
}

export function moduleUnload(client: Client, _argv: string[]): void {
  client.out.error('ERR Error unloading module: no such module with that name');
}

const MODULE_HELP: readonly string[] = [
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
];

export function moduleHelp(client: Client): void {
  replyHelp(client, MODULE_HELP);
}
