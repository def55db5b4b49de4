/** DICT_HT_INITIAL_SIZE: the table a dict gets for its first entry. */
const INITIAL_SIZE = 4;
/** dict_force_resize_ratio: how full a table may get while resizing is avoided (a child runs). */
export const FORCE_RESIZE_RATIO = 5;
/** HASHTABLE_MIN_FILL: a table less full than this percentage is shrunk. */
export const MIN_FILL_PERCENT = 10;

/** _dictNextPower: the table for `used` entries, a power of two, at least DICT_HT_INITIAL_SIZE. */
export function tableSize(used: number): number {
  let size = INITIAL_SIZE;
  while (size < used) size *= 2;
  return size;
}

/**
 * The size of the hash table Redis holds a database's keys (or their TTLs) in (dict.c), as DEBUG
 * HTSTATS shows it: a dict grows as entries are added (_dictExpandIfNeeded), to the power of two
 * above its count once it is full, but while a child process runs only once it is five times
 * over full; serverCron shrinks a sparse one when no child runs. rc keeps no buckets, so a
 * resize is shown done at once, where Redis rehashes incrementally.
 */
export class DictSizing {
  size = 0;

  /** Before an entry joins the `used` ones: whether and how the table grows. */
  beforeAdd(used: number, childRunning: boolean): void {
    if (this.size === 0) this.size = INITIAL_SIZE;
    else if (
      used >= this.size &&
      (!childRunning || Math.floor(used / this.size) > FORCE_RESIZE_RATIO)
    ) {
      this.size = tableSize(used + 1);
    }
  }

  /** tryResizeHashTables: a table under 10% full shrinks to fit its `used` entries. */
  shrinkIfSparse(used: number): void {
    if (this.size > INITIAL_SIZE && (used * 100) / this.size < MIN_FILL_PERCENT) {
      this.size = tableSize(used);
    }
  }

  /** dictEmpty (FLUSHDB, FLUSHALL): no table until the next entry. */
  clear(): void {
    this.size = 0;
  }
}
