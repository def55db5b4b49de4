import { seededStringHash } from '@rc/datatypes/packed';

/** Buckets the index starts with (a power of two). */
const INITIAL_BUCKETS = 16;
/**
 * `settle` puts keys in by 2^this regions of the buckets: 1024 regions of a 2M-bucket index
 * are 16 KB each, within a core's L1 or L2 cache while their keys go in.
 */
const SETTLE_REGION_BITS = 10;

/**
 * A per-process seed, as Redis seeds its dict's siphash at start: which keys collide differs
 * from one process to the next, so a client cannot pick keys that all land in one run.
 */
const SEED = (Math.random() * 2 ** 32) | 0;

/** FNV-1a over the key's chars from a random seed, then murmur3's finalizer for the low bits. */
export function keyHash(key: string): number {
  let hash = seededStringHash(key, SEED);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/**
 * A hash index from key to slot over an array of keys held by its owner (KeyTable's slots):
 * open addressing with linear probing in one Int32Array, each bucket the slot plus one (0 is
 * empty) and the key's hash, kept at most half full. A `Map` of a million keys spent most of a
 * dump.rdb load inserting (hashing, growing, and the GC tracing its entries); these buckets are
 * outside the JS heap, grow without rehashing a key (its hash is in the bucket), and a probe
 * compares hashes before it touches a key.
 *
 * A load's keys can be indexed later (`addLater`, then `settle`): a million keys put in one by
 * one each land in a random bucket of a 16 MB array, a cache miss apiece; put in by region of
 * the array, the region in use stays in the cache.
 */
export class KeyIndex {
  private buckets = new Int32Array(INITIAL_BUCKETS * 2);
  private mask = INITIAL_BUCKETS - 1;
  /** The hashes of the keys at slots `pendingFrom` on, added but not indexed yet. */
  private pendingHashes = new Int32Array(0);
  private pendingCount = 0;
  private pendingFrom = 0;
  /** A key found twice while indexing keys added later, until `settle` tells it. */
  private duplicate: string | null = null;
  /**
   * The key found last and its slot: a write command finds its key two or three times (its
   * lookup, then the store or the recount), and hashing a key costs more than comparing it.
   * Forgotten when keys are removed, moved or indexed late.
   */
  private lastKey = '';
  private lastSlot = -1;

  constructor(private readonly keys: readonly string[]) {}

  /** The key's slot, or -1. */
  find(key: string): number {
    if (this.pendingCount !== 0) this.indexPending();
    if (this.lastSlot >= 0 && key === this.lastKey) return this.lastSlot;
    const hash = keyHash(key);
    const buckets = this.buckets;
    const mask = this.mask;
    for (let bucket = hash & mask; ; bucket = (bucket + 1) & mask) {
      const entry = buckets[bucket * 2];
      if (entry === 0) return -1;
      if (buckets[bucket * 2 + 1] === hash && this.keys[entry - 1] === key) {
        this.lastKey = key;
        this.lastSlot = entry - 1;
        return entry - 1;
      }
    }
  }

  /**
   * Indexes the key at `slot` unless it is there already: -1 when added, else its slot (one
   * probe where a find and then an add take two). `count` is how many keys the index will hold
   * with this one.
   */
  addIfAbsent(key: string, slot: number, count: number): number {
    if (this.pendingCount !== 0) this.indexPending();
    if (count * 2 > this.mask + 1) this.rebuild((this.mask + 1) * 2);
    const hash = keyHash(key);
    const buckets = this.buckets;
    const mask = this.mask;
    for (let bucket = hash & mask; ; bucket = (bucket + 1) & mask) {
      const entry = buckets[bucket * 2];
      if (entry === 0) {
        buckets[bucket * 2] = slot + 1;
        buckets[bucket * 2 + 1] = hash;
        return -1;
      }
      if (buckets[bucket * 2 + 1] === hash && this.keys[entry - 1] === key) return entry - 1;
    }
  }

  /**
   * Indexes the key at `slot`, the slot after the last one added, at the next `settle` or
   * lookup, without looking for it first: whether it was there already, `settle` tells.
   */
  addLater(key: string, slot: number): void {
    if (this.pendingCount === 0) this.pendingFrom = slot;
    if (this.pendingCount === this.pendingHashes.length) {
      const hashes = new Int32Array(Math.max(1024, this.pendingCount * 2));
      hashes.set(this.pendingHashes);
      this.pendingHashes = hashes;
    }
    this.pendingHashes[this.pendingCount++] = keyHash(key);
  }

  /**
   * Indexes the keys added later, if any are left, and tells whether one of them was there
   * already: of those found since the last settle, the one at the lowest slot, or null. Both
   * its slots stay indexed (lookups find the earlier); a load treats it as a corrupt file.
   */
  settle(): string | null {
    this.indexPending();
    const duplicate = this.duplicate;
    this.duplicate = null;
    return duplicate;
  }

  /** Puts the keys added later in by region of the buckets (a counting sort by region). */
  private indexPending(): void {
    const count = this.pendingCount;
    if (count === 0) return;
    this.forgetLast();
    const hashes = this.pendingHashes;
    const from = this.pendingFrom;
    this.pendingCount = 0;
    this.pendingHashes = new Int32Array(0);
    this.reserve(from + count);
    const buckets = this.buckets;
    const mask = this.mask;
    const bits = 31 - Math.clz32(mask + 1);
    const regionBits = Math.min(bits, SETTLE_REGION_BITS);
    const shift = bits - regionBits;
    const starts = new Int32Array((1 << regionBits) + 1);
    for (let i = 0; i < count; i++) starts[((hashes[i] & mask) >>> shift) + 1]++;
    for (let region = 1; region < starts.length; region++) starts[region] += starts[region - 1];
    // Each hash with its slot, by region: the pass that indexes them then reads in order.
    const sorted = new Int32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const at = starts[(hashes[i] & mask) >>> shift]++ * 2;
      sorted[at] = hashes[i];
      sorted[at + 1] = from + i;
    }
    let duplicate = -1;
    for (let at = 0; at < count * 2; at += 2) {
      const hash = sorted[at];
      let slot = sorted[at + 1];
      for (let bucket = hash & mask; ; bucket = (bucket + 1) & mask) {
        const entry = buckets[bucket * 2];
        if (entry === 0) {
          buckets[bucket * 2] = slot + 1;
          buckets[bucket * 2 + 1] = hash;
          break;
        }
        if (buckets[bucket * 2 + 1] === hash && this.keys[entry - 1] === this.keys[slot]) {
          // The key twice: both slots stay indexed (a removal or a move finds its own), the
          // earlier one first, so that lookups find it.
          if (slot < entry - 1) {
            buckets[bucket * 2] = slot + 1;
            slot = entry - 1;
          }
          if (duplicate < 0 || slot < duplicate) duplicate = slot;
        }
      }
    }
    if (duplicate >= 0 && this.duplicate === null) this.duplicate = this.keys[duplicate];
  }

  /** Room for `count` keys without growing (a load that knows its size). */
  reserve(count: number): void {
    let size = this.mask + 1;
    while (count * 2 > size) size *= 2;
    if (size > this.mask + 1) this.rebuild(size);
  }

  /** The key, indexed at `from`, is now at `to`. */
  moved(key: string, from: number, to: number): void {
    if (this.pendingCount !== 0) this.indexPending();
    this.forgetLast();
    this.buckets[this.bucketOfSlot(key, from) * 2] = to + 1;
  }

  /**
   * Forgets the key: its slot, or -1 when it was not there. `count` is how many keys are left
   * if it was. Later buckets of the run shift back into the hole (no tombstones), as linear
   * probing's deletion does.
   */
  remove(key: string, count: number): number {
    if (this.pendingCount !== 0) this.indexPending();
    this.forgetLast();
    const hash = keyHash(key);
    const buckets = this.buckets;
    const mask = this.mask;
    let hole = hash & mask;
    for (; ; hole = (hole + 1) & mask) {
      const entry = buckets[hole * 2];
      if (entry === 0) return -1;
      if (buckets[hole * 2 + 1] === hash && this.keys[entry - 1] === key) break;
    }
    const slot = buckets[hole * 2] - 1;
    for (let bucket = (hole + 1) & mask; buckets[bucket * 2] !== 0; bucket = (bucket + 1) & mask) {
      const home = buckets[bucket * 2 + 1] & mask;
      // The entry may fill the hole when the hole lies on its way from home.
      if (((bucket - home) & mask) >= ((bucket - hole) & mask)) {
        buckets[hole * 2] = buckets[bucket * 2];
        buckets[hole * 2 + 1] = buckets[bucket * 2 + 1];
        hole = bucket;
      }
    }
    buckets[hole * 2] = 0;
    buckets[hole * 2 + 1] = 0;
    if (mask + 1 > INITIAL_BUCKETS && count * 8 < mask + 1) this.rebuild((mask + 1) / 2);
    return slot;
  }

  /** Keys move between slots: the last key found may no longer be where it was. */
  private forgetLast(): void {
    this.lastKey = '';
    this.lastSlot = -1;
  }

  private bucketOfSlot(key: string, slot: number): number {
    const buckets = this.buckets;
    const mask = this.mask;
    let bucket = keyHash(key) & mask;
    while (buckets[bucket * 2] !== slot + 1) bucket = (bucket + 1) & mask;
    return bucket;
  }

  /** Moves every entry into `size` buckets, by the hash each bucket holds. */
  private rebuild(size: number): void {
    const old = this.buckets;
    const buckets = new Int32Array(size * 2);
    const mask = size - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] === 0) continue;
      let bucket = old[at + 1] & mask;
      while (buckets[bucket * 2] !== 0) bucket = (bucket + 1) & mask;
      buckets[bucket * 2] = old[at];
      buckets[bucket * 2 + 1] = old[at + 1];
    }
    this.buckets = buckets;
    this.mask = mask;
  }
}
