/*
 * A small map of latin1 strings packed into one string, in the spirit of Redis's listpack:
 * each key and value is its length (see length-prefix.ts: one char below 128) followed by its
 * chars, pairs in insertion order. In V8 one flat string costs a header and a byte per char,
 * against a Map's hash table plus two string objects per entry: about a third of the memory
 * for ten short pairs. Lookups walk the pairs, as Redis walks a listpack, so it suits maps of
 * at most a few hundred entries; `convertToMap` turns it into a ByteHashTable (byte-hash-table.ts)
 * for good when it outgrows that (its owner decides when). Every write that changes it builds a
 * new string: fine at those sizes.
 */

import { lengthText, readLength, textStart } from './length-prefix.js';
import { PackedForm } from './packed-form.js';
import { ByteHashTable } from './byte-hash-table.js';

/** Where the pair found last by `locate` ends, and where its value's length starts. */
let pairEnd = 0;
let valueAt = 0;

/**
 * The pair found last, by the packed string it was found in and the key asked for. Asked again
 * (a write of the same field: redis-benchmark's HSET, a counter's HINCRBY) `locate` answers from
 * two comparisons V8 makes natively, the same string object and the key's equality, where the
 * walk compares the key char by char (about 2.5 ns a char, most of an HSET's lookup).
 */
let foundIn = '';
let foundKey = '';
let foundAt = -1;

/** The offset of the pair whose key is `key`, or -1; sets `valueAt` and `pairEnd`. */
function locate(packed: string, key: string): number {
  if (foundAt >= 0 && packed === foundIn && key === foundKey) return foundAt;
  let at = 0;
  while (at < packed.length) {
    const keyLength = readLength(packed, at);
    const keyStart = textStart;
    const valueLength = readLength(packed, keyStart + keyLength);
    // The last chars first: keys like field1, field2... differ there, and startsWith costs more.
    if (
      keyLength === key.length &&
      (keyLength === 0 ||
        packed.charCodeAt(keyStart + keyLength - 1) === key.charCodeAt(keyLength - 1)) &&
      packed.startsWith(key, keyStart)
    ) {
      valueAt = keyStart + keyLength;
      pairEnd = textStart + valueLength;
      foundIn = packed;
      foundKey = key;
      foundAt = at;
      return at;
    }
    at = textStart + valueLength;
  }
  return -1;
}

/** Whether the value whose length starts at `at` is `value`: a write of it changes nothing. */
function holdsValue(packed: string, at: number, value: string): boolean {
  return readLength(packed, at) === value.length && packed.startsWith(value, textStart);
}

function readValue(packed: string, at: number): string {
  const length = readLength(packed, at);
  return packed.slice(textStart, textStart + length);
}

export class PackedMap extends PackedForm<ByteHashTable> implements Iterable<[string, string]> {
  private count = 0;

  get size(): number {
    return this.table === undefined ? this.count : this.table.size;
  }

  get(key: string): string | undefined {
    if (this.table !== undefined) return this.table.get(key);
    return locate(this.packed, key) === -1 ? undefined : readValue(this.packed, valueAt);
  }

  has(key: string): boolean {
    if (this.table !== undefined) return this.table.has(key);
    return locate(this.packed, key) !== -1;
  }

  /** Sets a key's value: a new key goes last, an existing one keeps its place. */
  set(key: string, value: string): this {
    if (this.table !== undefined) {
      this.table.set(key, value);
      return this;
    }
    const packed = this.packed;
    const valueText = lengthText(value.length);
    if (locate(packed, key) === -1) {
      this.packed = [packed, lengthText(key.length), key, valueText, value].join('');
      this.count++;
    } else if (!holdsValue(packed, valueAt, value)) {
      this.packed = [packed.slice(0, valueAt), valueText, value, packed.slice(pairEnd)].join('');
    }
    return this;
  }

  delete(key: string): boolean {
    if (this.table !== undefined) return this.table.delete(key);
    const packed = this.packed;
    const at = locate(packed, key);
    if (at === -1) return false;
    this.packed = [packed.slice(0, at), packed.slice(pairEnd)].join('');
    this.count--;
    return true;
  }

  /** To a ByteHashTable, for good; its order is its own from then on. */
  convertToMap(): void {
    if (this.table !== undefined) return;
    const packed = this.packed;
    const table = this.newTable();
    for (let at = 0; at < packed.length;) {
      const keyLength = readLength(packed, at);
      const key = packed.slice(textStart, textStart + keyLength);
      const valueLength = readLength(packed, textStart + keyLength);
      table.set(key, packed.slice(textStart, textStart + valueLength));
      at = textStart + valueLength;
    }
    this.table = table;
    this.count = 0;
  }

  /** The table `convertToMap` fills; a subclass may give it a faster latin1 decoder. */
  protected newTable(): ByteHashTable {
    return new ByteHashTable();
  }

  /**
   * Once converted: `ByteHashTable.scan` (entries by hash from `from`, about `count`, into
   * `into`; the hash to go on from, or -1). While packed: every entry, and -1.
   */
  scan(from: number, count: number, into: string[]): number {
    if (this.table !== undefined) return this.table.scan(from, count, into);
    for (const [key, value] of this.entries()) into.push(key, value);
    return -1;
  }

  /** The key at `index` (0 to size - 1): constant time once converted, a walk while packed. */
  keyAt(index: number): string {
    if (this.table !== undefined) return this.table.keyAt(index);
    return this.entryAt(index)[0];
  }

  /** The value at `index`, as `keyAt`. */
  valueAt(index: number): string {
    if (this.table !== undefined) return this.table.valueAt(index);
    return this.entryAt(index)[1];
  }

  private entryAt(index: number): [string, string] {
    let i = 0;
    for (const entry of this.entries()) if (i++ === index) return entry;
    throw new RangeError(`no entry at ${index}`);
  }

  *entries(): IterableIterator<[string, string]> {
    if (this.table !== undefined) {
      yield* this.table.entries();
      return;
    }
    const packed = this.packed;
    for (let at = 0; at < packed.length;) {
      const keyLength = readLength(packed, at);
      const keyStart = textStart;
      const valueLength = readLength(packed, keyStart + keyLength);
      const valueStart = textStart;
      at = valueStart + valueLength;
      yield [packed.slice(keyStart, keyStart + keyLength), packed.slice(valueStart, at)];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
