import { LuaError } from './error.js';
import { LuaUserdata, type LuaValue } from './value.js';

export const READONLY_TABLE = 'Attempt to modify a readonly table';

/** Integer keys above 2^26 never go to the array part (5.1's MAXASIZE). */
const MAX_ARRAY_BITS = 26;
const MAX_ARRAY_SIZE = 2 ** MAX_ARRAY_BITS;
/** 5.1's MAX_INT: where `#`'s doubling search gives up and counts from 1. */
const MAX_INT = 2 ** 31 - 1;
const NO_NODE = -1;
/** The parts of a table that has none: never written to (a part grows by replacement). */
const NONE: LuaValue[] = [];
/** A node slot's entries in `slots`: key, value (small vectors only), next slot of its chain. */
const SLOT = 3;
const VALUE = 1;
const NEXT = 2;
/** Node vectors up to this size keep values by slot and are scanned; larger ones use a Map. */
const SMALL_VECTOR = 4;
/** FREE_SLOTS[k]: the entries of 2^k free slots, copied for node vectors up to 2^TEMPLATE_BITS. */
const TEMPLATE_BITS = 14;
const FREE_SLOTS: LuaValue[][] = [];

function freeSlots(size: number): LuaValue[] {
  const slots = new Array<LuaValue>(size * SLOT);
  for (let i = 0; i < slots.length; i += SLOT) {
    slots[i] = undefined;
    slots[i + VALUE] = undefined;
    slots[i + NEXT] = NO_NODE;
  }
  return slots;
}

/**
 * A Lua table laid out as Lua 5.1 lays it out, because that layout is visible: `next` (so
 * `pairs`, cjson, cmsgpack) walks the array part and then the node slots in order, and `#` of a
 * table with holes is the border 5.1's searches find. So the array part has 5.1's size (set by
 * rehashes and constructors, holes included), and the hash part is 5.1's node vector: 2^k slots,
 * a key at its main position (5.1's hashes) or in a free slot taken from the top and chained
 * after it, a cleared key keeping its slot until the next rehash. A small node vector keeps
 * its values in its slots and is searched by scanning; a larger one keeps them in a Map (V8's
 * lookups are faster than 5.1's chains with strings hashed in JavaScript), its slots only
 * ordering the keys. These methods are raw: no metamethods.
 */
export class LuaTable {
  metatable: LuaTable | undefined = undefined;
  /**
   * Redis's patch to Lua: a read-only table refuses every store and a new metatable
   * ("Attempt to modify a readonly table"); Redis seals its library tables and globals this way.
   */
  readonly = false;
  /** The array part: values of keys 1..array.length, `undefined` for nil. */
  private array: LuaValue[] = NONE;
  /**
   * n when the array part holds exactly keys 1..n (its only border, what `#` finds without
   * searching), -1 when it has holes.
   */
  private denseLength = 0;
  /**
   * The node vector, SLOT entries per slot: its key (undefined: never used since the last
   * rehash), its value in a small vector (undefined with a key: a cleared entry), the next
   * slot of its collision chain (NO_NODE at the end).
   */
  private slots: LuaValue[] = NONE;
  /**
   * A large vector's keys and values; a cleared key stays, with value undefined, as long as
   * it keeps its slot.
   */
  private hash: Map<LuaValue, LuaValue> | undefined = undefined;
  /** Free slots are looked for below this one (5.1's lastfree). */
  private lastFree = 0;
  /** The key `next` returned last from the hash part and its slot: a traversal need not hash. */
  private cursorKey: LuaValue = undefined;
  private cursorSlot = NO_NODE;

  get(key: LuaValue): LuaValue {
    if (typeof key === 'number') {
      const array = this.array;
      if (key >= 1 && key <= array.length && (key | 0) === key) return array[key - 1];
    }
    return this.nodeValue(key);
  }

  /** `t[key]` for a string key, the common case of fields and globals. */
  getField(key: string): LuaValue {
    return this.nodeValue(key);
  }

  private nodeValue(key: LuaValue): LuaValue {
    const hash = this.hash;
    if (hash !== undefined) return hash.get(key);
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += SLOT) if (slots[i] === key) return slots[i + VALUE];
    return undefined;
  }

  /** A raw store (rawset, libraries); a read-only table refuses it, with no position. */
  set(key: LuaValue, value: LuaValue): void {
    if (this.readonly) throw new LuaError(READONLY_TABLE, 0);
    this.store(key, value);
  }

  /**
   * 5.1's luaH_set and the store: an existing key (cleared ones too) keeps its place; a new
   * key gets a slot even when the value is nil, as in 5.1.
   */
  private store(key: LuaValue, value: LuaValue): void {
    if (typeof key === 'number') {
      if (key >= 1 && key <= this.array.length && (key | 0) === key) {
        this.setArraySlot(key, value);
        return;
      }
      if (key !== key) throw new LuaError('table index is NaN');
    } else if (key === undefined) {
      throw new LuaError('table index is nil');
    }
    const hash = this.hash;
    if (hash !== undefined) {
      const size = hash.size;
      hash.set(key, value);
      // A new key, already in the Map: it needs a slot (the slots are all a rehash counts).
      if (hash.size !== size && this.place(key) === NO_NODE) {
        this.rehash(key);
        this.hash?.delete(key);
        this.storeAbsent(key, value);
      }
      return;
    }
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += SLOT) {
      if (slots[i] === key) {
        slots[i + VALUE] = value;
        return;
      }
    }
    this.newKey(key, value);
  }

  private setArraySlot(index: number, value: LuaValue): void {
    this.array[index - 1] = value;
    const dense = this.denseLength;
    if (dense < 0) return;
    if (value !== undefined) {
      if (index > dense) this.denseLength = index === dense + 1 ? index : -1;
    } else if (index <= dense) {
      this.denseLength = index === dense ? dense - 1 : -1;
    }
  }

  /** 5.1's newkey for a key the table does not hold: a slot, else a rehash first. */
  private newKey(key: LuaValue, value: LuaValue): void {
    const slot = this.place(key);
    if (slot === NO_NODE) {
      this.rehash(key);
      this.storeAbsent(key, value);
    } else if (this.hash !== undefined) {
      this.hash.set(key, value);
    } else {
      this.slots[slot * SLOT + VALUE] = value;
    }
  }

  /** After a rehash: a key the table does not hold goes to the array part or a slot. */
  private storeAbsent(key: LuaValue, value: LuaValue): void {
    if (typeof key === 'number' && key >= 1 && key <= this.array.length && (key | 0) === key) {
      this.setArraySlot(key, value);
    } else {
      this.newKey(key, value);
    }
  }

  /**
   * 5.1's newkey layout: the key's main position if it is free (or holds a cleared key, gone
   * for good), else a free slot, the occupant moving there when it is not at home. Returns
   * the key's slot, or NO_NODE when no slot is free (the table must rehash).
   */
  private place(key: LuaValue): number {
    const slots = this.slots;
    this.cursorKey = undefined;
    if (slots.length === 0) return NO_NODE;
    let slot = this.mainPosition(key);
    const occupant = slots[slot * SLOT];
    if (occupant !== undefined) {
      if (this.valueAt(slot) === undefined) {
        this.hash?.delete(occupant);
      } else {
        const free = this.freeSlot();
        if (free === NO_NODE) return NO_NODE;
        let previous = this.mainPosition(occupant);
        if (previous !== slot) {
          // The occupant is not in its main position: it moves to the free slot.
          while (slots[previous * SLOT + NEXT] !== slot) {
            previous = slots[previous * SLOT + NEXT] as number;
          }
          slots[previous * SLOT + NEXT] = free;
          slots[free * SLOT] = occupant;
          slots[free * SLOT + VALUE] = slots[slot * SLOT + VALUE];
          slots[free * SLOT + NEXT] = slots[slot * SLOT + NEXT];
          slots[slot * SLOT + NEXT] = NO_NODE;
        } else {
          // The occupant is at home: the new key goes to the free slot, chained after it.
          slots[free * SLOT + NEXT] = slots[slot * SLOT + NEXT];
          slots[slot * SLOT + NEXT] = free;
          slot = free;
        }
      }
    }
    slots[slot * SLOT] = key;
    return slot;
  }

  private valueAt(slot: number): LuaValue {
    const hash = this.hash;
    return hash === undefined ? this.slots[slot * SLOT + VALUE] : hash.get(this.slots[slot * SLOT]);
  }

  private freeSlot(): number {
    const slots = this.slots;
    while (this.lastFree > 0) {
      this.lastFree--;
      if (slots[this.lastFree * SLOT] === undefined) return this.lastFree;
    }
    return NO_NODE;
  }

  /** The slot 5.1's hash gives `key` in the node vector (not empty). */
  private mainPosition(key: LuaValue): number {
    const mask = this.slots.length / SLOT - 1;
    switch (typeof key) {
      case 'string':
        return stringHash(key) & mask;
      case 'boolean':
        return (key ? 1 : 0) & mask;
      case 'number':
        return key === 0 ? 0 : numberHash(key) % (mask | 1);
      default: {
        const address = key instanceof LuaUserdata ? key.address : identityHash(key as object);
        return (address >>> 0) % (mask | 1);
      }
    }
  }

  /** The slot of a key of the hash part, by its chain as 5.1 finds it, or NO_NODE. */
  private slotOf(key: LuaValue): number {
    if (key === this.cursorKey) return this.cursorSlot;
    const slots = this.slots;
    if (this.hash === undefined) {
      for (let i = 0; i < slots.length; i += SLOT) if (slots[i] === key) return i / SLOT;
      return NO_NODE;
    }
    let slot = this.mainPosition(key);
    do {
      if (slots[slot * SLOT] === key) return slot;
      slot = slots[slot * SLOT + NEXT] as number;
    } while (slot !== NO_NODE);
    return NO_NODE;
  }

  /**
   * 5.1's rehash when a new key finds no free slot: the array part becomes the largest power
   * of two more than half full of integer keys, the node vector holds the rest.
   */
  private rehash(extraKey: LuaValue): void {
    let live = 0;
    let integerKeys = typeof extraKey === 'number' || this.array.length > 0;
    this.forEachLive(extraKey, (key) => {
      live++;
      if (typeof key === 'number') integerKeys = true;
    });
    // Without a number key anywhere (records), everything stays in the hash part.
    if (!integerKeys) return this.resize(0, live + 1);
    const counts = keyCounts.fill(0);
    let candidates = countArrayKeys(this.array, this.denseLength, counts);
    const total = candidates + live + 1;
    this.forEachLive(extraKey, (key) => {
      if (typeof key === 'number') candidates += countIntegerKey(key, counts);
    });
    candidates += countIntegerKey(extraKey, counts);
    const arraySize = arraySizeFor(counts, candidates);
    this.resize(arraySize, total - keysInArray(counts, arraySize));
  }

  /** Each key of the node vector with a value, in no particular order (`pending` left out). */
  private forEachLive(pending: LuaValue, visit: (key: LuaValue) => void): void {
    const hash = this.hash;
    if (hash !== undefined) {
      // The Map holds the slots' keys (and maybe the pending one): no lookups needed.
      hash.forEach((value, key) => {
        if (value !== undefined && key !== pending) visit(key);
      });
      return;
    }
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += SLOT) {
      if (slots[i] !== undefined && slots[i + VALUE] !== undefined) visit(slots[i]);
    }
  }

  /**
   * 5.1's resize: new parts, then the vanishing array slice and the old slots (last first).
   * A Map that stays keeps its entries: only cleared keys and keys bound for the array leave.
   */
  private resize(arraySize: number, hashSize: number): void {
    let array = this.array;
    const oldSlots = this.slots;
    const oldHash = this.hash;
    if (array.length < arraySize) {
      if (array === NONE) array = this.array = [];
      while (array.length < arraySize) array.push(undefined);
    }
    this.setNodeVector(hashSize, oldHash);
    const keptHash = oldHash !== undefined && this.hash === oldHash;
    if (arraySize < array.length) {
      const vanishing = array.slice(arraySize);
      array.length = arraySize;
      for (let i = 0; i < vanishing.length; i++) {
        if (vanishing[i] !== undefined) this.newKey(arraySize + i + 1, vanishing[i]);
      }
    }
    for (let i = oldSlots.length - SLOT; i >= 0; i -= SLOT) {
      const key = oldSlots[i];
      if (key === undefined) continue;
      const value = oldHash === undefined ? oldSlots[i + VALUE] : oldHash.get(key);
      if (value === undefined) {
        if (keptHash) oldHash.delete(key);
      } else if (typeof key === 'number' && key >= 1 && key <= arraySize && (key | 0) === key) {
        if (keptHash) oldHash.delete(key);
        array[key - 1] = value;
      } else if (keptHash) {
        this.place(key);
      } else {
        this.newKey(key, value);
      }
    }
    this.denseLength = denseLengthOf(array);
  }

  /**
   * A node vector of 2^ceil(log2(requested)) free slots (none for 0), as 5.1's setnodevector;
   * a large one takes over `map` when given.
   */
  private setNodeVector(requested: number, map?: Map<LuaValue, LuaValue>): void {
    this.lastFree = 0;
    this.cursorKey = undefined;
    this.hash = undefined;
    if (requested === 0) {
      this.slots = NONE;
      return;
    }
    const size = 2 ** ceilLog2(requested);
    if (size > MAX_ARRAY_SIZE) throw new LuaError('table overflow');
    const bits = ceilLog2(size);
    // A copy of a template has exactly the needed capacity (pushes would leave slack).
    const slots =
      bits <= TEMPLATE_BITS ? (FREE_SLOTS[bits] ??= freeSlots(size)).slice() : freeSlots(size);
    this.slots = slots;
    if (size > SMALL_VECTOR) this.hash = map ?? new Map();
    this.lastFree = size;
  }

  /** 5.1's luaH_getn: a border, by binary search in the array part or beyond it. */
  length(): number {
    const array = this.array;
    const size = array.length;
    if (size > 0 && array[size - 1] === undefined) {
      if (this.denseLength >= 0) return this.denseLength;
      let present = 0;
      let absent = size;
      while (absent - present > 1) {
        const middle = (present + absent) >>> 1;
        if (array[middle - 1] === undefined) absent = middle;
        else present = middle;
      }
      return present;
    }
    if (this.slots.length === 0) return size;
    return this.borderBeyond(size);
  }

  /** 5.1's unbound_search: doubling from the array's end into the hash part, then halving. */
  private borderBeyond(start: number): number {
    let present = start;
    let absent = start + 1;
    while (this.get(absent) !== undefined) {
      present = absent;
      absent *= 2;
      if (absent > MAX_INT) {
        // Built to defeat the search: count from 1, as 5.1 does.
        let i = 1;
        while (this.get(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (absent - present > 1) {
      const middle = Math.floor((present + absent) / 2);
      if (this.get(middle) === undefined) absent = middle;
      else present = middle;
    }
    return present;
  }

  /**
   * `next(t, key)`: the entry after `key` (the first for nil), or undefined at the end: the
   * array part in order, then the node slots in order, as 5.1.
   */
  next(key: LuaValue): [LuaValue, LuaValue] | undefined {
    const array = this.array;
    let position = 0;
    if (key !== undefined) {
      if (typeof key === 'number' && key >= 1 && key <= array.length && (key | 0) === key) {
        position = key;
      } else {
        const slot = this.slotOf(key);
        if (slot === NO_NODE) throw new LuaError("invalid key to 'next'");
        position = array.length + slot + 1;
      }
    }
    for (; position < array.length; position++) {
      const value = array[position];
      if (value !== undefined) return [position + 1, value];
    }
    const slots = this.slots;
    for (let slot = position - array.length; slot * SLOT < slots.length; slot++) {
      const found = slots[slot * SLOT];
      if (found === undefined) continue;
      const value = this.valueAt(slot);
      if (value === undefined) continue;
      this.cursorKey = found;
      this.cursorSlot = slot;
      return [found, value];
    }
    return undefined;
  }

  /** Appends at `#t + 1` (table.insert, building arrays from replies). */
  push(value: LuaValue): void {
    this.set(this.length() + 1, value);
  }

  /**
   * The table `t[1] = values[0]`, `t[2] = values[1]`... on an empty table would make (how
   * Redis and its libraries build KEYS, ARGV, replies and decoded arrays). Keeps `values`.
   */
  static fromArray(values: LuaValue[]): LuaTable {
    const table = new LuaTable();
    if (values.includes(undefined)) {
      for (let i = 0; i < values.length; i++) table.store(i + 1, values[i]);
      return table;
    }
    const length = values.length;
    // Appends double the array part each time it is full.
    const size = length === 0 ? 0 : 2 ** ceilLog2(length);
    while (values.length < size) values.push(undefined);
    table.array = values;
    table.denseLength = length;
    return table;
  }

  /**
   * Makes this table what `fromArray(strings.slice(start, end))` makes, in its own storage,
   * if it is still such a table of strings (no metatable, no hash part, not read-only);
   * false otherwise, and it is left for a new one. A host that passes a table of arguments
   * on every call (Redis's KEYS and ARGV) reuses it when no code can still hold it.
   */
  refillWithStrings(strings: readonly string[], start: number, end: number): boolean {
    if (this.metatable !== undefined || this.readonly || this.slots !== NONE) return false;
    const length = end - start;
    const size = length === 0 ? 0 : 2 ** ceilLog2(length);
    let array = this.array;
    if (array.length !== size) {
      array = size === 0 ? NONE : strings.slice(start, end);
      while (array.length < size) array.push(undefined);
      this.array = array;
    } else {
      for (let i = 0; i < length; i++) array[i] = strings[start + i];
      for (let i = length; i < size; i++) array[i] = undefined;
    }
    this.denseLength = length;
    return true;
  }

  /**
   * A table constructor as 5.1 runs it: sized by the compiler's counts (`arrayItems`
   * positional items not counting a last call or `...`, `keyedItems` keyed ones), keyed items
   * stored in order, then the positional `values` (all of them, a last call's results
   * included), which win over keyed items with the same index.
   */
  static fromConstructor(
    values: LuaValue[],
    keyed: LuaValue[] | undefined,
    arrayItems: number,
    keyedItems: number,
  ): LuaTable {
    const table = new LuaTable();
    const arraySize = roundedSizeHint(arrayItems);
    if (keyed === undefined) {
      // No node to reorder: the array part is the values, grown to the hinted size.
      while (values.length < arraySize) values.push(undefined);
      table.array = values;
    } else {
      if (arraySize > 0) {
        const array: LuaValue[] = [];
        while (array.length < arraySize) array.push(undefined);
        table.array = array;
      }
      table.setNodeVector(roundedSizeHint(keyedItems));
      for (let i = 0; i < keyed.length; i += 2) table.store(keyed[i], keyed[i + 1]);
      // A last call that gave more values than the hint grows the array part (a resize).
      if (values.length > arraySize) table.resize(values.length, table.slots.length / SLOT);
      const grown = table.array;
      for (let i = 0; i < values.length; i++) grown[i] = values[i];
    }
    table.denseLength = denseLengthOf(table.array);
    return table;
  }
}

/** ceil(log2(n)) for n >= 1. */
function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

/** The size 5.1 gives a constructor's part: its count in 5.1's one-byte float (rounded up). */
function roundedSizeHint(count: number): number {
  let mantissa = count;
  let exponent = 0;
  while (mantissa >= 16) {
    mantissa = (mantissa + 1) >>> 1;
    exponent++;
  }
  return mantissa * 2 ** exponent;
}

/**
 * Counts the array part's keys into counts[ceil(log2(k))]; returns how many. An array part
 * holding exactly 1..dense (dense >= 0) is counted by arithmetic, not read.
 */
function countArrayKeys(array: LuaValue[], dense: number, counts: number[]): number {
  if (dense >= 0) {
    for (let bits = 0, limit = 1, index = 1; index <= dense; bits++, limit *= 2) {
      const end = Math.min(limit, dense);
      counts[bits]! += end - index + 1;
      index = end + 1;
    }
    return dense;
  }
  let total = 0;
  let index = 1;
  for (let bits = 0, limit = 1; index <= array.length; bits++, limit *= 2) {
    let inSlice = 0;
    for (const end = Math.min(limit, array.length); index <= end; index++) {
      if (array[index - 1] !== undefined) inSlice++;
    }
    counts[bits]! += inSlice;
    total += inSlice;
  }
  return total;
}

function countIntegerKey(key: LuaValue, counts: number[]): number {
  if (typeof key !== 'number' || (key | 0) !== key || key < 1 || key > MAX_ARRAY_SIZE) return 0;
  counts[ceilLog2(key)]!++;
  return 1;
}

/** Counts of integer keys k by ceil(log2(k)), reused by every rehash (they do not nest). */
const keyCounts = new Array<number>(MAX_ARRAY_BITS + 1).fill(0);

/** 5.1's computesizes: the largest 2^i with more than 2^(i-1) of the integer keys up to it. */
function arraySizeFor(counts: number[], integerKeys: number): number {
  let below = 0;
  let arraySize = 0;
  for (let bits = 0, power = 1; power >>> 1 < integerKeys; bits++, power *= 2) {
    below += counts[bits]!;
    if (below > power >>> 1) arraySize = power;
    if (below === integerKeys) break;
  }
  return arraySize;
}

/** How many of the counted keys are at most `arraySize` (a power of two, or 0). */
function keysInArray(counts: number[], arraySize: number): number {
  let keys = 0;
  for (let bits = 0, power = 1; power <= arraySize; bits++, power *= 2) keys += counts[bits]!;
  return keys;
}

function denseLengthOf(array: LuaValue[]): number {
  let length = 0;
  while (length < array.length && array[length] !== undefined) length++;
  for (let i = length; i < array.length; i++) if (array[i] !== undefined) return -1;
  return length;
}

/** Strings at least this long keep their hash in `longStringHashes` (5.1 keeps every one). */
const CACHED_HASH_LENGTH = 40;
const HASH_CACHE_LIMIT = 4096;
const longStringHashes = new Map<string, number>();

/** Redis's Lua string hash (5.1's, with every byte hashed: Redis dropped the step). */
function stringHash(s: string): number {
  if (s.length >= CACHED_HASH_LENGTH) {
    const cached = longStringHashes.get(s);
    if (cached !== undefined) return cached;
  }
  let h = s.length | 0;
  for (let i = s.length; i > 0; i--) h ^= (h << 5) + (h >>> 2) + s.charCodeAt(i - 1);
  if (s.length >= CACHED_HASH_LENGTH) {
    if (longStringHashes.size >= HASH_CACHE_LIMIT) longStringHashes.clear();
    longStringHashes.set(s, h);
  }
  return h;
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** 5.1's hashnum before the modulo: the double's two 32-bit halves added. */
function numberHash(n: number): number {
  float[0] = n;
  return (words[0]! + words[1]!) >>> 0;
}

/** Tables, functions and userdata hash by address in 5.1: here by a number given at first use. */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityHash(value: object): number {
  let identity = identities.get(value);
  if (identity === undefined) {
    identity = (0x5a0c0a00 + nextIdentity++ * 0x40) >>> 0;
    identities.set(value, identity);
  }
  return identity;
}
