import { LuaError } from './error.js';
import type { LuaValue } from './value.js';

export const READONLY_TABLE = 'Attempt to modify a readonly table';

/**
 * A Lua table. Keys 1..n live in a dense array (as Lua's array part), every other key in a
 * Map, which already treats 2 and 2.0 as one key. These methods are raw: no metamethods.
 */
export class LuaTable {
  metatable: LuaTable | undefined = undefined;
  /**
   * Redis's patch to Lua: a read-only table refuses every store and a new metatable
   * ("Attempt to modify a readonly table"); Redis seals its library tables and globals this way.
   */
  readonly = false;
  /** Values of keys 1..array.length; holes are `undefined`, never at the end. */
  private array: LuaValue[] = [];
  /** Every other key; created with the first one (most tables are arrays or records). */
  private hash: Map<LuaValue, LuaValue> | undefined = undefined;
  /** The iterator `next` used last and the key it returned, so a traversal is linear. */
  private cursor: Iterator<[LuaValue, LuaValue]> | undefined = undefined;
  private cursorKey: LuaValue = undefined;
  /** The longest the array part was before it shrank: keys up to it stay valid for `next`. */
  private shrunkFrom = 0;

  get(key: LuaValue): LuaValue {
    if (typeof key === 'number') {
      const array = this.array;
      if (key >= 1 && key <= array.length && (key | 0) === key) return array[key - 1];
    }
    return this.hash === undefined ? undefined : this.hash.get(key);
  }

  /** `t[key]` for a string key, the common case of fields and globals. */
  getField(key: string): LuaValue {
    return this.hash === undefined ? undefined : this.hash.get(key);
  }

  /** A raw store (rawset, libraries); a read-only table refuses it, with no position. */
  set(key: LuaValue, value: LuaValue): void {
    if (this.readonly) throw new LuaError(READONLY_TABLE, 0);
    if (typeof key === 'number') {
      if ((key | 0) === key && key >= 1) {
        this.setIndex(key, value);
        return;
      }
      if (key !== key) throw new LuaError('table index is NaN');
    } else if (key === undefined) {
      throw new LuaError('table index is nil');
    }
    this.setInHash(key, value);
  }

  private setIndex(index: number, value: LuaValue): void {
    const array = this.array;
    const length = array.length;
    if (index <= length) {
      array[index - 1] = value;
      if (value === undefined && index === length) {
        if (length > this.shrunkFrom) this.shrunkFrom = length;
        let end = length - 1;
        while (end > 0 && array[end - 1] === undefined) end--;
        array.length = end;
      }
      return;
    }
    if (index === length + 1 && value !== undefined) {
      array.push(value);
      this.migrateFollowing();
      return;
    }
    this.setInHash(index, value);
  }

  private setInHash(key: LuaValue, value: LuaValue): void {
    if (value !== undefined) (this.hash ??= new Map()).set(key, value);
    else if (this.hash !== undefined) this.hash.delete(key);
  }

  /** After an append, keys n+1, n+2... that sat in the hash part join the array part. */
  private migrateFollowing(): void {
    const hash = this.hash;
    if (hash === undefined || hash.size === 0) return;
    const array = this.array;
    for (;;) {
      const next = array.length + 1;
      const value = hash.get(next);
      if (value === undefined) return;
      hash.delete(next);
      array.push(value);
    }
  }

  /**
   * The `#` operator without __len: a border. The array part never ends in a hole and key
   * n+1 never waits in the hash part, so its length is one.
   */
  length(): number {
    return this.array.length;
  }

  /**
   * `next(t, key)`: the entry after `key` (the first for nil), or undefined at the end. Array
   * keys come first, in order, then the others in insertion order.
   */
  next(key: LuaValue): [LuaValue, LuaValue] | undefined {
    const array = this.array;
    let index = 0;
    if (key !== undefined) {
      const isIndex = typeof key === 'number' && (key | 0) === key && key >= 1;
      if (isIndex && key <= array.length) {
        index = key;
      } else if (
        isIndex &&
        key <= this.shrunkFrom &&
        key !== this.cursorKey &&
        !this.hash?.has(key)
      ) {
        // An array key cleared during the traversal (the array part shrank): go on after it.
        index = key;
      } else {
        return this.nextInHash(key);
      }
    }
    for (; index < array.length; index++) {
      const value = array[index];
      if (value !== undefined) return [index + 1, value];
    }
    return this.startHash();
  }

  private startHash(): [LuaValue, LuaValue] | undefined {
    if (this.hash === undefined) return undefined;
    this.cursor = this.hash.entries();
    return this.advance();
  }

  private nextInHash(key: LuaValue): [LuaValue, LuaValue] | undefined {
    if (this.cursor === undefined || this.cursorKey !== key) {
      // Another traversal moved the cursor: find the key again.
      if (this.hash === undefined || !this.hash.has(key))
        throw new LuaError("invalid key to 'next'");
      this.cursor = this.hash.entries();
      while (this.cursor.next().value![0] !== key);
    }
    return this.advance();
  }

  private advance(): [LuaValue, LuaValue] | undefined {
    const step = this.cursor!.next();
    if (step.done) {
      this.cursor = undefined;
      this.cursorKey = undefined;
      return undefined;
    }
    this.cursorKey = step.value[0];
    return step.value;
  }

  /** Appends at `#t + 1` (table.insert, building arrays from replies). */
  push(value: LuaValue): void {
    this.set(this.length() + 1, value);
  }

  /** A table whose array part is `values` (which it keeps; holes allowed, not at the end). */
  static fromArray(values: LuaValue[]): LuaTable {
    const table = new LuaTable();
    let end = values.length;
    while (end > 0 && values[end - 1] === undefined) end--;
    values.length = end;
    table.array = values;
    return table;
  }
}
