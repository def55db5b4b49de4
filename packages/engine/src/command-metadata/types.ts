import type { CommandFlag, CommandGroup, CommandSpec } from '../command-table.js';

/**
 * What Redis 7.0 tells about a command: the static part of its table entry, ACL categories, key
 * specs, and the documentation COMMAND DOCS returns. Field names follow Redis's
 * src/commands/*.json.
 */
export interface CommandMetadata {
  readonly arity: number;
  /** Redis's command flags, plus movablekeys when the key triple cannot tell every key. */
  readonly flags: readonly CommandFlag[];
  /** The legacy first/last/step triple, derived from the key specs. */
  readonly keys: CommandSpec['keys'];
  readonly group: CommandGroup;
  readonly summary: string;
  readonly since: string;
  /** ACL categories declared by the command; its flags imply the others (@write, @slow...). */
  readonly aclCategories?: readonly AclCategory[];
  readonly keySpecs?: readonly KeySpec[];
  /** COMMAND INFO's hints to clients ("nondeterministic_output", "request_policy:..."). */
  readonly tips?: readonly string[];
  /** The command may run without any key (EVAL with numkeys 0): COMMAND shows the flag. */
  readonly noMandatoryKeys?: true;
  /** When key specs cannot tell every key (SORT ... STORE), the procedure Redis runs instead. */
  readonly keysProcedure?: KeysProcedure;
  readonly docs: CommandDocs;
}

export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting';

export type KeySpecFlag =
  | 'RO'
  | 'RW'
  | 'OW'
  | 'RM'
  | 'access'
  | 'update'
  | 'insert'
  | 'delete'
  | 'not_key'
  | 'incomplete'
  | 'variable_flags';

/** Where the keys are: a search for the first one, then a rule for the rest. */
export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly KeySpecFlag[];
  readonly beginSearch: BeginSearch;
  readonly findKeys: FindKeys;
}

export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  /** The argument after `keyword`, searched from `startFrom` (negative: backwards from the end). */
  | { readonly type: 'keyword'; readonly keyword: string; readonly startFrom: number }
  | { readonly type: 'unknown' };

export type FindKeys =
  /** Keys up to `lastKey` past the first (negative: from the end), or 1/`limit` of the rest. */
  | {
      readonly type: 'range';
      readonly lastKey: number;
      readonly keyStep: number;
      readonly limit: number;
    }
  /** A key count at `keyNumIndex` past the first search result, keys from `firstKey` after it. */
  | {
      readonly type: 'keynum';
      readonly keyNumIndex: number;
      readonly firstKey: number;
      readonly keyStep: number;
    }
  | { readonly type: 'unknown' };

/** Redis's getkeys_proc functions that rc's commands need, by the commands they serve. */
export type KeysProcedure =
  | 'set'
  | 'bitfield'
  | 'sort'
  | 'sort_ro'
  | 'georadius'
  | 'xread'
  | 'eval'
  | 'sintercard'
  | 'lmpop'
  | 'blmpop'
  | 'zmpop'
  | 'zunionInterDiff'
  | 'zunionInterDiffStore'
  | 'migrate';

export interface CommandDocs {
  readonly complexity?: string;
  readonly docFlags?: readonly DocFlag[];
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
  readonly history?: readonly (readonly [since: string, changes: string])[];
  readonly arguments?: readonly CommandArgument[];
}

export type DocFlag = 'deprecated' | 'syscmd';

export interface CommandArgument {
  readonly name: string;
  readonly type: ArgumentType;
  readonly keySpecIndex?: number;
  readonly token?: string;
  readonly since?: string;
  readonly deprecatedSince?: string;
  readonly flags?: readonly ArgumentFlag[];
  /** The alternatives of a oneof, the parts of a block. */
  readonly arguments?: readonly CommandArgument[];
}

export type ArgumentType =
  | 'string'
  | 'integer'
  | 'double'
  | 'key'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

export type ArgumentFlag = 'optional' | 'multiple' | 'multiple_token';
