/*
 * The list behind Redis lists, in the spirit of Redis's quicklist: a sequence of nodes, each one
 * buffer holding up to `nodeBytes` bytes of elements (Redis's default listpack node, 8 KB, for
 * list-max-listpack-size -2), an element alone in its node when longer. A million short
 * elements are a few hundred buffers, not a million strings for every full collection of the
 * garbage collector to mark.
 *
 * An element is stored as its length (base-128 digits, low first, every digit but the last with
 * its top bit set), its bytes, and its length again written backwards (the last byte holds the
 * low digit, a set top bit meaning more digits precede it), as a listpack entry ends with its
 * back length: a node is walked from either end. Pushes write into the free room of the end
 * node's buffer (the head node keeps its room in front), pops move the node's bounds; a node that
 * empties is dropped. Index access walks the nodes from the nearer end, then the elements of one
 * node, O(n / node) as in Redis; insert and LSET rewrite one node (split when it outgrows the
 * limit); LREM repacks the whole list, LTRIM cuts at both ends.
 */

/** Redis's default listpack node size (list-max-listpack-size -2). */
export const NODE_BYTES = 8192;
/** The first buffer of a list's first node; it doubles up to the node size as it fills. */
const FIRST_CAPACITY = 64;

/**
 * Where a bulk reply's bytes go: `bulkOfBytes` writes the bytes [start, end) of `source` as one
 * bulk string, `bulksOfBytes` writes `count` of them, the i-th the `spans[2 * i + 1]` bytes of
 * `source` from `spans[2 * i]` (a run of one node's elements).
 */
export interface BulkSink {
  bulk(text: string): void;
  bulkOfBytes(source: Buffer, start: number, end: number): void;
  bulksOfBytes(source: Buffer, spans: Int32Array, count: number): void;
}

/** Elements handed to a sink at once, at most; the spans array is reused. */
const SPANS_PER_RUN = 256;
const spans = new Int32Array(2 * SPANS_PER_RUN);

interface ListNode {
  bytes: Buffer;
  /** The elements lie in [start, end) of `bytes`. */
  start: number;
  end: number;
  count: number;
}

/** Bytes of the length digits of an element of `length` bytes (each end has one copy). */
function lengthSize(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x4000) return 2;
  if (length < 0x200000) return 3;
  if (length < 0x10000000) return 4;
  return 5;
}

function entrySize(length: number): number {
  return length + 2 * lengthSize(length);
}

/** Where the text of the entry read last by `readEntry` or `previousEntry` starts. */
let textAt = 0;

/** The length of the entry starting at `at`; sets `textAt`. */
function readEntry(bytes: Buffer, at: number): number {
  let code = bytes[at];
  if (code < 0x80) {
    textAt = at + 1;
    return code;
  }
  let length = 0;
  let scale = 1;
  while (code >= 0x80) {
    length += (code & 0x7f) * scale;
    scale *= 0x80;
    code = bytes[++at];
  }
  textAt = at + 1;
  return length + code * scale;
}

/** Where the entry after the one starting at `at` starts; sets `textAt`. */
function nextEntry(bytes: Buffer, at: number): number {
  const length = readEntry(bytes, at);
  return textAt + length + lengthSize(length);
}

/** Where the entry ending at `end` starts; sets `textAt`, and `lengthRead` to its length. */
let lengthRead = 0;
function previousEntry(bytes: Buffer, end: number): number {
  let at = end - 1;
  let code = bytes[at];
  let length = code & 0x7f;
  let scale = 0x80;
  while (code >= 0x80) {
    code = bytes[--at];
    length += (code & 0x7f) * scale;
    scale *= 0x80;
  }
  lengthRead = length;
  textAt = at - length;
  return textAt - (end - at);
}

/** Writes `value` as an entry at `at`; returns where it ends. */
function writeEntry(bytes: Buffer, at: number, value: string): number {
  let length = value.length;
  while (length >= 0x80) {
    bytes[at++] = 0x80 | (length & 0x7f);
    length = Math.floor(length / 0x80);
  }
  bytes[at++] = length;
  length = value.length;
  // Below 16 chars a byte loop beats crossing into native code.
  if (length < 16) {
    for (let i = 0; i < length; i++) bytes[at + i] = value.charCodeAt(i);
  } else {
    bytes.write(value, at, 'latin1');
  }
  at += length;
  const size = lengthSize(length);
  for (let i = size - 1; i >= 0; i--) {
    bytes[at + i] = (length & 0x7f) | (i === 0 ? 0 : 0x80);
    length = Math.floor(length / 0x80);
  }
  return at + size;
}

function textEquals(bytes: Buffer, at: number, length: number, value: string): boolean {
  if (length !== value.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== value.charCodeAt(i)) return false;
  return true;
}

/** An element's string: below 4 bytes one String.fromCharCode, far cheaper than a native call. */
function textOf(bytes: Buffer, at: number, length: number): string {
  switch (length) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(bytes[at]);
    case 2:
      return String.fromCharCode(bytes[at], bytes[at + 1]);
    case 3:
      return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2]);
    default:
      return bytes.toString('latin1', at, at + length);
  }
}

/** A buffer size for `used` bytes: powers of two up to the node size, exact above it. */
function capacityFor(used: number, nodeBytes: number): number {
  if (used > nodeBytes) return used;
  let capacity = FIRST_CAPACITY;
  while (capacity < used) capacity *= 2;
  return Math.min(capacity, nodeBytes);
}

/** A node of its own buffer holding copies of the entries [from, to) of `bytes`. */
function copyNode(
  bytes: Buffer,
  from: number,
  to: number,
  count: number,
  nodeBytes: number,
): ListNode {
  const copy = Buffer.allocUnsafeSlow(capacityFor(to - from, nodeBytes));
  bytes.copy(copy, 0, from, to);
  return { bytes: copy, start: 0, end: to - from, count };
}

/** The entries [from, to) of `bytes` in nodes of at most `nodeBytes` (a longer entry alone). */
function packEntries(bytes: Buffer, from: number, to: number, nodeBytes: number): ListNode[] {
  const nodes: ListNode[] = [];
  while (from < to) {
    let end = from;
    let count = 0;
    while (end < to) {
      const next = nextEntry(bytes, end);
      if (count > 0 && next - from > nodeBytes) break;
      end = next;
      count++;
    }
    nodes.push(copyNode(bytes, from, end, count, nodeBytes));
    from = end;
  }
  return nodes;
}

/** Appends whole entries to nodes of at most `nodeBytes`: a list rebuilt head to tail. */
class EntryPacker {
  readonly nodes: ListNode[] = [];
  private node: ListNode | undefined;

  constructor(private readonly nodeBytes: number) {}

  add(bytes: Buffer, from: number, to: number): void {
    const size = to - from;
    let node = this.node;
    if (node === undefined || node.end + size > this.nodeBytes) {
      node = {
        bytes: Buffer.allocUnsafeSlow(Math.max(size, this.nodeBytes)),
        start: 0,
        end: 0,
        count: 0,
      };
      this.nodes.push(node);
      this.node = node;
    }
    bytes.copy(node.bytes, node.end, from, to);
    node.end += size;
    node.count++;
  }
}

/** The node and byte offset `locate` found. */
let foundNode = 0;
let foundAt = 0;

export class QuickList implements Iterable<string> {
  private nodes: ListNode[] = [];
  private count = 0;

  /** `nodeBytes`: the byte size a node holds at most (Redis's node size limit). */
  constructor(private readonly nodeBytes = NODE_BYTES) {}

  static from(values: Iterable<string>, nodeBytes = NODE_BYTES): QuickList {
    const list = new QuickList(nodeBytes);
    for (const value of values) list.pushTail(value);
    return list;
  }

  get length(): number {
    return this.count;
  }

  /** How many nodes (buffers) hold the elements. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  pushHead(value: string): void {
    const size = entrySize(value.length);
    let node = this.nodes[0];
    if (node === undefined || node.end - node.start + size > this.nodeBytes) {
      node = this.emptyNode(size, true);
      this.nodes.unshift(node);
    } else if (node.start < size) {
      this.regrow(node, size, true);
    }
    node.start -= size;
    writeEntry(node.bytes, node.start, value);
    node.count++;
    this.count++;
  }

  pushTail(value: string): void {
    const size = entrySize(value.length);
    const nodes = this.nodes;
    let node = nodes[nodes.length - 1];
    if (node === undefined || node.end - node.start + size > this.nodeBytes) {
      node = this.emptyNode(size, false);
      nodes.push(node);
    } else if (node.bytes.length - node.end < size) {
      this.regrow(node, size, false);
    }
    node.end = writeEntry(node.bytes, node.end, value);
    node.count++;
    this.count++;
  }

  /**
   * A node for a first entry of `size` bytes: the first node starts small, later ones (the list
   * already fills one) at the full node size. A head node keeps its room in front.
   */
  private emptyNode(size: number, atHead: boolean): ListNode {
    const capacity =
      size > this.nodeBytes
        ? size
        : this.nodes.length === 0
          ? capacityFor(size, this.nodeBytes)
          : this.nodeBytes;
    const at = atHead ? capacity : 0;
    return { bytes: Buffer.allocUnsafeSlow(capacity), start: at, end: at, count: 0 };
  }

  /** A larger buffer for a node that needs `size` more bytes of room at the head or tail. */
  private regrow(node: ListNode, size: number, atHead: boolean): void {
    const used = node.end - node.start;
    const bytes = Buffer.allocUnsafeSlow(capacityFor(used + size, this.nodeBytes));
    const start = atHead ? bytes.length - used : 0;
    node.bytes.copy(bytes, start, node.start, node.end);
    node.bytes = bytes;
    node.start = start;
    node.end = start + used;
  }

  popHead(): string | undefined {
    const node = this.nodes[0];
    if (node === undefined) return undefined;
    const length = readEntry(node.bytes, node.start);
    const value = textOf(node.bytes, textAt, length);
    node.start = textAt + length + lengthSize(length);
    this.removedFrom(node, 0);
    return value;
  }

  popTail(): string | undefined {
    const last = this.nodes.length - 1;
    if (last < 0) return undefined;
    const node = this.nodes[last];
    node.end = previousEntry(node.bytes, node.end);
    this.removedFrom(node, last);
    return textOf(node.bytes, textAt, lengthRead);
  }

  /**
   * As popHead and popTail, the element written to `sink` from the node's bytes instead of
   * returned as a string (LPOP and RPOP's reply); false when the list is empty.
   */
  popHeadTo(sink: BulkSink): boolean {
    const node = this.nodes[0];
    if (node === undefined) return false;
    const length = readEntry(node.bytes, node.start);
    const text = textAt;
    sink.bulkOfBytes(node.bytes, text, text + length);
    node.start = text + length + lengthSize(length);
    this.removedFrom(node, 0);
    return true;
  }

  popTailTo(sink: BulkSink): boolean {
    const last = this.nodes.length - 1;
    if (last < 0) return false;
    const node = this.nodes[last];
    node.end = previousEntry(node.bytes, node.end);
    sink.bulkOfBytes(node.bytes, textAt, textAt + lengthRead);
    this.removedFrom(node, last);
    return true;
  }

  /** Counts one element gone from the node at `index`, dropping the node once empty. */
  private removedFrom(node: ListNode, index: number): void {
    node.count--;
    this.count--;
    if (node.count > 0) return;
    if (index === 0) this.nodes.shift();
    else this.nodes.splice(index, 1);
  }

  /**
   * Finds element `index` (0 to length - 1): its node into `foundNode`, its entry's offset into
   * `foundAt`. Walks the nodes from the nearer end, then the node's entries from its nearer end.
   */
  private locate(index: number): void {
    const nodes = this.nodes;
    let node: number;
    if (index < this.count >> 1) {
      node = 0;
      while (index >= nodes[node].count) index -= nodes[node++].count;
    } else {
      let fromTail = this.count - 1 - index;
      node = nodes.length - 1;
      while (fromTail >= nodes[node].count) fromTail -= nodes[node--].count;
      index = nodes[node].count - 1 - fromTail;
    }
    const { bytes, start, end, count } = nodes[node];
    let at: number;
    if (index < count >> 1) {
      at = start;
      for (let i = 0; i < index; i++) at = nextEntry(bytes, at);
    } else {
      at = end;
      for (let i = count; i > index; i--) at = previousEntry(bytes, at);
    }
    foundNode = node;
    foundAt = at;
  }

  /** Element at index; negative indexes count from the tail (-1 is the last). */
  at(index: number): string | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    this.locate(index);
    const bytes = this.nodes[foundNode].bytes;
    const length = readEntry(bytes, foundAt);
    return textOf(bytes, textAt, length);
  }

  /** LSET: false when the index is out of range. */
  set(index: number, value: string): boolean {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return false;
    this.locate(index);
    const node = this.nodes[foundNode];
    this.rewriteNode(foundNode, foundAt, nextEntry(node.bytes, foundAt), value, 0);
    return true;
  }

  /**
   * Replaces the bytes [from, to) of node `index` with the entry `value`, which adds `added`
   * elements to the list (1 for an insert, 0 for a replacement), repacking the node into as
   * many nodes as its bytes need.
   */
  private rewriteNode(index: number, from: number, to: number, value: string, added: number): void {
    const node = this.nodes[index];
    const before = from - node.start;
    const after = node.end - to;
    const size = entrySize(value.length);
    const bytes = Buffer.allocUnsafeSlow(before + size + after);
    node.bytes.copy(bytes, 0, node.start, from);
    writeEntry(bytes, before, value);
    node.bytes.copy(bytes, before + size, to, node.end);
    this.nodes.splice(index, 1, ...packEntries(bytes, 0, bytes.length, this.nodeBytes));
    this.count += added;
  }

  /** Clamps [start, stop] with LRANGE's rules; null when the range is empty. */
  resolveRange(start: number, stop: number): [number, number] | null {
    const length = this.count;
    if (start < 0) start += length;
    if (stop < 0) stop += length;
    if (start < 0) start = 0;
    if (start > stop || start >= length) return null;
    if (stop >= length) stop = length - 1;
    return [start, stop];
  }

  /** LRANGE start stop. */
  range(start: number, stop: number): string[] {
    const bounds = this.resolveRange(start, stop);
    if (bounds === null) return [];
    const result: string[] = [];
    this.visitRange(bounds[0], bounds[1], (bytes, at, length) => {
      result.push(textOf(bytes, at, length));
    });
    return result;
  }

  /**
   * Writes the elements `first` to `last` (resolved indexes, as `resolveRange` gives) to `sink`
   * as bulk strings straight from the nodes' bytes: LRANGE's reply makes no string, and the
   * sink gets each node's elements as one run of spans rather than one call per element.
   */
  writeRange(first: number, last: number, sink: BulkSink): void {
    this.locate(first);
    const nodes = this.nodes;
    let node = foundNode;
    let at = foundAt;
    let { bytes, end } = nodes[node];
    for (let left = last - first + 1; left > 0;) {
      if (at === end) ({ bytes, start: at, end } = nodes[++node]);
      let count = 0;
      for (; count < SPANS_PER_RUN && count < left && at < end; count++) {
        const length = readEntry(bytes, at);
        spans[2 * count] = textAt;
        spans[2 * count + 1] = length;
        at = textAt + length + lengthSize(length);
      }
      sink.bulksOfBytes(bytes, spans, count);
      left -= count;
    }
  }

  /** Calls `visit` with each element's bytes from `first` to `last` (resolved indexes). */
  private visitRange(
    first: number,
    last: number,
    visit: (bytes: Buffer, at: number, length: number) => void,
  ): void {
    this.locate(first);
    const nodes = this.nodes;
    let node = foundNode;
    let at = foundAt;
    let { bytes, end } = nodes[node];
    for (let left = last - first + 1; left > 0; left--) {
      if (at === end) {
        ({ bytes, start: at, end } = nodes[++node]);
      }
      const length = readEntry(bytes, at);
      const text = textAt;
      visit(bytes, text, length);
      at = text + length + lengthSize(length);
    }
  }

  /**
   * The chars of the first `count` elements (of all when fewer), without making strings. Every
   * push counts the list's memory anew with it: a plain loop, as a visitor's closure made 90
   * bytes of garbage per push.
   */
  charsOfFirst(count: number): number {
    if (count > this.count) count = this.count;
    const nodes = this.nodes;
    let chars = 0;
    for (let node = 0; count > 0; node++) {
      const { bytes, start, end } = nodes[node];
      for (let at = start; at < end && count > 0; count--) {
        const code = bytes[at];
        // An element below 128 bytes: its length is one byte at each end.
        if (code < 0x80) {
          chars += code;
          at += code + 2;
        } else {
          const length = readEntry(bytes, at);
          chars += length;
          at = textAt + length + lengthSize(length);
        }
      }
    }
    return chars;
  }

  /** LINSERT: inserts next to the first occurrence of pivot; new length, or -1 without pivot. */
  insert(pivot: string, value: string, after: boolean): number {
    const nodes = this.nodes;
    for (let index = 0; index < nodes.length; index++) {
      const { bytes, start, end } = nodes[index];
      for (let at = start; at < end;) {
        const length = readEntry(bytes, at);
        const next = textAt + length + lengthSize(length);
        if (textEquals(bytes, textAt, length, pivot)) {
          const split = after ? next : at;
          this.rewriteNode(index, split, split, value, 1);
          return this.count;
        }
        at = next;
      }
    }
    return -1;
  }

  /** LREM: count > 0 removes from the head, < 0 from the tail, 0 removes all. */
  remove(value: string, count: number): number {
    let matches = 0;
    this.visitEntries((bytes, at, length) => {
      if (textEquals(bytes, at, length, value)) matches++;
    });
    const removed = count === 0 ? matches : Math.min(matches, Math.abs(count));
    if (removed === 0) return 0;
    // From the tail: the last `removed` matches go, so the first `matches - removed` stay.
    let kept = count < 0 ? matches - removed : 0;
    let left = removed;
    const packer = new EntryPacker(this.nodeBytes);
    this.visitEntries((bytes, at, length) => {
      if (left > 0 && textEquals(bytes, at, length, value)) {
        if (kept === 0) {
          left--;
          return;
        }
        kept--;
      }
      const size = lengthSize(length);
      packer.add(bytes, at - size, at + length + size);
    });
    this.nodes = packer.nodes;
    this.count -= removed;
    return removed;
  }

  /** Calls `visit` with each element's bytes, head to tail. */
  private visitEntries(visit: (bytes: Buffer, at: number, length: number) => void): void {
    for (const { bytes, start, end } of this.nodes) {
      for (let at = start; at < end;) {
        const length = readEntry(bytes, at);
        const text = textAt;
        visit(bytes, text, length);
        at = text + length + lengthSize(length);
      }
    }
  }

  /** LTRIM start stop: keeps only the range (empty when the range is empty). */
  trim(start: number, stop: number): void {
    const bounds = this.resolveRange(start, stop);
    if (bounds === null) {
      this.nodes = [];
      this.count = 0;
      return;
    }
    this.dropTail(this.count - 1 - bounds[1]);
    this.dropHead(bounds[0]);
  }

  private dropHead(dropped: number): void {
    const nodes = this.nodes;
    this.count -= dropped;
    let whole = 0;
    while (whole < nodes.length && dropped >= nodes[whole].count) dropped -= nodes[whole++].count;
    nodes.splice(0, whole);
    if (dropped === 0) return;
    const node = nodes[0];
    for (let i = 0; i < dropped; i++) node.start = nextEntry(node.bytes, node.start);
    node.count -= dropped;
  }

  private dropTail(dropped: number): void {
    const nodes = this.nodes;
    this.count -= dropped;
    let kept = nodes.length;
    while (kept > 0 && dropped >= nodes[kept - 1].count) dropped -= nodes[--kept].count;
    nodes.length = kept;
    if (dropped === 0) return;
    const node = nodes[kept - 1];
    for (let i = 0; i < dropped; i++) node.end = previousEntry(node.bytes, node.end);
    node.count -= dropped;
  }

  /**
   * LPOS: indexes of matches. rank n > 0 skips to the n-th match from the head, n < 0 scans
   * from the tail; count 0 means all matches; maxlen 0 means scan everything.
   */
  positions(value: string, rank: number, count: number, maxlen: number): number[] {
    const result: number[] = [];
    const forward = rank > 0;
    let skip = Math.abs(rank) - 1;
    let left = maxlen === 0 ? this.count : Math.min(maxlen, this.count);
    const nodes = this.nodes;
    let index = forward ? 0 : this.count - 1;
    for (let n = 0; n < nodes.length && left > 0; n++) {
      const { bytes, start, end } = nodes[forward ? n : nodes.length - 1 - n];
      let at = forward ? start : end;
      while (left > 0 && (forward ? at < end : at > start)) {
        let length: number;
        if (forward) {
          length = readEntry(bytes, at);
          at = textAt + length + lengthSize(length);
        } else {
          at = previousEntry(bytes, at);
          length = lengthRead;
        }
        left--;
        if (textEquals(bytes, textAt, length, value)) {
          if (skip > 0) skip--;
          else {
            result.push(index);
            if (count !== 0 && result.length >= count) return result;
          }
        }
        index += forward ? 1 : -1;
      }
    }
    return result;
  }

  /**
   * Checks the nodes: none empty, each node's entries end where its bounds do and number its
   * count, within its buffer, and no node over the size limit unless it holds one element; the
   * counts add up to the length. Throws on a violation; for tests.
   */
  checkInvariants(): void {
    let total = 0;
    for (const { bytes, start, end, count } of this.nodes) {
      if (count === 0) throw new Error('quicklist: empty node');
      if (start < 0 || end > bytes.length || start > end) throw new Error('quicklist: bounds');
      if (count > 1 && end - start > this.nodeBytes) throw new Error('quicklist: node too big');
      let entries = 0;
      let at = start;
      for (; at < end; entries++) {
        const next = nextEntry(bytes, at);
        if (previousEntry(bytes, next) !== at) throw new Error('quicklist: back length');
        at = next;
      }
      if (at !== end) throw new Error('quicklist: entry past the node');
      if (entries !== count) throw new Error('quicklist: node count');
      total += count;
    }
    if (total !== this.count) throw new Error('quicklist: length');
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const { bytes, start, end } of this.nodes) {
      for (let at = start; at < end;) {
        const length = readEntry(bytes, at);
        const text = textAt;
        yield textOf(bytes, text, length);
        at = text + length + lengthSize(length);
      }
    }
  }
}
