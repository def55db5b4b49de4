import { FORCE_RESIZE_RATIO, MIN_FILL_PERCENT, tableSize } from './dict-sizing.js';
import { stringHash } from '@rc/datatypes/packed';
import { tableStats } from './dict-stats.js';

/**
 * dict_can_resize as the parent process sees it: 'avoid' while a child process runs (a table
 * resizes, or keeps rehashing, only once five times off its size).
 */
export type ResizePolicy = 'enable' | 'avoid';

/** Empty buckets one rehash step may walk past (dictRehash's n * 10). */
const EMPTY_VISITS_PER_STEP = 10;

/** Buckets of one table, built for a scan: bucket index to the entries chained there. */
type BucketIndex = Map<number, string[]>;

/** The entries of a table, in their buckets, for as long as the dict does not change. */
interface ScanTables {
  readonly used: number;
  readonly main: BucketIndex;
  readonly target: BucketIndex | null;
}

/** Reverses the low `bits` bits of `value`. */
function reverseBits(value: number, bits: number): number {
  let reversed = 0;
  for (let i = 0; i < bits; i++) {
    reversed = (reversed << 1) | ((value >>> i) & 1);
  }
  return reversed >>> 0;
}

/** dictScan's cursor step over a table of `mask + 1` buckets: the next bucket in reverse-bit order, 0 after the last. */
function nextCursor(cursor: number, mask: number): number {
  const bits = Math.log2(mask + 1);
  const next = reverseBits(cursor & mask, bits) + 1;
  return next > mask ? 0 : reverseBits(next, bits);
}

/**
 * The shape of the hash table Redis keeps a hashtable-encoded collection in (dict.c): its
 * table sizes and its incremental rehashing, for what DEBUG HTSTATS-KEY and the SCAN cursor show.
 * rc stores the entries in a JavaScript collection; this follows, per operation, where Redis's
 * dict would hold them. Entries are placed by `stringHash` (Redis's hash is seeded, so no
 * placement is byte-identical, but every rule that depends on placement is the same).
 *
 * A shrink (after a removal, dictResize) rehashes incrementally as in Redis, one bucket per
 * operation; a growth is shown done at once, as the keyspace's own tables are (DictSizing).
 */
export class DictShape {
  /** Table 0's buckets. */
  private size = 0;
  /** The rehashing target's buckets; 0 when not rehashing. */
  private targetSize = 0;
  /** rehashidx: table 0's buckets below it have moved to the target. */
  private rehashIndex = 0;
  /** While rehashing: how many entries each table-0 bucket still holds. */
  private pending: Uint32Array | null = null;
  private mainUsed = 0;
  /** Entries added while rehashing (they go to the target) whose table-0 bucket is still ahead. */
  private newcomers: Set<string> | null = null;
  private scanTables: ScanTables | null = null;

  /** A dict Redis built for `used` entries at once (a conversion, a load). */
  static fitting(used: number): DictShape {
    const shape = new DictShape();
    shape.size = tableSize(used);
    return shape;
  }

  get rehashing(): boolean {
    return this.targetSize !== 0;
  }

  /** dictAddRaw, before the entry joins `used` others: a rehash step, then _dictExpandIfNeeded. */
  beforeAdd(used: number, policy: ResizePolicy): void {
    if (this.rehashing) {
      this.rehash(1, policy);
      return;
    }
    if (this.size === 0) this.size = tableSize(1);
    else if (
      used >= this.size &&
      (policy === 'enable' || Math.floor(used / this.size) > FORCE_RESIZE_RATIO)
    ) {
      this.size = tableSize(used + 1);
      this.scanTables = null;
    }
  }

  /** After `entry` was added: while rehashing it lives in the target. */
  added(entry: string): void {
    this.scanTables = null;
    if (this.newcomers !== null && this.bucketIn(this.size, entry) >= this.rehashIndex) {
      this.newcomers.add(entry);
    }
  }

  /** dictFind, and dictGenericDelete before it looks: one rehash step. */
  lookedUp(policy: ResizePolicy): void {
    if (this.rehashing) this.rehash(1, policy);
  }

  /** Random picks (dictGetFairRandomKey, dictGetSomeKeys): up to `steps` rehash steps. */
  sampled(steps: number, policy: ResizePolicy): void {
    if (this.rehashing) this.rehash(steps, policy);
  }

  /** After `entry` was removed, leaving `entries`: where it was, then htNeedsResize and dictResize. */
  removed(entry: string, entries: Iterable<string>, used: number, policy: ResizePolicy): void {
    this.scanTables = null;
    if (this.pending !== null && this.inMainTable(entry)) {
      this.pending[this.bucketIn(this.size, entry)]--;
      this.mainUsed--;
    }
    this.newcomers?.delete(entry);
    const slots = this.size + this.targetSize;
    if (slots <= tableSize(0) || (used * 100) / slots >= MIN_FILL_PERCENT) return;
    if (policy !== 'enable' || this.rehashing) return;
    const target = tableSize(used);
    if (target === this.size) return;
    this.targetSize = target;
    this.rehashIndex = 0;
    this.pending = new Uint32Array(this.size);
    for (const member of entries) this.pending[this.bucketIn(this.size, member)]++;
    this.mainUsed = used;
    this.newcomers = new Set();
  }

  /** DEBUG HTSTATS-KEY: the main table, and the rehashing target while there is one. */
  stats(entries: Iterable<string>, used: number): string {
    if (!this.rehashing) return tableStats(0, entries, used, this.size);
    const [main, target] = this.split(entries);
    return (
      tableStats(0, main, main.length, this.size) +
      tableStats(1, target, target.length, this.targetSize)
    );
  }

  /**
   * SSCAN's page: dictScan from `cursor` until `count` entries or count * 10 more buckets,
   * as scanGenericCommand calls it; entries come a bucket at a time.
   */
  scan(
    entries: Iterable<string>,
    used: number,
    cursor: number,
    count: number,
  ): { cursor: number; items: string[] } {
    const tables = this.tablesFor(entries, used);
    const items: string[] = [];
    let next = cursor >>> 0;
    let iterations = count * 10;
    do {
      next = this.scanStep(tables, next, items);
    } while (next !== 0 && iterations-- !== 0 && items.length < count);
    return { cursor: next, items };
  }

  /** One dictScan call: the bucket under `cursor` (and its expansions in the bigger table). */
  private scanStep(tables: ScanTables, cursor: number, items: string[]): number {
    if (tables.target === null) {
      const mask = this.size - 1;
      for (const entry of tables.main.get(cursor & mask) ?? []) items.push(entry);
      return nextCursor(cursor, mask);
    }
    const mainIsSmaller = this.size < this.targetSize;
    const small = mainIsSmaller ? tables.main : tables.target;
    const large = mainIsSmaller ? tables.target : tables.main;
    const smallMask = Math.min(this.size, this.targetSize) - 1;
    const largeMask = Math.max(this.size, this.targetSize) - 1;
    for (const entry of small.get(cursor & smallMask) ?? []) items.push(entry);
    let next = cursor;
    do {
      for (const entry of large.get(next & largeMask) ?? []) items.push(entry);
      next = nextCursor(next, largeMask);
    } while ((next & (smallMask ^ largeMask)) !== 0);
    return next;
  }

  /** The buckets of each table, kept between SSCAN calls while the dict does not change. */
  private tablesFor(entries: Iterable<string>, used: number): ScanTables {
    if (this.scanTables !== null && this.scanTables.used === used) return this.scanTables;
    const index = (members: Iterable<string>, size: number): BucketIndex => {
      const buckets: BucketIndex = new Map();
      for (const member of members) {
        const bucket = this.bucketIn(size, member);
        const chain = buckets.get(bucket);
        if (chain === undefined) buckets.set(bucket, [member]);
        else chain.push(member);
      }
      return buckets;
    };
    if (!this.rehashing) {
      this.scanTables = { used, main: index(entries, this.size), target: null };
    } else {
      const [main, target] = this.split(entries);
      this.scanTables = {
        used,
        main: index(main, this.size),
        target: index(target, this.targetSize),
      };
    }
    return this.scanTables;
  }

  /** The entries still in table 0, and those in the target. */
  private split(entries: Iterable<string>): [string[], string[]] {
    const main: string[] = [];
    const target: string[] = [];
    for (const entry of entries) (this.inMainTable(entry) ? main : target).push(entry);
    return [main, target];
  }

  private inMainTable(entry: string): boolean {
    return (
      this.bucketIn(this.size, entry) >= this.rehashIndex && !(this.newcomers?.has(entry) ?? false)
    );
  }

  private bucketIn(size: number, entry: string): number {
    return stringHash(entry) & (size - 1);
  }

  /** dictRehash(n): moves up to `n` buckets, walking past at most n * 10 empty ones. */
  private rehash(steps: number, policy: ResizePolicy): void {
    const ratio =
      this.targetSize > this.size
        ? Math.floor(this.targetSize / this.size)
        : Math.floor(this.size / this.targetSize);
    if (policy === 'avoid' && ratio < FORCE_RESIZE_RATIO) return;
    const pending = this.pending!;
    let emptyVisits = steps * EMPTY_VISITS_PER_STEP;
    while (steps-- > 0 && this.mainUsed !== 0) {
      while (pending[this.rehashIndex] === 0) {
        this.rehashIndex++;
        if (--emptyVisits === 0) return;
      }
      this.mainUsed -= pending[this.rehashIndex];
      pending[this.rehashIndex] = 0;
      this.rehashIndex++;
      this.scanTables = null;
    }
    if (this.mainUsed !== 0) return;
    this.size = this.targetSize;
    this.targetSize = 0;
    this.rehashIndex = 0;
    this.pending = null;
    this.newcomers = null;
    this.scanTables = null;
  }
}
