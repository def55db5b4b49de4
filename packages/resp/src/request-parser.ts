import { decodeLatin1, latin1Slice } from './latin1.js';
import { parseIntegerBytes } from './integer-text.js';
import { ProtocolError, ProtocolErrors } from './protocol-error.js';
import { splitArguments } from './split-arguments.js';

export interface RequestParserOptions {
  /** proto-max-bulk-len: the longest bulk argument accepted (default 512 MiB). */
  maxBulkLength?: number;
}

/** Longest header or inline line Redis accepts without a line end (PROTO_INLINE_MAX_SIZE). */
const MAX_LINE = 64 * 1024;
/** Bulks at least this large are copied straight into their final buffer as chunks arrive. */
const LARGE_BULK = 64 * 1024;
const CR = 13;
const LF = 10;

/**
 * Streaming parser for what clients send: RESP multibulk commands and inline commands, with
 * Redis's exact protocol errors. Feed chunks split anywhere; take commands with `next()`.
 * Arguments come out as latin1 strings (one char per byte, binary safe).
 */
export class RequestParser {
  maxBulkLength: number;
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  /** Arguments still expected by the multibulk in progress (0 = none in progress). */
  private remaining = 0;
  private args: string[] = [];
  private filled = 0;
  /** Length of the bulk being read, or -1 while its `$` header is not parsed yet. */
  private bulkLength = -1;
  /** Destination of a large bulk being assembled across chunks, and how much is filled. */
  private largeBulk: Buffer | null = null;
  private largeFilled = 0;
  private failed: ProtocolError | null = null;

  constructor(options: RequestParserOptions = {}) {
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
  }

  get buffered(): number {
    return this.buffer.length - this.position + this.largeFilled;
  }

  feed(chunk: Buffer): void {
    if (this.largeBulk !== null) {
      const taken = this.fillLargeBulk(chunk, 0);
      if (taken === chunk.length) return;
      chunk = chunk.subarray(taken);
    }
    if (this.position >= this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(this.position), chunk]);
    }
    this.position = 0;
  }

  /** The next complete command, null when more input is needed, or the protocol error. */
  next(): string[] | ProtocolError | null {
    if (this.failed !== null) return this.failed;
    if (this.largeBulk !== null) return null;
    if (this.remaining === 0 && this.args.length > 0) return this.takeArgs(); // a large bulk completed it
    for (;;) {
      if (this.remaining === 0) {
        if (this.position >= this.buffer.length) return null;
        if (this.buffer[this.position] !== 42 /* * */) return this.parseInline();
        const count = this.parseMultibulkHeader();
        if (count === null) return null;
        if (count instanceof ProtocolError) return this.fail(count);
        if (count <= 0) continue; // *0 and *-1 are no command at all
        this.remaining = count;
        this.args = new Array<string>(count);
        this.filled = 0;
      }
      const result = this.parseArguments();
      return result === undefined ? this.takeArgs() : result;
    }
  }

  private takeArgs(): string[] {
    const args = this.args;
    this.args = [];
    return args;
  }

  private fail(error: ProtocolError): ProtocolError {
    this.failed = error;
    return error;
  }

  /** Index of the first CR at or after `from`, with at least one byte after it; -1 if none. */
  private lineEnd(from: number): number {
    const cr = this.buffer.indexOf(CR, from);
    return cr === -1 || cr + 1 >= this.buffer.length ? -1 : cr;
  }

  private parseMultibulkHeader(): number | ProtocolError | null {
    const quick = this.quickCount(this.buffer, this.position + 1);
    if (quick !== -1) return quick;
    const end = this.lineEnd(this.position);
    if (end === -1) {
      return this.buffer.length - this.position > MAX_LINE
        ? ProtocolErrors.tooBigMultibulkCount
        : null;
    }
    const count = parseIntegerBytes(this.buffer, this.position + 1, end);
    if (Number.isNaN(count) || count > 0x7fffffff) return ProtocolErrors.invalidMultibulkLength;
    this.position = end + 2;
    return count;
  }

  /** Reads bulks of the multibulk in progress; undefined when all arrived, else null/error. */
  private parseArguments(): ProtocolError | null | undefined {
    const buffer = this.buffer;
    while (this.remaining > 0) {
      if (this.bulkLength === -1) {
        if (this.position >= buffer.length) return null;
        const quick = this.quickBulkHeader(buffer);
        if (quick !== -1) {
          this.bulkLength = quick;
          continue;
        }
        const end = this.lineEnd(this.position);
        if (end === -1) {
          if (buffer.length - this.position > MAX_LINE)
            return this.fail(ProtocolErrors.tooBigBulkCount);
          return null;
        }
        if (buffer[this.position] !== 36 /* $ */) {
          return this.fail(ProtocolErrors.expectedDollar(buffer[this.position]));
        }
        const length = parseIntegerBytes(buffer, this.position + 1, end);
        if (Number.isNaN(length) || length < 0 || length > this.maxBulkLength) {
          return this.fail(ProtocolErrors.invalidBulkLength);
        }
        this.position = end + 2;
        this.bulkLength = length;
      }
      const available = buffer.length - this.position;
      if (available < this.bulkLength + 2) {
        if (this.bulkLength >= LARGE_BULK) this.startLargeBulk();
        return null;
      }
      this.args[this.filled++] = decodeLatin1(
        buffer,
        this.position,
        this.position + this.bulkLength,
      );
      this.position += this.bulkLength + 2;
      this.bulkLength = -1;
      this.remaining--;
    }
    return undefined;
  }

  /**
   * The common case of a bulk header, "$<digits>\r\n" with no leading zero, read in one pass;
   * -1 sends anything else (errors, split input, long lines) to the general path.
   */
  private quickBulkHeader(buffer: Buffer): number {
    if (buffer[this.position] !== 36 /* $ */) return -1;
    const header = this.position;
    const length = this.quickCount(buffer, header + 1);
    if (length <= this.maxBulkLength) return length;
    this.position = header; // over the limit: the general path reports it
    return -1;
  }

  /**
   * Reads "<digits>\r?" starting at `at` (no sign, no leading zero) and moves past the line
   * end; -1 leaves anything unusual (errors, split input, long lines) to the general path.
   */
  private quickCount(buffer: Buffer, at: number): number {
    const first = buffer[at];
    if (first === undefined || first < 49 || first > 57)
      return first === 48 ? this.quickZero(buffer, at) : -1;
    const start = at;
    let length = 0;
    let c = first;
    while (c >= 48 && c <= 57) {
      length = length * 10 + (c - 48);
      c = buffer[++at];
      if (at - start > 9) return -1; // at most 9 digits: always below both limits
    }
    if (c !== CR || at + 1 >= buffer.length) return -1;
    this.position = at + 2;
    return length;
  }

  /** "$0\r\n": an empty bulk. */
  private quickZero(buffer: Buffer, at: number): number {
    if (buffer[at + 1] !== CR || at + 2 >= buffer.length) return -1;
    this.position = at + 3;
    return 0;
  }

  /** Moves a partially received large bulk into its own buffer so later chunks are copied once. */
  private startLargeBulk(): void {
    this.largeBulk = Buffer.allocUnsafe(this.bulkLength + 2);
    this.largeFilled = 0;
    const rest = this.buffer.subarray(this.position);
    this.buffer = Buffer.alloc(0);
    this.position = 0;
    this.fillLargeBulk(rest, 0);
  }

  /** Copies from chunk into the large bulk; returns bytes taken. Completes the argument. */
  private fillLargeBulk(chunk: Buffer, from: number): number {
    const target = this.largeBulk as Buffer;
    const taken = Math.min(target.length - this.largeFilled, chunk.length - from);
    chunk.copy(target, this.largeFilled, from, from + taken);
    this.largeFilled += taken;
    if (this.largeFilled === target.length) {
      this.args[this.filled++] = latin1Slice(target, 0, target.length - 2);
      this.largeBulk = null;
      this.largeFilled = 0;
      this.bulkLength = -1;
      this.remaining--;
    }
    return taken;
  }

  private parseInline(): string[] | ProtocolError | null {
    const buffer = this.buffer;
    const newline = buffer.indexOf(LF, this.position);
    if (newline === -1) {
      return buffer.length - this.position > MAX_LINE
        ? this.fail(ProtocolErrors.tooBigInline)
        : null;
    }
    let end = newline;
    if (end > this.position && buffer[end - 1] === CR) end--;
    const line = latin1Slice(buffer, this.position, end);
    this.position = newline + 1;
    const args = splitArguments(line);
    if (args === null) return this.fail(ProtocolErrors.unbalancedQuotes);
    return args;
  }
}
