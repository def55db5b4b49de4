import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { LatencyHistogram } from './latency-histogram.js';
import { keyRoutingOf, type KeyRouting } from './command-metadata/command-keys.js';
import { redisCommands } from './command-metadata/redis-commands.js';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  /** Served on a cluster node importing the key's slot without a redirect (RESTORE-ASKING). */
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  /** Key positions depend on the arguments (numkeys, STREAMS, STORE): COMMAND shows it. */
  | 'movablekeys'
  | 'no_multi'
  | 'no_async_loading'
  | 'allow_busy'
  /** Refused unless enable-debug-command allows it (Redis's CMD_PROTECTED); COMMAND hides it. */
  | 'protected';

export type CommandGroup =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'stream'
  | 'bitmap'
  | 'geo'
  | 'scripting'
  | 'hyperloglog'
  | 'cluster';

/** Returned by a handler that parked its client (BLPOP with nothing to pop). */
export const BLOCKED = Symbol('blocked');
export type CommandResult = void | typeof BLOCKED;

export type CommandHandler = (client: Client, argv: string[], engine: Engine) => CommandResult;

/**
 * One declarative entry per command, as in Redis's command table: COMMAND's replies, arity
 * errors, MULTI's queueing rules and write detection are all derived from it.
 */
export interface CommandSpec {
  /** Lower case; subcommands carry only their own part ("get" under "config"). */
  readonly name: string;
  /** Exact argument count including the name, or -N for "at least N". */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** First key index, last key index (negative counts from the end), step; 0,0,0 for none. */
  readonly keys: readonly [first: number, last: number, step: number];
  readonly group: CommandGroup;
  readonly summary: string;
  readonly since: string;
  readonly handler?: CommandHandler;
  readonly subcommands?: readonly CommandSpec[];
}

/** A resolved entry: the spec plus what dispatch needs precomputed. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  /** Index of the command (or subcommand) in its table, for ACL permission bitmaps. */
  readonly id: number;
  /** "get" or "config|get": the name used in arity errors and COMMAND output. */
  readonly fullName: string;
  readonly parent: CommandEntry | null;
  readonly isWrite: boolean;
  /**
   * A read-only command whose keys a tracking client then caches; not EVAL_RO and friends,
   * whose declared keys count only if the script reads (Redis's call()).
   */
  readonly tracksKeys: boolean;
  readonly isProtected: boolean;
  /** Refused from scripts (noscript), read by every redis.call. */
  readonly deniedToScripts: boolean;
  /** Admin commands are too sensitive to echo to MONITOR clients. */
  readonly hiddenFromMonitor: boolean;
  readonly subcommands: ReadonlyMap<string, CommandEntry> | null;
  /** Where cluster mode finds the keys it routes by. */
  readonly keyRouting: KeyRouting;
  calls: number;
  microseconds: number;
  rejectedCalls: number;
  failedCalls: number;
  /** INFO latencystats: created by the first call since start or CONFIG RESETSTAT. */
  latency: LatencyHistogram | null;
}

export class CommandTable {
  /** Current names, lower case: what COMMAND lists (rename-command changes them). */
  private readonly names = new Map<string, CommandEntry>();
  /** The same under their all-upper spelling too, so that lookup rarely lowercases. */
  private readonly byName = new Map<string, CommandEntry>();
  /** Every command under its own name, whatever rename-command did (ACL rules use these). */
  private readonly originals = new Map<string, CommandEntry>();
  /** How many ids entries (subcommands included) were given: ids run from 0 to this, excluded. */
  readonly idCount: number;
  /**
   * The two names found last and their entries: a pipeline mostly repeats one command (a
   * script, two: its EVALSHA and the command it calls), and comparing a name costs less than
   * hashing it anew (each argument is a new string).
   */
  private lastName = '';
  private lastEntry: CommandEntry | undefined = undefined;
  private previousName = '';
  private previousEntry: CommandEntry | undefined = undefined;

  constructor(specs: Iterable<CommandSpec>) {
    const ids = { next: 0 };
    for (const spec of specs) {
      const entry = resolve(spec, null, ids);
      this.originals.set(spec.name, entry);
      this.add(spec.name, entry);
    }
    this.idCount = ids.next;
  }

  private add(name: string, entry: CommandEntry): void {
    this.names.set(name, entry);
    this.byName.set(name, entry);
    this.byName.set(name.toUpperCase(), entry);
  }

  /** Case-insensitive lookup; the common all-lower and all-upper spellings avoid allocating. */
  lookup(name: string): CommandEntry | undefined {
    if (name === this.lastName) return this.lastEntry;
    if (name === this.previousName) return this.previousEntry;
    const entry = this.byName.get(name) ?? this.byName.get(name.toLowerCase());
    if (entry !== undefined) {
      this.previousName = this.lastName;
      this.previousEntry = this.lastEntry;
      this.lastName = name;
      this.lastEntry = entry;
    }
    return entry;
  }

  /** A command by its own name, even if renamed or removed by rename-command. */
  original(name: string): CommandEntry | undefined {
    return this.originals.get(name.toLowerCase());
  }

  /**
   * Redis's rename-command: the command answers to `to` instead of `from`, or to nothing when
   * `to` is empty. Returns Redis's reason when it cannot.
   */
  rename(from: string, to: string): string | null {
    const entry = this.lookup(from);
    if (entry === undefined) return 'No such command in rename-command';
    const name = from.toLowerCase();
    this.lastName = this.previousName = '';
    this.lastEntry = this.previousEntry = undefined;
    this.names.delete(name);
    this.byName.delete(name);
    this.byName.delete(name.toUpperCase());
    if (to === '') return null;
    if (this.lookup(to) !== undefined) return 'Target command name already exists';
    this.add(to.toLowerCase(), entry);
    return null;
  }

  /** Every top-level command once, under its current name. */
  entries(): IterableIterator<CommandEntry> {
    return this.names.values();
  }

  get size(): number {
    return this.names.size;
  }
}

const SCRIPTS_TRACKED_BY_THEIR_READS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

function resolve(
  spec: CommandSpec,
  parent: CommandEntry | null,
  ids: { next: number },
): CommandEntry {
  const fullName = parent ? `${parent.spec.name}|${spec.name}` : spec.name;
  const metadata = redisCommands[fullName];
  const entry: CommandEntry = {
    spec,
    id: ids.next++,
    fullName,
    parent,
    isWrite: spec.flags.includes('write'),
    tracksKeys: spec.flags.includes('readonly') && !SCRIPTS_TRACKED_BY_THEIR_READS.has(spec.name),
    isProtected: spec.flags.includes('protected'),
    deniedToScripts: spec.flags.includes('noscript'),
    hiddenFromMonitor: spec.flags.includes('admin') || spec.flags.includes('skip_monitor'),
    subcommands: null,
    keyRouting: metadata === undefined ? 'specs' : keyRoutingOf(metadata),
    calls: 0,
    microseconds: 0,
    rejectedCalls: 0,
    failedCalls: 0,
    latency: null,
  };
  if (spec.subcommands) {
    const children = new Map<string, CommandEntry>();
    for (const child of spec.subcommands) children.set(child.name, resolve(child, entry, ids));
    (entry as { subcommands: ReadonlyMap<string, CommandEntry> }).subcommands = children;
  }
  return entry;
}

/** "get" or "config|get", as Redis's lookupCommandBySds: one level of subcommands. */
export function findByFullName(engine: Engine, name: string): CommandEntry | undefined {
  const [parent, child, ...rest] = name.split('|');
  if (rest.length > 0) return undefined;
  const entry = engine.commands.lookup(parent);
  if (child === undefined) return entry;
  return entry?.subcommands?.get(child.toLowerCase());
}
