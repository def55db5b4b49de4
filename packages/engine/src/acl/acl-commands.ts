import type { CommandEntry, CommandSpec, CommandTable } from '../command-table.js';
import {
  ACL_CATEGORIES,
  aclCategories,
  metadataOf,
} from '../command-metadata/command-description.js';
import type { AclCategory, KeySpecFlag } from '../command-metadata/types.js';
import { takesChannels } from './channels.js';

/**
 * Where a command's keys are, for permission checks on every call: none, a plain range of
 * arguments (most commands: found without allocating), or only by the general key search.
 */
export type KeyPlan =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'range';
      readonly first: number;
      /** The last key's index; negative counts from the end of the arguments. */
      readonly last: number;
      readonly step: number;
      readonly access: number;
    }
  | { readonly kind: 'general' };

/** What a key pattern grants: ~ is both, %R~ reading, %W~ writing. */
export const KEY_READ = 1;
export const KEY_WRITE = 2;

/** The access a key spec asks for: reading unless only written, writing for any change. */
export function accessOf(flags: readonly KeySpecFlag[]): number {
  let access = 0;
  if (flags.includes('access')) access |= KEY_READ;
  if (flags.includes('insert') || flags.includes('delete') || flags.includes('update')) {
    access |= KEY_WRITE;
  }
  return access;
}

/**
 * The command table as ACL rules see it: ids index the permission bitmaps, and each command's
 * categories (declared and implied) are a bit mask, bit i for ACL_CATEGORIES[i].
 */
export class AclCommands {
  /** Top-level commands in table order; subcommands are reached through them. */
  readonly topLevel: readonly CommandEntry[];
  /** Length of a permission bitmap: one slot per id, then Redis's "future commands" slot. */
  readonly bitmapLength: number;
  /**
   * Each command's rules by id, worked out on its first check: deriving all ~370 at start was
   * about a fifth of the daemon's CPU before its first PONG, and most are never checked.
   */
  private readonly rules: (CommandRules | undefined)[] = [];

  constructor(private readonly table: CommandTable) {
    this.topLevel = [...table.entries()];
    this.bitmapLength = table.idCount + 1;
  }

  private rulesFor(entry: CommandEntry): CommandRules {
    return (this.rules[entry.id] ??= rulesOf(entry));
  }

  keyPlan(entry: CommandEntry): KeyPlan {
    return this.rulesFor(entry).keyPlan;
  }

  /** Whether channel rules apply to the command. */
  takesChannels(entry: CommandEntry): boolean {
    return this.rulesFor(entry).channelled;
  }

  /** Whether the command needs no permission (AUTH, HELLO, QUIT, RESET). */
  isOpen(entry: CommandEntry): boolean {
    return this.rulesFor(entry).open;
  }

  /** The id of the slot that only +@all sets: whether commands added later are allowed. */
  get futureSlot(): number {
    return this.bitmapLength - 1;
  }

  inCategory(entry: CommandEntry, category: number): boolean {
    return (this.rulesFor(entry).mask & (1 << category)) !== 0;
  }

  /** Every command and subcommand of a category, containers before their subcommands. */
  *ofCategory(category: number): IterableIterator<CommandEntry> {
    for (const entry of this.topLevel) {
      if (this.inCategory(entry, category)) yield entry;
      for (const sub of entry.subcommands?.values() ?? []) {
        if (this.inCategory(sub, category)) yield sub;
      }
    }
  }

  /**
   * Redis's ACLLookupCommand: "get" or "config|get", any case, by the command's own name
   * (rename-command does not change ACL rules); anything else is unknown.
   */
  lookup(name: string): CommandEntry | undefined {
    const bar = name.indexOf('|');
    if (bar === -1) return this.table.original(name);
    const parent = this.table.original(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (sub.includes('|')) return undefined;
    return parent?.subcommands?.get(sub.toLowerCase());
  }
}

/** What ACL checks need of one command, which follows from its spec alone. */
interface CommandRules {
  readonly mask: number;
  readonly keyPlan: KeyPlan;
  readonly open: boolean;
  readonly channelled: boolean;
}

/**
 * Worked out once per process: every engine's table holds the same specs, and starting a server
 * (tests start many) should not derive them again.
 */
const rulesBySpec = new WeakMap<CommandSpec, CommandRules>();

function rulesOf(entry: CommandEntry): CommandRules {
  let rules = rulesBySpec.get(entry.spec);
  if (rules === undefined) {
    rules = {
      mask: categoryMask(entry),
      keyPlan: keyPlan(entry),
      open: entry.spec.flags.includes('no_auth'),
      channelled: takesChannels(entry),
    };
    rulesBySpec.set(entry.spec, rules);
  }
  return rules;
}

/** The index of a category name (any case) in ACL_CATEGORIES, or -1. */
export function categoryIndex(name: string): number {
  return (ACL_CATEGORIES as readonly string[]).indexOf(name.toLowerCase());
}

export function categoryName(index: number): AclCategory {
  return ACL_CATEGORIES[index];
}

export const CATEGORY_COUNT = ACL_CATEGORIES.length;

const NO_KEYS: KeyPlan = { kind: 'none' };
const GENERAL: KeyPlan = { kind: 'general' };

/** A range plan when one key spec says it all, as commandKeys would read it. */
function keyPlan(entry: CommandEntry): KeyPlan {
  const metadata = metadataOf(entry);
  const specs = metadata.keySpecs ?? [];
  if (
    metadata.keysProcedure === undefined &&
    specs.every((spec) => spec.flags.includes('not_key'))
  ) {
    return NO_KEYS;
  }
  if (metadata.keysProcedure !== undefined || specs.length !== 1) return GENERAL;
  const [{ beginSearch, findKeys, flags }] = specs;
  if (beginSearch.type !== 'index' || findKeys.type !== 'range') return GENERAL;
  if (
    flags.some((flag) => flag === 'not_key' || flag === 'incomplete' || flag === 'variable_flags')
  ) {
    return GENERAL;
  }
  if (findKeys.lastKey < 0 && findKeys.limit !== 0) return GENERAL;
  const first = beginSearch.index;
  const last = findKeys.lastKey >= 0 ? first + findKeys.lastKey : findKeys.lastKey;
  return { kind: 'range', first, last, step: findKeys.keyStep, access: accessOf(flags) };
}

function categoryMask(entry: CommandEntry): number {
  let mask = 0;
  for (const category of aclCategories(entry)) mask |= 1 << ACL_CATEGORIES.indexOf(category);
  return mask;
}
