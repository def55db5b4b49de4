import {
  decodeLatin1,
  digitCount,
  parseIntegerBytes,
  writeDigits,
  type ReplyWriter,
} from '@rc/resp';

/** Redis's embstr limit: strings up to this long are kept as bytes here, not as V8 strings. */
export const SMALL_STRING_LENGTH = 44;
/** The store's first size, and the least it is repacked into. */
const MINIMUM_CAPACITY = 4096;
/** Removed bytes below this are never repacked for: a small store is not worth the walk. */
const REPACK_MINIMUM = 64 * 1024;

/**
 * A key table's short string values as bytes in one buffer: a length byte, then the latin1
 * chars. A V8 string of 10 chars takes 32 bytes of heap (a 16-byte header, 8-byte aligned), here
 * 11; and a million of them are one object to the garbage collector instead of a million. A
 * value is added at the end and read back as a new string each time; a removed value's bytes stay
 * until the owner repacks the live ones into a new store (`repackNeeded`, `moveFrom`), which gives
 * them new offsets. Growing copies the buffer and keeps every offset.
 */
export class SmallStrings {
  private bytes: Buffer;
  /** Where the next value goes: bytes in use, live or removed. */
  private end = 0;
  /** Bytes of removed values, given back by a repack. */
  private removed = 0;

  constructor(capacity = MINIMUM_CAPACITY) {
    this.bytes = Buffer.allocUnsafeSlow(capacity);
  }

  /**
   * Stores the value, which must be at most SMALL_STRING_LENGTH chars; returns its offset, or -1
   * when a char is not latin1 (then it is not stored).
   */
  add(value: string): number {
    const length = value.length;
    if (this.end + length + 1 > this.bytes.length) this.grow(length + 1);
    const bytes = this.bytes;
    const at = this.end;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0xff) return -1;
      bytes[at + 1 + i] = code;
    }
    bytes[at] = length;
    this.end = at + 1 + length;
    return at;
  }

  /** Stores bytes[start, end), at most SMALL_STRING_LENGTH of them; returns their offset. */
  addBytes(source: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.end + length + 1 > this.bytes.length) this.grow(length + 1);
    const bytes = this.bytes;
    const at = this.end;
    bytes[at] = length;
    for (let i = 0; i < length; i++) bytes[at + 1 + i] = source[start + i];
    this.end = at + 1 + length;
    return at;
  }

  /**
   * Stores a safe integer's decimal digits (INCR's result, without making a string of it);
   * returns the offset.
   */
  addInteger(value: number): number {
    const length = decimalLength(value);
    if (this.end + length + 1 > this.bytes.length) this.grow(length + 1);
    const at = this.end;
    this.writeInteger(at, length, value);
    this.end = at + 1 + length;
    return at;
  }

  /**
   * Writes a safe integer's digits over the value at `at` when they take as many bytes (a
   * counter changes its length once per power of ten); false, nothing written, otherwise.
   */
  replaceInteger(at: number, value: number): boolean {
    const length = decimalLength(value);
    if (this.bytes[at] !== length) return false;
    this.writeInteger(at, length, value);
    return true;
  }

  /**
   * Writes a string over the value at `at` when it has as many chars, all latin1 (a SET of a
   * value as long as the one it replaces); false, nothing written, otherwise.
   */
  replace(at: number, value: string): boolean {
    const bytes = this.bytes;
    const length = value.length;
    if (bytes[at] !== length) return false;
    for (let i = 0; i < length; i++) if (value.charCodeAt(i) > 0xff) return false;
    for (let i = 0; i < length; i++) bytes[at + 1 + i] = value.charCodeAt(i);
    return true;
  }

  /**
   * The value at `at` as a number when it spells a canonical integer (as parseInteger reads
   * one: no sign but `-`, no leading zero) that a double holds exactly, else null; read from the
   * bytes without making a string.
   */
  integerAt(at: number): number | null {
    const value = parseIntegerBytes(this.bytes, at + 1, at + 1 + this.bytes[at]);
    return Number.isSafeInteger(value) ? value : null;
  }

  private writeInteger(at: number, length: number, value: number): void {
    const bytes = this.bytes;
    bytes[at] = length;
    if (value < 0) {
      bytes[at + 1] = 45; /* - */
      writeDigits(bytes, at + 2, -value);
    } else {
      writeDigits(bytes, at + 1, value);
    }
  }

  /**
   * INCR (`up`) or DECR of the value at `at` in its digits, when it spells a canonical integer of
   * 5 to 15 digits that keeps its count (no carry past the first digit, no borrow of it): true,
   * else false and nothing changed. No parse, no digits made: the last digits that are not 9
   * (0) change. From 10000 up a value is never a shared integer, below 10^15 always safe.
   */
  stepAt(at: number, up: boolean): boolean {
    const bytes = this.bytes;
    const start = at + 1;
    const end = start + bytes[at];
    if (end - start < 5 || end - start > 15) return false;
    if (bytes[start] < 49 /* 1 */ || bytes[start] > 57 /* 9 */) return false;
    for (let i = start + 1; i < end; i++) if (bytes[i] < 48 || bytes[i] > 57) return false;
    const rolls = up ? 57 /* 9 */ : 48; /* 0 */
    let i = end - 1;
    while (i >= start && bytes[i] === rolls) i--;
    if (i < start || (!up && i === start && bytes[start] === 49)) return false;
    bytes[i] += up ? 1 : -1;
    const rolled = up ? 48 : 57;
    for (let j = i + 1; j < end; j++) bytes[j] = rolled;
    return true;
  }

  /** Writes the integer stored at `at` to `out` as an integer reply, from its bytes. */
  writeIntegerReply(at: number, out: ReplyWriter): void {
    const bytes = this.bytes;
    out.integerOfBytes(bytes, at + 1, at + 1 + bytes[at]);
  }

  /** Writes the value stored at `at` to `out` as a bulk reply, from its bytes. */
  writeBulk(at: number, out: ReplyWriter): void {
    const bytes = this.bytes;
    out.bulkOfBytes(bytes, at + 1, at + 1 + bytes[at]);
  }

  /** The value stored at `at`, as a new string. */
  read(at: number): string {
    const bytes = this.bytes;
    return decodeLatin1(bytes, at + 1, at + 1 + bytes[at]);
  }

  /** The store's bytes: the value at `at` is bytes[at + 1, at + 1 + lengthAt(at)). */
  get buffer(): Buffer {
    return this.bytes;
  }

  /** The length of the value stored at `at`, without reading it. */
  lengthAt(at: number): number {
    return this.bytes[at];
  }

  remove(at: number): void {
    this.removed += this.bytes[at] + 1;
  }

  /** Whether removed values hold more than the live ones (and enough to be worth a walk). */
  get repackNeeded(): boolean {
    return this.removed >= REPACK_MINIMUM && this.removed * 2 > this.end;
  }

  /** An empty store with room for this one's live values and half as much again. */
  emptyForRepack(): SmallStrings {
    return new SmallStrings(Math.max(MINIMUM_CAPACITY, Math.ceil((this.end - this.removed) * 1.5)));
  }

  /** Copies the value at `at` of `from` to the end of this store; returns its new offset. */
  moveFrom(from: SmallStrings, at: number): number {
    const source = from.bytes;
    const target = this.bytes;
    const to = this.end;
    const end = at + 1 + source[at];
    let next = to;
    for (let i = at; i < end; i++) target[next++] = source[i];
    this.end = next;
    return to;
  }

  private grow(needed: number): void {
    const capacity = Math.max(this.end + needed, Math.ceil(this.bytes.length * 1.5));
    const bytes = Buffer.allocUnsafeSlow(capacity);
    this.bytes.copy(bytes, 0, 0, this.end);
    this.bytes = bytes;
  }
}

/** The chars of a safe integer's decimal form (its sign included). */
export function decimalLength(value: number): number {
  return value < 0 ? 1 + digitCount(-value) : digitCount(value);
}
