/**
 * Redis's replication backlog: the last `size` bytes of the replication stream in a ring
 * buffer, addressed by stream offset, so a replica that lost its link for a moment asks for
 * "everything after offset N" (PSYNC) instead of a whole new snapshot.
 *
 * Offsets count bytes from 1, as Redis does: `endOffset` is the offset of the last byte
 * appended (master_repl_offset) and `firstByteOffset` that of the oldest byte still held.
 */
export class ReplicationBacklog {
  private buffer: Buffer;
  /** Where the next byte goes in `buffer`. */
  private head = 0;
  /** Bytes held, at most the buffer's size (repl_backlog_histlen). */
  histlen = 0;
  /** Offset of the last byte appended. */
  endOffset: number;

  /** A backlog starting after `offset`: the next byte appended gets offset + 1. */
  constructor(size: number, offset: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(16 * 1024, size));
    this.endOffset = offset;
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Offset of the oldest byte held (endOffset + 1 while empty). */
  get firstByteOffset(): number {
    return this.endOffset - this.histlen + 1;
  }

  append(bytes: Buffer): void {
    const capacity = this.buffer.length;
    this.endOffset += bytes.length;
    let source = bytes;
    // Only the last `capacity` bytes can survive.
    if (source.length > capacity) source = source.subarray(source.length - capacity);
    const first = Math.min(source.length, capacity - this.head);
    source.copy(this.buffer, this.head, 0, first);
    if (first < source.length) source.copy(this.buffer, 0, first);
    this.head = (this.head + source.length) % capacity;
    this.histlen = Math.min(capacity, this.histlen + bytes.length);
  }

  /** Whether every byte from `offset` on is held (offset endOffset + 1 means "nothing more"). */
  covers(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.endOffset + 1;
  }

  /** Bytes from `offset` to the end, as one or two copies; the caller checked `covers`. */
  readFrom(offset: number): Buffer[] {
    const length = this.endOffset + 1 - offset;
    if (length <= 0) return [];
    const capacity = this.buffer.length;
    const start = (this.head - length + capacity) % capacity;
    if (start + length <= capacity) {
      return [Buffer.from(this.buffer.subarray(start, start + length))];
    }
    return [
      Buffer.from(this.buffer.subarray(start)),
      Buffer.from(this.buffer.subarray(0, length - (capacity - start))),
    ];
  }

  /** The history held moves `delta` bytes later in the stream (a restarted master's). */
  rebase(delta: number): void {
    this.endOffset += delta;
  }

  /** CONFIG SET repl-backlog-size: keeps the newest bytes that still fit. */
  resize(size: number): void {
    const capacity = Math.max(16 * 1024, size);
    if (capacity === this.buffer.length) return;
    const kept = Math.min(this.histlen, capacity);
    const newest = kept === 0 ? [] : this.readFrom(this.endOffset + 1 - kept);
    this.buffer = Buffer.allocUnsafe(capacity);
    this.head = 0;
    this.histlen = 0;
    const endOffset = this.endOffset - kept;
    this.endOffset = endOffset;
    for (const part of newest) this.append(part);
  }
}
