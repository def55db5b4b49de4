import type { ReplyWriter } from '@rc/resp';
import { KeyIndex } from './key-index.js';
import { SMALL_STRING_LENGTH, SmallStrings } from './small-strings.js';
import { SLAB_STRING_LENGTH, StringSlabs } from './string-slabs.js';
import type { RedisValue } from './values.js';

/** Slots the typed arrays start with. */
const INITIAL_CAPACITY = 16;
/** The most keys `reserve` makes room for at once (64M keys: a 1 GB index). */
const RESERVE_LIMIT = 2 ** 26;

/**
 * A database's keys and what each one carries, in slots: a hash index from key to slot
 * (`KeyIndex`), and at the slot's index the key, its value, its access stamp (the LRU clock
 * reading, or the LFU counter) and a collection's counted bytes for used_memory. Redis keeps the
 * stamp in the value's object header; here a value is a plain string or a collection, so the
 * stamp and the count sit beside it in typed arrays, updated in place. Per key: two index ints
 * (at most half the buckets used), two array slots, a 32-bit stamp and for a collection a double.
 * A string of up to SMALL_STRING_LENGTH chars is kept in `SmallStrings` (its value slot holds
 * its offset there), one of up to SLAB_STRING_LENGTH may be kept in `StringSlabs` (see
 * StringStorage; its value slot holds -1 - its handle there), and either is read back as a new
 * string.
 *
 * Keys iterate in slot order, which is insertion order until a removal: removing a key moves the
 * last slot into its place, so a key can be picked at random in constant time (eviction's
 * sampling, RANDOMKEY).
 */
/**
 * Something that walks the slots in order while keys come and go (a background snapshot): a
 * removal fills the freed slot with the last key, which may land behind the walk.
 */
export interface KeyMoveListener {
  keyMoved(key: string, from: number, to: number): void;
}

/** Where a table keeps strings longer than SMALL_STRING_LENGTH; an engine's tables share it. */
export interface StringStorage {
  /**
   * In `StringSlabs` (up to SLAB_STRING_LENGTH) rather than as V8 strings: set while maxmemory
   * is. Slabs reuse a removed value's bytes at once, which bounds memory under eviction's churn;
   * each read makes a new string, which a GET of 1 KB pays for (about 0.5 µs of CPU).
   */
  mediumStringsAsBytes: boolean;
}

export class KeyTable {
  private readonly keyAtSlot: string[] = [];
  private readonly index = new KeyIndex(this.keyAtSlot);
  /** The value, or where a string's bytes are: see `stored`. */
  private valueAtSlot: Array<RedisValue | number> = [];
  private smallStrings = new SmallStrings();
  private slabs = new StringSlabs();
  /** Redis's 24-bit LRU or LFU field: the LRU clock in seconds, or the packed LFU counter. */
  private stamps = new Uint32Array(INITIAL_CAPACITY);
  /** Told when a removal moves a key to another slot (see `KeyMoveListener`). */
  private readonly moveListeners: KeyMoveListener[] = [];
  /** Made when the first collection is counted: a database of strings needs none. */
  private counts: Float64Array | null = null;

  constructor(private readonly storage: StringStorage = { mediumStringsAsBytes: true }) {}

  get size(): number {
    return this.keyAtSlot.length;
  }

  /** The key's slot, or -1. */
  slotOf(key: string): number {
    return this.index.find(key);
  }

  get(key: string): RedisValue | undefined {
    const slot = this.index.find(key);
    return slot < 0 ? undefined : this.valueAt(slot);
  }

  has(key: string): boolean {
    return this.index.find(key) >= 0;
  }

  /**
   * Adds the key if it is not there, its stamp and count at 0, with one probe where `has` and
   * then an add would cost two (a million keys loaded from a file). Returns its slot, or -1 when
   * the key was there, the table unchanged.
   */
  addNew(key: string, value: RedisValue | number): number {
    const slot = this.keyAtSlot.length;
    if (this.index.addIfAbsent(key, slot, slot + 1) >= 0) return -1;
    this.fill(slot, key, this.stored(value));
    return slot;
  }

  /**
   * Adds a key read from a file without looking for it first, its stamp and count at 0: it is
   * indexed at the next lookup or `settle`, a load's keys by region of the index (see
   * KeyIndex.addLater). Returns its slot.
   */
  addUnchecked(key: string, value: RedisValue): number {
    const slot = this.keyAtSlot.length;
    this.index.addLater(key, slot);
    this.fill(slot, key, this.stored(value));
    return slot;
  }

  /**
   * As `addUnchecked`, for a string value of at most SMALL_STRING_LENGTH bytes given as
   * bytes[start, end) (a view of a file's bytes), kept without making it a string first.
   */
  addUncheckedBytes(key: string, bytes: Uint8Array, start: number, end: number): number {
    const slot = this.keyAtSlot.length;
    this.index.addLater(key, slot);
    this.fill(slot, key, this.smallStrings.addBytes(bytes, start, end));
    return slot;
  }

  /**
   * Indexes the keys added unchecked; returns one of them that was there already (the table
   * then holds it twice, lookups finding the earlier), or null.
   */
  settle(): string | null {
    return this.index.settle();
  }

  /**
   * Room for `count` keys without growing: a load that knows how many come. A hint beyond
   * RESERVE_LIMIT (a corrupt file's) is ignored: the table grows as keys come instead.
   */
  reserve(count: number): void {
    if (count > RESERVE_LIMIT) return;
    this.index.reserve(count);
    let capacity = this.stamps.length;
    while (capacity < count) capacity *= 2;
    if (capacity > this.stamps.length) this.resize(capacity);
  }

  /** Removes the key; false when it was not there. */
  delete(key: string): boolean {
    const last = this.keyAtSlot.length - 1;
    const slot = this.index.remove(key, last);
    if (slot < 0) return false;
    this.release(this.valueAtSlot[slot]);
    const moved = this.keyAtSlot.pop() as string;
    const movedValue = this.valueAtSlot.pop() as RedisValue | number;
    if (slot !== last) {
      this.keyAtSlot[slot] = moved;
      this.valueAtSlot[slot] = movedValue;
      this.stamps[slot] = this.stamps[last];
      if (this.counts !== null) this.counts[slot] = this.counts[last];
      this.index.moved(moved, last, slot);
      for (const listener of this.moveListeners) listener.keyMoved(moved, last, slot);
    }
    if (last > INITIAL_CAPACITY && last * 4 < this.stamps.length)
      this.resize(this.stamps.length / 2);
    return true;
  }

  listenToMoves(listener: KeyMoveListener): void {
    this.moveListeners.push(listener);
  }

  stopListeningToMoves(listener: KeyMoveListener): void {
    const at = this.moveListeners.indexOf(listener);
    if (at >= 0) this.moveListeners.splice(at, 1);
  }

  keyAt(slot: number): string {
    return this.keyAtSlot[slot];
  }

  valueAt(slot: number): RedisValue {
    const value = this.valueAtSlot[slot];
    if (typeof value !== 'number') return value;
    return value >= 0 ? this.smallStrings.read(value) : this.slabs.read(-1 - value);
  }

  /**
   * The value at the slot as stored, for a reader that can take a short string's bytes as they
   * are (a snapshot): a short string kept as bytes comes as its offset in `shortStrings`; one
   * kept in slabs is read into a new string.
   */
  storedAt(slot: number): RedisValue | number {
    const value = this.valueAtSlot[slot];
    return typeof value === 'number' && value < 0 ? this.slabs.read(-1 - value) : value;
  }

  /** Where storedAt's offsets point. */
  get shortStrings(): SmallStrings {
    return this.smallStrings;
  }

  /**
   * The value at the slot, except a string kept as bytes, which comes as its length instead of
   * being read into a new string: for a write that replaces it and only counts it.
   */
  replacedAt(slot: number): RedisValue | number {
    const value = this.valueAtSlot[slot];
    if (typeof value !== 'number') return value;
    return value >= 0 ? this.smallStrings.lengthAt(value) : this.slabs.lengthAt(-1 - value);
  }

  /**
   * Writes the slot's value to `out` as a bulk reply if it is a string kept as bytes (in
   * `smallStrings` or `slabs`), copied from there without a string made for it (a GET of 1 KB:
   * 1.5 µs read as a string); false otherwise, `out` unchanged.
   */
  writeBulkAt(slot: number, out: ReplyWriter): boolean {
    const value = this.valueAtSlot[slot];
    if (typeof value !== 'number') return false;
    if (value >= 0) this.smallStrings.writeBulk(value, out);
    else this.slabs.writeBulk(-1 - value, out);
    return true;
  }

  /** INCR or DECR in the digits of the short string at the slot (see SmallStrings.stepAt). */
  stepAt(slot: number, up: boolean): boolean {
    const value = this.valueAtSlot[slot];
    return typeof value === 'number' && value >= 0 && this.smallStrings.stepAt(value, up);
  }

  /** The short string at the slot, stepped by `stepAt`, as an integer reply. */
  writeIntegerAt(slot: number, out: ReplyWriter): void {
    this.smallStrings.writeIntegerReply(this.valueAtSlot[slot] as number, out);
  }

  /** Whether the slot's value is a string kept as bytes (false for a slot out of range). */
  keptAsBytes(slot: number): boolean {
    return slot >= 0 && typeof this.valueAtSlot[slot] === 'number';
  }

  /** Stores the value at the slot; an integer stands for its digits (see `stored`). */
  setValueAt(slot: number, value: RedisValue | number): void {
    if (this.overwriteAt(slot, value)) return;
    this.release(this.valueAtSlot[slot]);
    this.valueAtSlot[slot] = this.stored(value);
  }

  /**
   * Writes a counter's digits, or a short string, over the short string at the slot when they
   * take as many bytes (the slot's value then keeps its length); false, nothing changed,
   * otherwise.
   */
  overwriteAt(slot: number, value: RedisValue | number): boolean {
    const replaced = this.valueAtSlot[slot];
    if (typeof replaced !== 'number' || replaced < 0) return false;
    const strings = this.smallStrings;
    return typeof value === 'number'
      ? strings.replaceInteger(replaced, value)
      : typeof value === 'string' && strings.replace(replaced, value);
  }

  /**
   * The integer the short string at the slot spells (see SmallStrings.integerAt), read from its
   * bytes; null when the value is anything else.
   */
  integerAt(slot: number): number | null {
    const value = this.valueAtSlot[slot];
    return typeof value === 'number' && value >= 0 ? this.smallStrings.integerAt(value) : null;
  }

  stampAt(slot: number): number {
    return this.stamps[slot];
  }

  setStampAt(slot: number, stamp: number): void {
    this.stamps[slot] = stamp;
  }

  /** What a collection was last counted at (see Database.count); 0 for a string. */
  countAt(slot: number): number {
    return this.counts === null ? 0 : this.counts[slot];
  }

  setCountAt(slot: number, bytes: number): void {
    this.counts ??= new Float64Array(this.stamps.length);
    this.counts[slot] = bytes;
  }

  /** A slot picked at random, or -1 when there is none. */
  randomSlot(): number {
    const size = this.keyAtSlot.length;
    return size === 0 ? -1 : Math.floor(Math.random() * size);
  }

  /** The keys in slot order; keys added meanwhile come too (not to be removed from meanwhile). */
  keys(): IterableIterator<string> {
    return this.keyAtSlot.values();
  }

  /** Keys with their values in slot order, as `keys`. */
  *entries(): IterableIterator<[string, RedisValue]> {
    for (let slot = 0; slot < this.keyAtSlot.length; slot++) {
      yield [this.keyAtSlot[slot], this.valueAt(slot)];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, RedisValue]> {
    return this.entries();
  }

  /** The arrays' share of adding a key at `slot`, the next one, its value as stored. */
  private fill(slot: number, key: string, stored: RedisValue | number): void {
    if (slot === this.stamps.length) this.resize(slot * 2);
    this.keyAtSlot.push(key);
    this.valueAtSlot.push(stored);
    this.stamps[slot] = 0;
    if (this.counts !== null) this.counts[slot] = 0;
  }

  /**
   * What a value slot holds for the value: a short string's offset in `smallStrings`, -1 - a
   * medium string's handle in `slabs` (see StringStorage), or the value itself. A number is a
   * safe integer stored as the string of its digits (INCR's result), which no string was made
   * for.
   */
  private stored(value: RedisValue | number): RedisValue | number {
    if (typeof value === 'number') return this.smallStrings.addInteger(value);
    if (typeof value !== 'string' || value.length > SLAB_STRING_LENGTH) return value;
    if (value.length > SMALL_STRING_LENGTH) {
      if (!this.storage.mediumStringsAsBytes) return value;
      const handle = this.slabs.add(value);
      return handle < 0 ? value : -1 - handle;
    }
    const at = this.smallStrings.add(value);
    return at < 0 ? value : at;
  }

  /**
   * A value leaves its slot (which the caller then overwrites or drops): a string's bytes are
   * given back, by a repack of the others when enough were.
   */
  private release(value: RedisValue | number): void {
    if (typeof value !== 'number') return;
    if (value < 0) {
      this.releaseSlot(-1 - value);
      return;
    }
    const strings = this.smallStrings;
    strings.remove(value);
    if (!strings.repackNeeded) return;
    const repacked = strings.emptyForRepack();
    const values = this.valueAtSlot;
    for (let slot = 0; slot < values.length; slot++) {
      const at = values[slot];
      if (typeof at === 'number' && at >= 0 && at !== value) {
        values[slot] = repacked.moveFrom(strings, at);
      }
    }
    this.smallStrings = repacked;
  }

  /** As `release`, for a medium string's slot in `slabs`. */
  private releaseSlot(handle: number): void {
    const slabs = this.slabs;
    slabs.remove(handle);
    if (!slabs.repackNeeded) return;
    const repacked = new StringSlabs();
    const values = this.valueAtSlot;
    const released = -1 - handle;
    for (let slot = 0; slot < values.length; slot++) {
      const at = values[slot];
      if (typeof at === 'number' && at < 0 && at !== released) {
        values[slot] = -1 - repacked.moveFrom(slabs, -1 - at);
      }
    }
    this.slabs = repacked;
  }

  private resize(capacity: number): void {
    const size = this.keyAtSlot.length;
    const stamps = new Uint32Array(capacity);
    stamps.set(this.stamps.subarray(0, size));
    this.stamps = stamps;
    if (this.counts !== null) {
      const counts = new Float64Array(capacity);
      counts.set(this.counts.subarray(0, size));
      this.counts = counts;
    }
  }
}
