import { decodeLatin1, latin1Slice } from './latin1.js';
import { parseIntegerBytes } from './integer-text.js';
import { ProtocolError, ProtocolErrors } from './protocol-error.js';
import { splitArguments } from './split-arguments.js';

export interface RequestParserOptions {
  /** proto-max-bulk-len: the longest bulk argument accepted (default 512 MiB). */
  maxBulkLength?: number;
  /** Whether the client still has to AUTH (see `RequestParser.authRequired`). */
  authRequired?: boolean;
}

/** Longest header or inline line Redis accepts without a line end (PROTO_INLINE_MAX_SIZE). */
const MAX_LINE = 64 * 1024;
/** Redis 7.0 rejects multibulk counts above INT_MAX (not 1024*1024 as Redis 6 did). */
const MAX_MULTIBULK = 0x7fffffff;
/** Limits for clients that have not authenticated yet (networking.c, authRequired). */
const UNAUTHENTICATED_MAX_MULTIBULK = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
/** Bulks at least this large are copied straight into their final buffer as chunks arrive. */
const LARGE_BULK = 64 * 1024;
/** Arguments preallocated per command, whatever count the client announces (as Redis). */
const MAX_PREALLOCATED_ARGS = 1024;
/** The longest first argument a parser remembers as the last command name. */
const MAX_REMEMBERED_NAME = 32;
const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);
/** `args` between commands: a new array per command is enough. */
const NO_ARGS: string[] = [];

/**
 * Streaming parser for what clients send: RESP multibulk commands and inline commands, with
 * Redis 7.0's exact protocol errors. Feed chunks split anywhere; take commands with `next()`.
 * Arguments come out as latin1 strings (one char per byte, binary safe).
 *
 * Parsing is lazy: `next()` reads one command and nothing of the next, so a server that sets
 * `authRequired = false` after executing AUTH gets the limits applied exactly as Redis does.
 */
export class RequestParser {
  /** proto-max-bulk-len; mutable for CONFIG SET. */
  maxBulkLength: number;
  /**
   * Whether the client must still authenticate. While true, Redis refuses multibulk counts
   * above 10 and bulks above 16384 bytes ("unauthenticated multibulk/bulk length").
   */
  authRequired: boolean;
  private buffer: Buffer = EMPTY;
  /** Whether `buffer` is the caller's last chunk itself, not a copy (see `release`). */
  private borrowed = false;
  private position = 0;
  /** Arguments still expected by the multibulk in progress (0 = none in progress). */
  private remaining = 0;
  private args: string[] = NO_ARGS;
  private filled = 0;
  /** The bytes of `args` so far. */
  private argsBytes = 0;
  /** Length of the bulk being read, or -1 while its `$` header is not parsed yet. */
  private bulkLength = -1;
  /** Destination of a large bulk being assembled across chunks, and how much is filled. */
  private largeBulk: Buffer | null = null;
  private largeFilled = 0;
  private failed: ProtocolError | null = null;
  /** The last command name decoded (see `commandName`). */
  private lastName = '';

  constructor(options: RequestParserOptions = {}) {
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.authRequired = options.authRequired ?? false;
  }

  /** Bytes received but not yet returned as (part of) a command. */
  get buffered(): number {
    return this.buffer.length - this.position + this.largeFilled;
  }

  /** Bytes of the input being parsed, returned as commands or not (Redis's querybuf). */
  get bufferLength(): number {
    return this.buffer.length + this.largeFilled;
  }

  /** The arguments of the command in progress parsed so far: their bytes (Redis's argv_len_sum). */
  get partialArgumentBytes(): number {
    return this.argsBytes;
  }

  /** Length of the bulk argument being received, or -1 between arguments. */
  get bulkInProgress(): number {
    return this.bulkLength;
  }

  /** The first bytes of the unparsed input, for a log line about it. */
  head(length: number): Buffer {
    if (this.largeBulk !== null) {
      return this.largeBulk.subarray(0, Math.min(length, this.largeFilled));
    }
    return this.buffer.subarray(this.position, this.position + length);
  }

  feed(chunk: Buffer): void {
    if (this.failed !== null || chunk.length === 0) return;
    if (this.largeBulk !== null) {
      const taken = this.fillLargeBulk(chunk);
      if (taken === chunk.length) return;
      chunk = chunk.subarray(taken);
    }
    if (this.position >= this.buffer.length) {
      this.buffer = chunk;
      this.borrowed = true;
    } else {
      // Only a partial header, a partial small bulk or unread commands are left: bounded.
      this.buffer = Buffer.concat([this.buffer.subarray(this.position), chunk]);
      this.borrowed = false;
    }
    this.position = 0;
  }

  /**
   * Stops referring to the chunks fed so far, copying what is still unread, so the caller may
   * reuse their memory (a socket that reads into one shared buffer). Free when all was read.
   */
  release(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    this.buffer =
      this.position < this.buffer.length ? Buffer.from(this.buffer.subarray(this.position)) : EMPTY;
    this.position = 0;
  }

  /** The next complete command, null when more input is needed, or the protocol error. */
  next(): string[] | ProtocolError | null {
    if (this.failed !== null) return this.failed;
    if (this.largeBulk !== null) return null;
    for (;;) {
      if (this.remaining === 0) {
        if (this.filled > 0) return this.takeArgs(); // a large bulk completed the command
        if (this.position >= this.buffer.length) return null;
        if (this.buffer[this.position] !== 42 /* * */) {
          const inline = this.parseInline();
          // A blank line is no command (Redis resets the client and reads on).
          if (inline !== null && !(inline instanceof ProtocolError) && inline.length === 0)
            continue;
          return inline;
        }
        const count = this.parseMultibulkHeader();
        if (count === null) return null;
        if (count instanceof ProtocolError) return this.fail(count);
        if (count <= 0) continue; // *0 and negative counts are no command at all
        this.remaining = count;
        this.args = new Array<string>(
          count < MAX_PREALLOCATED_ARGS ? count : MAX_PREALLOCATED_ARGS,
        );
        this.filled = 0;
      }
      const result = this.parseArguments();
      return result === undefined ? this.takeArgs() : result;
    }
  }

  private takeArgs(): string[] {
    const args = this.args;
    // Never written: the next multibulk header makes its own array first.
    this.args = NO_ARGS;
    this.filled = 0;
    this.argsBytes = 0;
    return args;
  }

  private fail(error: ProtocolError): ProtocolError {
    this.failed = error;
    this.buffer = EMPTY;
    this.position = 0;
    this.largeBulk = null;
    return error;
  }

  /**
   * Index of the CR ending the header line that starts at `from`, with at least one byte after
   * it (Redis skips that byte without checking it is LF); -1 if there is none yet. Redis looks
   * for the CR with strchr, which stops at a NUL byte: a NUL before the CR hides the line end
   * for good, so the client waits until the line counts as too long.
   */
  private lineEnd(from: number): number {
    const buffer = this.buffer;
    const length = buffer.length;
    for (let i = from; i < length; i++) {
      const c = buffer[i];
      if (c === CR) return i + 1 < length ? i : -1;
      if (c === 0) return -1;
    }
    return -1;
  }

  private parseMultibulkHeader(): number | ProtocolError | null {
    let count = this.quickCount(this.buffer, this.position + 1);
    if (count === -1) {
      const end = this.lineEnd(this.position);
      if (end === -1) {
        return this.buffer.length - this.position > MAX_LINE
          ? ProtocolErrors.tooBigMultibulkCount
          : null;
      }
      count = parseIntegerBytes(this.buffer, this.position + 1, end);
      if (Number.isNaN(count) || count > MAX_MULTIBULK)
        return ProtocolErrors.invalidMultibulkLength;
      this.position = end + 2;
    }
    if (count > UNAUTHENTICATED_MAX_MULTIBULK && this.authRequired) {
      return ProtocolErrors.unauthenticatedMultibulkLength;
    }
    return count;
  }

  /** Reads bulks of the multibulk in progress; undefined when all arrived, else null/error. */
  private parseArguments(): ProtocolError | null | undefined {
    const buffer = this.buffer;
    while (this.remaining > 0) {
      if (this.bulkLength === -1) {
        if (this.position >= buffer.length) return null;
        let length =
          buffer[this.position] === 36 /* $ */ ? this.quickCount(buffer, this.position + 1) : -1;
        if (length === -1) {
          const end = this.lineEnd(this.position);
          if (end === -1) {
            if (buffer.length - this.position > MAX_LINE)
              return this.fail(ProtocolErrors.tooBigBulkCount);
            return null;
          }
          if (buffer[this.position] !== 36 /* $ */) {
            return this.fail(ProtocolErrors.expectedDollar(buffer[this.position]));
          }
          length = parseIntegerBytes(buffer, this.position + 1, end);
          if (Number.isNaN(length) || length < 0)
            return this.fail(ProtocolErrors.invalidBulkLength);
          this.position = end + 2;
        }
        if (length > this.maxBulkLength) return this.fail(ProtocolErrors.invalidBulkLength);
        if (length > UNAUTHENTICATED_MAX_BULK && this.authRequired) {
          return this.fail(ProtocolErrors.unauthenticatedBulkLength);
        }
        this.bulkLength = length;
      }
      // The payload is taken by length, never searched; Redis does not check the CRLF after it.
      const available = buffer.length - this.position;
      if (available < this.bulkLength + 2) {
        if (this.bulkLength >= LARGE_BULK) this.startLargeBulk();
        return null;
      }
      const start = this.position;
      const end = start + this.bulkLength;
      this.args[this.filled] =
        this.filled === 0 ? this.commandName(buffer, start, end) : decodeLatin1(buffer, start, end);
      this.filled++;
      this.argsBytes += this.bulkLength;
      this.position += this.bulkLength + 2;
      this.bulkLength = -1;
      this.remaining--;
    }
    return undefined;
  }

  /**
   * A command's first argument, its name. A pipeline mostly repeats one command: when the bytes
   * spell the name decoded last, that same string comes back, so no string is made (nor
   * collected) for it and the command lookup finds it by identity.
   */
  private commandName(buffer: Buffer, start: number, end: number): string {
    const last = this.lastName;
    const length = end - start;
    if (length === last.length) {
      let i = 0;
      while (i < length && buffer[start + i] === last.charCodeAt(i)) i++;
      if (i === length) return last;
    }
    const name = decodeLatin1(buffer, start, end);
    // Not kept when long: no command name is, and a parser should not hold a big argument.
    if (length <= MAX_REMEMBERED_NAME) this.lastName = name;
    return name;
  }

  /**
   * The common header "<digits>\r" with no leading zero and at most 9 digits (so within every
   * limit but the configurable ones), read in one pass starting at `at`; moves past the line.
   * -1 leaves anything else (errors, split input, long numbers) to the general path.
   */
  private quickCount(buffer: Buffer, at: number): number {
    const start = at;
    let c = buffer[at];
    if (c === 48 /* 0 */) {
      if (buffer[at + 1] !== CR || at + 2 >= buffer.length) return -1;
      this.position = at + 3;
      return 0;
    }
    let value = 0;
    while (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      c = buffer[++at];
    }
    if (c !== CR || at === start || at - start > 9 || at + 1 >= buffer.length) return -1;
    this.position = at + 2;
    return value;
  }

  /** Moves a partially received large bulk into its own buffer so later chunks are copied once. */
  private startLargeBulk(): void {
    this.largeBulk = Buffer.allocUnsafe(this.bulkLength + 2);
    this.largeFilled = 0;
    const rest = this.buffer.subarray(this.position);
    this.buffer = EMPTY;
    this.position = 0;
    this.fillLargeBulk(rest);
  }

  /** Copies from chunk into the large bulk; returns bytes taken. Completes the argument. */
  private fillLargeBulk(chunk: Buffer): number {
    const target = this.largeBulk as Buffer;
    const wanted = target.length - this.largeFilled;
    const taken = wanted < chunk.length ? wanted : chunk.length;
    chunk.copy(target, this.largeFilled, 0, taken);
    this.largeFilled += taken;
    if (this.largeFilled === target.length) {
      this.args[this.filled++] = latin1Slice(target, 0, target.length - 2);
      this.argsBytes += target.length - 2;
      this.largeBulk = null;
      this.largeFilled = 0;
      this.bulkLength = -1;
      this.remaining--;
    }
    return taken;
  }

  /**
   * An inline line that is one plain word and its line end (`PING\r\n`, redis-benchmark's
   * PING_INLINE): no byte of it is a blank, a control char, a quote or NUL, so splitting the
   * line gives the word itself, which `commandName` gives back without making a string when it
   * repeats. Null for any other line, or one whose end has not arrived: the general path then
   * splits it (it cost a string per char of the word here, 256 bytes of garbage per PING).
   */
  private inlineWord(): string[] | null {
    const buffer = this.buffer;
    const start = this.position;
    const length = buffer.length;
    let end = start;
    for (; end < length; end++) {
      const c = buffer[end];
      if (c <= 32 /* blanks, control chars, NUL */ || c === 34 /* " */ || c === 39 /* ' */) break;
    }
    if (end === start || end === length) return null;
    let next: number;
    if (buffer[end] === LF) next = end + 1;
    else if (buffer[end] === CR && end + 1 < length && buffer[end + 1] === LF) next = end + 2;
    else return null;
    this.position = next;
    return [this.commandName(buffer, start, end)];
  }

  /**
   * An inline command: the line up to LF (a CR before it dropped), split like sdssplitargs.
   * Redis finds the LF with strchr, so a NUL byte before it hides the line end for good.
   */
  private parseInline(): string[] | ProtocolError | null {
    const word = this.inlineWord();
    if (word !== null) return word;
    const buffer = this.buffer;
    const start = this.position;
    let newline = buffer.indexOf(LF, start);
    if (newline !== -1) {
      for (let i = start; i < newline; i++) {
        if (buffer[i] === 0) {
          newline = -1;
          break;
        }
      }
    }
    if (newline === -1) {
      return buffer.length - start > MAX_LINE ? this.fail(ProtocolErrors.tooBigInline) : null;
    }
    let end = newline;
    if (end > start && buffer[end - 1] === CR) end--;
    this.position = newline + 1;
    const args = splitArguments(latin1Slice(buffer, start, end));
    if (args === null) return this.fail(ProtocolErrors.unbalancedQuotes);
    return args;
  }
}
