import { seededStringHash } from '@rc/datatypes/packed';

/** Buckets the index starts with (a power of two). */
const INITIAL_BUCKETS = 16;

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
 */
export class KeyIndex {
  private buckets = new Int32Array(INITIAL_BUCKETS * 2);
  private mask = INITIAL_BUCKETS - 1;

  constructor(private readonly keys: readonly string[]) {}

  /** The key's slot, or -1. */
  find(key: string): number {
    const hash = keyHash(key);
    const buckets = this.buckets;
    const mask = this.mask;
    for (let bucket = hash & mask; ; bucket = (bucket + 1) & mask) {
      const entry = buckets[bucket * 2];
      if (entry === 0) return -1;
      if (buckets[bucket * 2 + 1] === hash && this.keys[entry - 1] === key) return entry - 1;
    }
  }

  /**
   * Indexes the key at `slot` unless it is there already: -1 when added, else its slot (one
   * probe where a find and then an add take two). `count` is how many keys the index will hold
   * with this one.
   */
  addIfAbsent(key: string, slot: number, count: number): number {
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

  /** Room for `count` keys without growing (a load that knows its size). */
  reserve(count: number): void {
    let size = this.mask + 1;
    while (count * 2 > size) size *= 2;
    if (size > this.mask + 1) this.rebuild(size);
  }

  /** The key, indexed at `from`, is now at `to`. */
  moved(key: string, from: number, to: number): void {
    this.buckets[this.bucketOfSlot(key, from) * 2] = to + 1;
  }

  /**
   * Forgets the key: its slot, or -1 when it was not there. `count` is how many keys are left
   * if it was. Later buckets of the run shift back into the hole (no tombstones), as linear
   * probing's deletion does.
   */
  remove(key: string, count: number): number {
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
