#!/usr/bin/env node
// Writes packages/engine/src/command-metadata/redis-commands.ts: everything static about every
// command rc serves (arity, flags, group, summary, since, the legacy first/last/step key triple,
// ACL categories, key specs, tips and the documentation COMMAND DOCS returns), read from Redis's
// own command definitions, src/commands/*.json at tag 7.0.15 of a redis/redis git clone. rc
// serves every command of 7.0 but Sentinel's, plus the few of a later tag listed in NEWER below.
// Run again after changing either list:
//
//   node scripts/generate-command-metadata.mjs <path to redis.git>
//
// The output is committed: rc reads no Redis file at run time.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const REDIS_TAG = '7.0.15';
/** Commands of a later Redis that rc serves (clients such as node-redis send CLIENT SETINFO). */
const NEWER = { 'client|setinfo': '7.2.0' };
const output = fileURLToPath(
  new URL('../packages/engine/src/command-metadata/redis-commands.ts', import.meta.url),
);

/** Redis's getkeys_proc functions, by the names types.ts gives them. */
const KEYS_PROCEDURES = {
  setGetKeys: 'set',
  bitfieldGetKeys: 'bitfield',
  sortGetKeys: 'sort',
  sortROGetKeys: 'sort_ro',
  georadiusGetKeys: 'georadius',
  xreadGetKeys: 'xread',
  evalGetKeys: 'eval',
  functionGetKeys: 'eval',
  sintercardGetKeys: 'sintercard',
  lmpopGetKeys: 'lmpop',
  blmpopGetKeys: 'blmpop',
  zmpopGetKeys: 'zmpop',
  zunionInterDiffGetKeys: 'zunionInterDiff',
  zunionInterDiffStoreGetKeys: 'zunionInterDiffStore',
  migrateGetKeys: 'migrate',
};

const repository = process.argv[2];
if (!repository) {
  console.error('usage: node scripts/generate-command-metadata.mjs <path to redis.git>');
  process.exit(1);
}

function git(...args) {
  return execFileSync('git', ['--git-dir', repository, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
}

/** Every command definition of a tag, by full name ("get", "config|get"). */
function definitionsAt(tag) {
  const definitions = new Map();
  for (const path of git('ls-tree', '--name-only', tag, 'src/commands/').trim().split('\n')) {
    if (!path.endsWith('.json')) continue;
    const [[name, definition]] = Object.entries(JSON.parse(git('show', `${tag}:${path}`)));
    const fullName = definition.container ? `${definition.container}|${name}` : name;
    definitions.set(fullName.toLowerCase(), definition);
  }
  return definitions;
}

function keySpecFlag(flag) {
  return ['RO', 'RW', 'OW', 'RM'].includes(flag) ? flag : flag.toLowerCase();
}

function beginSearch({ index, keyword }) {
  if (index) return { type: 'index', index: index.pos };
  if (keyword) return { type: 'keyword', keyword: keyword.keyword, startFrom: keyword.startfrom };
  return { type: 'unknown' };
}

function findKeys({ range, keynum }) {
  if (range) {
    return { type: 'range', lastKey: range.lastkey, keyStep: range.step, limit: range.limit };
  }
  if (keynum) {
    return {
      type: 'keynum',
      keyNumIndex: keynum.keynumidx,
      firstKey: keynum.firstkey,
      keyStep: keynum.step,
    };
  }
  return { type: 'unknown' };
}

function keySpec(spec) {
  return {
    notes: spec.notes,
    flags: spec.flags.map(keySpecFlag),
    beginSearch: beginSearch(spec.begin_search),
    findKeys: findKeys(spec.find_keys),
  };
}

/** Redis's utils/generate-command-code.py lower-cases argument names, upper-cases tokens. */
function argument(arg) {
  const flags = ['optional', 'multiple', 'multiple_token'].filter((flag) => arg[flag]);
  return {
    name: arg.name.toLowerCase(),
    type: arg.type,
    keySpecIndex: arg.key_spec_index,
    // A token written `""` in the JSON is the empty string in Redis's generated C (MIGRATE's key).
    token: arg.token === '""' ? '' : arg.token?.toUpperCase(),
    since: arg.since,
    deprecatedSince: arg.deprecated_since,
    flags: flags.length > 0 ? flags : undefined,
    arguments: arg.arguments?.map(argument),
  };
}

function keysProcedure(name) {
  if (name === undefined) return undefined;
  const procedure = KEYS_PROCEDURES[name];
  if (!procedure) throw new Error(`no KeysProcedure for Redis's ${name}`);
  return procedure;
}

/** Redis's command flags that rc's table has no use for: Sentinel's, and ones COMMAND hides. */
const UNUSED_FLAGS = new Set([
  'sentinel',
  'only_sentinel',
  'no_mandatory_keys',
  'touches_arbitrary_keys',
]);

const isPlainRange = (spec) => spec.begin_search.index && spec.find_keys.range;

/**
 * The first/last/step triple COMMAND shows and whether keys move with the arguments, derived
 * from the key specs as Redis's populateCommandLegacyRangeSpec derives them: one plain range
 * spec as it is; otherwise the union of the range specs with step 1 that follow each other.
 */
function legacyKeys(specs = []) {
  if (specs.length === 0) return { keys: [0, 0, 0], movable: false };
  if (specs.length === 1 && isPlainRange(specs[0])) {
    const { index } = specs[0].begin_search;
    const { lastkey, step } = specs[0].find_keys.range;
    const movable = specs[0].flags.includes('INCOMPLETE');
    return { keys: [index.pos, lastkey >= 0 ? index.pos + lastkey : lastkey, step], movable };
  }
  let first = Infinity;
  let last = 0;
  let movable = false;
  for (const spec of specs) {
    const following = last === 0 || last === spec.begin_search.index?.pos - 1;
    if (!isPlainRange(spec) || spec.find_keys.range.step !== 1 || !following) {
      movable = true;
      continue;
    }
    if (spec.flags.includes('INCOMPLETE')) movable = true;
    first = Math.min(first, spec.begin_search.index.pos);
    const { lastkey } = spec.find_keys.range;
    const absolute = lastkey >= 0 ? spec.begin_search.index.pos + lastkey : lastkey;
    // Redis compares as unsigned, so a last key counted from the end (negative) wins.
    if (absolute >>> 0 > last >>> 0) last = absolute;
  }
  if (first === Infinity) return { keys: [0, 0, 0], movable: true };
  return { keys: [first, last, 1], movable };
}

function commandFlags(definition, movable) {
  const flags = (definition.command_flags ?? [])
    .map((flag) => flag.toLowerCase())
    .filter((flag) => !UNUSED_FLAGS.has(flag));
  if (movable) flags.push('movablekeys');
  return [...new Set(flags)];
}

function metadata(definition) {
  const { keys, movable } = legacyKeys(definition.key_specs);
  return {
    arity: definition.arity,
    flags: commandFlags(definition, movable),
    keys,
    group: definition.group.replace('_', '-'),
    summary: definition.summary,
    since: definition.since,
    aclCategories: definition.acl_categories?.map((category) => category.toLowerCase()),
    keySpecs: definition.key_specs?.map(keySpec),
    tips: definition.command_tips?.map((tip) => tip.toLowerCase()),
    noMandatoryKeys: definition.command_flags?.includes('NO_MANDATORY_KEYS') || undefined,
    keysProcedure: keysProcedure(definition.get_keys_function),
    docs: {
      complexity: definition.complexity,
      docFlags: definition.doc_flags?.map((flag) => flag.toLowerCase()),
      deprecatedSince: definition.deprecated_since,
      replacedBy: definition.replaced_by,
      history: definition.history?.length ? definition.history : undefined,
      arguments: definition.arguments?.map(argument),
    },
  };
}

const isSentinelOnly = (definition) => definition.command_flags?.includes('ONLY_SENTINEL');
const sentinelContainers = new Set();
const definitions = new Map();
for (const [name, definition] of definitionsAt(REDIS_TAG)) {
  if (isSentinelOnly(definition)) sentinelContainers.add(name);
  else if (!sentinelContainers.has(definition.container?.toLowerCase())) {
    definitions.set(name, definition);
  }
}
const newerTags = new Map();
for (const [name, tag] of Object.entries(NEWER)) {
  if (!newerTags.has(tag)) newerTags.set(tag, definitionsAt(tag));
  const definition = newerTags.get(tag).get(name);
  if (!definition) throw new Error(`Redis ${tag} has no command ${name}`);
  definitions.set(name, definition);
}
const entries = [...definitions.keys()]
  .sort()
  .map((name) => `${JSON.stringify(name)}: ${JSON.stringify(metadata(definitions.get(name)))},`);

const source = `// Generated by scripts/generate-command-metadata.mjs from Redis ${REDIS_TAG}'s src/commands/*.json
// (a later tag's for the commands 7.0 lacks): do not edit. The summaries, complexity and history
// texts are Redis's documentation, quoted as its COMMAND DOCS returns them.
import type { CommandMetadata } from './types.js';

/** Redis's description of each command rc serves, by full name ("get", "config|get"). */
export const redisCommands: Readonly<Record<string, CommandMetadata>> = {
${entries.join('\n')}
};
`;
const options = await prettier.resolveConfig(output);
writeFileSync(output, await prettier.format(source, { ...options, filepath: output }));
console.log(`wrote ${entries.length} commands to ${output}`);
