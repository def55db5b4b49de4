import {
  lexAtMost,
  scoreAtLeast,
  scoreAtMost,
  lexAtLeast,
  type LexBound,
  type ScoreBound,
} from './bounds.js';
import { SkipList, type SkipNode } from './skiplist.js';

export interface SortedSetEntry {
  readonly member: string;
  readonly score: number;
}

export interface AddOptions {
  /** Only add new members. */
  nx?: boolean;
  /** Only update existing members. */
  xx?: boolean;
  /** Only update when the new score is greater / less than the current one. */
  gt?: boolean;
  lt?: boolean;
  /** Add the score to the current one (ZINCRBY, ZADD INCR). */
  incr?: boolean;
}

export type AddResult =
  | { readonly outcome: 'added' | 'updated' | 'unchanged'; readonly score: number }
  | { readonly outcome: 'skipped' }
  /** INCR made the score NaN (e.g. +inf + -inf): nothing changed. */
  | { readonly outcome: 'nan' };

export interface RangeLimit {
  readonly reverse?: boolean;
  /** Entries to skip from the start of the range (LIMIT offset). */
  readonly offset?: number;
  /** Entries to return at most; negative = all (LIMIT count). */
  readonly count?: number;
}

/**
 * A Redis sorted set: a skiplist ordered by (score, member bytes) plus a member → score map,
 * with the operations ZADD and friends need. Members are latin1 strings.
 */
export class SortedSet implements Iterable<SortedSetEntry> {
  private readonly list = new SkipList();
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  has(member: string): boolean {
    return this.scores.has(member);
  }

  /** ZADD's core: honours NX/XX/GT/LT/INCR and reports what happened. */
  add(member: string, score: number, options: AddOptions = {}): AddResult {
    const current = this.scores.get(member);
    if (current === undefined) {
      if (options.xx) return { outcome: 'skipped' };
      this.scores.set(member, score);
      this.list.insert(member, score);
      return { outcome: 'added', score };
    }
    if (options.nx) return { outcome: 'skipped' };
    let next = score;
    if (options.incr) {
      next = current + score;
      if (Number.isNaN(next)) return { outcome: 'nan' };
    }
    if ((options.gt && next <= current) || (options.lt && next >= current))
      return { outcome: 'skipped' };
    if (next === current) return { outcome: 'unchanged', score: current };
    this.list.delete(member, current);
    this.list.insert(member, next);
    this.scores.set(member, next);
    return { outcome: 'updated', score: next };
  }

  remove(member: string): boolean {
    const current = this.scores.get(member);
    if (current === undefined) return false;
    this.scores.delete(member);
    this.list.delete(member, current);
    return true;
  }

  /** 0-based rank, or undefined when the member is absent. */
  rank(member: string, reverse = false): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    const rank = this.list.rank(member, score) - 1;
    return reverse ? this.size - 1 - rank : rank;
  }

  /** ZRANGE start stop [REV] with Redis's index rules (negatives from the end, clamping). */
  rangeByRank(start: number, stop: number, reverse = false): SortedSetEntry[] {
    const length = this.size;
    if (start < 0) start += length;
    if (stop < 0) stop += length;
    if (start < 0) start = 0;
    if (start > stop || start >= length) return [];
    if (stop >= length) stop = length - 1;
    const count = stop - start + 1;
    const result: SortedSetEntry[] = [];
    let node = reverse ? this.list.byRank(length - start) : this.list.byRank(start + 1);
    for (let i = 0; i < count && node !== null; i++) {
      result.push({ member: node.member, score: node.score });
      node = reverse ? node.backward : node.next;
    }
    return result;
  }

  rangeByScore(min: ScoreBound, max: ScoreBound, limit: RangeLimit = {}): SortedSetEntry[] {
    const start = limit.reverse
      ? this.list.lastInScoreRange(min, max)
      : this.list.firstInScoreRange(min, max);
    return this.walk(start, limit, (node) =>
      limit.reverse ? scoreAtLeast(node.score, min) : scoreAtMost(node.score, max),
    );
  }

  rangeByLex(min: LexBound, max: LexBound, limit: RangeLimit = {}): SortedSetEntry[] {
    const start = limit.reverse
      ? this.list.lastInLexRange(min, max)
      : this.list.firstInLexRange(min, max);
    return this.walk(start, limit, (node) =>
      limit.reverse ? lexAtLeast(node.member, min) : lexAtMost(node.member, max),
    );
  }

  private walk(
    start: SkipNode | null,
    limit: RangeLimit,
    inRange: (node: SkipNode) => boolean,
  ): SortedSetEntry[] {
    const result: SortedSetEntry[] = [];
    let node = start;
    let skip = limit.offset ?? 0;
    let remaining = limit.count ?? -1;
    if (skip < 0) return result;
    while (node !== null && skip > 0 && inRange(node)) {
      node = limit.reverse ? node.backward : node.next;
      skip--;
    }
    while (node !== null && remaining !== 0 && inRange(node)) {
      result.push({ member: node.member, score: node.score });
      node = limit.reverse ? node.backward : node.next;
      remaining--;
    }
    return result;
  }

  countByScore(min: ScoreBound, max: ScoreBound): number {
    const first = this.list.firstInScoreRange(min, max);
    if (first === null) return 0;
    const last = this.list.lastInScoreRange(min, max) as SkipNode;
    return this.list.rank(last.member, last.score) - this.list.rank(first.member, first.score) + 1;
  }

  countByLex(min: LexBound, max: LexBound): number {
    const first = this.list.firstInLexRange(min, max);
    if (first === null) return 0;
    const last = this.list.lastInLexRange(min, max) as SkipNode;
    return this.list.rank(last.member, last.score) - this.list.rank(first.member, first.score) + 1;
  }

  popMin(count = 1): SortedSetEntry[] {
    return this.pop(count, false);
  }

  popMax(count = 1): SortedSetEntry[] {
    return this.pop(count, true);
  }

  private pop(count: number, fromMax: boolean): SortedSetEntry[] {
    const result: SortedSetEntry[] = [];
    while (result.length < count) {
      const node = fromMax ? this.list.tail : this.list.first();
      if (node === null) break;
      result.push({ member: node.member, score: node.score });
      this.remove(node.member);
    }
    return result;
  }

  removeRangeByRank(start: number, stop: number): number {
    return this.removeAll(this.rangeByRank(start, stop));
  }

  removeRangeByScore(min: ScoreBound, max: ScoreBound): number {
    return this.removeAll(this.rangeByScore(min, max));
  }

  removeRangeByLex(min: LexBound, max: LexBound): number {
    return this.removeAll(this.rangeByLex(min, max));
  }

  private removeAll(entries: SortedSetEntry[]): number {
    for (const entry of entries) this.remove(entry.member);
    return entries.length;
  }

  *[Symbol.iterator](): IterableIterator<SortedSetEntry> {
    for (let node = this.list.first(); node !== null; node = node.next) {
      yield { member: node.member, score: node.score };
    }
  }

  /**
   * Checks the structure: skiplist order, backward links, spans and level bounds, and that the
   * member → score map agrees with it. Throws on a violation; for tests.
   */
  checkInvariants(): void {
    this.list.checkInvariants();
    if (this.list.length !== this.size) throw new Error('zset: length mismatch');
    for (let node = this.list.first(); node !== null; node = node.next) {
      if (this.scores.get(node.member) !== node.score) throw new Error('zset: score map mismatch');
    }
  }
}
