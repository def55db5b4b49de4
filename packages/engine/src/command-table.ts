import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { LatencyHistogram } from './latency-histogram.js';

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
  /** Admin commands are too sensitive to echo to MONITOR clients. */
  readonly hiddenFromMonitor: boolean;
  readonly subcommands: ReadonlyMap<string, CommandEntry> | null;
  calls: number;
  microseconds: number;
  rejectedCalls: number;
  failedCalls: number;
  /** INFO latencystats: created by the first call since start or CONFIG RESETSTAT. */
  latency: LatencyHistogram | null;
}

export class CommandTable {
  private readonly byName = new Map<string, CommandEntry>();
  /** How many ids entries (subcommands included) were given: ids run from 0 to this, excluded. */
  readonly idCount: number;

  constructor(specs: Iterable<CommandSpec>) {
    const ids = { next: 0 };
    for (const spec of specs) {
      const entry = resolve(spec, null, ids);
      this.byName.set(spec.name, entry);
      this.byName.set(spec.name.toUpperCase(), entry);
    }
    this.idCount = ids.next;
  }

  /** Case-insensitive lookup; the common all-lower and all-upper spellings avoid allocating. */
  lookup(name: string): CommandEntry | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** Every top-level command once, in registration order. */
  *entries(): IterableIterator<CommandEntry> {
    for (const [name, entry] of this.byName) if (name === entry.spec.name) yield entry;
  }

  get size(): number {
    return this.byName.size / 2;
  }
}

const SCRIPTS_TRACKED_BY_THEIR_READS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

function resolve(
  spec: CommandSpec,
  parent: CommandEntry | null,
  ids: { next: number },
): CommandEntry {
  const entry: CommandEntry = {
    spec,
    id: ids.next++,
    fullName: parent ? `${parent.spec.name}|${spec.name}` : spec.name,
    parent,
    isWrite: spec.flags.includes('write'),
    tracksKeys: spec.flags.includes('readonly') && !SCRIPTS_TRACKED_BY_THEIR_READS.has(spec.name),
    isProtected: spec.flags.includes('protected'),
    hiddenFromMonitor: spec.flags.includes('admin') || spec.flags.includes('skip_monitor'),
    subcommands: null,
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
