#!/usr/bin/env node
// Writes packages/engine/src/command-metadata/redis-commands.ts: ACL categories, key specs, tips
// and documentation (complexity, history, arguments...) of every command in rc's command table,
// read from Redis's own command definitions, src/commands/*.json at tag 7.0.15 of a redis/redis
// git clone (tag 7.2.0 for commands that 7.0 lacks, like CLIENT SETINFO). rc's table must be
// built first, since the command names come from it. Run again after adding a command:
//
//   pnpm build && node scripts/generate-command-metadata.mjs <path to redis.git>
//
// The output is committed: rc reads no Redis file at run time.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { allCommands } from '../packages/engine/dist/commands/index.js';

const REDIS_TAG = '7.0.15';
const NEWER_TAG = '7.2.0';
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

function metadata(definition) {
  return {
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

function fullNames() {
  const names = [];
  for (const spec of allCommands) {
    names.push(spec.name);
    for (const child of spec.subcommands ?? []) names.push(`${spec.name}|${child.name}`);
  }
  return names.sort();
}

const current = definitionsAt(REDIS_TAG);
let newer;
const entries = fullNames().map((name) => {
  let definition = current.get(name);
  if (!definition) {
    newer ??= definitionsAt(NEWER_TAG);
    definition = newer.get(name);
    if (!definition) throw new Error(`Redis ${NEWER_TAG} has no command ${name}`);
  }
  return `${JSON.stringify(name)}: ${JSON.stringify(metadata(definition))},`;
});

const source = `// Generated by scripts/generate-command-metadata.mjs from Redis ${REDIS_TAG}'s src/commands/*.json
// (${NEWER_TAG}'s for commands 7.0 lacks): do not edit. The complexity and history texts are Redis's
// documentation, quoted as its COMMAND DOCS returns them.
import type { CommandMetadata } from './types.js';

/** Redis's description of each command rc implements, by full name ("get", "config|get"). */
export const redisCommands: Readonly<Record<string, CommandMetadata>> = {
${entries.join('\n')}
};
`;
const options = await prettier.resolveConfig(output);
writeFileSync(output, await prettier.format(source, { ...options, filepath: output }));
console.log(`wrote ${entries.length} commands to ${output}`);
