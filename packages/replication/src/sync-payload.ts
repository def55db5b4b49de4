/** Length of the random delimiter of a diskless transfer (Redis's RDB_EOF_MARK_SIZE). */
export const EOF_MARK_LENGTH = 40;

const LF = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * The RDB a master sends after `+FULLRESYNC`, in either of Redis's two framings:
 *
 * - `$<length>\r\n<length bytes>`: the size is known up front (disk-based sync);
 * - `$EOF:<40 random bytes>\r\n<bytes><the same 40 bytes>`: streamed while it is produced
 *   (diskless sync, offered to replicas that announced `capa eof`).
 *
 * Newlines before the header are the master's keepalives while it prepares the snapshot.
 * Bytes after a `$<length>` payload are the start of the command stream and are returned as
 * `rest`; after an EOF-framed payload a master sends nothing until the replica's first ACK.
 */
export class SyncPayloadReader {
  /** Payload bytes expected, or -1 for an EOF-framed payload (unknown until its end). */
  total = -1;
  /** Payload bytes received so far (including the end mark). */
  received = 0;
  private header: Buffer | null = Buffer.alloc(0) as Buffer;
  private mark: Buffer | null = null;
  private readonly chunks: Buffer[] = [];
  /** The last bytes received, to find the end mark across chunk boundaries. */
  private tail: Buffer = Buffer.alloc(0);

  /** Whether the header line has been read. */
  get started(): boolean {
    return this.header === null;
  }

  /**
   * Takes the next bytes from the socket; returns the complete RDB and whatever followed it
   * once the payload is complete, else null. Throws on a malformed header.
   */
  feed(chunk: Buffer): { rdb: Buffer; rest: Buffer } | null {
    const body = this.readHeader(chunk);
    if (body === null) return null;
    if (this.mark === null) return this.feedSized(body);
    return this.feedMarked(body);
  }

  /**
   * As feed, but hands payload bytes on as soon as they are known to be RDB, for a load that
   * parses while the transfer goes on (diskless load): all of them for a sized payload; for an
   * EOF-framed one, all but the last 40 seen, which may be its end mark.
   */
  feedStreaming(chunk: Buffer): { rdb: Buffer; done: boolean; rest: Buffer } {
    const body = this.readHeader(chunk);
    if (body === null) return { rdb: EMPTY, done: false, rest: EMPTY };
    if (this.mark === null) {
      const taken = Math.min(this.total - this.received, body.length);
      this.received += taken;
      return {
        rdb: body.subarray(0, taken),
        done: this.received === this.total,
        rest: body.subarray(taken),
      };
    }
    this.received += body.length;
    const bytes = this.tail.length === 0 ? body : Buffer.concat([this.tail, body]);
    const keep = Math.max(0, bytes.length - EOF_MARK_LENGTH);
    const done = bytes.length >= EOF_MARK_LENGTH && bytes.subarray(keep).equals(this.mark);
    this.tail = done ? EMPTY : Buffer.from(bytes.subarray(keep));
    return { rdb: bytes.subarray(0, keep), done, rest: EMPTY };
  }

  /** Reads the header line once; returns the bytes after it, or null while it is incomplete. */
  private readHeader(chunk: Buffer): Buffer | null {
    if (this.header === null) return chunk;
    const bytes = this.header.length === 0 ? chunk : Buffer.concat([this.header, chunk]);
    let start = 0;
    while (start < bytes.length && bytes[start] === LF) start++;
    const end = bytes.indexOf(LF, start);
    if (end === -1) {
      this.header = bytes.subarray(start);
      return null;
    }
    this.parseHeader(bytes.subarray(start, end).toString('latin1').replace(/\r$/, ''));
    this.header = null;
    return bytes.subarray(end + 1);
  }

  private parseHeader(line: string): void {
    if (line.startsWith('-')) throw new Error(`master aborted the transfer: ${line.slice(1)}`);
    if (!line.startsWith('$')) throw new Error(`bad sync payload header '${line}'`);
    if (line.startsWith('$EOF:')) {
      const mark = line.slice(5);
      if (mark.length !== EOF_MARK_LENGTH) throw new Error(`bad EOF mark in '${line}'`);
      this.mark = Buffer.from(mark, 'latin1');
      return;
    }
    const total = Number(line.slice(1));
    if (!Number.isSafeInteger(total) || total < 0) {
      throw new Error(`bad sync payload length '${line}'`);
    }
    this.total = total;
  }

  private feedSized(chunk: Buffer): { rdb: Buffer; rest: Buffer } | null {
    const wanted = this.total - this.received;
    const taken = Math.min(wanted, chunk.length);
    if (taken > 0) this.chunks.push(chunk.subarray(0, taken));
    this.received += taken;
    if (this.received < this.total) return null;
    return { rdb: Buffer.concat(this.chunks), rest: chunk.subarray(taken) };
  }

  private feedMarked(chunk: Buffer): { rdb: Buffer; rest: Buffer } | null {
    if (chunk.length === 0) return null;
    this.chunks.push(chunk);
    this.received += chunk.length;
    const tail =
      chunk.length >= EOF_MARK_LENGTH
        ? chunk.subarray(chunk.length - EOF_MARK_LENGTH)
        : Buffer.concat([this.tail, chunk]).subarray(-EOF_MARK_LENGTH);
    this.tail = Buffer.from(tail);
    if (this.received < EOF_MARK_LENGTH || !this.tail.equals(this.mark as Buffer)) return null;
    const all = Buffer.concat(this.chunks);
    return { rdb: all.subarray(0, all.length - EOF_MARK_LENGTH), rest: Buffer.alloc(0) };
  }
}

/**
 * Reads a master's replies during the handshake: one line each (`+PONG`, `+OK`,
 * `+FULLRESYNC ...`), skipping the bare newlines masters send as keepalives.
 */
export class ReplyLineReader {
  private pending: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next non-empty line without its line end, or null until one is complete. */
  next(): string | null {
    for (;;) {
      const end = this.pending.indexOf(LF);
      if (end === -1) return null;
      const line = this.pending.subarray(0, end).toString('latin1').replace(/\r$/, '');
      this.pending = this.pending.subarray(end + 1);
      if (line !== '') return line;
    }
  }

  /** Whatever was received after the last line returned. */
  take(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }
}
