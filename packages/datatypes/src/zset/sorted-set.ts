import {
  lexAtMost,
  scoreAtLeast,
  scoreAtMost,
  lexAtLeast,
  type LexBound,
  type ScoreBound,
} from './bounds.js';
import { NONE, SkipList, type NodeHandle } from './skiplist.js';

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
 * A Redis sorted set: a skiplist ordered by (score, member bytes) plus a member → node map
 * (the node holds the score), with the operations ZADD and friends need. Members are latin1
 * strings. Mapping to the node rather than to the score, as Redis does, lets a score change
 * leave the map alone and tell the node found by a walk by its number, not by its member.
 */
export class SortedSet implements Iterable<SortedSetEntry> {
  private readonly list = new SkipList();
  private readonly nodes = new Map<string, NodeHandle>();

  get size(): number {
    return this.nodes.size;
  }

  score(member: string): number | undefined {
    const node = this.nodes.get(member);
    return node === undefined ? undefined : this.list.score(node);
  }

  has(member: string): boolean {
    return this.nodes.has(member);
  }

  /** ZADD's core: honours NX/XX/GT/LT/INCR and reports what happened. */
  add(member: string, score: number, options: AddOptions = {}): AddResult {
    const node = this.nodes.get(member);
    if (node === undefined) {
      if (options.xx) return { outcome: 'skipped' };
      this.nodes.set(member, this.list.insert(member, score));
      return { outcome: 'added', score };
    }
    if (options.nx) return { outcome: 'skipped' };
    const current = this.list.score(node);
    let next = score;
    if (options.incr) {
      next = current + score;
      if (Number.isNaN(next)) return { outcome: 'nan' };
    }
    if ((options.gt && next <= current) || (options.lt && next >= current))
      return { outcome: 'skipped' };
    if (next === current) return { outcome: 'unchanged', score: current };
    this.list.updateScore(node, next);
    return { outcome: 'updated', score: next };
  }

  remove(member: string): boolean {
    const node = this.nodes.get(member);
    if (node === undefined) return false;
    this.nodes.delete(member);
    this.list.delete(node);
    return true;
  }

  /** 0-based rank, or undefined when the member is absent. */
  rank(member: string, reverse = false): number | undefined {
    const node = this.nodes.get(member);
    if (node === undefined) return undefined;
    const rank = this.list.rank(node) - 1;
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
    const list = this.list;
    let node = reverse ? list.byRank(length - start) : list.byRank(start + 1);
    for (let i = 0; i < count && node !== NONE; i++) {
      result.push({ member: list.member(node), score: list.score(node) });
      node = reverse ? list.previous(node) : list.next(node);
    }
    return result;
  }

  rangeByScore(min: ScoreBound, max: ScoreBound, limit: RangeLimit = {}): SortedSetEntry[] {
    const start = limit.reverse
      ? this.list.lastInScoreRange(min, max)
      : this.list.firstInScoreRange(min, max);
    return this.walk(start, limit, (node) =>
      limit.reverse
        ? scoreAtLeast(this.list.score(node), min)
        : scoreAtMost(this.list.score(node), max),
    );
  }

  /** Members within [min, max]. Lex ranges assume equal scores, as Redis's skiplist search. */
  rangeByLex(min: LexBound, max: LexBound, limit: RangeLimit = {}): SortedSetEntry[] {
    const start = limit.reverse
      ? this.list.lastInLexRange(min, max)
      : this.list.firstInLexRange(min, max);
    return this.walk(start, limit, (node) =>
      limit.reverse
        ? lexAtLeast(this.list.member(node), min)
        : lexAtMost(this.list.member(node), max),
    );
  }

  private walk(
    start: NodeHandle,
    limit: RangeLimit,
    inRange: (node: NodeHandle) => boolean,
  ): SortedSetEntry[] {
    const list = this.list;
    const result: SortedSetEntry[] = [];
    let node = start;
    let skip = limit.offset ?? 0;
    let remaining = limit.count ?? -1;
    if (skip < 0) return result;
    // The offset is skipped without checking the range, as Redis does: only lex ranges over
    // differing scores can leave it and come back.
    while (node !== NONE && skip > 0) {
      node = limit.reverse ? list.previous(node) : list.next(node);
      skip--;
    }
    while (node !== NONE && remaining !== 0 && inRange(node)) {
      result.push({ member: list.member(node), score: list.score(node) });
      node = limit.reverse ? list.previous(node) : list.next(node);
      remaining--;
    }
    return result;
  }

  countByScore(min: ScoreBound, max: ScoreBound): number {
    const list = this.list;
    const first = list.firstInScoreRange(min, max);
    if (first === NONE) return 0;
    const last = list.lastInScoreRange(min, max);
    return list.rank(last) - list.rank(first) + 1;
  }

  countByLex(min: LexBound, max: LexBound): number {
    const list = this.list;
    const first = list.firstInLexRange(min, max);
    if (first === NONE) return 0;
    const last = list.lastInLexRange(min, max);
    return list.rank(last) - list.rank(first) + 1;
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
      if (node === NONE) break;
      const member = this.list.member(node);
      result.push({ member, score: this.list.score(node) });
      this.remove(member);
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
    const list = this.list;
    for (let node = list.first(); node !== NONE; node = list.next(node)) {
      yield { member: list.member(node), score: list.score(node) };
    }
  }

  /**
   * Checks the structure: skiplist order, backward links, spans and level bounds, and that the
   * member → node map agrees with it. Throws on a violation; for tests.
   */
  checkInvariants(): void {
    this.list.checkInvariants();
    if (this.list.length !== this.size) throw new Error('zset: length mismatch');
    const list = this.list;
    for (let node = list.first(); node !== NONE; node = list.next(node)) {
      if (this.nodes.get(list.member(node)) !== node) {
        throw new Error('zset: node map mismatch');
      }
    }
  }
}
