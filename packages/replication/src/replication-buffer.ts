import { allocationSize } from '@rc/engine';

/** Redis's PROTO_REPLY_CHUNK_BYTES: the smallest block. */
const MIN_BLOCK_BYTES = 16 * 1024;
/** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
const MIN_BACKLOG_BYTES = 16 * 1024;
/** Redis's sizeof(replBufBlock), the header in front of each block's bytes. */
const BLOCK_HEADER_BYTES = 40;
/** Redis's sizeof(listNode), the list node holding each block. */
const LIST_NODE_BYTES = 24;

/** One block of the stream (Redis's replBufBlock): full, except the last one. */
class Block {
  used = 0;
  /** The backlog (on the first block) and the replicas whose next byte is in it. */
  refcount = 0;
  next: Block | null = null;
  readonly bytes: Buffer;

  constructor(
    /** Offset of its first byte. */
    public offset: number,
    /** Its rank in the stream, for counting blocks between two of them. */
    readonly id: number,
    capacity: number,
  ) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  get size(): number {
    return this.bytes.length;
  }
}

/**
 * Redis 7's replication buffer: the stream as a list of reference-counted blocks shared by the
 * backlog and every replica. The backlog holds the first block and keeps at least
 * `repl-backlog-size` bytes; each replica holds the block of the next byte it is to be sent, so a
 * slow replica keeps its part of the stream (the backlog grows past its size meanwhile, and
 * PSYNC can continue from it) without a copy of its own. Memory is counted once
 * (`repl_buffer_mem`), and a replica's output buffer is its share from its block to the end.
 *
 * Offsets count bytes from 1, as Redis does: `endOffset` is the offset of the last byte
 * appended (master_repl_offset) and `firstByteOffset` that of the oldest byte held.
 */
export class ReplicationBuffer {
  /** The backlog's first block (Redis's repl_backlog->ref_repl_buf_node), or null while empty. */
  private first: Block | null = null;
  private last: Block | null = null;
  private nextId = 0;
  /** Bytes the backlog holds (repl_backlog_histlen); more than `size` while a replica holds old blocks. */
  histlen = 0;
  /** Offset of the last byte appended. */
  endOffset: number;
  /** repl_buffer_mem: the blocks, their headers and list nodes, as Redis counts them. */
  memory = 0;
  /** repl-backlog-size, at least 16 KB. */
  size: number;
  /** Cursors placed at the next byte appended (Redis's replicas whose ref_repl_buf_node is NULL). */
  private readonly unplaced = new Set<ReplicaCursor>();

  /** A backlog starting after `offset`: the next byte appended gets offset + 1. */
  constructor(size: number, offset: number) {
    this.size = Math.max(MIN_BACKLOG_BYTES, size);
    this.endOffset = offset;
  }

  /** Offset of the oldest byte held (endOffset + 1 while empty). */
  get firstByteOffset(): number {
    return this.endOffset - this.histlen + 1;
  }

  /** Redis's feedReplicationBuffer; returns whether a block was added (when limits are checked). */
  append(bytes: Buffer): boolean {
    let added = false;
    let from = 0;
    while (from < bytes.length) {
      // Where these bytes start: the room left in the last block, else a new block.
      let start: Block | null = null;
      let position = 0;
      const tail = this.last;
      if (tail !== null && tail.used < tail.size) {
        start = tail;
        position = tail.used;
        from += this.fill(tail, bytes, from);
      }
      let newBlock = false;
      if (from < bytes.length) {
        const block = this.addBlock(bytes.length - from);
        from += this.fill(block, bytes, from);
        start ??= block;
        newBlock = added = true;
      }
      for (const cursor of this.unplaced) cursor.place(start as Block, position);
      this.unplaced.clear();
      if (this.first === null) {
        this.first = start;
        (start as Block).refcount++;
      }
      if (newBlock) this.trim();
    }
    return added;
  }

  /** Whether every byte from `offset` on is held (offset endOffset + 1 means "nothing more"). */
  covers(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.endOffset + 1;
  }

  /** A replica's place at the next byte appended (one whose snapshot is taken now). */
  follow(): ReplicaCursor {
    const cursor = new ReplicaCursor(this);
    this.unplaced.add(cursor);
    return cursor;
  }

  /**
   * A replica's place at `offset` (a partial resynchronization; the caller checked `covers`),
   * as Redis's addReplyReplicationBacklog: the block holding it, or the next byte appended.
   */
  cursorAt(offset: number): ReplicaCursor {
    if (this.histlen === 0) return this.follow();
    let block = this.first as Block;
    while (block.offset + block.used < offset && block.next !== null) block = block.next;
    const cursor = new ReplicaCursor(this);
    cursor.place(block, offset - block.offset);
    return cursor;
  }

  /** The history held moves `delta` bytes later in the stream (a restarted master's). */
  rebase(delta: number): void {
    this.endOffset += delta;
    for (let block = this.first; block !== null; block = block.next) {
      block.offset += delta;
    }
  }

  /** CONFIG SET repl-backlog-size. */
  resize(size: number): void {
    this.size = Math.max(MIN_BACKLOG_BYTES, size);
    this.trim();
  }

  /**
   * Redis's incrementalTrimReplicationBacklog, all at once: drops first blocks nobody but the
   * backlog holds while the backlog keeps more than its size without them.
   */
  trim(): void {
    let first = this.first;
    while (
      first !== null &&
      first.next !== null &&
      first.refcount === 1 &&
      this.histlen - first.size > this.size
    ) {
      this.histlen -= first.size;
      this.memory -= first.size + BLOCK_HEADER_BYTES + LIST_NODE_BYTES;
      first.refcount--;
      first = first.next;
      first.refcount++;
    }
    this.first = first;
  }

  /** Bytes a replica at `block` holds, as Redis's getClientOutputBufferMemoryUsage. */
  sharedBytes(block: Block): number {
    const last = this.last as Block;
    const nodes = last.id - block.id + 1;
    return last.offset + last.size - block.offset + nodes * (BLOCK_HEADER_BYTES + LIST_NODE_BYTES);
  }

  /** @internal a cursor stops waiting for the next byte (its replica went away). */
  forget(cursor: ReplicaCursor): void {
    this.unplaced.delete(cursor);
  }

  /** A new last block, sized as Redis's: 16 KB at least, at most a sixteenth of the backlog. */
  private addBlock(length: number): Block {
    const limit = Math.max(Math.floor(this.size / 16), MIN_BLOCK_BYTES);
    const wanted = Math.min(Math.max(length, MIN_BLOCK_BYTES), limit);
    // The allocator's rounding is the block's to use, as Redis's zmalloc_usable.
    const usable = allocationSize(wanted + BLOCK_HEADER_BYTES);
    const block = new Block(this.endOffset + 1, this.nextId++, usable - BLOCK_HEADER_BYTES);
    if (this.last !== null) this.last.next = block;
    this.last = block;
    this.memory += usable + LIST_NODE_BYTES;
    return block;
  }

  private fill(block: Block, bytes: Buffer, from: number): number {
    const copied = bytes.copy(block.bytes, block.used, from);
    block.used += copied;
    this.endOffset += copied;
    this.histlen += copied;
    return copied;
  }
}

/**
 * Where a replica is in the shared buffer: the block of the next byte it is to be sent and the
 * position in it (Redis's ref_repl_buf_node and ref_block_pos).
 */
export class ReplicaCursor {
  private block: Block | null = null;
  private position = 0;
  private released = false;

  constructor(private readonly buffer: ReplicationBuffer) {}

  /** @internal */
  place(block: Block, position: number): void {
    this.block = block;
    this.position = position;
    block.refcount++;
  }

  /**
   * The next bytes to send, up to the end of a block, now counted as sent; null when everything
   * was. A block fully sent is let go as soon as a later one exists (the backlog may trim it).
   */
  take(): Buffer | null {
    for (;;) {
      const block = this.block;
      if (block === null) return null;
      const chunk =
        this.position < block.used ? block.bytes.subarray(this.position, block.used) : null;
      this.position = block.used;
      const next = block.next;
      if (next !== null) {
        block.refcount--;
        this.place(next, 0);
        this.buffer.trim();
      }
      if (chunk !== null) return chunk;
      if (next === null) return null;
    }
  }

  /** Its output buffer, as Redis counts a replica's: its blocks, from its own to the last. */
  get outputBytes(): number {
    return this.block === null ? 0 : this.buffer.sharedBytes(this.block);
  }

  /** The replica went away: its blocks may go (Redis's freeReplicaReferencedReplBuffer). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.buffer.forget(this);
    if (this.block === null) return;
    this.block.refcount--;
    this.block = null;
    this.buffer.trim();
  }
}
