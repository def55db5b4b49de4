import type { CommandEntry, CommandTable } from '../command-table.js';
import { ACL_CATEGORIES, aclCategories } from '../command-metadata/command-description.js';
import type { AclCategory } from '../command-metadata/types.js';

/**
 * The command table as ACL rules see it: ids index the permission bitmaps, and each command's
 * categories (declared and implied) are a bit mask, bit i for ACL_CATEGORIES[i].
 */
export class AclCommands {
  /** Top-level commands in table order; subcommands are reached through them. */
  readonly topLevel: readonly CommandEntry[];
  /** Length of a permission bitmap: one slot per id, then Redis's "future commands" slot. */
  readonly bitmapLength: number;
  private readonly masks: Uint32Array;

  constructor(private readonly table: CommandTable) {
    this.topLevel = [...table.entries()];
    this.bitmapLength = table.idCount + 1;
    this.masks = new Uint32Array(table.idCount);
    for (const entry of this.topLevel) {
      this.masks[entry.id] = categoryMask(entry);
      for (const sub of entry.subcommands?.values() ?? []) this.masks[sub.id] = categoryMask(sub);
    }
  }

  /** The id of the slot that only +@all sets: whether commands added later are allowed. */
  get futureSlot(): number {
    return this.bitmapLength - 1;
  }

  inCategory(entry: CommandEntry, category: number): boolean {
    return (this.masks[entry.id] & (1 << category)) !== 0;
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

  /** Redis's ACLLookupCommand: "get" or "config|get", any case; anything else is unknown. */
  lookup(name: string): CommandEntry | undefined {
    const bar = name.indexOf('|');
    if (bar === -1) return this.table.lookup(name);
    const parent = this.table.lookup(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (sub.includes('|')) return undefined;
    return parent?.subcommands?.get(sub.toLowerCase());
  }
}

/** The index of a category name (any case) in ACL_CATEGORIES, or -1. */
export function categoryIndex(name: string): number {
  return (ACL_CATEGORIES as readonly string[]).indexOf(name.toLowerCase());
}

export function categoryName(index: number): AclCategory {
  return ACL_CATEGORIES[index];
}

export const CATEGORY_COUNT = ACL_CATEGORIES.length;

function categoryMask(entry: CommandEntry): number {
  let mask = 0;
  for (const category of aclCategories(entry)) mask |= 1 << ACL_CATEGORIES.indexOf(category);
  return mask;
}
