import type { Client } from '../client.js';
import type { CommandEntry } from '../command-table.js';
import { commandKeys, hasKeys } from '../command-metadata/command-keys.js';
import {
  aclCategories,
  isAclCategory,
  metadataOf,
} from '../command-metadata/command-description.js';
import {
  replyCommandDocs,
  replyCommandInfo,
  replyKeyFlags,
} from '../command-metadata/command-replies.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { globMatch } from '../glob.js';
import { isKeyword } from '../arguments.js';
import { findByFullName } from '../command-table.js';
import { replyHelp } from '../replies.js';

/** The command a call runs, as Redis's lookupCommand: the subcommand of a container. */
function findByCall(engine: Engine, call: readonly string[]): CommandEntry | undefined {
  const entry = engine.commands.lookup(call[0]);
  if (entry === undefined || entry.subcommands === null || call.length === 1) return entry;
  return entry.subcommands.get(call[1].toLowerCase());
}

export function command(client: Client, _argv: string[], engine: Engine): void {
  client.out.array(engine.commands.size);
  for (const entry of engine.commands.entries()) replyCommandInfo(client.out, entry);
}

export function commandCount(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.commands.size);
}

export function commandInfo(client: Client, argv: string[], engine: Engine): void {
  if (argv.length === 2) {
    command(client, argv, engine);
    return;
  }
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const entry = findByFullName(engine, argv[i]);
    if (entry) replyCommandInfo(client.out, entry);
    else client.out.nullBulk();
  }
}

/** Unknown names are left out of the map. */
export function commandDocs(client: Client, argv: string[], engine: Engine): void {
  const entries =
    argv.length === 2
      ? [...engine.commands.entries()]
      : argv.slice(2).flatMap((name) => findByFullName(engine, name) ?? []);
  client.out.map(entries.length);
  for (const entry of entries) {
    client.out.bulk(entry.fullName);
    replyCommandDocs(client.out, entry);
  }
}

/** Every command and subcommand, each subcommand after its container. */
function* allEntries(engine: Engine): Generator<CommandEntry> {
  for (const entry of engine.commands.entries()) {
    yield entry;
    if (entry.subcommands) yield* entry.subcommands.values();
  }
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]. */
export function commandList(client: Client, argv: string[], engine: Engine): void {
  let filter: (entry: CommandEntry) => boolean = () => true;
  for (let i = 2; i < argv.length; i += 3) {
    if (!isKeyword(argv[i], 'filterby') || argv.length - 1 - i !== 2) {
      client.out.error(Errors.syntax);
      return;
    }
    const [type, value] = [argv[i + 1], argv[i + 2]];
    if (isKeyword(type, 'module')) filter = () => false;
    else if (isKeyword(type, 'aclcat')) {
      const category = value.toLowerCase();
      filter = (entry) => isAclCategory(category) && aclCategories(entry).includes(category);
    } else if (isKeyword(type, 'pattern')) {
      filter = (entry) => globMatch(value, entry.fullName, true);
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const names: string[] = [];
  for (const entry of allEntries(engine)) if (filter(entry)) names.push(entry.fullName);
  client.out.array(names.length);
  for (const name of names) client.out.bulk(name);
}

/** COMMAND GETKEYS and GETKEYSANDFLAGS, with Redis's checks in Redis's order. */
function keysOfCall(client: Client, argv: string[], engine: Engine, withFlags: boolean): void {
  const call = argv.slice(2);
  const entry = findByCall(engine, call);
  if (!entry) {
    client.out.error(Errors.getKeysUnknownCommand);
    return;
  }
  const metadata = metadataOf(entry);
  if (!hasKeys(metadata)) {
    client.out.error(Errors.getKeysNoKeys);
    return;
  }
  const arity = entry.spec.arity;
  if (arity > 0 ? call.length !== arity : call.length < -arity) {
    client.out.error(Errors.getKeysArity);
    return;
  }
  const keys = commandKeys(metadata, call);
  if (keys.length === 0 && !metadata.noMandatoryKeys) {
    client.out.error(Errors.getKeysInvalidArguments);
    return;
  }
  const out = client.out;
  out.array(keys.length);
  for (const key of keys) {
    if (withFlags) out.array(2);
    out.bulk(call[key.index]);
    if (withFlags) replyKeyFlags(out, key.flags);
  }
}

const COMMAND_HELP: readonly string[] = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

export function commandGetkeys(client: Client, argv: string[], engine: Engine): void {
  keysOfCall(client, argv, engine, false);
}

export function commandGetkeysandflags(client: Client, argv: string[], engine: Engine): void {
  keysOfCall(client, argv, engine, true);
}

export function commandHelp(client: Client): void {
  replyHelp(client, COMMAND_HELP);
}
