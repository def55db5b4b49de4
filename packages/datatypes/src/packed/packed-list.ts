/*
 * A small list of latin1 strings packed into one string, in the spirit of the single listpack
 * node Redis keeps a short list in: each element is its length (see length-prefix.ts) followed
 * by its chars, head first. Ten short elements weigh one string instead of a QuickList's node
 * and its buffer. Every operation walks the elements and every write builds a new string,
 * so it turns itself into a `QuickList` for good once it holds more than `PACKED_ENTRIES`
 * elements or `PACKED_CHARS` chars (Redis's default listpack node of 8 KB). The packing is
 * invisible to Redis's clients: Redis 7.0 reports every list as a quicklist.
 */

import { type BulkSink, QuickList } from '../list/quicklist.js';
import { lengthText, readLength, textStart } from './length-prefix.js';
import { PackedForm } from './packed-form.js';

/** Elements and chars a packed list holds at most. */
export const PACKED_ENTRIES = 128;
export const PACKED_CHARS = 8192;

/** Where the element starting at `at` ends; sets `textStart` to where its chars start. */
function elementEnd(packed: string, at: number): number {
  const length = readLength(packed, at);
  return textStart + length;
}

function elementAt(packed: string, at: number): string {
  const end = elementEnd(packed, at);
  return packed.slice(textStart, end);
}

/** Whether the element starting at `at` is `value`; sets `textStart` as elementEnd. */
function isElement(packed: string, at: number, value: string): boolean {
  const length = readLength(packed, at);
  return (
    length === value.length &&
    (length === 0 || packed.charCodeAt(textStart + length - 1) === value.charCodeAt(length - 1)) &&
    packed.startsWith(value, textStart)
  );
}

/** The offsets of the elements and the string's end, filled by `indexElements` (no nesting). */
const offsets: number[] = [];

function indexElements(packed: string): number {
  let count = 0;
  for (let at = 0; at < packed.length; at = elementEnd(packed, at)) offsets[count++] = at;
  offsets[count] = packed.length;
  return count;
}

export class PackedList extends PackedForm<QuickList> implements Iterable<string> {
  private count = 0;

  static from(values: Iterable<string>): PackedList {
    const list = new PackedList();
    for (const value of values) list.pushTail(value);
    return list;
  }

  get length(): number {
    return this.table === undefined ? this.count : this.table.length;
  }

  pushHead(value: string): void {
    if (this.table !== undefined) {
      this.table.pushHead(value);
      return;
    }
    this.packed = [lengthText(value.length), value, this.packed].join('');
    this.count++;
    this.convertIfLarge();
  }

  pushTail(value: string): void {
    if (this.table !== undefined) {
      this.table.pushTail(value);
      return;
    }
    this.packed = [this.packed, lengthText(value.length), value].join('');
    this.count++;
    this.convertIfLarge();
  }

  popHead(): string | undefined {
    if (this.table !== undefined) return this.table.popHead();
    if (this.count === 0) return undefined;
    const packed = this.packed;
    const end = elementEnd(packed, 0);
    const value = packed.slice(textStart, end);
    this.packed = packed.slice(end);
    this.count--;
    return value;
  }

  popTail(): string | undefined {
    if (this.table !== undefined) return this.table.popTail();
    if (this.count === 0) return undefined;
    const last = indexElements(this.packed) - 1;
    const packed = this.packed;
    const value = elementAt(packed, offsets[last]);
    this.packed = packed.slice(0, offsets[last]);
    this.count--;
    return value;
  }

  /**
   * As popHead and popTail, the element written to `sink` (from a QuickList's bytes once
   * converted) instead of returned; false when the list is empty.
   */
  popHeadTo(sink: BulkSink): boolean {
    if (this.table !== undefined) return this.table.popHeadTo(sink);
    const value = this.popHead();
    if (value === undefined) return false;
    sink.bulk(value);
    return true;
  }

  popTailTo(sink: BulkSink): boolean {
    if (this.table !== undefined) return this.table.popTailTo(sink);
    const value = this.popTail();
    if (value === undefined) return false;
    sink.bulk(value);
    return true;
  }

  /** Element at index; negative indexes count from the tail (-1 is the last). */
  at(index: number): string | undefined {
    if (this.table !== undefined) return this.table.at(index);
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    indexElements(this.packed);
    return elementAt(this.packed, offsets[index]);
  }

  /** LSET: false when the index is out of range. */
  set(index: number, value: string): boolean {
    if (this.table !== undefined) return this.table.set(index, value);
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return false;
    indexElements(this.packed);
    const packed = this.packed;
    this.packed = [
      packed.slice(0, offsets[index]),
      lengthText(value.length),
      value,
      packed.slice(offsets[index + 1]),
    ].join('');
    this.convertIfLarge();
    return true;
  }

  /**
   * The chars of the first `count` elements (of all when fewer): what Redis's objectComputeSize
   * samples of a list, without making the elements' strings or an iterator.
   */
  charsOfFirst(count: number): number {
    if (this.table !== undefined) return this.table.charsOfFirst(count);
    const packed = this.packed;
    let chars = 0;
    for (let at = 0, i = 0; i < count && at < packed.length; i++) {
      at = elementEnd(packed, at);
      chars += at - textStart;
    }
    return chars;
  }

  /** Clamps [start, stop] with LRANGE's rules; null when the range is empty. */
  resolveRange(start: number, stop: number): [number, number] | null {
    const length = this.length;
    if (start < 0) start += length;
    if (stop < 0) stop += length;
    if (start < 0) start = 0;
    if (start > stop || start >= length) return null;
    if (stop >= length) stop = length - 1;
    return [start, stop];
  }

  /** LRANGE start stop. */
  range(start: number, stop: number): string[] {
    if (this.table !== undefined) return this.table.range(start, stop);
    const bounds = this.resolveRange(start, stop);
    if (bounds === null) return [];
    const packed = this.packed;
    const result = new Array<string>(bounds[1] - bounds[0] + 1);
    let at = 0;
    for (let i = 0; i < bounds[0]; i++) at = elementEnd(packed, at);
    for (let i = 0; i < result.length; i++) {
      const end = elementEnd(packed, at);
      result[i] = packed.slice(textStart, end);
      at = end;
    }
    return result;
  }

  /**
   * Writes the elements `first` to `last` (resolved indexes, as `resolveRange` gives) to `sink`
   * as bulk strings: LRANGE's reply, from the nodes' bytes once converted.
   */
  writeRange(first: number, last: number, sink: BulkSink): void {
    if (this.table !== undefined) {
      this.table.writeRange(first, last, sink);
      return;
    }
    const packed = this.packed;
    let at = 0;
    for (let i = 0; i < first; i++) at = elementEnd(packed, at);
    for (let i = first; i <= last; i++) {
      const end = elementEnd(packed, at);
      sink.bulk(packed.slice(textStart, end));
      at = end;
    }
  }

  /** LINSERT: inserts next to the first occurrence of pivot; new length, or -1 without pivot. */
  insert(pivot: string, value: string, after: boolean): number {
    if (this.table !== undefined) return this.table.insert(pivot, value, after);
    const packed = this.packed;
    for (let at = 0; at < packed.length; at = elementEnd(packed, at)) {
      if (isElement(packed, at, pivot)) {
        const split = after ? textStart + pivot.length : at;
        this.packed = [
          packed.slice(0, split),
          lengthText(value.length),
          value,
          packed.slice(split),
        ].join('');
        this.count++;
        this.convertIfLarge();
        return this.length;
      }
    }
    return -1;
  }

  /** LREM: count > 0 removes from the head, < 0 from the tail, 0 removes all. */
  remove(value: string, count: number): number {
    if (this.table !== undefined) return this.table.remove(value, count);
    const total = indexElements(this.packed);
    const packed = this.packed;
    const limit = count === 0 ? Infinity : Math.abs(count);
    const doomed = new Set<number>();
    for (let step = 0; step < total && doomed.size < limit; step++) {
      const index = count >= 0 ? step : total - 1 - step;
      if (isElement(packed, offsets[index], value)) doomed.add(index);
    }
    if (doomed.size === 0) return 0;
    const kept: string[] = [];
    for (let i = 0; i < total; i++) {
      if (!doomed.has(i)) kept.push(packed.slice(offsets[i], offsets[i + 1]));
    }
    this.packed = kept.join('');
    this.count -= doomed.size;
    return doomed.size;
  }

  /** LTRIM start stop: keeps only the range (empty when the range is empty). */
  trim(start: number, stop: number): void {
    if (this.table !== undefined) {
      this.table.trim(start, stop);
      return;
    }
    const bounds = this.resolveRange(start, stop);
    if (bounds === null) {
      this.packed = '';
      this.count = 0;
      return;
    }
    indexElements(this.packed);
    this.packed = this.packed.slice(offsets[bounds[0]], offsets[bounds[1] + 1]);
    this.count = bounds[1] - bounds[0] + 1;
  }

  /**
   * LPOS: indexes of matches. rank n > 0 skips to the n-th match from the head, n < 0 scans
   * from the tail; count 0 means all matches; maxlen 0 means scan everything.
   */
  positions(value: string, rank: number, count: number, maxlen: number): number[] {
    if (this.table !== undefined) return this.table.positions(value, rank, count, maxlen);
    const total = indexElements(this.packed);
    const result: number[] = [];
    const forward = rank > 0;
    let skip = Math.abs(rank) - 1;
    const limit = maxlen === 0 ? total : Math.min(maxlen, total);
    for (let scanned = 0; scanned < limit; scanned++) {
      const index = forward ? scanned : total - 1 - scanned;
      if (!isElement(this.packed, offsets[index], value)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      result.push(index);
      if (count !== 0 && result.length >= count) break;
    }
    return result;
  }

  private convertIfLarge(): void {
    if (this.count > PACKED_ENTRIES || this.packed.length > PACKED_CHARS) {
      this.convertToQuickList();
    }
  }

  /** To a QuickList, for good; it holds the elements' bytes, not slices of the packed string. */
  convertToQuickList(): void {
    if (this.table !== undefined) return;
    const packed = this.packed;
    const table = new QuickList();
    for (let at = 0; at < packed.length;) {
      const end = elementEnd(packed, at);
      table.pushTail(packed.slice(textStart, end));
      at = end;
    }
    this.table = table;
    this.count = 0;
  }

  /**
   * Checks the structure: the elements end where the string does, their count, and the size
   * limits (or the QuickList's own checks). Throws on a violation; for tests.
   */
  checkInvariants(): void {
    if (this.table !== undefined) {
      this.table.checkInvariants();
      return;
    }
    const packed = this.packed;
    let count = 0;
    let at = 0;
    for (; at < packed.length; count++) at = elementEnd(packed, at);
    if (at !== packed.length) throw new Error('packed list: element past the end');
    if (count !== this.count) throw new Error('packed list: count mismatch');
    if (count > PACKED_ENTRIES || packed.length > PACKED_CHARS) {
      throw new Error('packed list: over its limits');
    }
  }

  *[Symbol.iterator](): IterableIterator<string> {
    if (this.table !== undefined) {
      yield* this.table;
      return;
    }
    const packed = this.packed;
    for (let at = 0; at < packed.length;) {
      const end = elementEnd(packed, at);
      yield packed.slice(textStart, end);
      at = end;
    }
  }
}
