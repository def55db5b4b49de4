import { RadixTree } from '../radix/radix-tree.js';
import type { ConsumerGroup } from './consumer-groups.js';
import { MAX_PART, MIN_ID, compareIds, idKey, type StreamId } from './stream-id.js';

export interface StreamEntry {
  readonly id: StreamId;
  /** Flat field, value, field, value... */
  readonly fields: string[];
}

/** An entry inside a block: field names are shared with the block's master entry when equal. */
interface PackedEntry {
  readonly id: StreamId;
  readonly names: string[] | null;
  readonly values: string[];
  deleted: boolean;
}

/**
 * A run of consecutive entries, like one of Redis's listpacks: the first entry's field names
 * are kept once, and later entries with the same names store only their values. Deleted
 * entries stay flagged until the whole block is empty.
 */
interface Block {
  readonly masterNames: string[];
  readonly entries: PackedEntry[];
  live: number;
}

export type IdRequest =
  | { readonly kind: 'auto' }
  | { readonly kind: 'auto-seq'; readonly ms: bigint }
  | { readonly kind: 'explicit'; readonly id: StreamId };

export type AddError = 'not-greater' | 'zero' | 'exhausted';

export interface TrimOptions {
  readonly strategy: 'maxlen' | 'minid';
  readonly maxlen?: number;
  readonly minid?: StreamId;
  /** `~`: remove whole blocks only. */
  readonly approximate: boolean;
  /** With `~`, remove at most this many entries (0 = no limit). */
  readonly limit: number;
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/**
 * A Redis stream: a radix tree keyed by each block's first ID, whose blocks hold packed
 * entries, plus the stream's metadata. Consumer-group state lives in ./consumer-groups.ts.
 */
export class Stream {
  private readonly blocks = new RadixTree<Block>();
  length = 0;
  lastId: StreamId = MIN_ID;
  entriesAdded = 0n;
  maxDeletedId: StreamId = MIN_ID;
  /** Consumer groups by name, in creation order. */
  readonly groups = new Map<string, ConsumerGroup>();
  /** Entries per block, as stream-node-max-entries. */
  blockCapacity: number;

  constructor(blockCapacity = 100) {
    this.blockCapacity = Math.max(1, blockCapacity);
  }

  /** The ID XADD would use for the request, or why it is refused. */
  nextIdFor(request: IdRequest, now: bigint): StreamId | AddError {
    const last = this.lastId;
    if (request.kind === 'explicit') {
      if (request.id.ms === 0n && request.id.seq === 0n) return 'zero';
      return compareIds(request.id, last) > 0 ? request.id : 'not-greater';
    }
    if (request.kind === 'auto-seq') {
      if (request.ms < last.ms) return 'not-greater';
      if (request.ms > last.ms) return { ms: request.ms, seq: 0n };
      if (last.seq === MAX_PART) return 'not-greater';
      return { ms: request.ms, seq: last.seq + 1n };
    }
    if (now > last.ms) return { ms: now, seq: 0n };
    if (last.seq < MAX_PART) return { ms: last.ms, seq: last.seq + 1n };
    if (last.ms < MAX_PART) return { ms: last.ms + 1n, seq: 0n };
    return 'exhausted';
  }

  /** Appends an entry with an ID already validated by nextIdFor. */
  append(id: StreamId, fields: string[]): void {
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < fields.length; i += 2) {
      names.push(fields[i]);
      values.push(fields[i + 1]);
    }
    let block = this.lastBlock();
    if (block === undefined || block.entries.length >= this.blockCapacity) {
      block = { masterNames: names, entries: [], live: 0 };
      this.blocks.insert(idKey(id), block);
      this.tail = block;
    }
    block.entries.push({
      id,
      names: sameNames(names, block.masterNames) ? null : names,
      values,
      deleted: false,
    });
    block.live++;
    this.length++;
    this.lastId = id;
    this.entriesAdded++;
  }

  /** The block appends go to, cached: finding it in the tree on every XADD was measurable. */
  private tail: Block | undefined = undefined;

  private lastBlock(): Block | undefined {
    if (this.tail !== undefined) return this.tail;
    for (const [, block] of this.blocks.descending()) {
      this.tail = block;
      return block;
    }
    return undefined;
  }

  /** Whether the entry exists (not deleted): XREADGROUP history and XCLAIM check it. */
  entry(id: StreamId): StreamEntry | undefined {
    const [found] = this.range(id, id, 1);
    return found;
  }

  /** Entries with start ≤ id ≤ end, at most `count` (0 = all), optionally last first. */
  range(start: StreamId, end: StreamId, count = 0, reverse = false): StreamEntry[] {
    const result: StreamEntry[] = [];
    if (compareIds(start, end) > 0) return result;
    const blocks = reverse ? this.blocks.descending(idKey(end)) : this.blocksFrom(start);
    for (const [, block] of blocks) {
      const entries = block.entries;
      for (
        let i = reverse ? entries.length - 1 : 0;
        reverse ? i >= 0 : i < entries.length;
        reverse ? i-- : i++
      ) {
        const entry = entries[i];
        if (entry.deleted) continue;
        if (compareIds(entry.id, start) < 0) {
          if (reverse) return result;
          continue;
        }
        if (compareIds(entry.id, end) > 0) {
          if (reverse) continue;
          return result;
        }
        result.push({ id: entry.id, fields: unpack(entry, block) });
        if (count > 0 && result.length >= count) return result;
      }
    }
    return result;
  }

  /** Blocks that may hold IDs ≥ start: the one starting at or before it, then the rest. */
  private *blocksFrom(start: StreamId): IterableIterator<[string, Block]> {
    const key = idKey(start);
    for (const entry of this.blocks.descending(key)) {
      yield entry;
      break;
    }
    yield* this.blocks.ascending(key, true);
  }

  firstEntry(): StreamEntry | undefined {
    return this.range(MIN_ID, { ms: MAX_PART, seq: MAX_PART }, 1)[0];
  }

  lastEntry(): StreamEntry | undefined {
    return this.range(MIN_ID, { ms: MAX_PART, seq: MAX_PART }, 1, true)[0];
  }

  /** XDEL: flags the entry deleted; true if it existed. */
  delete(id: StreamId): boolean {
    for (const [key, block] of this.blocks.descending(idKey(id))) {
      const entry = block.entries.find((each) => compareIds(each.id, id) === 0);
      if (entry === undefined || entry.deleted) return false;
      entry.deleted = true;
      block.live--;
      this.length--;
      if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
      if (block.live === 0) this.removeBlock(key, block);
      return true;
    }
    return false;
  }

  /** XTRIM / XADD's trimming: returns how many entries were removed. */
  trim(options: TrimOptions): number {
    let removed = 0;
    const overLimit = (): boolean =>
      options.approximate && options.limit > 0 && removed >= options.limit;
    const shouldRemove = (entry: PackedEntry): boolean =>
      options.strategy === 'maxlen'
        ? this.length > (options.maxlen ?? 0)
        : compareIds(entry.id, options.minid ?? MIN_ID) < 0;
    // Always look at the current first block: trimming only ever removes from the front, and
    // stopping early keeps a small trim cheap on a large stream.
    for (
      let first = this.blocks.ascending().next();
      !first.done;
      first = this.blocks.ascending().next()
    ) {
      const [key, block] = first.value;
      if (options.approximate) {
        // Whole blocks only, and only when every live entry in them goes.
        const last = block.entries[block.entries.length - 1];
        const wholeBlock =
          options.strategy === 'maxlen'
            ? this.length - block.live >= (options.maxlen ?? 0)
            : compareIds(last.id, options.minid ?? MIN_ID) < 0;
        if (
          !wholeBlock ||
          (options.limit > 0 && removed + block.live > options.limit) ||
          overLimit()
        )
          break;
        removed += block.live;
        this.length -= block.live;
        this.removeBlock(key, block);
        continue;
      }
      for (const entry of block.entries) {
        if (entry.deleted) continue;
        if (!shouldRemove(entry)) return removed;
        entry.deleted = true;
        block.live--;
        this.length--;
        removed++;
      }
      if (block.live === 0) this.removeBlock(key, block);
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

  /** Number of blocks: XINFO STREAM's radix-tree-keys. */
  get blockCount(): number {
    return this.blocks.size;
  }

  /** XINFO STREAM's radix-tree-nodes. */
  get radixNodeCount(): number {
    return this.blocks.nodeCount;
  }
}

function unpack(entry: PackedEntry, block: Block): string[] {
  const names = entry.names ?? block.masterNames;
  const fields: string[] = [];
  for (let i = 0; i < names.length; i++) fields.push(names[i], entry.values[i]);
  return fields;
}
