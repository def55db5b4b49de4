import type { ReplyWriter } from '@rc/resp';
import type { Client } from '../client.js';
import type { CommandEntry, CommandSpec } from '../command-table.js';
import { commandKeys, hasKeys } from '../command-metadata/command-keys.js';
import {
  aclCategories,
  isAclCategory,
  metadataOf,
  shownFlags,
} from '../command-metadata/command-description.js';
import type {
  ArgumentFlag,
  CommandArgument,
  DocFlag,
  KeySpec,
  KeySpecFlag,
} from '../command-metadata/types.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { globMatch } from '../glob.js';
import { NO_KEYS, commandGroup } from './define.js';
import { helpReply, isKeyword } from './reply-helpers.js';

/** COMMAND, COMMAND INFO: one command as Redis's addReplyCommandInfo describes it. */
function replyCommandInfo(out: ReplyWriter, entry: CommandEntry): void {
  const { spec } = entry;
  out.array(10);
  out.bulk(entry.fullName);
  out.integer(spec.arity);
  statuses(out, shownFlags(entry));
  const [first, last, step] = spec.keys;
  out.integer(first);
  out.integer(last);
  out.integer(step);
  statuses(
    out,
    aclCategories(entry).map((category) => `@${category}`),
  );
  const metadata = metadataOf(entry);
  const tips = metadata.tips ?? [];
  out.set(tips.length);
  for (const tip of tips) out.bulk(tip);
  const keySpecs = metadata.keySpecs ?? [];
  out.set(keySpecs.length);
  for (const keySpec of keySpecs) replyKeySpec(out, keySpec);
  if (entry.subcommands === null) out.set(0);
  else {
    out.array(entry.subcommands.size);
    for (const child of entry.subcommands.values()) replyCommandInfo(out, child);
  }
}

function statuses(out: ReplyWriter, names: readonly string[]): void {
  out.set(names.length);
  for (const name of names) out.simple(name);
}

/** Flags shown in the order of Redis's flag tables, whatever order the data lists them in. */
function orderedStatuses<T extends string>(
  out: ReplyWriter,
  order: readonly T[],
  flags: readonly T[],
): void {
  statuses(
    out,
    order.filter((flag) => flags.includes(flag)),
  );
}

const KEY_SPEC_FLAGS: readonly KeySpecFlag[] = [
  'RO',
  'RW',
  'OW',
  'RM',
  'access',
  'update',
  'insert',
  'delete',
  'not_key',
  'incomplete',
  'variable_flags',
];
const ARGUMENT_FLAGS: readonly ArgumentFlag[] = ['optional', 'multiple', 'multiple_token'];
const DOC_FLAGS: readonly DocFlag[] = ['deprecated', 'syscmd'];

function replyKeySpec(out: ReplyWriter, keySpec: KeySpec): void {
  out.map(keySpec.notes === undefined ? 3 : 4);
  if (keySpec.notes !== undefined) {
    out.bulk('notes');
    out.bulk(keySpec.notes);
  }
  out.bulk('flags');
  orderedStatuses(out, KEY_SPEC_FLAGS, keySpec.flags);
  const { beginSearch, findKeys } = keySpec;
  out.bulk('begin_search');
  out.map(2);
  out.bulk('type');
  out.bulk(beginSearch.type);
  out.bulk('spec');
  if (beginSearch.type === 'index') {
    out.map(1);
    integerField(out, 'index', beginSearch.index);
  } else if (beginSearch.type === 'keyword') {
    out.map(2);
    out.bulk('keyword');
    out.bulk(beginSearch.keyword);
    integerField(out, 'startfrom', beginSearch.startFrom);
  } else out.map(0);
  out.bulk('find_keys');
  out.map(2);
  out.bulk('type');
  out.bulk(findKeys.type);
  out.bulk('spec');
  if (findKeys.type === 'range') {
    out.map(3);
    integerField(out, 'lastkey', findKeys.lastKey);
    integerField(out, 'keystep', findKeys.keyStep);
    integerField(out, 'limit', findKeys.limit);
  } else if (findKeys.type === 'keynum') {
    out.map(3);
    integerField(out, 'keynumidx', findKeys.keyNumIndex);
    integerField(out, 'firstkey', findKeys.firstKey);
    integerField(out, 'keystep', findKeys.keyStep);
  } else out.map(0);
}

function integerField(out: ReplyWriter, name: string, value: number): void {
  out.bulk(name);
  out.integer(value);
}

/** A text field of COMMAND DOCS when present: counts toward the map's length. */
type TextField = readonly [name: string, value: string | undefined];

function replyTextFields(out: ReplyWriter, fields: readonly TextField[]): void {
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    out.bulk(name);
    out.bulk(value);
  }
}

function presentCount(values: readonly unknown[]): number {
  let count = 0;
  for (const value of values) if (value !== undefined) count++;
  return count;
}

/** COMMAND DOCS: one command as Redis's addReplyCommandDocs describes it. */
function replyCommandDocs(out: ReplyWriter, entry: CommandEntry): void {
  const { spec } = entry;
  const docs = metadataOf(entry).docs;
  const subcommands = entry.subcommands ?? undefined;
  out.map(
    3 +
      presentCount([
        docs.complexity,
        docs.docFlags,
        docs.deprecatedSince,
        docs.replacedBy,
        docs.history,
        docs.arguments,
        subcommands,
      ]),
  );
  replyTextFields(out, [
    ['summary', spec.summary],
    ['since', spec.since],
    // Redis files a subcommand under its container's group.
    ['group', (entry.parent ?? entry).spec.group],
    ['complexity', docs.complexity],
  ]);
  if (docs.docFlags !== undefined) {
    out.bulk('doc_flags');
    orderedStatuses(out, DOC_FLAGS, docs.docFlags);
  }
  replyTextFields(out, [
    ['deprecated_since', docs.deprecatedSince],
    ['replaced_by', docs.replacedBy],
  ]);
  if (docs.history !== undefined) {
    out.bulk('history');
    out.set(docs.history.length);
    for (const [since, changes] of docs.history) {
      out.array(2);
      out.bulk(since);
      out.bulk(changes);
    }
  }
  if (docs.arguments !== undefined) {
    out.bulk('arguments');
    replyArguments(out, docs.arguments);
  }
  if (subcommands !== undefined) {
    out.bulk('subcommands');
    out.map(subcommands.size);
    for (const child of subcommands.values()) {
      out.bulk(child.fullName);
      replyCommandDocs(out, child);
    }
  }
}

function replyArguments(out: ReplyWriter, args: readonly CommandArgument[]): void {
  out.array(args.length);
  for (const arg of args) {
    out.map(
      2 +
        presentCount([
          arg.keySpecIndex,
          arg.token,
          arg.since,
          arg.deprecatedSince,
          arg.flags,
          arg.arguments,
        ]),
    );
    replyTextFields(out, [
      ['name', arg.name],
      ['type', arg.type],
    ]);
    if (arg.keySpecIndex !== undefined) integerField(out, 'key_spec_index', arg.keySpecIndex);
    replyTextFields(out, [
      ['token', arg.token],
      ['since', arg.since],
      ['deprecated_since', arg.deprecatedSince],
    ]);
    if (arg.flags !== undefined) {
      out.bulk('flags');
      orderedStatuses(out, ARGUMENT_FLAGS, arg.flags);
    }
    if (arg.arguments !== undefined) {
      out.bulk('arguments');
      replyArguments(out, arg.arguments);
    }
  }
}

/** "get" or "config|get", as Redis's lookupCommandBySds: one level of subcommands. */
function findByFullName(engine: Engine, name: string): CommandEntry | undefined {
  const [parent, child, ...rest] = name.split('|');
  if (rest.length > 0) return undefined;
  const entry = engine.commands.lookup(parent);
  if (child === undefined) return entry;
  return entry?.subcommands?.get(child.toLowerCase());
}

/** The command a call runs, as Redis's lookupCommand: the subcommand of a container. */
function findByCall(engine: Engine, call: readonly string[]): CommandEntry | undefined {
  const entry = engine.commands.lookup(call[0]);
  if (entry === undefined || entry.subcommands === null || call.length === 1) return entry;
  return entry.subcommands.get(call[1].toLowerCase());
}

function command(client: Client, _argv: string[], engine: Engine): void {
  client.out.array(engine.commands.size);
  for (const entry of engine.commands.entries()) replyCommandInfo(client.out, entry);
}

function commandCount(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.commands.size);
}

function commandInfo(client: Client, argv: string[], engine: Engine): void {
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
function commandDocs(client: Client, argv: string[], engine: Engine): void {
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
function commandList(client: Client, argv: string[], engine: Engine): void {
  let filter: (entry: CommandEntry) => boolean = () => true;
  for (let i = 2; i < argv.length; i += 3) {
    if (!isKeyword(argv[i], 'filterby') || argv.length - 1 - i !== 2) {
      engine.replyError(client, Errors.syntax);
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
      engine.replyError(client, Errors.syntax);
      return;
    }
  }
  const names: string[] = [];
  for (const entry of allEntries(engine)) if (filter(entry)) names.push(entry.fullName);
  client.out.array(names.length);
  for (const name of names) client.out.bulk(name);
}

/** COMMAND GETKEYS and GETKEYSANDFLAGS, with Redis's checks in Redis's order. */
function keysOfCall(withFlags: boolean) {
  return (client: Client, argv: string[], engine: Engine): void => {
    const call = argv.slice(2);
    const entry = findByCall(engine, call);
    if (!entry) {
      engine.replyError(client, Errors.getKeysUnknownCommand);
      return;
    }
    const metadata = metadataOf(entry);
    if (!hasKeys(metadata)) {
      engine.replyError(client, Errors.getKeysNoKeys);
      return;
    }
    const arity = entry.spec.arity;
    if (arity > 0 ? call.length !== arity : call.length < -arity) {
      engine.replyError(client, Errors.getKeysArity);
      return;
    }
    const keys = commandKeys(metadata, call);
    if (keys.length === 0 && !metadata.noMandatoryKeys) {
      engine.replyError(client, Errors.getKeysInvalidArguments);
      return;
    }
    const out = client.out;
    out.array(keys.length);
    for (const key of keys) {
      if (withFlags) out.array(2);
      out.bulk(call[key.index]);
      if (withFlags) orderedStatuses(out, KEY_SPEC_FLAGS, key.flags);
    }
  };
}

const commandHelp = helpReply([
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
]);

const COMMAND_FLAGS: CommandSpec['flags'] = ['loading', 'stale'];

export const introspectionCommands = commandGroup('server', [
  ['command', -1, COMMAND_FLAGS, NO_KEYS, command, 'Get array of Redis command details', '2.8.13'],
]).map((spec) => ({
  ...spec,
  subcommands: commandGroup('server', [
    [
      'count',
      2,
      COMMAND_FLAGS,
      NO_KEYS,
      commandCount,
      'Get total number of Redis commands',
      '2.8.13',
    ],
    [
      'info',
      -2,
      COMMAND_FLAGS,
      NO_KEYS,
      commandInfo,
      'Get array of specific Redis command details, or all when no argument is given.',
      '2.8.13',
    ],
    [
      'docs',
      -2,
      COMMAND_FLAGS,
      NO_KEYS,
      commandDocs,
      'Get array of specific Redis command documentation',
      '7.0.0',
    ],
    [
      'list',
      -2,
      COMMAND_FLAGS,
      NO_KEYS,
      commandList,
      'Get an array of Redis command names',
      '7.0.0',
    ],
    [
      'getkeys',
      -4,
      COMMAND_FLAGS,
      NO_KEYS,
      keysOfCall(false),
      'Extract keys given a full Redis command',
      '2.8.13',
    ],
    [
      'getkeysandflags',
      -4,
      COMMAND_FLAGS,
      NO_KEYS,
      keysOfCall(true),
      'Extract keys and access flags given a full Redis command',
      '7.0.0',
    ],
    [
      'help',
      2,
      COMMAND_FLAGS,
      NO_KEYS,
      commandHelp,
      'Show helpful text about the different subcommands',
      '5.0.0',
    ],
  ]),
}));
