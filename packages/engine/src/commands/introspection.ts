import type { Client } from '../client.js';
import { commandKeys, type CommandEntry, type CommandSpec } from '../command-table.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { globMatch } from '../glob.js';
import { NO_KEYS, commandGroup } from './define.js';
import { isKeyword } from './reply-helpers.js';

/** ACL categories follow from flags and group, as Redis derives most of them. */
function aclCategories(spec: CommandSpec): string[] {
  const categories: string[] = [];
  if (spec.flags.includes('write')) categories.push('@write');
  if (spec.flags.includes('readonly')) categories.push('@read');
  if (spec.flags.includes('admin')) categories.push('@admin', '@dangerous');
  if (spec.flags.includes('pubsub')) categories.push('@pubsub');
  if (spec.flags.includes('fast')) categories.push('@fast');
  else categories.push('@slow');
  if (spec.flags.includes('blocking')) categories.push('@blocking');
  const byGroup: Partial<Record<CommandSpec['group'], string>> = {
    generic: '@keyspace',
    string: '@string',
    list: '@list',
    hash: '@hash',
    set: '@set',
    'sorted-set': '@sortedset',
    stream: '@stream',
    bitmap: '@bitmap',
    geo: '@geo',
    transactions: '@transaction',
    connection: '@connection',
  };
  const category = byGroup[spec.group];
  if (category) categories.push(category);
  return categories;
}

function replyCommandInfo(client: Client, entry: CommandEntry): void {
  const { spec } = entry;
  const out = client.out;
  out.array(10);
  out.bulk(entry.fullName);
  out.integer(spec.arity);
  out.set(spec.flags.length);
  for (const flag of spec.flags) out.simple(flag);
  const [first, last, step] = spec.keys;
  out.integer(first);
  out.integer(last);
  out.integer(step);
  const categories = aclCategories(spec);
  out.set(categories.length);
  for (const category of categories) out.simple(category);
  out.set(0);
  if (first === 0) out.array(0);
  else {
    out.array(1);
    out.map(3);
    out.bulk('flags');
    out.set(0);
    out.bulk('begin_search');
    out.map(2);
    out.bulk('type');
    out.bulk('index');
    out.bulk('spec');
    out.map(1);
    out.bulk('index');
    out.integer(first);
    out.bulk('find_keys');
    out.map(2);
    out.bulk('type');
    out.bulk('range');
    out.bulk('spec');
    out.map(3);
    out.bulk('lastkey');
    out.integer(last < 0 ? last : last - first);
    out.bulk('keystep');
    out.integer(step);
    out.bulk('limit');
    out.integer(0);
  }
  const children = entry.subcommands ? [...entry.subcommands.values()] : [];
  out.array(children.length);
  for (const child of children) replyCommandInfo(client, child);
}

function replyCommandDocs(client: Client, entry: CommandEntry): void {
  const { spec } = entry;
  const out = client.out;
  const children = entry.subcommands ? [...entry.subcommands.values()] : [];
  out.map(children.length > 0 ? 4 : 3);
  out.bulk('summary');
  out.bulk(spec.summary);
  out.bulk('since');
  out.bulk(spec.since);
  out.bulk('group');
  out.bulk(spec.group);
  if (children.length > 0) {
    out.bulk('subcommands');
    out.map(children.length);
    for (const child of children) {
      out.bulk(child.fullName);
      replyCommandDocs(client, child);
    }
  }
}

/** Finds "get" or "config|get" style names. */
function findEntry(engine: Engine, name: string): CommandEntry | undefined {
  const [parent, child] = name.toLowerCase().split('|');
  const entry = engine.commands.lookup(parent);
  if (child === undefined) return entry;
  return entry?.subcommands?.get(child);
}

function command(client: Client, _argv: string[], engine: Engine): void {
  const entries = [...engine.commands.entries()];
  client.out.array(entries.length);
  for (const entry of entries) replyCommandInfo(client, entry);
}

function commandCount(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.commands.size);
}

function commandInfo(client: Client, argv: string[], engine: Engine): void {
  const entries =
    argv.length === 2
      ? [...engine.commands.entries()]
      : argv.slice(2).map((name) => findEntry(engine, name));
  client.out.array(entries.length);
  for (const entry of entries) {
    if (entry) replyCommandInfo(client, entry);
    else client.out.nullArray();
  }
}

function commandDocs(client: Client, argv: string[], engine: Engine): void {
  const entries =
    argv.length === 2
      ? [...engine.commands.entries()]
      : argv.slice(2).flatMap((name) => findEntry(engine, name) ?? []);
  client.out.map(entries.length);
  for (const entry of entries) {
    client.out.bulk(entry.fullName);
    replyCommandDocs(client, entry);
  }
}

function commandList(client: Client, argv: string[], engine: Engine): void {
  let pattern: string | null = null;
  if (argv.length === 5 && isKeyword(argv[2], 'filterby') && isKeyword(argv[3], 'pattern')) {
    pattern = argv[4];
  } else if (argv.length !== 2) {
    engine.replyError(client, Errors.syntax);
    return;
  }
  const names: string[] = [];
  for (const entry of engine.commands.entries()) {
    names.push(entry.fullName);
    for (const child of entry.subcommands?.values() ?? []) names.push(child.fullName);
  }
  const matched = pattern === null ? names : names.filter((name) => globMatch(pattern, name, true));
  client.out.array(matched.length);
  for (const name of matched) client.out.bulk(name);
}

function commandGetKeys(client: Client, argv: string[], engine: Engine): void {
  const target = argv.slice(2);
  const entry = findEntry(engine, target[0]);
  if (!entry) {
    engine.replyError(client, 'ERR Invalid command specified');
    return;
  }
  const arity = entry.spec.arity;
  if (arity > 0 ? target.length !== arity : target.length < -arity) {
    engine.replyError(client, 'ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = commandKeys(entry.spec, target);
  if (keys.length === 0) {
    engine.replyError(client, 'ERR The command has no key arguments');
    return;
  }
  client.out.array(keys.length);
  for (const key of keys) client.out.bulk(key);
}

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
      -3,
      COMMAND_FLAGS,
      NO_KEYS,
      commandGetKeys,
      'Extract keys given a full Redis command',
      '2.8.13',
    ],
  ]),
}));
