/*
 * A small sorted set packed into one string, in the spirit of Redis's listpack-encoded zset:
 * entries ordered by (score, member bytes), each the score (see scoreText) followed by the
 * member's length (see length-prefix.ts) and its chars. Ten members `member:<m>` scored 1.5 * m
 * weigh one string of 123 chars, against a skiplist's typed arrays, member array
 * and member map. Every operation walks the entries, as Redis walks a listpack, so it suits
 * sets of at most a few hundred members; `convertToSkiplist` turns it into a `SortedSet` for
 * good when its owner decides it outgrew that. Every write builds a new string.
 *
 * Lex ranges are found by walking the entries in order (from the head for the first member in
 * range, from the tail for the last), as Redis finds them in a listpack: over members whose
 * scores differ, that gives other ends than a skiplist's search, and Redis's replies follow the
 * encoding.
 */

import {
  lexAtLeast,
  lexAtMost,
  lexRangeIsEmpty,
  scoreAtLeast,
  scoreAtMost,
  scoreRangeIsEmpty,
  type LexBound,
  type ScoreBound,
} from '../zset/bounds.js';
import {
  SortedSet,
  type AddOptions,
  type AddResult,
  type RangeLimit,
  type SortedSetEntry,
} from '../zset/sorted-set.js';
import { lengthText, readLength, textStart } from './length-prefix.js';
import { PackedForm } from './packed-form.js';

/** The first char of a score held as the double's 8 bytes. */
const RAW_SCORE = 0xff;
/** The longest score text held as text. */
const TEXT_SCORE_CHARS = 8;
const scoreBits = new Float64Array(1);
const scoreBytes = new Uint8Array(scoreBits.buffer);

/**
 * A score as it is packed: its shortest text (String's, "-0" for negative zero) after a char
 * giving its length, when that is at most 8 chars (1.5, 42, 1733570000 take 4, 3 and 9 chars);
 * else RAW_SCORE and the double's 8 bytes as it sits in memory. Redis's listpack also holds a
 * score as its text, or as an integer.
 */
function scoreText(score: number): string {
  const text = Object.is(score, -0) ? '-0' : String(score);
  if (text.length <= TEXT_SCORE_CHARS) return String.fromCharCode(text.length) + text;
  scoreBits[0] = score;
  const bytes = scoreBytes;
  return String.fromCharCode(
    RAW_SCORE,
    bytes[0],
    bytes[1],
    bytes[2],
    bytes[3],
    bytes[4],
    bytes[5],
    bytes[6],
    bytes[7],
  );
}

function readScore(packed: string, at: number): number {
  const first = packed.charCodeAt(at);
  if (first !== RAW_SCORE) return parseScoreText(packed, at + 1, at + 1 + first);
  for (let i = 0; i < 8; i++) scoreBytes[i] = packed.charCodeAt(at + 1 + i);
  return scoreBits[0];
}

/**
 * The score whose text (at most 8 chars) is packed[start, end). Digits with a sign and a point
 * are read here: a mantissa below 10^8 over a power of ten is one correctly rounded division,
 * which is Number's answer. Other texts (1e-7, Infinity) go to Number.
 */
function parseScoreText(packed: string, start: number, end: number): number {
  let at = start;
  const negative = packed.charCodeAt(at) === 0x2d;
  if (negative) at++;
  let mantissa = 0;
  let scale = 1;
  let point = false;
  for (; at < end; at++) {
    const code = packed.charCodeAt(at);
    if (code >= 0x30 && code <= 0x39) {
      mantissa = mantissa * 10 + (code - 0x30);
      if (point) scale *= 10;
    } else if (code === 0x2e && !point) point = true;
    else return Number(packed.slice(start, end));
  }
  const value = mantissa / scale;
  return negative ? -value : value;
}

/** Where the member's length prefix follows the score that starts at `at`. */
function scoreEnd(packed: string, at: number): number {
  const first = packed.charCodeAt(at);
  return at + 1 + (first === RAW_SCORE ? 8 : first);
}

/** Where the entry starting at `at` ends; sets `textStart` to where its member starts. */
function entryEnd(packed: string, at: number): number {
  const length = readLength(packed, scoreEnd(packed, at));
  return textStart + length;
}

function memberAt(packed: string, at: number): string {
  const end = entryEnd(packed, at);
  return packed.slice(textStart, end);
}

function entryAt(packed: string, at: number): SortedSetEntry {
  return { member: memberAt(packed, at), score: readScore(packed, at) };
}

/** Byte order of the `length` chars at `start` against `text`: negative, 0 or positive. */
function compareText(packed: string, start: number, length: number, text: string): number {
  const common = Math.min(length, text.length);
  for (let i = 0; i < common; i++) {
    const difference = packed.charCodeAt(start + i) - text.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return length - text.length;
}

/** Whether the entry at `at` sorts after (score, member). */
function isAfter(packed: string, at: number, score: number, member: string): boolean {
  const entryScore = readScore(packed, at);
  if (entryScore !== score) return entryScore > score;
  const length = readLength(packed, scoreEnd(packed, at));
  return compareText(packed, textStart, length, member) > 0;
}

/** Where the entry found last by `locate` ends, and its rank. */
let foundEnd = 0;
let foundRank = 0;

/**
 * The entry found last, by the packed string it was found in and the member asked for: asked
 * again (ZADD or ZINCRBY of the same member), `locate` answers from two comparisons V8 makes
 * natively instead of comparing the member char by char (as PackedMap's `locate`).
 */
let foundIn = '';
let foundMember = '';
let foundAt = -1;

/** The offset of the entry of `member`, or -1; sets `foundEnd` and `foundRank`. */
function locate(packed: string, member: string): number {
  if (foundAt >= 0 && packed === foundIn && member === foundMember) return foundAt;
  const last = member.length - 1;
  let rank = 0;
  for (let at = 0; at < packed.length; rank++) {
    const length = readLength(packed, scoreEnd(packed, at));
    const start = textStart;
    // The last char first: members like member:1, member:2... differ there.
    if (
      length === member.length &&
      (length === 0 || packed.charCodeAt(start + last) === member.charCodeAt(last)) &&
      packed.startsWith(member, start)
    ) {
      foundEnd = start + length;
      foundRank = rank;
      foundIn = packed;
      foundMember = member;
      foundAt = at;
      return at;
    }
    at = start + length;
  }
  return -1;
}

/**
 * The offsets of the entries, filled by `indexEntries` for the walks that go backwards or by
 * rank; one array for all sets (no walk nests in another).
 */
const offsets: number[] = [];

function indexEntries(packed: string): number {
  let count = 0;
  for (let at = 0; at < packed.length; at = entryEnd(packed, at)) offsets[count++] = at;
  offsets[count] = packed.length;
  return count;
}

function scoreOf(packed: string, index: number): number {
  return readScore(packed, offsets[index]);
}

function memberOf(packed: string, index: number): string {
  return memberAt(packed, offsets[index]);
}

export class PackedSortedSet extends PackedForm<SortedSet> implements Iterable<SortedSetEntry> {
  private count = 0;

  get size(): number {
    return this.table === undefined ? this.count : this.table.size;
  }

  score(member: string): number | undefined {
    if (this.table !== undefined) return this.table.score(member);
    const at = locate(this.packed, member);
    return at === -1 ? undefined : readScore(this.packed, at);
  }

  has(member: string): boolean {
    if (this.table !== undefined) return this.table.has(member);
    return locate(this.packed, member) !== -1;
  }

  /** ZADD's core: honours NX/XX/GT/LT/INCR and reports what happened (as `SortedSet.add`). */
  add(member: string, score: number, options: AddOptions = {}): AddResult {
    if (this.table !== undefined) return this.table.add(member, score, options);
    const packed = this.packed;
    const at = locate(packed, member);
    if (at === -1) {
      if (options.xx) return { outcome: 'skipped' };
      this.insert(packed, member, score);
      this.count++;
      return { outcome: 'added', score };
    }
    if (options.nx) return { outcome: 'skipped' };
    const current = readScore(packed, at);
    let next = score;
    if (options.incr) {
      next = current + score;
      if (Number.isNaN(next)) return { outcome: 'nan' };
    }
    if ((options.gt && next <= current) || (options.lt && next >= current))
      return { outcome: 'skipped' };
    if (next === current) return { outcome: 'unchanged', score: current };
    this.insert([packed.slice(0, at), packed.slice(foundEnd)].join(''), member, next);
    return { outcome: 'updated', score: next };
  }

  /** Makes `packed` plus (member, score) in its place the packed string. */
  private insert(packed: string, member: string, score: number): void {
    let at = 0;
    while (at < packed.length && !isAfter(packed, at, score, member)) at = entryEnd(packed, at);
    this.packed = [
      packed.slice(0, at),
      scoreText(score),
      lengthText(member.length),
      member,
      packed.slice(at),
    ].join('');
  }

  remove(member: string): boolean {
    if (this.table !== undefined) return this.table.remove(member);
    const packed = this.packed;
    const at = locate(packed, member);
    if (at === -1) return false;
    this.packed = [packed.slice(0, at), packed.slice(foundEnd)].join('');
    this.count--;
    return true;
  }

  /** 0-based rank, or undefined when the member is absent. */
  rank(member: string, reverse = false): number | undefined {
    if (this.table !== undefined) return this.table.rank(member, reverse);
    if (locate(this.packed, member) === -1) return undefined;
    return reverse ? this.count - 1 - foundRank : foundRank;
  }

  /** ZRANGE start stop [REV] with Redis's index rules (negatives from the end, clamping). */
  rangeByRank(start: number, stop: number, reverse = false): SortedSetEntry[] {
    if (this.table !== undefined) return this.table.rangeByRank(start, stop, reverse);
    const span = this.rankSpan(start, stop, reverse);
    if (span === undefined) return [];
    const packed = this.packed;
    const result: SortedSetEntry[] = [];
    if (reverse) {
      for (let i = span.last; i >= span.first; i--) result.push(entryAt(packed, offsets[i]));
    } else {
      for (let i = span.first; i <= span.last; i++) result.push(entryAt(packed, offsets[i]));
    }
    return result;
  }

  /** The forward indexes (in `offsets`) a rank range covers, or undefined when it is empty. */
  private rankSpan(
    start: number,
    stop: number,
    reverse: boolean,
  ): { first: number; last: number } | undefined {
    const length = this.count;
    if (start < 0) start += length;
    if (stop < 0) stop += length;
    if (start < 0) start = 0;
    if (start > stop || start >= length) return undefined;
    if (stop >= length) stop = length - 1;
    indexEntries(this.packed);
    return reverse
      ? { first: length - 1 - stop, last: length - 1 - start }
      : { first: start, last: stop };
  }

  rangeByScore(min: ScoreBound, max: ScoreBound, limit: RangeLimit = {}): SortedSetEntry[] {
    if (this.table !== undefined) return this.table.rangeByScore(min, max, limit);
    const packed = this.packed;
    const start = limit.reverse
      ? this.lastInScoreRange(min, max)
      : this.firstInScoreRange(min, max);
    return this.walk(start, limit, (index) =>
      limit.reverse
        ? scoreAtLeast(scoreOf(packed, index), min)
        : scoreAtMost(scoreOf(packed, index), max),
    );
  }

  /** Members within [min, max], found by walking the entries (see the file's comment). */
  rangeByLex(min: LexBound, max: LexBound, limit: RangeLimit = {}): SortedSetEntry[] {
    if (this.table !== undefined) return this.table.rangeByLex(min, max, limit);
    const packed = this.packed;
    const start = limit.reverse ? this.lastInLexRange(min, max) : this.firstInLexRange(min, max);
    return this.walk(start, limit, (index) =>
      limit.reverse
        ? lexAtLeast(memberOf(packed, index), min)
        : lexAtMost(memberOf(packed, index), max),
    );
  }

  /** Entries from index `start` (-1: none) on, as `SortedSet`'s walk: offset, count, range. */
  private walk(
    start: number,
    limit: RangeLimit,
    inRange: (index: number) => boolean,
  ): SortedSetEntry[] {
    const result: SortedSetEntry[] = [];
    const skip = limit.offset ?? 0;
    if (start === -1 || skip < 0) return result;
    const step = limit.reverse ? -1 : 1;
    let remaining = limit.count ?? -1;
    // The offset is skipped without checking the range, as Redis does.
    for (let i = start + skip * step; i >= 0 && i < this.count; i += step) {
      if (remaining === 0 || !inRange(i)) break;
      result.push(entryAt(this.packed, offsets[i]));
      remaining--;
    }
    return result;
  }

  /** Index of the first entry whose score is within [min, max], or -1; fills `offsets`. */
  private firstInScoreRange(min: ScoreBound, max: ScoreBound): number {
    if (!this.overlapsScore(min, max)) return -1;
    const packed = this.packed;
    let i = 0;
    while (!scoreAtLeast(scoreOf(packed, i), min)) i++;
    return scoreAtMost(scoreOf(packed, i), max) ? i : -1;
  }

  /** Index of the last entry whose score is within [min, max], or -1; fills `offsets`. */
  private lastInScoreRange(min: ScoreBound, max: ScoreBound): number {
    if (!this.overlapsScore(min, max)) return -1;
    const packed = this.packed;
    let i = this.count - 1;
    while (!scoreAtMost(scoreOf(packed, i), max)) i--;
    return scoreAtLeast(scoreOf(packed, i), min) ? i : -1;
  }

  /** Redis's zzlIsInRange: the range is not empty and meets [first, last]; fills `offsets`. */
  private overlapsScore(min: ScoreBound, max: ScoreBound): boolean {
    const count = indexEntries(this.packed);
    return (
      count > 0 &&
      !scoreRangeIsEmpty(min, max) &&
      scoreAtLeast(scoreOf(this.packed, count - 1), min) &&
      scoreAtMost(scoreOf(this.packed, 0), max)
    );
  }

  /** Index of the first member at or after `min` walking from the head, if within `max`. */
  private firstInLexRange(min: LexBound, max: LexBound): number {
    if (!this.overlapsLex(min, max)) return -1;
    const packed = this.packed;
    let i = 0;
    while (i < this.count && !lexAtLeast(memberOf(packed, i), min)) i++;
    return i < this.count && lexAtMost(memberOf(packed, i), max) ? i : -1;
  }

  /** Index of the last member at or before `max` walking from the tail, if within `min`. */
  private lastInLexRange(min: LexBound, max: LexBound): number {
    if (!this.overlapsLex(min, max)) return -1;
    const packed = this.packed;
    let i = this.count - 1;
    while (i >= 0 && !lexAtMost(memberOf(packed, i), max)) i--;
    return i >= 0 && lexAtLeast(memberOf(packed, i), min) ? i : -1;
  }

  /** Redis's zzlIsInLexRange: the range is not empty and meets [first, last]; fills `offsets`. */
  private overlapsLex(min: LexBound, max: LexBound): boolean {
    const count = indexEntries(this.packed);
    return (
      count > 0 &&
      !lexRangeIsEmpty(min, max) &&
      lexAtLeast(memberOf(this.packed, count - 1), min) &&
      lexAtMost(memberOf(this.packed, 0), max)
    );
  }

  countByScore(min: ScoreBound, max: ScoreBound): number {
    if (this.table !== undefined) return this.table.countByScore(min, max);
    const first = this.firstInScoreRange(min, max);
    return first === -1 ? 0 : this.scoreSpanEnd(first, max) - first + 1;
  }

  /** Counted as Redis counts in a listpack: walking from the first member in range. */
  countByLex(min: LexBound, max: LexBound): number {
    if (this.table !== undefined) return this.table.countByLex(min, max);
    const first = this.firstInLexRange(min, max);
    return first === -1 ? 0 : this.lexSpanEnd(first, max) - first + 1;
  }

  /** The last index of the run from `first` whose scores are at most `max`. */
  private scoreSpanEnd(first: number, max: ScoreBound): number {
    let last = first;
    while (last + 1 < this.count && scoreAtMost(scoreOf(this.packed, last + 1), max)) last++;
    return last;
  }

  /** The last index of the run from `first` whose members are at most `max`. */
  private lexSpanEnd(first: number, max: LexBound): number {
    let last = first;
    while (last + 1 < this.count && lexAtMost(memberOf(this.packed, last + 1), max)) last++;
    return last;
  }

  popMin(count = 1): SortedSetEntry[] {
    if (this.table !== undefined) return this.table.popMin(count);
    if (count <= 0) return [];
    const popped = this.rangeByRank(0, count - 1);
    this.removeSpan(0, popped.length - 1);
    return popped;
  }

  popMax(count = 1): SortedSetEntry[] {
    if (this.table !== undefined) return this.table.popMax(count);
    if (count <= 0) return [];
    const popped = this.rangeByRank(0, count - 1, true);
    this.removeSpan(this.count - popped.length, this.count - 1);
    return popped;
  }

  removeRangeByRank(start: number, stop: number): number {
    if (this.table !== undefined) return this.table.removeRangeByRank(start, stop);
    const span = this.rankSpan(start, stop, false);
    return span === undefined ? 0 : this.removeSpan(span.first, span.last);
  }

  removeRangeByScore(min: ScoreBound, max: ScoreBound): number {
    if (this.table !== undefined) return this.table.removeRangeByScore(min, max);
    const first = this.firstInScoreRange(min, max);
    return first === -1 ? 0 : this.removeSpan(first, this.scoreSpanEnd(first, max));
  }

  /** Removed as Redis removes from a listpack: the run from the first member in range. */
  removeRangeByLex(min: LexBound, max: LexBound): number {
    if (this.table !== undefined) return this.table.removeRangeByLex(min, max);
    const first = this.firstInLexRange(min, max);
    return first === -1 ? 0 : this.removeSpan(first, this.lexSpanEnd(first, max));
  }

  /** Removes the entries `first` to `last` (indexes in `offsets`, which must be current). */
  private removeSpan(first: number, last: number): number {
    if (last < first) return 0;
    const packed = this.packed;
    this.packed = [packed.slice(0, offsets[first]), packed.slice(offsets[last + 1])].join('');
    this.count -= last - first + 1;
    return last - first + 1;
  }

  /** To a skiplist, for good; its members are copies, not slices of the packed string. */
  convertToSkiplist(): void {
    if (this.table !== undefined) return;
    const packed = this.packed;
    const bytes = Buffer.from(packed, 'latin1');
    const table = new SortedSet();
    for (let at = 0; at < packed.length;) {
      const end = entryEnd(packed, at);
      table.add(bytes.toString('latin1', textStart, end), readScore(packed, at));
      at = end;
    }
    this.table = table;
    this.count = 0;
  }

  *[Symbol.iterator](): IterableIterator<SortedSetEntry> {
    if (this.table !== undefined) {
      yield* this.table;
      return;
    }
    const packed = this.packed;
    for (let at = 0; at < packed.length; at = entryEnd(packed, at)) yield entryAt(packed, at);
  }

  /**
   * Checks the structure: entries strictly ordered by (score, member), their count, and the
   * string ending where the last entry does (or the skiplist's own checks). Throws on a
   * violation; for tests.
   */
  checkInvariants(): void {
    if (this.table !== undefined) {
      this.table.checkInvariants();
      return;
    }
    const packed = this.packed;
    const members = new Set<string>();
    let previous: SortedSetEntry | undefined;
    let at = 0;
    while (at < packed.length) {
      const entry = entryAt(packed, at);
      if (previous !== undefined && !isAfter(packed, at, previous.score, previous.member))
        throw new Error('packed zset: entries out of order');
      if (members.has(entry.member)) throw new Error('packed zset: duplicate member');
      members.add(entry.member);
      previous = entry;
      at = entryEnd(packed, at);
    }
    if (at !== packed.length) throw new Error('packed zset: entry past the end');
    if (members.size !== this.count) throw new Error('packed zset: count mismatch');
  }
}
