import type { ReplyWriter } from '@rc/resp';
import type { CommandEntry } from '../command-table.js';
import { aclCategories, metadataOf, shownFlags } from './command-description.js';
import type { ArgumentFlag, CommandArgument, DocFlag, KeySpec, KeySpecFlag } from './types.js';

/** COMMAND, COMMAND INFO: one command as Redis's addReplyCommandInfo describes it. */
export function replyCommandInfo(out: ReplyWriter, entry: CommandEntry): void {
  const { spec } = entry;
  out.array(10);
  out.bulk(entry.fullName);
  out.integer(spec.arity);
  statuses(out, shownFlags(entry));
  const [first, last, step] = spec.keys;
  out.integer(first);
  out.integer(last);
  out.integer(step);
  const categories = aclCategories(entry).map((category) => `@${category}`);
  statuses(out, categories);
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
  const present = order.filter((flag) => flags.includes(flag));
  statuses(out, present);
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
export function replyCommandDocs(out: ReplyWriter, entry: CommandEntry): void {
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

/** COMMAND GETKEYSANDFLAGS: how the command uses one key. */
export function replyKeyFlags(out: ReplyWriter, flags: readonly KeySpecFlag[]): void {
  orderedStatuses(out, KEY_SPEC_FLAGS, flags);
}
