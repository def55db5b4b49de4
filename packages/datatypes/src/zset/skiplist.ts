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
 * Level 0 (every node) and the upper levels (a quarter of the nodes) are stored apart, each as
 * 32-byte records read through two views of one buffer: doubles for scores, int32 for links.
 *
 *   node record: score, next's score (doubles); next, backward, level, upper block (int32)
 *   link record: forward's score (double); forward, span, forward's upper block (int32)
 *
 * A node of level L > 1 owns a block of L - 1 consecutive link records, for levels 1 to L - 1.
 * A walk descends through the upper links without touching a node: a link carries what the
 * walk needs of its target (score to compare, block to continue from), and the upper blocks
 * together are a quarter of the nodes, compact enough to stay in cache. Only the last few steps
 * at level 0 touch the node records. Int32 links are used as indexes as they are (links kept as
 * doubles had to be converted at every step), and a record never straddles two cache lines.
 */
const RECORD_BYTES = 32;
/** Doubles and int32 slots per record. */
const DOUBLES = RECORD_BYTES / 8;
const INTS = RECORD_BYTES / 4;

// Node record: doubles at node * DOUBLES + ..., int32 at node * INTS + ...
const SCORE = 0;
const NEXT_SCORE = 1;
const NEXT = 4;
const BACKWARD = 5;
const LEVEL = 6;
const UPPER = 7;

// Link record: the same, at link * DOUBLES / link * INTS.
const FORWARD_SCORE = 0;
const FORWARD = 2;
const SPAN = 3;
const FORWARD_UPPER = 4;

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

/** The link record for `level` (>= 1) in the upper block starting at record `block`. */
function upperLink(block: number, level: number): number {
  return block + level - 1;
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < PROBABILITY) level++;
  return level;
}

/** Records of 32 bytes, seen as doubles and as int32. */
class Records {
  readonly doubles: Float64Array<ArrayBuffer>;
  readonly ints: Int32Array<ArrayBuffer>;

  constructor(readonly capacity: number) {
    const buffer = new ArrayBuffer(capacity * RECORD_BYTES);
    this.doubles = new Float64Array(buffer);
    this.ints = new Int32Array(buffer);
  }

  /** A copy with room for at least twice the records, or `needed` if that is more. */
  grown(needed: number): Records {
    const copy = new Records(Math.max(needed, this.capacity * 2));
    copy.doubles.set(this.doubles);
    return copy;
  }
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
  private nodes = new Records(8);
  private upper = new Records(INITIAL_HEADER_LEVELS - 1 + 4);
  private readonly members: string[] = [''];
  /** Node numbers after the last one ever used start here. */
  private nodeCount = 1;
  private upperTop = INITIAL_HEADER_LEVELS - 1;
  /** The header's upper block, and how many levels it has room for. */
  private headerUpper = 0;
  private headerLevels = INITIAL_HEADER_LEVELS;
  /** Freed node numbers, chained through their next field; NONE ends the chain. */
  private freeNode = NONE;
  /**
   * Freed upper blocks by level, chained through their first forward; -1 or a hole ends a
   * chain. A plain array that starts empty: most sorted sets are small and never free a tall
   * node.
   */
  private readonly freeUpper: number[] = [];
  tail: NodeHandle = NONE;
  length = 0;
  level = 1;

  constructor() {
    this.nodes.ints[HEADER * INTS + LEVEL] = MAX_LEVEL;
    this.nodes.ints[HEADER * INTS + UPPER] = this.headerUpper;
  }

  score(node: NodeHandle): number {
    return this.nodes.doubles[node * DOUBLES + SCORE];
  }

  member(node: NodeHandle): string {
    return this.members[node];
  }

  next(node: NodeHandle): NodeHandle {
    return this.nodes.ints[node * INTS + NEXT];
  }

  previous(node: NodeHandle): NodeHandle {
    return this.nodes.ints[node * INTS + BACKWARD];
  }

  first(): NodeHandle {
    return this.next(HEADER);
  }

  private levelOf(node: NodeHandle): number {
    return this.nodes.ints[node * INTS + LEVEL];
  }

  private upperOf(node: NodeHandle): number {
    return this.nodes.ints[node * INTS + UPPER];
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
    const linkScores = this.upper.doubles;
    const links = this.upper.ints;
    let x = HEADER;
    let block = this.headerUpper;
    let rank = 0;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      let next = links[at * INTS + FORWARD];
      while (
        next !== NONE &&
        this.isAfter(score, member, linkScores[at * DOUBLES + FORWARD_SCORE], next)
      ) {
        rank += links[at * INTS + SPAN];
        x = next;
        block = links[at * INTS + FORWARD_UPPER];
        at = upperLink(block, i);
        next = links[at * INTS + FORWARD];
      }
      PATH_NODES[i] = x;
      PATH_UPPER[i] = block;
      PATH_RANKS[i] = rank;
    }
    const scores = this.nodes.doubles;
    const nodes = this.nodes.ints;
    let next = nodes[x * INTS + NEXT];
    while (next !== NONE && this.isAfter(score, member, scores[x * DOUBLES + NEXT_SCORE], next)) {
      rank++;
      x = next;
      next = nodes[x * INTS + NEXT];
    }
    PATH_NODES[0] = x;
    PATH_RANKS[0] = rank;
    return x;
  }

  /** Adds (score, member), which must not be in the list yet; returns its node. */
  insert(member: string, score: number): NodeHandle {
    const node = this.allocate(member);
    this.place(node, score);
    return node;
  }

  /** Links a node that is in no level at its place for `score`, with a fresh random level. */
  private place(node: NodeHandle, score: number): void {
    this.findPath(score, this.members[node]);
    const level = randomLevel();
    if (level > this.level) {
      if (level > this.headerLevels) this.growHeader();
      for (let i = this.level; i < level; i++) {
        PATH_RANKS[i] = 0;
        PATH_NODES[i] = HEADER;
        PATH_UPPER[i] = this.headerUpper;
        this.upper.ints[upperLink(this.headerUpper, i) * INTS + SPAN] = this.length;
      }
      this.level = level;
    }
    const block = level > 1 ? this.allocateUpper(level) : -1;
    const scores = this.nodes.doubles;
    const nodes = this.nodes.ints;
    const linkScores = this.upper.doubles;
    const links = this.upper.ints;
    const previous = PATH_NODES[0];
    nodes[node * INTS + NEXT] = nodes[previous * INTS + NEXT];
    scores[node * DOUBLES + NEXT_SCORE] = scores[previous * DOUBLES + NEXT_SCORE];
    nodes[previous * INTS + NEXT] = node;
    scores[previous * DOUBLES + NEXT_SCORE] = score;
    scores[node * DOUBLES + SCORE] = score;
    nodes[node * INTS + LEVEL] = level;
    nodes[node * INTS + UPPER] = block;
    const rank0 = PATH_RANKS[0];
    for (let i = 1; i < level; i++) {
      const from = upperLink(PATH_UPPER[i], i);
      const to = upperLink(block, i);
      links[to * INTS + FORWARD] = links[from * INTS + FORWARD];
      linkScores[to * DOUBLES + FORWARD_SCORE] = linkScores[from * DOUBLES + FORWARD_SCORE];
      links[to * INTS + FORWARD_UPPER] = links[from * INTS + FORWARD_UPPER];
      links[to * INTS + SPAN] = links[from * INTS + SPAN] - (rank0 - PATH_RANKS[i]);
      links[from * INTS + FORWARD] = node;
      linkScores[from * DOUBLES + FORWARD_SCORE] = score;
      links[from * INTS + FORWARD_UPPER] = block;
      links[from * INTS + SPAN] = rank0 - PATH_RANKS[i] + 1;
    }
    for (let i = level; i < this.level; i++) links[upperLink(PATH_UPPER[i], i) * INTS + SPAN]++;
    nodes[node * INTS + BACKWARD] = previous;
    const next = nodes[node * INTS + NEXT];
    if (next !== NONE) nodes[next * INTS + BACKWARD] = node;
    else this.tail = node;
    this.length++;
  }

  /** Removes a node; its handle is no longer valid. */
  delete(node: NodeHandle): void {
    this.findPathTo(node);
    this.unlink(node);
    this.releaseUpper(node);
    this.members[node] = '';
    this.nodes.ints[node * INTS + NEXT] = this.freeNode;
    this.freeNode = node;
  }

  /**
   * Gives a node a new score; the node keeps its handle. When the new score keeps its place
   * between its neighbours the node is updated where it is (ZINCRBY by small steps), as
   * Redis's zslUpdateScore does; otherwise it is unlinked and placed anew.
   */
  updateScore(node: NodeHandle, newScore: number): void {
    this.findPathTo(node);
    const member = this.members[node];
    const scores = this.nodes.doubles;
    const previous = this.previous(node);
    const next = this.next(node);
    const staysAfterPrevious =
      previous === NONE ||
      this.isAfter(newScore, member, scores[previous * DOUBLES + SCORE], previous);
    const staysBeforeNext =
      next === NONE || !this.isAfter(newScore, member, scores[node * DOUBLES + NEXT_SCORE], next);
    if (staysAfterPrevious && staysBeforeNext) {
      scores[node * DOUBLES + SCORE] = newScore;
      scores[PATH_NODES[0] * DOUBLES + NEXT_SCORE] = newScore;
      const level = this.levelOf(node);
      for (let i = 1; i < level; i++) {
        this.upper.doubles[upperLink(PATH_UPPER[i], i) * DOUBLES + FORWARD_SCORE] = newScore;
      }
      return;
    }
    this.unlink(node);
    this.releaseUpper(node);
    this.place(node, newScore);
  }

  /** Fills the PATH_ arrays with the predecessors of `node`, which must be in the list. */
  private findPathTo(node: NodeHandle): void {
    if (this.next(this.findPath(this.score(node), this.members[node])) !== node) {
      throw new Error(`skiplist: node ${node} is not in the list`);
    }
  }

  /** Takes `node` out of every level; the PATH_ arrays must hold its predecessors. */
  private unlink(node: NodeHandle): void {
    const scores = this.nodes.doubles;
    const nodes = this.nodes.ints;
    const linkScores = this.upper.doubles;
    const links = this.upper.ints;
    const previous = PATH_NODES[0];
    nodes[previous * INTS + NEXT] = nodes[node * INTS + NEXT];
    scores[previous * DOUBLES + NEXT_SCORE] = scores[node * DOUBLES + NEXT_SCORE];
    const block = nodes[node * INTS + UPPER];
    for (let i = 1; i < this.level; i++) {
      const from = upperLink(PATH_UPPER[i], i);
      if (links[from * INTS + FORWARD] === node) {
        const own = upperLink(block, i);
        links[from * INTS + SPAN] += links[own * INTS + SPAN] - 1;
        links[from * INTS + FORWARD] = links[own * INTS + FORWARD];
        linkScores[from * DOUBLES + FORWARD_SCORE] = linkScores[own * DOUBLES + FORWARD_SCORE];
        links[from * INTS + FORWARD_UPPER] = links[own * INTS + FORWARD_UPPER];
      } else {
        links[from * INTS + SPAN]--;
      }
    }
    const next = nodes[node * INTS + NEXT];
    const backward = nodes[node * INTS + BACKWARD];
    if (next !== NONE) nodes[next * INTS + BACKWARD] = backward;
    else this.tail = backward;
    while (
      this.level > 1 &&
      links[upperLink(this.headerUpper, this.level - 1) * INTS + FORWARD] === NONE
    ) {
      this.level--;
    }
    this.length--;
  }

  /** A node number for `member`, in no level yet. */
  private allocate(member: string): NodeHandle {
    let node = this.freeNode;
    if (node !== NONE) {
      this.freeNode = this.next(node);
      this.members[node] = member;
    } else {
      node = this.nodeCount++;
      if (node >= this.nodes.capacity) this.nodes = this.nodes.grown(0);
      this.members.push(member);
    }
    return node;
  }

  private allocateUpper(level: number): number {
    const free = this.freeUpper[level] ?? -1;
    if (free !== -1) {
      this.freeUpper[level] = this.upper.ints[free * INTS + FORWARD];
      return free;
    }
    const block = this.upperTop;
    this.upperTop += level - 1;
    if (this.upperTop > this.upper.capacity) this.upper = this.upper.grown(this.upperTop);
    return block;
  }

  /**
   * Moves the header's links to a block with room for every level. Nothing links to the header,
   * so only the walks' starting point changes; the path to it is refreshed too.
   */
  private growHeader(): void {
    const old = this.headerUpper;
    const used = this.headerLevels - 1;
    const block = this.upperTop;
    this.upperTop += MAX_LEVEL - 1;
    if (this.upperTop > this.upper.capacity) this.upper = this.upper.grown(this.upperTop);
    const doubles = this.upper.doubles;
    doubles.copyWithin(block * DOUBLES, old * DOUBLES, (old + used) * DOUBLES);
    doubles.fill(0, (block + used) * DOUBLES, this.upperTop * DOUBLES);
    for (let i = 1; i < this.level; i++) if (PATH_UPPER[i] === old) PATH_UPPER[i] = block;
    this.upper.ints[old * INTS + FORWARD] = this.freeUpper[this.headerLevels] ?? -1;
    this.freeUpper[this.headerLevels] = old;
    this.headerUpper = block;
    this.headerLevels = MAX_LEVEL;
    this.nodes.ints[HEADER * INTS + UPPER] = block;
  }

  /** Frees the node's block of upper links, if it has one. */
  private releaseUpper(node: NodeHandle): void {
    const level = this.levelOf(node);
    if (level > 1) {
      const block = this.upperOf(node);
      this.upper.ints[block * INTS + FORWARD] = this.freeUpper[level] ?? -1;
      this.freeUpper[level] = block;
    }
  }

  /** 1-based rank of a node. */
  rank(node: NodeHandle): number {
    this.findPathTo(node);
    return PATH_RANKS[0] + 1;
  }

  /** The node at a 1-based rank, or NONE. */
  byRank(rank: number): NodeHandle {
    if (rank < 1 || rank > this.length) return NONE;
    const links = this.upper.ints;
    let traversed = 0;
    let x = HEADER;
    let block = this.headerUpper;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      while (links[at * INTS + FORWARD] !== NONE && traversed + links[at * INTS + SPAN] <= rank) {
        traversed += links[at * INTS + SPAN];
        x = links[at * INTS + FORWARD];
        block = links[at * INTS + FORWARD_UPPER];
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

  /** First node whose member is within [min, max], or NONE. Lex ranges assume equal scores. */
  firstInLexRange(min: LexBound, max: LexBound): NodeHandle {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return NONE;
    const x = this.lastBefore((_score, node) => !lexAtLeast(this.member(node), min));
    const first = this.next(x);
    return first !== NONE && lexAtMost(this.member(first), max) ? first : NONE;
  }

  /** Last node whose member is within [min, max], or NONE. */
  lastInLexRange(min: LexBound, max: LexBound): NodeHandle {
    if (lexRangeIsEmpty(min, max) || !this.overlapsLex(min, max)) return NONE;
    const x = this.lastBefore((_score, node) => lexAtMost(this.member(node), max));
    return x !== HEADER && lexAtLeast(this.member(x), min) ? x : NONE;
  }

  /** The last node of the prefix whose entries satisfy `stillBefore` (HEADER if none does). */
  private lastBefore(stillBefore: (score: number, node: NodeHandle) => boolean): NodeHandle {
    const linkScores = this.upper.doubles;
    const links = this.upper.ints;
    let x = HEADER;
    let block = this.headerUpper;
    for (let i = this.level - 1; i >= 1; i--) {
      let at = upperLink(block, i);
      while (
        links[at * INTS + FORWARD] !== NONE &&
        stillBefore(linkScores[at * DOUBLES + FORWARD_SCORE], links[at * INTS + FORWARD])
      ) {
        x = links[at * INTS + FORWARD];
        block = links[at * INTS + FORWARD_UPPER];
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
    if (level === 0) {
      const next = this.next(node);
      return [
        next,
        1,
        this.nodes.doubles[node * DOUBLES + NEXT_SCORE],
        next === NONE ? -1 : this.upperOf(next),
      ];
    }
    const at = upperLink(this.upperOf(node), level);
    const links = this.upper.ints;
    return [
      links[at * INTS + FORWARD],
      links[at * INTS + SPAN],
      this.upper.doubles[at * DOUBLES + FORWARD_SCORE],
      links[at * INTS + FORWARD_UPPER],
    ];
  }

  /**
   * Checks order, backward links, every span, what links carry of their targets and the level
   * bounds; throws on a violation.
   */
  checkInvariants(): void {
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
      if (this.levelOf(node) > this.level) throw new Error('skiplist: level');
      previous = node;
    }
    if (rank !== this.length) throw new Error('skiplist: length mismatch');
    if (this.tail !== previous) throw new Error('skiplist: tail mismatch');
    if (this.level > 1 && this.linkOf(HEADER, this.level - 1)[0] === NONE) {
      throw new Error('skiplist: empty top level');
    }
    for (const from of [HEADER, ...position.keys()]) {
      const fromRank = from === HEADER ? 0 : (position.get(from) as number);
      for (let level = 0; level < Math.min(this.levelOf(from), this.level); level++) {
        const [to, span, toScore, toBlock] = this.linkOf(from, level);
        if (to === NONE) continue;
        if (toScore !== this.score(to) || toBlock !== this.upperOf(to)) {
          throw new Error('skiplist: link carries a stale copy of its target');
        }
        const toRank = position.get(to);
        if (toRank === undefined || span !== toRank - fromRank) {
          throw new Error('skiplist: span mismatch');
        }
        // A level-i pointer must reach the next node that has level i.
        let expected = this.next(from);
        while (expected !== NONE && this.levelOf(expected) <= level) expected = this.next(expected);
        if (expected !== to) throw new Error('skiplist: pointer skips a node of its level');
      }
    }
  }
}
