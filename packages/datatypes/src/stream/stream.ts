import { RadixTree } from '../radix/radix-tree.js';
import { ConsumerGroup } from './consumer-groups.js';
import {
  MAX_ID,
  MAX_PART,
  MIN_ID,
  compareIds,
  idKey,
  type IdRequest,
  type StreamId,
} from './stream-id.js';

export type { IdRequest } from './stream-id.js';

/**
 * A stored entry, read from its block when asked: XRANGE's reply needs neither bigint IDs nor
 * field arrays, and building both for every entry cost more than writing the reply.
 */
export class StreamEntry {
  private cachedId: StreamId | undefined = undefined;
  private cachedFields: string[] | undefined = undefined;

  constructor(
    private readonly block: Block,
    private readonly index: number,
  ) {}

  get id(): StreamId {
    return (this.cachedId ??= entryId(this.block, this.index));
  }

  /** Flat field, value, field, value... */
  get fields(): string[] {
    return (this.cachedFields ??= entryFields(this.block, this.index));
  }

  /** The ID's milliseconds as an exact number, or NaN above 2^53 - 1 (read `id` then). */
  get msNumber(): number {
    return exactNumber(this.block.masterMs + this.block.msDelta[this.index]);
  }

  /** The ID's sequence as an exact number, or NaN above 2^53 - 1. */
  get seqNumber(): number {
    return exactNumber(this.block.masterSeq + this.block.seqDelta[this.index]);
  }
}

function exactNumber(value: number): number {
  return value <= Number.MAX_SAFE_INTEGER ? value : NaN;
}

/** How full a block may get, as stream-node-max-entries / stream-node-max-bytes. */
export interface StreamNodeLimits {
  /** Entries per block, deleted ones included (0 = no limit). Default 100. */
  readonly maxEntries?: number;
  /** Approximate listpack bytes per block (0 = no limit). Default 4096. */
  readonly maxBytes?: number;
}

/**
 * A run of consecutive entries, laid out like one of Redis's listpacks: the master ID and the
 * first entry's field names are kept once; each entry stores its ID as (ms, seq) deltas from
 * the master ID, and only its values when its field names equal the master's. Deleted entries
 * stay flagged until the whole block is empty, as in Redis. Entries are parallel arrays, so a
 * block of 100 entries is a handful of objects rather than hundreds.
 */
interface Block {
  readonly master: StreamId;
  /** The master's parts as numbers, NaN when not exact: entries' IDs without bigints. */
  readonly masterMs: number;
  readonly masterSeq: number;
  readonly masterNames: string[];
  /** id.ms - master.ms, a safe integer ≥ 0. */
  readonly msDelta: number[];
  /** id.seq - master.seq, a safe integer (negative when ms moved on). */
  readonly seqDelta: number[];
  /** Field names, or null when they are the master's. */
  readonly names: Array<string[] | null>;
  /** Every entry's values, back to back; entry i starts at valueStart[i]. */
  readonly values: string[];
  readonly valueStart: number[];
  /** 1 when the entry is deleted. */
  readonly deleted: number[];
  live: number;
  /** Estimated listpack size, for stream-node-max-bytes. */
  bytes: number;
}

/**
 * Why XADD refuses an ID: `zero` is an explicit 0-0, `not-greater` an ID equal to or below the
 * top item (or `<ms>-*` whose sequence would overflow), `exhausted` a stream whose last ID is
 * already 18446744073709551615-18446744073709551615.
 */
export type AddError = 'not-greater' | 'zero' | 'exhausted';

export interface TrimOptions {
  readonly strategy: 'maxlen' | 'minid';
  readonly maxlen?: number;
  readonly minid?: StreamId;
  /** `~`: remove whole blocks only. */
  readonly approximate: boolean;
  /** Remove at most this many entries (0 = no limit), as XTRIM's LIMIT. */
  readonly limit: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Listpack bytes for an integer element: encoding plus its one-byte back-length. */
function integerBytes(value: number): number {
  if (value >= 0 && value <= 127) return 2;
  if (value >= -4096 && value <= 4095) return 3;
  if (value >= -32768 && value <= 32767) return 4;
  if (value >= -8388608 && value <= 8388607) return 5;
  if (value >= -2147483648 && value <= 2147483647) return 6;
  return 10;
}

/** Listpack bytes for a string element: listpack stores integer-looking strings as integers. */
function elementBytes(text: string): number {
  const length = text.length;
  if (length > 0 && length <= 20) {
    const first = text.charCodeAt(0);
    let integer = (first >= 48 && first <= 57) || (first === 45 && length > 1);
    for (let i = 1; integer && i < length; i++) {
      const code = text.charCodeAt(i);
      integer = code >= 48 && code <= 57;
    }
    // Canonical form only: "007" and "-0" stay strings.
    const digits = first === 45 ? 1 : 0;
    if (integer && !(text.charCodeAt(digits) === 48 && length > digits + 1) && text !== '-0') {
      return integerBytes(Number(text));
    }
  }
  const header = length < 64 ? 1 : length < 4096 ? 2 : 5;
  const encoded = header + length;
  return encoded + (encoded < 128 ? 1 : encoded < 16384 ? 2 : 3);
}

/** `id - master` as comparable numbers, clamped to ±Infinity outside what a block can hold. */
function relativeMs(master: StreamId, id: StreamId): number {
  const delta = id.ms - master.ms;
  if (delta < 0n) return -Infinity;
  return delta > MAX_SAFE ? Infinity : Number(delta);
}

function relativeSeq(master: StreamId, id: StreamId): number {
  const delta = id.seq - master.seq;
  if (delta > MAX_SAFE) return Infinity;
  return delta < MIN_SAFE ? -Infinity : Number(delta);
}

/**
 * Index of the first entry whose ID is ≥ (ms, seq), or > with `after`, relative to the master:
 * a binary search over the deltas (deleted entries keep their place).
 */
function lowerBound(block: Block, ms: number, seq: number, after = false): number {
  let low = 0;
  let high = block.msDelta.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const m = block.msDelta[middle];
    const s = block.seqDelta[middle];
    if (m < ms || (m === ms && (s < seq || (after && s === seq)))) low = middle + 1;
    else high = middle;
  }
  return low;
}

function entryId(block: Block, index: number): StreamId {
  const ms = block.msDelta[index];
  const seq = block.seqDelta[index];
  if (ms === 0 && seq === 0) return block.master;
  return { ms: block.master.ms + BigInt(ms), seq: block.master.seq + BigInt(seq) };
}

function entryFields(block: Block, index: number): string[] {
  const names = block.names[index] ?? block.masterNames;
  const start = block.valueStart[index];
  const fields = new Array<string>(names.length * 2);
  for (let i = 0; i < names.length; i++) {
    fields[2 * i] = names[i];
    fields[2 * i + 1] = block.values[start + i];
  }
  return fields;
}

function sameNames(a: string[], fields: string[]): boolean {
  if (a.length * 2 !== fields.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== fields[2 * i]) return false;
  return true;
}

/**
 * A Redis stream: a radix tree keyed by each block's master ID (16 big-endian bytes), whose
 * blocks hold packed entries, plus the stream's metadata and its consumer groups.
 */
export class Stream {
  private readonly blocks = new RadixTree<Block>();
  /** The block appends go to; looking it up in the tree on every XADD was measurable. */
  private tail: Block | undefined = undefined;
  /** Live entries (XLEN). */
  length = 0;
  /** The last ID generated or set (XINFO's last-generated-id). */
  lastId: StreamId = MIN_ID;
  /** Entries ever added (XINFO's entries-added). */
  entriesAdded = 0n;
  /** The largest ID removed by XDEL (XINFO's max-deleted-entry-id). */
  maxDeletedId: StreamId = MIN_ID;
  /** Consumer groups by name, in creation order. */
  readonly groups = new Map<string, ConsumerGroup>();
  /** Entries per block, as stream-node-max-entries (0 = no limit). */
  readonly blockCapacity: number;
  /** Approximate bytes per block, as stream-node-max-bytes (0 = no limit). */
  readonly blockMaxBytes: number;

  /** A number is stream-node-max-entries alone (max bytes keeps its default of 4096). */
  constructor(limits: number | StreamNodeLimits = {}) {
    const options = typeof limits === 'number' ? { maxEntries: limits } : limits;
    this.blockCapacity = Math.max(0, options.maxEntries ?? 100);
    this.blockMaxBytes = Math.max(0, options.maxBytes ?? 4096);
  }

  /** The ID XADD would use for the request, or why it is refused. `now` is in ms. */
  nextIdFor(request: IdRequest, now: bigint): StreamId | AddError {
    const last = this.lastId;
    if (request.kind === 'explicit' && request.id.ms === 0n && request.id.seq === 0n) {
      return 'zero';
    }
    if (last.ms === MAX_PART && last.seq === MAX_PART) return 'exhausted';
    if (request.kind === 'explicit') {
      return compareIds(request.id, last) > 0 ? request.id : 'not-greater';
    }
    if (request.kind === 'auto-seq') {
      if (request.ms < last.ms) return 'not-greater';
      if (request.ms > last.ms) return { ms: request.ms, seq: 0n };
      // Redis refuses rather than carrying into the next millisecond.
      if (last.seq === MAX_PART) return 'not-greater';
      return { ms: request.ms, seq: last.seq + 1n };
    }
    if (now > last.ms) return { ms: now, seq: 0n };
    if (last.seq < MAX_PART) return { ms: last.ms, seq: last.seq + 1n };
    return { ms: last.ms + 1n, seq: 0n };
  }

  /** XADD without trimming: generates or checks the ID, then appends. */
  add(request: IdRequest, fields: string[], now: bigint = BigInt(Date.now())): StreamId | AddError {
    const id = this.nextIdFor(request, now);
    if (typeof id !== 'string') this.append(id, fields);
    return id;
  }

  /** Appends an entry whose ID is above lastId (as nextIdFor guarantees). */
  append(id: StreamId, fields: string[]): void {
    let size = 0;
    for (let i = 0; i < fields.length; i++) size += fields[i].length;
    let block = this.tail ?? this.blocks.last()?.[1];
    if (block !== undefined && !this.fits(block, id, size)) block = undefined;
    if (block === undefined) {
      const masterNames = new Array<string>(fields.length >> 1);
      // Master entry: count, deleted, field count, names, terminator; plus the listpack header.
      let bytes = 7 + 2 + 2 + integerBytes(masterNames.length) + 2;
      for (let i = 0; i < masterNames.length; i++) {
        masterNames[i] = fields[2 * i];
        bytes += elementBytes(masterNames[i]);
      }
      block = {
        master: id,
        masterMs: exactNumber(Number(id.ms)),
        masterSeq: exactNumber(Number(id.seq)),
        masterNames,
        msDelta: [],
        seqDelta: [],
        names: [],
        values: [],
        valueStart: [],
        deleted: [],
        live: 0,
        bytes,
      };
      this.blocks.insert(idKey(id), block);
    }
    this.tail = block;
    const ms = Number(id.ms - block.master.ms);
    const seq = Number(id.seq - block.master.seq);
    const shared = sameNames(block.masterNames, fields);
    // Entry: flags, ms delta, seq delta, [field count, names], values, back-count.
    let bytes = 2 + integerBytes(ms) + integerBytes(seq) + 2;
    block.msDelta.push(ms);
    block.seqDelta.push(seq);
    block.valueStart.push(block.values.length);
    block.deleted.push(0);
    if (shared) {
      block.names.push(null);
      for (let i = 1; i < fields.length; i += 2) {
        block.values.push(fields[i]);
        bytes += elementBytes(fields[i]);
      }
    } else {
      const names = new Array<string>(fields.length >> 1);
      bytes += integerBytes(names.length);
      for (let i = 0; i < fields.length; i += 2) {
        names[i >> 1] = fields[i];
        block.values.push(fields[i + 1]);
        bytes += elementBytes(fields[i]) + elementBytes(fields[i + 1]);
      }
      block.names.push(names);
    }
    block.bytes += bytes;
    block.live++;
    this.length++;
    this.lastId = id;
    this.entriesAdded++;
  }

  /** Whether the next entry goes into `block`, as streamAppendItem decides, or opens a new one. */
  private fits(block: Block, id: StreamId, size: number): boolean {
    if (this.blockMaxBytes > 0 && block.bytes + size >= this.blockMaxBytes) return false;
    if (this.blockCapacity > 0 && block.msDelta.length >= this.blockCapacity) return false;
    // Deltas must stay exact as doubles; IDs that far apart start a new block.
    const ms = id.ms - block.master.ms;
    const seq = id.seq - block.master.seq;
    return ms <= MAX_SAFE && seq <= MAX_SAFE && seq >= MIN_SAFE;
  }

  /** The live entry with this ID, if any (XREADGROUP history and XCLAIM check it). */
  entry(id: StreamId): StreamEntry | undefined {
    const found = this.locate(id);
    if (found === undefined) return undefined;
    return new StreamEntry(found[0], found[1]);
  }

  /** Block and index of the live entry with this ID. */
  private locate(id: StreamId): [Block, number, string] | undefined {
    const found = this.blocks.seek('<=', idKey(id));
    if (found === undefined) return undefined;
    const block = found[1];
    const ms = relativeMs(block.master, id);
    const seq = relativeSeq(block.master, id);
    const index = lowerBound(block, ms, seq);
    if (
      index === block.msDelta.length ||
      block.msDelta[index] !== ms ||
      block.seqDelta[index] !== seq ||
      block.deleted[index] === 1
    ) {
      return undefined;
    }
    return [block, index, found[0]];
  }

  /** XRANGE / XREVRANGE: entries with start ≤ id ≤ end, at most `count` (0 = all). */
  range(start: StreamId, end: StreamId, count = 0, reverse = false): StreamEntry[] {
    const result: StreamEntry[] = [];
    if (compareIds(start, end) > 0 || this.length === 0) return result;
    if (reverse) {
      for (let found = this.blocks.seek('<=', idKey(end)); found !== undefined;) {
        const block = found[1];
        const startMs = relativeMs(block.master, start);
        const startSeq = relativeSeq(block.master, start);
        // The last entry ≤ end: one before the first entry > end.
        let i =
          lowerBound(block, relativeMs(block.master, end), relativeSeq(block.master, end), true) -
          1;
        for (; i >= 0; i--) {
          const ms = block.msDelta[i];
          if (ms < startMs || (ms === startMs && block.seqDelta[i] < startSeq)) return result;
          if (block.deleted[i] === 1) continue;
          result.push(new StreamEntry(block, i));
          if (result.length === count) return result;
        }
        found = this.blocks.seek('<', found[0]);
      }
      return result;
    }
    const startKey = idKey(start);
    let found = this.blocks.seek('<=', startKey) ?? this.blocks.seek('>', startKey);
    while (found !== undefined) {
      const block = found[1];
      const endMs = relativeMs(block.master, end);
      const endSeq = relativeSeq(block.master, end);
      const length = block.msDelta.length;
      for (
        let i = lowerBound(
          block,
          relativeMs(block.master, start),
          relativeSeq(block.master, start),
        );
        i < length;
        i++
      ) {
        const ms = block.msDelta[i];
        if (ms > endMs || (ms === endMs && block.seqDelta[i] > endSeq)) return result;
        if (block.deleted[i] === 1) continue;
        result.push(new StreamEntry(block, i));
        if (result.length === count) return result;
      }
      found = this.blocks.seek('>', found[0]);
    }
    return result;
  }

  firstEntry(): StreamEntry | undefined {
    return this.range(MIN_ID, MAX_ID, 1)[0];
  }

  /**
   * The first ID still held, deleted entries included: a deleted entry keeps its place until
   * its whole block goes. Redis propagates this as XADD/XTRIM's exact MINID after a `~` trim.
   */
  firstIdWithDeleted(): StreamId | undefined {
    const first = this.blocks.first();
    return first === undefined ? undefined : entryId(first[1], 0);
  }

  lastEntry(): StreamEntry | undefined {
    return this.range(MIN_ID, MAX_ID, 1, true)[0];
  }

  /**
   * XDEL: flags the entry deleted and drops its block once empty. One ID gives whether it
   * existed; a list gives how many existed.
   */
  delete(id: StreamId): boolean;
  delete(ids: readonly StreamId[]): number;
  delete(ids: StreamId | readonly StreamId[]): boolean | number {
    if (!Array.isArray(ids)) return this.deleteOne(ids as StreamId);
    let removed = 0;
    for (const id of ids as readonly StreamId[]) if (this.deleteOne(id)) removed++;
    return removed;
  }

  private deleteOne(id: StreamId): boolean {
    const found = this.locate(id);
    if (found === undefined) return false;
    const [block, index, key] = found;
    block.deleted[index] = 1;
    block.live--;
    this.length--;
    if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
    if (block.live === 0) this.removeBlock(key, block);
    return true;
  }

  /**
   * XTRIM / XADD's trimming (streamTrim): whole blocks go while they can; exact trimming then
   * flags entries inside the first remaining block, approximate (`~`) trimming stops there.
   * LIMIT bounds the entries removed. Returns how many were removed.
   */
  trim(options: TrimOptions): number {
    const maxlen = options.maxlen ?? 0;
    const minid = options.minid ?? MIN_ID;
    let removed = 0;
    for (let found = this.blocks.first(); found !== undefined; found = this.blocks.first()) {
      if (options.strategy === 'maxlen' && this.length <= maxlen) break;
      const [key, block] = found;
      if (options.limit > 0 && removed + block.live > options.limit) break;
      const last = block.msDelta.length - 1;
      const byId = options.strategy === 'minid';
      const minMs = byId ? relativeMs(block.master, minid) : 0;
      const minSeq = byId ? relativeSeq(block.master, minid) : 0;
      const wholeBlock =
        options.strategy === 'maxlen'
          ? this.length - block.live >= maxlen
          : block.msDelta[last] < minMs ||
            (block.msDelta[last] === minMs && block.seqDelta[last] < minSeq);
      if (wholeBlock) {
        removed += block.live;
        this.length -= block.live;
        this.removeBlock(key, block);
        continue;
      }
      if (options.approximate) break;
      for (let i = 0; i <= last; i++) {
        if (block.deleted[i] === 1) continue;
        const keep =
          options.strategy === 'maxlen'
            ? this.length <= maxlen
            : block.msDelta[i] > minMs ||
              (block.msDelta[i] === minMs && block.seqDelta[i] >= minSeq);
        if (keep) break;
        block.deleted[i] = 1;
        block.live--;
        this.length--;
        removed++;
      }
      break;
    }
    return removed;
  }

  private removeBlock(key: string, block: Block): void {
    this.blocks.remove(key);
    if (this.tail === block) this.tail = undefined;
  }

  /** XSETID: moves the last ID (and the counters) without touching entries. */
  setLastId(id: StreamId, entriesAdded?: bigint, maxDeletedId?: StreamId): void {
    this.lastId = id;
    if (entriesAdded !== undefined) this.entriesAdded = entriesAdded;
    if (maxDeletedId !== undefined) this.maxDeletedId = maxDeletedId;
  }

  /**
   * XGROUP CREATE: a new group delivering after `lastId`; entriesRead null when unknown.
   * Undefined when the name is taken (BUSYGROUP).
   */
  createGroup(
    name: string,
    lastId: StreamId,
    entriesRead: bigint | null = null,
  ): ConsumerGroup | undefined {
    if (this.groups.has(name)) return undefined;
    const group = new ConsumerGroup(name, lastId, entriesRead);
    this.groups.set(name, group);
    return group;
  }

  /** Number of blocks: XINFO STREAM's radix-tree-keys. */
  get blockCount(): number {
    return this.blocks.size;
  }

  /** XINFO STREAM's radix-tree-nodes. */
  get radixNodeCount(): number {
    return this.blocks.nodeCount;
  }

  /**
   * Checks the structure: blocks keyed by their master ID in order, within the node limits,
   * entries strictly increasing across blocks, live counts matching the flags, no empty block,
   * the length matching, and the radix tree's own invariants. Throws on a violation; for tests.
   */
  checkInvariants(): void {
    this.blocks.checkInvariants();
    let live = 0;
    let previous: StreamId | null = null;
    for (const [key, block] of this.blocks.ascending()) {
      const count = block.msDelta.length;
      if (key !== idKey(block.master)) throw new Error('stream: block key is not its master ID');
      if (count === 0 || compareIds(entryId(block, 0), block.master) !== 0) {
        throw new Error('stream: block does not start at its master ID');
      }
      if (this.blockCapacity > 0 && count > this.blockCapacity) {
        throw new Error('stream: block over stream-node-max-entries');
      }
      let blockLive = 0;
      for (let i = 0; i < count; i++) {
        const id = entryId(block, i);
        if (previous !== null && compareIds(previous, id) >= 0) {
          throw new Error('stream: IDs out of order');
        }
        previous = id;
        if (block.deleted[i] === 0) blockLive++;
        const names = block.names[i] ?? block.masterNames;
        const end = i + 1 < count ? block.valueStart[i + 1] : block.values.length;
        if (end - block.valueStart[i] !== names.length)
          throw new Error('stream: values misaligned');
      }
      if (blockLive !== block.live || blockLive === 0) throw new Error('stream: live count');
      live += blockLive;
    }
    if (live !== this.length) throw new Error('stream: length mismatch');
    if (previous !== null && compareIds(previous, this.lastId) > 0) {
      throw new Error('stream: entry beyond lastId');
    }
  }
}
