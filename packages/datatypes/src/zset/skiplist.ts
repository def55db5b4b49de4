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

/*
 * Nodes are numbered, and their fields live in typed arrays rather than one object per node.
 * Level 0 (every node) and the upper levels (a quarter of the nodes) are stored apart:
 *
 *   nodes: [score, backward, level, upper block, next, next's score] per node number
 *   upper: per node of level L > 1, a block of L - 1 links [forward, span, forward's score,
 *          forward's upper block]
 *
 * A walk descends through the upper links without touching a node: a link carries what the
 * walk needs of its target (score to compare, block to continue from), and the upper blocks
 * together are a quarter of the nodes, compact enough to stay in cache. Only the last few steps
 * at level 0 touch the node array. With one object per node, each step reached the node, its
 * boxed score and its array of upper links, and ZADD on a 100k-member set spent 15-20 µs in its
 * two walks.
 */
const NODE_SIZE = 6;
const SCORE = 0;
const BACKWARD = 1;
const LEVEL = 2;
const UPPER = 3;
const NEXT = 4;
const NEXT_SCORE = 5;

const LINK_SIZE = 4;
const FORWARD = 0;
const SPAN = 1;
const FORWARD_SCORE = 2;
const FORWARD_UPPER = 3;

/** The header's number. It is never anyone's forward or backward, so it doubles as "none". */
export const NONE = 0;
const HEADER = 0;
/**
 * Levels the header has room for at first. Small sets never go higher, and reserving all 32
 * levels up front cost a kilobyte per sorted set; a taller header moves to a full-size block.
 */
const INITIAL_HEADER_LEVELS = 4;

/** A node's number, valid until the node is removed. */
export type NodeHandle = number;

/** Offset of the level-`level` (>= 1) link in the upper block at `block`. */
function upperLink(block: number, level: number): number {
  return block + (level - 1) * LINK_SIZE;
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < PROBABILITY) level++;
  return level;
}

/** A copy of `array` with at least twice the room, or `needed` if that is more. */
function grown(array: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  const copy = new Float64Array(Math.max(needed, array.length * 2));
  copy.set(array);
  return copy;
}

/**
 * Scratch for the walks of `insert`, `delete` and `updateScore` (the predecessor at each level,
 * its upper block and its rank): they never nest, and fresh arrays per ZADD were a measurable
 * share of its time.
 */
const PATH_NODES = new Int32Array(MAX_LEVEL);
const PATH_UPPER = new Int32Array(MAX_LEVEL);
const PATH_RANKS = new Float64Array(MAX_LEVEL);

/**
 * Redis's skiplist (zskiplist): levels chosen with p = 1/4 up to 32, each forward pointer
 * carrying its span so ranks are computed while descending. Entries are ordered by score, then
 * by member bytes.
 */
export class SkipList {
  private nodes = new Float64Array(8 * NODE_SIZE);
  private upper = new Float64Array((INITIAL_HEADER_LEVELS - 1 + 4) * LINK_SIZE);
  private readonly members: string[] = [''];
  /** Node numbers after the last one ever used start here. */
  private nodeCount = 1;
  private upperTop = (INITIAL_HEADER_LEVELS - 1) * LINK_SIZE;
  /** The header's upper block, and how many levels it has room for. */
  private headerUpper = 0;
  private headerLevels = INITIAL_HEADER_LEVELS;
  /** Freed node numbers, chained through their score field; NONE ends the chain. */
  private freeNode = NONE;
  /**
   * Freed upper blocks by level, chained through their first field; -1 or a hole ends a chain.
   * A plain array that starts empty: most sorted sets are small and never free a tall node.
   */
  private readonly freeUpper: number[] = [];
  tail: NodeHandle = NONE;
  length = 0;
  level = 1;

  constructor() {
    this.nodes[HEADER * NODE_SIZE + LEVEL] = MAX_LEVEL;
    this.nodes[HEADER * NODE_SIZE + UPPER] = this.headerUpper;
  }

  score(node: NodeHandle): number {
    return this.nodes[node * NODE_SIZE + SCORE];
  }

  member(node: NodeHandle): string {
    return this.members[node];
  }

  next(node: NodeHandle): NodeHandle {
    return this.nodes[node * NODE_SIZE + NEXT];
  }

  previous(node: NodeHandle): NodeHandle {
    return this.nodes[node * NODE_SIZE + BACKWARD];
  }

  first(): NodeHandle {
    return this.next(HEADER);
  }

  /** Whether (score, member) sorts after the entry (nodeScore, members[node]). */
  private isAfter(score: number, member: string, nodeScore: number, node: NodeHandle): boolean {
    return nodeScore < score || (nodeScore === score && this.members[node] < member);
  }

  /**
   * Fills PATH_NODES / PATH_UPPER with the last node before (score, member) at each level and
   * its upper block, and PATH_RANKS with their ranks; returns the level-0 predecessor.
   */
  private findPath(score: number, member: string): NodeHandle {
    const upper = this.upper;
    let x = HEADER;
    let block = this.headerUpper;
    let rank = 0;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      let next = upper[at + FORWARD];
      while (next !== NONE && this.isAfter(score, member, upper[at + FORWARD_SCORE], next)) {
        rank += upper[at + SPAN];
        x = next;
        block = upper[at + FORWARD_UPPER];
        at = upperLink(block, i);
        next = upper[at + FORWARD];
      }
      PATH_NODES[i] = x;
      PATH_UPPER[i] = block;
      PATH_RANKS[i] = rank;
    }
    const nodes = this.nodes;
    let base = x * NODE_SIZE;
    let next = nodes[base + NEXT];
    while (next !== NONE && this.isAfter(score, member, nodes[base + NEXT_SCORE], next)) {
      rank++;
      x = next;
      base = x * NODE_SIZE;
      next = nodes[base + NEXT];
    }
    PATH_NODES[0] = x;
    PATH_RANKS[0] = rank;
    return x;
  }

  insert(member: string, score: number): NodeHandle {
    this.findPath(score, member);
    const level = randomLevel();
    if (level > this.level) {
      if (level > this.headerLevels) this.growHeader();
      for (let i = this.level; i < level; i++) {
        PATH_RANKS[i] = 0;
        PATH_NODES[i] = HEADER;
        PATH_UPPER[i] = this.headerUpper;
        this.upper[upperLink(this.headerUpper, i) + SPAN] = this.length;
      }
      this.level = level;
    }
    const node = this.allocate(level, member, score);
    const nodes = this.nodes;
    const upper = this.upper;
    const base = node * NODE_SIZE;
    const previousBase = PATH_NODES[0] * NODE_SIZE;
    nodes[base + NEXT] = nodes[previousBase + NEXT];
    nodes[base + NEXT_SCORE] = nodes[previousBase + NEXT_SCORE];
    nodes[previousBase + NEXT] = node;
    nodes[previousBase + NEXT_SCORE] = score;
    const block = nodes[base + UPPER];
    const rank0 = PATH_RANKS[0];
    for (let i = 1; i < level; i++) {
      const from = upperLink(PATH_UPPER[i], i);
      const to = upperLink(block, i);
      upper[to + FORWARD] = upper[from + FORWARD];
      upper[to + FORWARD_SCORE] = upper[from + FORWARD_SCORE];
      upper[to + FORWARD_UPPER] = upper[from + FORWARD_UPPER];
      upper[to + SPAN] = upper[from + SPAN] - (rank0 - PATH_RANKS[i]);
      upper[from + FORWARD] = node;
      upper[from + FORWARD_SCORE] = score;
      upper[from + FORWARD_UPPER] = block;
      upper[from + SPAN] = rank0 - PATH_RANKS[i] + 1;
    }
    for (let i = level; i < this.level; i++) upper[upperLink(PATH_UPPER[i], i) + SPAN]++;
    nodes[base + BACKWARD] = PATH_NODES[0];
    const next = nodes[base + NEXT];
    if (next !== NONE) nodes[next * NODE_SIZE + BACKWARD] = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes the node with exactly this score and member; false if absent. */
  delete(member: string, score: number): boolean {
    const target = this.find(member, score);
    if (target === NONE) return false;
    this.unlink(target);
    this.release(target);
    return true;
  }

  /**
   * Moves a member to a new score. When the new score keeps its place between its neighbours
   * the node is updated where it is (ZINCRBY by small steps), as Redis's zslUpdateScore does.
   */
  updateScore(member: string, score: number, newScore: number): void {
    const node = this.find(member, score);
    if (node === NONE) throw new Error(`skiplist: no member ${member} with score ${score}`);
    const nodes = this.nodes;
    const base = node * NODE_SIZE;
    const previous = nodes[base + BACKWARD];
    const next = nodes[base + NEXT];
    const staysAfterPrevious =
      previous === NONE || this.isAfter(newScore, member, this.score(previous), previous);
    const staysBeforeNext =
      next === NONE || !this.isAfter(newScore, member, nodes[base + NEXT_SCORE], next);
    if (staysAfterPrevious && staysBeforeNext) {
      nodes[base + SCORE] = newScore;
      nodes[PATH_NODES[0] * NODE_SIZE + NEXT_SCORE] = newScore;
      const level = nodes[base + LEVEL];
      for (let i = 1; i < level; i++) {
        this.upper[upperLink(PATH_UPPER[i], i) + FORWARD_SCORE] = newScore;
      }
      return;
    }
    this.unlink(node);
    this.release(node);
    this.insert(member, newScore);
  }

  /** The node with exactly this score and member (the PATH_ arrays leading to it), or NONE. */
  private find(member: string, score: number): NodeHandle {
    const target = this.next(this.findPath(score, member));
    if (target === NONE) return NONE;
    return this.score(target) === score && this.members[target] === member ? target : NONE;
  }

  /** Takes `node` out of every level; the PATH_ arrays must hold its predecessors. */
  private unlink(node: NodeHandle): void {
    const nodes = this.nodes;
    const upper = this.upper;
    const base = node * NODE_SIZE;
    const previousBase = PATH_NODES[0] * NODE_SIZE;
    nodes[previousBase + NEXT] = nodes[base + NEXT];
    nodes[previousBase + NEXT_SCORE] = nodes[base + NEXT_SCORE];
    const block = nodes[base + UPPER];
    for (let i = 1; i < this.level; i++) {
      const from = upperLink(PATH_UPPER[i], i);
      if (upper[from + FORWARD] === node) {
        const own = upperLink(block, i);
        upper[from + SPAN] += upper[own + SPAN] - 1;
        upper[from + FORWARD] = upper[own + FORWARD];
        upper[from + FORWARD_SCORE] = upper[own + FORWARD_SCORE];
        upper[from + FORWARD_UPPER] = upper[own + FORWARD_UPPER];
      } else {
        upper[from + SPAN]--;
      }
    }
    const next = nodes[base + NEXT];
    if (next !== NONE) nodes[next * NODE_SIZE + BACKWARD] = nodes[base + BACKWARD];
    else this.tail = nodes[base + BACKWARD];
    while (
      this.level > 1 &&
      upper[upperLink(this.headerUpper, this.level - 1) + FORWARD] === NONE
    ) {
      this.level--;
    }
    this.length--;
  }

  private allocate(level: number, member: string, score: number): NodeHandle {
    let node = this.freeNode;
    if (node !== NONE) {
      this.freeNode = this.nodes[node * NODE_SIZE + SCORE];
      this.members[node] = member;
    } else {
      node = this.nodeCount++;
      if (node * NODE_SIZE + NODE_SIZE > this.nodes.length) this.nodes = grown(this.nodes, 0);
      this.members.push(member);
    }
    const base = node * NODE_SIZE;
    this.nodes[base + SCORE] = score;
    this.nodes[base + LEVEL] = level;
    this.nodes[base + UPPER] = level > 1 ? this.allocateUpper(level) : -1;
    return node;
  }

  private allocateUpper(level: number): number {
    const free = this.freeUpper[level] ?? -1;
    if (free !== -1) {
      this.freeUpper[level] = this.upper[free];
      return free;
    }
    const block = this.upperTop;
    this.upperTop += (level - 1) * LINK_SIZE;
    if (this.upperTop > this.upper.length) this.upper = grown(this.upper, this.upperTop);
    return block;
  }

  /**
   * Moves the header's links to a block with room for every level. Nothing links to the header,
   * so only the walks' starting point changes; the path to it is refreshed too.
   */
  private growHeader(): void {
    const old = this.headerUpper;
    const used = (this.headerLevels - 1) * LINK_SIZE;
    const block = this.upperTop;
    this.upperTop += (MAX_LEVEL - 1) * LINK_SIZE;
    if (this.upperTop > this.upper.length) this.upper = grown(this.upper, this.upperTop);
    this.upper.copyWithin(block, old, old + used);
    this.upper.fill(0, block + used, this.upperTop);
    for (let i = 1; i < this.level; i++) if (PATH_UPPER[i] === old) PATH_UPPER[i] = block;
    this.upper[old] = this.freeUpper[this.headerLevels] ?? -1;
    this.freeUpper[this.headerLevels] = old;
    this.headerUpper = block;
    this.headerLevels = MAX_LEVEL;
    this.nodes[HEADER * NODE_SIZE + UPPER] = block;
  }

  private release(node: NodeHandle): void {
    const nodes = this.nodes;
    const base = node * NODE_SIZE;
    const level = nodes[base + LEVEL];
    if (level > 1) {
      const block = nodes[base + UPPER];
      this.upper[block] = this.freeUpper[level] ?? -1;
      this.freeUpper[level] = block;
    }
    this.members[node] = '';
    nodes[base + SCORE] = this.freeNode;
    this.freeNode = node;
  }

  /** 1-based rank of the node with this score and member, 0 if absent. */
  rank(member: string, score: number): number {
    const node = this.find(member, score);
    return node === NONE ? 0 : PATH_RANKS[0] + 1;
  }

  /** The node at a 1-based rank, or NONE. */
  byRank(rank: number): NodeHandle {
    if (rank < 1 || rank > this.length) return NONE;
    const upper = this.upper;
    let traversed = 0;
    let x = HEADER;
    let block = this.headerUpper;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      while (upper[at + FORWARD] !== NONE && traversed + upper[at + SPAN] <= rank) {
        traversed += upper[at + SPAN];
        x = upper[at + FORWARD];
        block = upper[at + FORWARD_UPPER];
        at = upperLink(block, i);
      }
    }
    for (; traversed < rank; traversed++) x = this.next(x);
    return x;
  }

  /** First node whose score is within [min, max], or NONE. */
  firstInScoreRange(min: ScoreBound, max: ScoreBound): NodeHandle {
    if (scoreRangeIsEmpty(min, max) || !this.overlapsScore(min, max)) return NONE;
    const x = this.lastBefore((score) => !scoreAtLeast(score, min));
    const first = this.next(x);
    return first !== NONE && scoreAtMost(this.score(first), max) ? first : NONE;
  }

  /** Last node whose score is within [min, max], or NONE. */
  lastInScoreRange(min: ScoreBound, max: ScoreBound): NodeHandle {
    if (scoreRangeIsEmpty(min, max) || !this.overlapsScore(min, max)) return NONE;
    const x = this.lastBefore((score) => scoreAtMost(score, max));
    return x !== HEADER && scoreAtLeast(this.score(x), min) ? x : NONE;
  }

  firstInLexRange(min: LexBound, max: LexBound): NodeHandle {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return NONE;
    const x = this.lastBefore((_score, node) => !lexAtLeast(this.member(node), min));
    const first = this.next(x);
    return first !== NONE && lexAtMost(this.member(first), max) ? first : NONE;
  }

  lastInLexRange(min: LexBound, max: LexBound): NodeHandle {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return NONE;
    const x = this.lastBefore((_score, node) => lexAtMost(this.member(node), max));
    return x !== HEADER && lexAtLeast(this.member(x), min) ? x : NONE;
  }

  /** The last node of the prefix whose entries satisfy `stillBefore` (HEADER if none does). */
  private lastBefore(stillBefore: (score: number, node: NodeHandle) => boolean): NodeHandle {
    const upper = this.upper;
    let x = HEADER;
    let block = this.headerUpper;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      while (
        upper[at + FORWARD] !== NONE &&
        stillBefore(upper[at + FORWARD_SCORE], upper[at + FORWARD])
      ) {
        x = upper[at + FORWARD];
        block = upper[at + FORWARD_UPPER];
        at = upperLink(block, i);
      }
    }
    for (let next = this.next(x); next !== NONE && stillBefore(this.score(next), next);) {
      x = next;
      next = this.next(x);
    }
    return x;
  }

  private overlapsScore(min: ScoreBound, max: ScoreBound): boolean {
    return (
      this.length > 0 &&
      scoreAtLeast(this.score(this.tail), min) &&
      scoreAtMost(this.score(this.first()), max)
    );
  }

  private overlapsLex(min: LexBound, max: LexBound): boolean {
    return (
      this.length > 0 &&
      lexAtLeast(this.member(this.tail), min) &&
      lexAtMost(this.member(this.first()), max)
    );
  }

  /** The link at `level` of `node` as [forward, span, forward's score, forward's block]. */
  private linkOf(node: NodeHandle, level: number): [number, number, number, number] {
    const base = node * NODE_SIZE;
    if (level === 0) {
      const next = this.nodes[base + NEXT];
      return [
        next,
        1,
        this.nodes[base + NEXT_SCORE],
        next === NONE ? -1 : this.nodes[next * NODE_SIZE + UPPER],
      ];
    }
    const at = upperLink(this.nodes[base + UPPER], level);
    return [
      this.upper[at + FORWARD],
      this.upper[at + SPAN],
      this.upper[at + FORWARD_SCORE],
      this.upper[at + FORWARD_UPPER],
    ];
  }

  /**
   * Checks order, backward links, every span, what links carry of their targets and the level
   * bounds; throws on a violation.
   */
  checkInvariants(): void {
    const levelOf = (node: NodeHandle): number => this.nodes[node * NODE_SIZE + LEVEL];
    const position = new Map<NodeHandle, number>();
    let previous = NONE;
    let rank = 0;
    for (let node = this.first(); node !== NONE; node = this.next(node)) {
      rank++;
      position.set(node, rank);
      if (this.previous(node) !== previous) throw new Error('skiplist: backward link broken');
      const score = this.score(node);
      if (
        previous !== NONE &&
        !this.isAfter(score, this.member(node), this.score(previous), previous)
      ) {
        throw new Error('skiplist: order violated');
      }
      if (levelOf(node) > this.level) throw new Error('skiplist: level');
      previous = node;
    }
    if (rank !== this.length) throw new Error('skiplist: length mismatch');
    if (this.tail !== previous) throw new Error('skiplist: tail mismatch');
    if (this.level > 1 && this.linkOf(HEADER, this.level - 1)[0] === NONE) {
      throw new Error('skiplist: empty top level');
    }
    for (const from of [HEADER, ...position.keys()]) {
      const fromRank = from === HEADER ? 0 : (position.get(from) as number);
      for (let level = 0; level < Math.min(levelOf(from), this.level); level++) {
        const [to, span, toScore, toBlock] = this.linkOf(from, level);
        if (to === NONE) continue;
        if (toScore !== this.score(to) || toBlock !== this.nodes[to * NODE_SIZE + UPPER]) {
          throw new Error('skiplist: link carries a stale copy of its target');
        }
        const toRank = position.get(to);
        if (toRank === undefined || span !== toRank - fromRank) {
          throw new Error('skiplist: span mismatch');
        }
        // A level-i pointer must reach the next node that has level i.
        let expected = this.next(from);
        while (expected !== NONE && levelOf(expected) <= level) expected = this.next(expected);
        if (expected !== to) throw new Error('skiplist: pointer skips a node of its level');
      }
    }
  }
}
