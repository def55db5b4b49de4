/*
 * A small set of 64-bit integers packed into one string, in the spirit of Redis's intset: each
 * member is `width` chars (1 to 6, or 8: the fewest that have held every member), its two's
 * complement bytes big-endian with the top bit flipped, so that the records sort as the integers
 * do and are kept sorted. Redis's widths are 2, 4 and 8 (`intsetWidth`); members up to 2^23
 * take 3 chars here where an intset gives them 4 bytes. Members come and go as their canonical text (what Redis's string2ll takes);
 * iteration is ascending, as an intset is walked. `convertToSet` turns it into a Set for good
 * when its owner decides it outgrew the packed form.
 */

import { PackedForm } from './packed-form.js';

/** The two 32-bit halves of the member parsed last by `parse`: high signed, low unsigned. */
let high = 0;
let low = 0;

const TWO_32 = 2 ** 32;
const CANONICAL = /^(?:0|-?[1-9][0-9]{0,18})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses canonical int64 text into `high`/`low`; false when the text is not one. */
function parse(text: string): boolean {
  if (text.length <= 15) {
    if (!CANONICAL.test(text)) return false;
    const value = Number(text);
    high = Math.floor(value / TWO_32);
    low = value - high * TWO_32;
    return true;
  }
  if (!CANONICAL.test(text)) return false;
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) return false;
  high = Number(BigInt.asIntN(32, value >> 32n));
  low = Number(BigInt.asUintN(32, value));
  return true;
}

/** The packed string's first char for each width. */
const WIDTH_CHARS = Array.from({ length: 9 }, (_, width) => String.fromCharCode(width));

/** Half the range of each width up to 6 chars (2^(8 * width - 1)): a record's offset. */
const HALF_RANGE = [0, 2 ** 7, 2 ** 15, 2 ** 23, 2 ** 31, 2 ** 39, 2 ** 47];

/** The fewest chars that hold the parsed member: 1 to 6, or 8. */
function widthOfParsed(): number {
  // Within ±2^47 the double holds the member exactly.
  if (high < -0x8000 || high >= 0x8000) return 8;
  const value = high * TWO_32 + low;
  let width = 1;
  while (value < -HALF_RANGE[width] || value >= HALF_RANGE[width]) width++;
  return width;
}

/** The parsed member as a `width`-char record. */
function recordOfParsed(width: number): string {
  if (width < 8) {
    let bits = high * TWO_32 + low + HALF_RANGE[width];
    let record = '';
    for (let i = 0; i < width; i++) {
      const byte = bits % 256;
      record = String.fromCharCode(byte) + record;
      bits = (bits - byte) / 256;
    }
    return record;
  }
  const lowText = String.fromCharCode(
    low >>> 24,
    (low >>> 16) & 0xff,
    (low >>> 8) & 0xff,
    low & 0xff,
  );
  const highBits = (high ^ 0x80000000) >>> 0;
  return (
    String.fromCharCode(
      highBits >>> 24,
      (highBits >>> 16) & 0xff,
      (highBits >>> 8) & 0xff,
      highBits & 0xff,
    ) + lowText
  );
}

function readUint32(packed: string, at: number): number {
  return (
    packed.charCodeAt(at) * 0x1000000 +
    packed.charCodeAt(at + 1) * 0x10000 +
    packed.charCodeAt(at + 2) * 0x100 +
    packed.charCodeAt(at + 3)
  );
}

/** The member text of the record at `at`. */
function memberAt(packed: string, at: number, width: number): string {
  if (width < 8) {
    let bits = 0;
    for (let i = 0; i < width; i++) bits = bits * 256 + packed.charCodeAt(at + i);
    return String(bits - HALF_RANGE[width]);
  }
  const highValue = readUint32(packed, at) - 0x80000000;
  const lowValue = readUint32(packed, at + 4);
  // Within ±2^53 doubles hold the sum exactly.
  if (highValue >= -0x200000 && highValue < 0x200000) return String(highValue * TWO_32 + lowValue);
  return ((BigInt(highValue) << 32n) + BigInt(lowValue)).toString();
}

/** Compares the record at `at` with `record` (same width): negative, 0 or positive. */
function compareAt(packed: string, at: number, record: string): number {
  for (let i = 0; i < record.length; i++) {
    const difference = packed.charCodeAt(at + i) - record.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Binary search for `record` among the packed records (after the width char): its index when
 * found, else the index it would be inserted at as `-(index + 1)`.
 */
function search(packed: string, record: string): number {
  const width = record.length;
  let lowIndex = 0;
  let highIndex = (packed.length - 1) / width - 1;
  while (lowIndex <= highIndex) {
    const middle = (lowIndex + highIndex) >>> 1;
    const order = compareAt(packed, 1 + middle * width, record);
    if (order === 0) return middle;
    if (order < 0) lowIndex = middle + 1;
    else highIndex = middle - 1;
  }
  return -(lowIndex + 1);
}

/**
 * The packed string is a char giving the width, then the records; empty for an empty set of
 * width 1. The width lives in the string rather than in a field of its own: an object of one
 * field is 32 bytes, of two 40, and the char mostly fits the string's 8-byte alignment.
 */
export class PackedSet extends PackedForm<Set<string>> implements Iterable<string> {
  private get width(): number {
    const packed = this.packed;
    return packed.length === 0 ? 1 : packed.charCodeAt(0);
  }

  /** Whether a member can be packed: canonical int64 text (no sign on 0, no leading zeros). */
  static canPack(member: string): boolean {
    return parse(member);
  }

  /** The bytes an intset gives each member: 2, 4 or 8, the least that held every member. */
  get intsetWidth(): number {
    return this.width <= 2 ? 2 : this.width <= 4 ? 4 : 8;
  }

  /**
   * Makes the members at least as wide as an intset of `intsetWidth` bytes holds them (a copy,
   * or a set loaded from such an intset): an intset never narrows, and DUMP writes its width.
   */
  widenTo(intsetWidth: number): void {
    const width = intsetWidth >= 8 ? 8 : intsetWidth >= 4 ? 3 : 1;
    if (this.table === undefined && width > this.width) this.widen(width);
  }

  get size(): number {
    if (this.table !== undefined) return this.table.size;
    const packed = this.packed;
    return packed.length === 0 ? 0 : (packed.length - 1) / packed.charCodeAt(0);
  }

  has(member: string): boolean {
    if (this.table !== undefined) return this.table.has(member);
    if (!parse(member) || widthOfParsed() > this.width) return false;
    return search(this.packed, recordOfParsed(this.width)) >= 0;
  }

  /** Adds a member; while packed it must be one `canPack` accepts (else this throws). */
  add(member: string): this {
    if (this.table !== undefined) {
      this.table.add(member);
      return this;
    }
    if (!parse(member)) throw new RangeError(`not a 64-bit integer: ${member}`);
    const width = widthOfParsed();
    const current = this.width;
    if (width > current) {
      const record = recordOfParsed(width);
      const negative = high < 0;
      this.widen(width);
      // Wider than every member: it goes first when negative, last otherwise.
      const packed = this.packed;
      this.packed = negative ? packed[0] + record + packed.slice(1) : packed + record;
      return this;
    }
    const record = recordOfParsed(current);
    const packed = this.packed.length === 0 ? WIDTH_CHARS[1] : this.packed;
    const index = search(packed, record);
    if (index >= 0) return this;
    const at = 1 - (index + 1) * current;
    this.packed = [packed.slice(0, at), record, packed.slice(at)].join('');
    return this;
  }

  delete(member: string): boolean {
    if (this.table !== undefined) return this.table.delete(member);
    if (!parse(member) || widthOfParsed() > this.width) return false;
    const width = this.width;
    const index = search(this.packed, recordOfParsed(width));
    if (index < 0) return false;
    const at = 1 + index * width;
    this.packed = [this.packed.slice(0, at), this.packed.slice(at + width)].join('');
    return true;
  }

  /** To a Set, for good, its members inserted in ascending order. */
  convertToSet(): void {
    if (this.table !== undefined) return;
    this.table = new Set(this);
  }

  /** Re-encodes every member in `width` chars. */
  private widen(width: number): void {
    const records: string[] = [];
    for (const member of this) {
      parse(member);
      records.push(recordOfParsed(width));
    }
    this.packed = WIDTH_CHARS[width] + records.join('');
  }

  *values(): IterableIterator<string> {
    if (this.table !== undefined) {
      yield* this.table;
      return;
    }
    const { packed, width } = this;
    for (let at = 1; at < packed.length; at += width) yield memberAt(packed, at, width);
  }

  keys(): IterableIterator<string> {
    return this.values();
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.values();
  }
}
