import {
  lexAtLeast,
  lexAtMost,
  lexRangeIsEmpty,
  scoreAtLeast,
  scoreAtMost,
  scoreRangeIsEmpty,
  type LexBound,
  type ScoreBound,
} from './bounds.js';

const MAX_LEVEL = 32;
const PROBABILITY = 0.25;

/**
 * A skiplist node. Level 0 is inlined (`next`; its span is always 1), and only the quarter of
 * nodes that reach higher levels carry arrays for them: most nodes are a single object, which
 * halves the memory and the cache misses of a walk compared with arrays on every node.
 */
export class SkipNode {
  next: SkipNode | null = null;
  backward: SkipNode | null = null;
  /** Forward pointers for levels 1.. (index i - 1), or null for a level-1 node. */
  readonly upForward: Array<SkipNode | null> | null;
  /** Level-0 steps each upper forward pointer skips: what makes rank queries O(log n). */
  readonly upSpan: number[] | null;

  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    if (level > 1) {
      this.upForward = new Array<SkipNode | null>(level - 1).fill(null);
      this.upSpan = new Array<number>(level - 1).fill(0);
    } else {
      this.upForward = null;
      this.upSpan = null;
    }
  }

  get level(): number {
    return this.upForward === null ? 1 : this.upForward.length + 1;
  }
}

function forward(node: SkipNode, level: number): SkipNode | null {
  return level === 0 ? node.next : (node.upForward as Array<SkipNode | null>)[level - 1];
}

function setForward(node: SkipNode, level: number, to: SkipNode | null): void {
  if (level === 0) node.next = to;
  else (node.upForward as Array<SkipNode | null>)[level - 1] = to;
}

/** Span of a forward pointer; at level 0 it is 1 (a span to null is never read there). */
function span(node: SkipNode, level: number): number {
  return level === 0 ? 1 : (node.upSpan as number[])[level - 1];
}

function setSpan(node: SkipNode, level: number, value: number): void {
  if (level !== 0) (node.upSpan as number[])[level - 1] = value;
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < PROBABILITY) level++;
  return level;
}

/**
 * Scratch for `insert` and `delete` (the predecessor at each level, and its rank): they never
 * nest, and two fresh 32-slot arrays per ZADD were a measurable share of its time.
 */
const PATH_NODES = new Array<SkipNode>(MAX_LEVEL);
const PATH_RANKS = new Array<number>(MAX_LEVEL).fill(0);

/** Redis's order: by score, then by member bytes. */
function before(score: number, member: string, node: SkipNode): boolean {
  return node.score < score || (node.score === score && node.member < member);
}

/**
 * Redis's skiplist (zskiplist): levels chosen with p = 1/4 up to 32, each forward pointer
 * carrying its span so ranks are computed while descending.
 */
export class SkipList {
  readonly header = new SkipNode('', 0, MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  level = 1;

  insert(member: string, score: number): SkipNode {
    const update = PATH_NODES;
    const rank = PATH_RANKS;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let next = forward(x, i);
      while (next !== null && before(score, member, next)) {
        rank[i] += span(x, i);
        x = next;
        next = forward(x, i);
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        setSpan(update[i], i, this.length);
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      setForward(node, i, forward(update[i], i));
      setForward(update[i], i, node);
      setSpan(node, i, span(update[i], i) - (rank[0] - rank[i]));
      setSpan(update[i], i, rank[0] - rank[i] + 1);
    }
    for (let i = level; i < this.level; i++) setSpan(update[i], i, span(update[i], i) + 1);
    node.backward = update[0] === this.header ? null : update[0];
    if (node.next !== null) node.next.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes the node with exactly this score and member; false if absent. */
  delete(member: string, score: number): boolean {
    const update = PATH_NODES;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && before(score, member, next)) {
        x = next;
        next = forward(x, i);
      }
      update[i] = x;
    }
    const target = x.next;
    if (target === null || target.score !== score || target.member !== member) return false;
    this.unlink(target, update);
    return true;
  }

  private unlink(node: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      if (forward(update[i], i) === node) {
        setSpan(update[i], i, span(update[i], i) + span(node, i) - 1);
        setForward(update[i], i, forward(node, i));
      } else {
        setSpan(update[i], i, span(update[i], i) - 1);
      }
    }
    if (node.next !== null) node.next.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && forward(this.header, this.level - 1) === null) this.level--;
    this.length--;
  }

  /** 1-based rank of the node with this score and member, 0 if absent. */
  rank(member: string, score: number): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (
        next !== null &&
        (before(score, member, next) || (next.score === score && next.member === member))
      ) {
        rank += span(x, i);
        x = next;
        next = forward(x, i);
      }
      if (x !== this.header && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at a 1-based rank, or null. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && traversed + span(x, i) <= rank) {
        traversed += span(x, i);
        x = next;
        next = forward(x, i);
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** First node whose score is within [min, max], or null. */
  firstInScoreRange(min: ScoreBound, max: ScoreBound): SkipNode | null {
    if (scoreRangeIsEmpty(min, max) || !this.overlapsScore(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && !scoreAtLeast(next.score, min)) {
        x = next;
        next = forward(x, i);
      }
    }
    const first = x.next;
    return first !== null && scoreAtMost(first.score, max) ? first : null;
  }

  /** Last node whose score is within [min, max], or null. */
  lastInScoreRange(min: ScoreBound, max: ScoreBound): SkipNode | null {
    if (scoreRangeIsEmpty(min, max) || !this.overlapsScore(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && scoreAtMost(next.score, max)) {
        x = next;
        next = forward(x, i);
      }
    }
    return x !== this.header && scoreAtLeast(x.score, min) ? x : null;
  }

  firstInLexRange(min: LexBound, max: LexBound): SkipNode | null {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && !lexAtLeast(next.member, min)) {
        x = next;
        next = forward(x, i);
      }
    }
    const first = x.next;
    return first !== null && lexAtMost(first.member, max) ? first : null;
  }

  lastInLexRange(min: LexBound, max: LexBound): SkipNode | null {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forward(x, i);
      while (next !== null && lexAtMost(next.member, max)) {
        x = next;
        next = forward(x, i);
      }
    }
    return x !== this.header && lexAtLeast(x.member, min) ? x : null;
  }

  private overlapsScore(min: ScoreBound, max: ScoreBound): boolean {
    const last = this.tail;
    const first = this.header.next;
    return (
      last !== null &&
      first !== null &&
      scoreAtLeast(last.score, min) &&
      scoreAtMost(first.score, max)
    );
  }

  private overlapsLex(min: LexBound, max: LexBound): boolean {
    const last = this.tail;
    const first = this.header.next;
    return (
      last !== null &&
      first !== null &&
      lexAtLeast(last.member, min) &&
      lexAtMost(first.member, max)
    );
  }

  first(): SkipNode | null {
    return this.header.next;
  }

  /** Checks order, backward links, every span and the level bounds; throws on a violation. */
  checkInvariants(): void {
    const position = new Map<SkipNode, number>();
    let previous: SkipNode | null = null;
    let rank = 0;
    for (let node = this.header.next; node !== null; node = node.next) {
      rank++;
      position.set(node, rank);
      if (node.backward !== previous) throw new Error('skiplist: backward link broken');
      if (previous !== null && !before(node.score, node.member, previous)) {
        throw new Error('skiplist: order violated');
      }
      if (node.level > this.level || node.level > MAX_LEVEL) throw new Error('skiplist: level');
      previous = node;
    }
    if (rank !== this.length) throw new Error('skiplist: length mismatch');
    if (this.tail !== previous) throw new Error('skiplist: tail mismatch');
    if (this.level > 1 && forward(this.header, this.level - 1) === null) {
      throw new Error('skiplist: empty top level');
    }
    for (const from of [this.header, ...position.keys()]) {
      const fromRank = from === this.header ? 0 : (position.get(from) as number);
      for (let level = 1; level < Math.min(from.level, this.level); level++) {
        const to = forward(from, level);
        if (to === null) continue;
        const toRank = position.get(to);
        if (toRank === undefined || span(from, level) !== toRank - fromRank) {
          throw new Error('skiplist: span mismatch');
        }
        // A level-i pointer must reach the next node that has level i.
        let expected = from.next;
        while (expected !== null && expected.level <= level) expected = expected.next;
        if (expected !== to) throw new Error('skiplist: pointer skips a node of its level');
      }
    }
  }
}
