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

export class SkipNode {
  readonly forward: Array<SkipNode | null>;
  /** Number of level-0 steps each forward pointer skips: what makes rank queries O(log n). */
  readonly span: number[];
  backward: SkipNode | null = null;

  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    this.forward = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < PROBABILITY) level++;
  return level;
}

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
    const update = new Array<SkipNode>(MAX_LEVEL);
    const rank = new Array<number>(MAX_LEVEL).fill(0);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let next = x.forward[i];
      while (next !== null && before(score, member, next)) {
        rank[i] += x.span[i];
        x = next;
        next = x.forward[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        update[i].span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      node.forward[i] = update[i].forward[i];
      update[i].forward[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.backward = update[0] === this.header ? null : update[0];
    if (node.forward[0] !== null) node.forward[0].backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes the node with exactly this score and member; false if absent. */
  delete(member: string, score: number): boolean {
    const update = new Array<SkipNode>(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.forward[i];
      while (next !== null && before(score, member, next)) {
        x = next;
        next = x.forward[i];
      }
      update[i] = x;
    }
    const target = x.forward[0];
    if (target === null || target.score !== score || target.member !== member) return false;
    this.unlink(target, update);
    return true;
  }

  private unlink(node: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      if (update[i].forward[i] === node) {
        update[i].span[i] += node.span[i] - 1;
        update[i].forward[i] = node.forward[i];
      } else {
        update[i].span[i]--;
      }
    }
    if (node.forward[0] !== null) node.forward[0].backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** 1-based rank of the node with this score and member, 0 if absent. */
  rank(member: string, score: number): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.forward[i];
      while (
        next !== null &&
        (before(score, member, next) || (next.score === score && next.member === member))
      ) {
        rank += x.span[i];
        x = next;
        next = x.forward[i];
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
      let next = x.forward[i];
      while (next !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = next;
        next = x.forward[i];
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
      let next = x.forward[i];
      while (next !== null && !scoreAtLeast(next.score, min)) {
        x = next;
        next = x.forward[i];
      }
    }
    const first = x.forward[0];
    return first !== null && scoreAtMost(first.score, max) ? first : null;
  }

  /** Last node whose score is within [min, max], or null. */
  lastInScoreRange(min: ScoreBound, max: ScoreBound): SkipNode | null {
    if (scoreRangeIsEmpty(min, max) || !this.overlapsScore(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.forward[i];
      while (next !== null && scoreAtMost(next.score, max)) {
        x = next;
        next = x.forward[i];
      }
    }
    return x !== this.header && scoreAtLeast(x.score, min) ? x : null;
  }

  firstInLexRange(min: LexBound, max: LexBound): SkipNode | null {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.forward[i];
      while (next !== null && !lexAtLeast(next.member, min)) {
        x = next;
        next = x.forward[i];
      }
    }
    const first = x.forward[0];
    return first !== null && lexAtMost(first.member, max) ? first : null;
  }

  lastInLexRange(min: LexBound, max: LexBound): SkipNode | null {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.forward[i];
      while (next !== null && lexAtMost(next.member, max)) {
        x = next;
        next = x.forward[i];
      }
    }
    return x !== this.header && lexAtLeast(x.member, min) ? x : null;
  }

  private overlapsScore(min: ScoreBound, max: ScoreBound): boolean {
    const last = this.tail;
    const first = this.header.forward[0];
    return (
      last !== null &&
      first !== null &&
      scoreAtLeast(last.score, min) &&
      scoreAtMost(first.score, max)
    );
  }

  private overlapsLex(min: LexBound, max: LexBound): boolean {
    const last = this.tail;
    const first = this.header.forward[0];
    return (
      last !== null &&
      first !== null &&
      lexAtLeast(last.member, min) &&
      lexAtMost(first.member, max)
    );
  }

  first(): SkipNode | null {
    return this.header.forward[0];
  }
}
