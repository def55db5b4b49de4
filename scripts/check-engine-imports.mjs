#!/usr/bin/env node
// Fails when an import inside packages/engine/src runs the wrong way (run by the engine's lint):
// - only the command table's builders import commands/, and only through commands/index.ts;
// - a command family (commands/<family>.ts and its parts) imports no other family;
// - modules outside commands/ form no import cycle (type-only imports do not count: they leave
//   no trace at run time and let commands name the Engine they run in).
// Tests may import anything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../packages/engine/src/', import.meta.url));

/** Modules that build a command table, so need the list of every command. */
const TABLE_BUILDERS = new Set([
  'engine.ts',
  // rename-command lines are checked against a scratch table as the config is read
  'command-renames.ts',
  // ACL rules of user lines are checked against a scratch table as the config is read
  'acl/user-declarations.ts',
]);

/** Files of commands/ that are one part of a larger family, by the family they belong to. */
const FAMILY_PARTS = {
  'commands/stream-groups.ts': 'streams',
  'commands/stream-replies.ts': 'streams',
  'commands/cluster-topology.ts': 'cluster',
};

function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const IMPORT = /(import|export)\s+(type\s+)?(\{[^}]*\}|[\w*\s,]+?)?\s*(?:from\s+)?'(\.[^']+)'/g;

/** The relative imports of a file that exist at run time, as paths relative to src/. */
function runtimeImports(file) {
  const imports = [];
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const [, , typeKeyword, names, specifier] = match;
    if (typeKeyword !== undefined) continue;
    if (names?.startsWith('{') && namesAreAllTypes(names)) continue;
    const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
    imports.push(relative(root, target));
  }
  return imports;
}

function namesAreAllTypes(braced) {
  const names = braced
    .slice(1, -1)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 && names.every((name) => name.startsWith('type '));
}

const isCommand = (path) => path.startsWith('commands/');
const familyOf = (path) => FAMILY_PARTS[path] ?? path.slice('commands/'.length, -'.ts'.length);

const graph = new Map(
  sourceFiles(root).map((file) => [relative(root, file), runtimeImports(file)]),
);
const problems = [];

for (const [from, targets] of graph) {
  for (const to of targets) {
    if (!isCommand(to)) continue;
    if (!isCommand(from)) {
      if (to !== 'commands/index.ts' || !TABLE_BUILDERS.has(from)) {
        problems.push(`${from} imports ${to}: only the table's builders import commands/index.ts`);
      }
    } else if (from !== 'commands/index.ts' && familyOf(from) !== familyOf(to)) {
      problems.push(`${from} imports ${to}: a command family imports no other family`);
    }
  }
}

/** Cycles among the modules below commands/, found by depth-first search. */
const state = new Map();
function visit(path, stack) {
  state.set(path, 'open');
  stack.push(path);
  for (const next of graph.get(path) ?? []) {
    if (isCommand(next) || !graph.has(next)) continue;
    if (state.get(next) === 'open') {
      problems.push(`import cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' -> ')}`);
    } else if (!state.has(next)) {
      visit(next, stack);
    }
  }
  stack.pop();
  state.set(path, 'done');
}
for (const path of graph.keys()) if (!isCommand(path) && !state.has(path)) visit(path, []);

if (problems.length > 0) {
  console.error(`packages/engine/src: ${problems.length} imports run the wrong way`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
