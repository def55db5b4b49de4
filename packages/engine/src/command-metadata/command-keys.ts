import { isKeyword } from '../arguments.js';
import { parseIndex } from '../numbers.js';
import type { CommandMetadata, KeySpec, KeySpecFlag, KeysProcedure } from './types.js';

/** A key argument of a call: its position in argv and how the command uses it. */
export interface KeyReference {
  readonly index: number;
  readonly flags: readonly KeySpecFlag[];
}

/** Whether a command can take keys at all (COMMAND GETKEYS refuses the others). */
export function hasKeys(metadata: CommandMetadata): boolean {
  return metadata.keysProcedure !== undefined || hasRealKeySpec(metadata.keySpecs ?? []);
}

/**
 * Where cluster routing finds a command's keys: it has none ('keyless': no key spec, not even a
 * channel, and no keys procedure), exactly one at a fixed position (its index, when it is there),
 * or wherever `commandKeys` says ('specs').
 */
export type KeyRouting = 'keyless' | 'specs' | number;

export function keyRoutingOf(metadata: CommandMetadata): KeyRouting {
  const specs = metadata.keySpecs ?? [];
  if (specs.length === 0) return metadata.keysProcedure === undefined ? 'keyless' : 'specs';
  if (specs.length !== 1) return 'specs';
  const [{ beginSearch, findKeys, flags }] = specs;
  // variable_flags (SET, BITFIELD) makes Redis ask the command's own procedure, which names the
  // same one key: only the flags vary, and routing needs none.
  const oneKey =
    beginSearch.type === 'index' &&
    findKeys.type === 'range' &&
    findKeys.lastKey === 0 &&
    !flags.includes('incomplete');
  return oneKey ? beginSearch.index : 'specs';
}

/**
 * The keys of a call (argv with the command name first), found as Redis's
 * getKeysFromCommandWithSpecs finds them: from the key specs when they are exact, else by the
 * command's own procedure. Empty when the arguments are malformed. `withChannels` counts the
 * arguments specs flag not_key too (the shard channels cluster routing hashes).
 */
export function commandKeys(
  metadata: CommandMetadata,
  argv: readonly string[],
  withChannels = false,
): KeyReference[] {
  const specs = metadata.keySpecs ?? [];
  const usable = withChannels ? specs.length > 0 : hasRealKeySpec(specs);
  if (usable && !specs.some((spec) => spec.flags.includes('variable_flags'))) {
    const keys = keysFromSpecs(specs, argv, withChannels);
    if (keys !== null) return keys;
  }
  return metadata.keysProcedure === undefined ? [] : KEYS_PROCEDURES[metadata.keysProcedure](argv);
}

function hasRealKeySpec(specs: readonly KeySpec[]): boolean {
  return specs.some((spec) => !spec.flags.includes('not_key'));
}

/** Null when a spec cannot say (unknown search, bad key count, incomplete). */
function keysFromSpecs(
  specs: readonly KeySpec[],
  argv: readonly string[],
  withChannels: boolean,
): KeyReference[] | null {
  const keys: KeyReference[] = [];
  const argc = argv.length;
  for (const spec of specs) {
    if (spec.flags.includes('not_key') && !withChannels) continue;
    const { beginSearch, findKeys } = spec;
    let first: number;
    if (beginSearch.type === 'index') first = beginSearch.index;
    else if (beginSearch.type === 'keyword') {
      first = keywordSearch(argv, beginSearch.keyword, beginSearch.startFrom);
      // A missing keyword means the optional keys are absent.
      if (first === 0) continue;
    } else return null;

    let last: number;
    let step: number;
    if (findKeys.type === 'range') {
      step = findKeys.keyStep;
      if (findKeys.lastKey >= 0) last = first + findKeys.lastKey;
      else if (findKeys.limit === 0) last = argc + findKeys.lastKey;
      else last = first + (Math.trunc((argc - first) / findKeys.limit) + findKeys.lastKey);
    } else if (findKeys.type === 'keynum') {
      step = findKeys.keyStep;
      if (findKeys.keyNumIndex >= argc || first + findKeys.keyNumIndex >= argc) return null;
      const count = parseIndex(argv[first + findKeys.keyNumIndex]);
      if (count === null || count < 0) return null;
      first += findKeys.firstKey;
      last = first + count - 1;
    } else return null;

    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) keys.push({ index: i, flags: spec.flags });
    if (spec.flags.includes('incomplete')) return null;
  }
  return keys;
}

/**
 * The position after `keyword`, or 0. Like Redis, the search stops one short of its far end
 * (the last argument going forward, argv[1] going backward): no key could follow there.
 */
function keywordSearch(argv: readonly string[], keyword: string, startFrom: number): number {
  const argc = argv.length;
  const start = startFrom > 0 ? startFrom : argc + startFrom;
  const end = startFrom > 0 ? argc - 1 : 1;
  const direction = start <= end ? 1 : -1;
  const lower = keyword.toLowerCase();
  for (let i = start; i !== end && i >= 1 && i < argc; i += direction) {
    if (isKeyword(argv[i], lower)) return i + 1;
  }
  return 0;
}

const READ: readonly KeySpecFlag[] = ['RO', 'access'];
/** Redis's fallback procedures report no flags where the key specs already carry them. */
const UNFLAGGED: readonly KeySpecFlag[] = [];

const KEYS_PROCEDURES: Record<KeysProcedure, (argv: readonly string[]) => KeyReference[]> = {
  set: setKeys,
  bitfield: bitfieldKeys,
  sort: sortKeys,
  sort_ro: () => [{ index: 1, flags: READ }],
  georadius: georadiusKeys,
  xread: xreadKeys,
  eval: (argv) => countedKeys(argv, 0, 2),
  sintercard: (argv) => countedKeys(argv, 0, 1),
  lmpop: (argv) => countedKeys(argv, 0, 1),
  blmpop: (argv) => countedKeys(argv, 0, 2),
  zmpop: (argv) => countedKeys(argv, 0, 1),
  zunionInterDiff: (argv) => countedKeys(argv, 0, 1),
  zunionInterDiffStore: (argv) => countedKeys(argv, 1, 2),
  migrate: migrateKeys,
};

const MIGRATED: readonly KeySpecFlag[] = ['RW', 'access', 'delete'];

/**
 * MIGRATE: the key argument, or with KEYS every argument after it (none when the key argument
 * is not empty then, MIGRATE's own syntax error); AUTH and AUTH2 values are skipped over.
 */
function migrateKeys(argv: readonly string[]): KeyReference[] {
  let first = 3;
  let count = 1;
  for (let i = 6; i < argv.length; i++) {
    if (isKeyword(argv[i], 'keys')) {
      if (argv[3].length > 0) count = 0;
      else {
        first = i + 1;
        count = argv.length - first;
      }
      break;
    }
    if (isKeyword(argv[i], 'auth')) i += 1;
    else if (isKeyword(argv[i], 'auth2')) i += 2;
  }
  return Array.from({ length: count }, (_, k) => ({ index: first + k, flags: MIGRATED }));
}

/**
 * `[destination] numkeys key...` (ZUNIONSTORE, EVAL, LMPOP...): the keys, then the destination
 * (position 0: none). Redis reads numkeys with atoi, and gives no keys when it is out of range.
 */
function countedKeys(
  argv: readonly string[],
  destination: number,
  countAt: number,
): KeyReference[] {
  const count = atoi(argv[countAt]);
  const firstKey = countAt + 1;
  if (count < 1 || count > argv.length - firstKey) return [];
  const keys: KeyReference[] = [];
  for (let i = 0; i < count; i++) keys.push({ index: firstKey + i, flags: UNFLAGGED });
  if (destination !== 0) keys.push({ index: destination, flags: UNFLAGGED });
  return keys;
}

/** C's atoi: leading whitespace, a sign, then digits up to the first other character. */
function atoi(text: string): number {
  const match = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  return match ? Number.parseInt(match[1], 10) : 0;
}

/**
 * BITFIELD only reads its key when every subcommand is a GET (OVERFLOW aside); anything else,
 * a syntax error included, counts as a write.
 */
function bitfieldKeys(argv: readonly string[]): KeyReference[] {
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    if (isKeyword(argv[i], 'get') && remaining >= 2) i += 2;
    else if (isKeyword(argv[i], 'overflow') && remaining >= 1) i += 1;
    else return [{ index: 1, flags: ['RW', 'access', 'update'] }];
  }
  return [{ index: 1, flags: READ }];
}

/** SET reads its key only with the GET option. */
function setKeys(argv: readonly string[]): KeyReference[] {
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'get')) {
      return [{ index: 1, flags: ['RW', 'access', 'update'] }];
    }
  }
  return [{ index: 1, flags: ['OW', 'update'] }];
}

/** SORT key [BY p] [LIMIT o c] [GET p]... [STORE destination]: the last STORE wins. */
function sortKeys(argv: readonly string[]): KeyReference[] {
  let destination = 0;
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i];
    if (isKeyword(option, 'limit')) i += 2;
    else if (isKeyword(option, 'store') && i + 1 < argv.length) destination = i + 1;
    else if (isKeyword(option, 'get') || isKeyword(option, 'by')) i += 1;
  }
  const keys: KeyReference[] = [{ index: 1, flags: READ }];
  if (destination !== 0) keys.push({ index: destination, flags: ['OW', 'update'] });
  return keys;
}

/** GEORADIUS(BYMEMBER) key ... [STORE destination] [STOREDIST destination]: the last wins. */
function georadiusKeys(argv: readonly string[]): KeyReference[] {
  let destination = 0;
  for (let i = 5; i < argv.length; i++) {
    const option = argv[i];
    if ((isKeyword(option, 'store') || isKeyword(option, 'storedist')) && i + 1 < argv.length) {
      destination = i + 1;
      i++;
    }
  }
  const keys: KeyReference[] = [{ index: 1, flags: UNFLAGGED }];
  if (destination !== 0) keys.push({ index: destination, flags: UNFLAGGED });
  return keys;
}

/** XREAD(GROUP) [options] STREAMS key... id...: half the arguments after STREAMS. */
function xreadKeys(argv: readonly string[]): KeyReference[] {
  let streamsAt = -1;
  for (let i = 1; i < argv.length; i++) {
    const option = argv[i];
    if (isKeyword(option, 'block') || isKeyword(option, 'count')) i++;
    else if (isKeyword(option, 'group')) i += 2;
    else if (isKeyword(option, 'streams')) {
      streamsAt = i;
      break;
    } else if (!isKeyword(option, 'noack')) break;
  }
  const rest = argv.length - streamsAt - 1;
  if (streamsAt === -1 || rest === 0 || rest % 2 !== 0) return [];
  const keys: KeyReference[] = [];
  for (let i = 0; i < rest / 2; i++) keys.push({ index: streamsAt + 1 + i, flags: UNFLAGGED });
  return keys;
}
