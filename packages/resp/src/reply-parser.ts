import { decodeLatin1 } from './latin1.js';

/**
 * Client side: parses what a server sends, every RESP2 and RESP3 type. Used by the test
 * harnesses and benchmarks; a client library can use it alone.
 */

export class ReplyError extends Error {
  override name = 'ReplyError';

  constructor(message: string) {
    // A server error is data, not a bug: skip the stack trace, the costliest part of an Error.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export class VerbatimString {
  constructor(
    readonly format: string,
    readonly text: string,
  ) {}
}

export class PushFrame {
  constructor(readonly items: RespValue[]) {}
}

export type RespValue =
  | string
  | ReplyError
  | number
  | bigint
  | Buffer
  | null
  | boolean
  | RespValue[]
  | Map<RespValue, RespValue>
  | Set<RespValue>
  | VerbatimString
  | PushFrame;

export const NEED_MORE: unique symbol = Symbol('need more input');

const CR = 13;

/** Returned internally when the buffer ends mid-reply; never escapes the parser. */
const INCOMPLETE = Symbol('incomplete');

export interface ReplyParserOptions {
  /**
   * Return bulk strings as latin1 JavaScript strings (binary safe, one char per byte) instead
   * of Buffer views: cheaper to create, and what most clients want.
   */
  bulkStrings?: boolean;
}

/**
 * Streaming reply parser for every RESP2 and RESP3 type:
 * `+` string, `-` and `!` ReplyError, `:` number (bigint beyond 2^53), `(` bigint, `,` number
 * (inf, -inf, nan included), `#` boolean, `$` Buffer (a view into the received bytes, or a
 * latin1 string with `bulkStrings`), `$-1` `*-1` `_` null, `*` array, `~` Set, `%` Map,
 * `=` VerbatimString, `>` PushFrame. Attributes (`|`) are read and dropped: the value they
 * annotate is returned on its own. An unknown type byte throws: the stream is corrupt.
 *
 * An incomplete reply is parsed again from its start when more bytes arrive; a long bulk
 * waits until all its bytes are there, so large bulks cost O(n).
 */
export class ReplyParser {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  private readonly bulkStrings: boolean;
  /** Chunks received while waiting for a long bulk, not yet joined to `buffer`. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes the reply at `position` needs before parsing it again can succeed (0: unknown). */
  private needed = 0;
  /** Set by the bulk that ran out of bytes: the offset its reply must reach. */
  private wantedEnd = 0;

  constructor(options: ReplyParserOptions = {}) {
    this.bulkStrings = options.bulkStrings ?? false;
  }

  /**
   * Appends received bytes. While a bulk of known length is incomplete, chunks are only
   * queued and joined once when enough bytes arrived: a 100 MiB reply costs one copy, not one
   * per chunk.
   */
  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const rest = this.buffer.length - this.position;
    if (rest === 0) {
      this.buffer = chunk;
      this.position = 0;
      return;
    }
    const available = rest + this.pendingLength + chunk.length;
    if (available < this.needed) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      return;
    }
    const parts = [this.buffer.subarray(this.position)];
    for (const part of this.pending) parts.push(part);
    parts.push(chunk);
    this.buffer = Buffer.concat(parts, available);
    this.position = 0;
    this.pending = [];
    this.pendingLength = 0;
  }

  next(): RespValue | typeof NEED_MORE {
    if (this.position >= this.buffer.length || this.pendingLength > 0) return NEED_MORE;
    const start = this.position;
    this.wantedEnd = 0;
    const value = this.read();
    if (value === INCOMPLETE) {
      this.position = start;
      this.needed = this.wantedEnd - start;
      return NEED_MORE;
    }
    this.needed = 0;
    return value;
  }

  /** Index of the CR ending the line that starts at `from`, or -1 when it has not arrived. */
  private lineEnd(from: number): number {
    const buffer = this.buffer;
    const length = buffer.length;
    // Reply lines are short: a JavaScript scan beats a native indexOf call for them.
    for (let i = from; i < length - 1; i++) if (buffer[i] === CR) return i;
    return -1;
  }

  /** The decimal integer on the line from `from` to `end`, as a number or bigint. */
  private integer(from: number, end: number): number | bigint {
    const buffer = this.buffer;
    let i = from;
    const negative = buffer[i] === 45;
    if (negative) i++;
    if (end - i > 15) return BigInt(buffer.toString('latin1', from, end));
    let value = 0;
    for (; i < end; i++) value = value * 10 + (buffer[i] - 48);
    return negative ? -value : value;
  }

  private read(): RespValue | typeof INCOMPLETE {
    const buffer = this.buffer;
    const marker = buffer[this.position];
    const start = this.position + 1;
    const end = this.lineEnd(start);
    if (end === -1) return INCOMPLETE;
    this.position = end + 2;
    switch (marker) {
      case 43: // +
        return decodeLatin1(buffer, start, end);
      case 45: // -
        return new ReplyError(buffer.toString('latin1', start, end));
      case 58: {
        // :
        const value = this.integer(start, end);
        return typeof value === 'bigint' && Number.isSafeInteger(Number(value))
          ? Number(value)
          : value;
      }
      case 95: // _
        return null;
      case 35: // #
        return buffer[start] === 116; // t
      case 44: // ,
        return parseDoubleText(buffer.toString('latin1', start, end));
      case 40: // (
        return BigInt(buffer.toString('latin1', start, end));
      case 36: // $
      case 33: // !
      case 61: {
        // =
        const length = Number(this.integer(start, end));
        if (length < 0) return null;
        const from = this.position;
        if (buffer.length - from < length + 2) {
          this.wantedEnd = from + length + 2;
          return INCOMPLETE;
        }
        this.position = from + length + 2;
        if (marker === 36) {
          return this.bulkStrings
            ? decodeLatin1(buffer, from, from + length)
            : buffer.subarray(from, from + length);
        }
        const text = buffer.toString('latin1', from, from + length);
        if (marker === 33) return new ReplyError(text);
        return new VerbatimString(text.slice(0, 3), text.slice(4));
      }
      case 42: // *
      case 126: // ~
      case 62: {
        // >
        const count = Number(this.integer(start, end));
        if (count < 0) return null;
        const items = new Array<RespValue>(count);
        for (let i = 0; i < count; i++) {
          if (this.position >= buffer.length) return INCOMPLETE;
          const item = this.read();
          if (item === INCOMPLETE) return INCOMPLETE;
          items[i] = item;
        }
        if (marker === 126) return new Set(items);
        return marker === 62 ? new PushFrame(items) : items;
      }
      case 37: // %
      case 124: {
        // |
        const pairs = Number(this.integer(start, end));
        const map = new Map<RespValue, RespValue>();
        for (let i = 0; i < pairs; i++) {
          if (this.position >= buffer.length) return INCOMPLETE;
          const key = this.read();
          if (key === INCOMPLETE || this.position >= buffer.length) return INCOMPLETE;
          const value = this.read();
          if (value === INCOMPLETE) return INCOMPLETE;
          map.set(key, value);
        }
        if (marker === 37) return map;
        return this.position >= buffer.length ? INCOMPLETE : this.read();
      }
      default:
        throw new Error(`Protocol error: unknown reply type byte ${marker}`);
    }
  }
}

function parseDoubleText(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  return Number(text);
}

/**
 * Byte length of the one complete reply starting at `offset`, or -1 when it is incomplete.
 * Lets a test cut raw reply bytes for byte-exact comparison.
 */
export function replyFrameLength(buffer: Buffer, offset = 0): number {
  const end = frameEnd(buffer, offset);
  return end === -1 ? -1 : end - offset;
}

/** Where the frame at `at` ends, or -1 when incomplete; iterative, so any nesting depth works. */
function frameEnd(buffer: Buffer, at: number): number {
  let position = at;
  // Replies still to read: the frame itself, then the elements its aggregates announce.
  let remaining = 1;
  while (remaining > 0) {
    if (position >= buffer.length) return -1;
    const start = position;
    const marker = buffer[start];
    const cr = buffer.indexOf(CR, start);
    if (cr === -1 || cr + 1 >= buffer.length) return -1;
    const afterLine = cr + 2;
    remaining--;
    position = afterLine;
    switch (marker) {
      case 36: // $
      case 33: // !
      case 61: {
        // =
        const count = Number(buffer.toString('latin1', start + 1, cr));
        if (count < 0) break;
        if (buffer.length < afterLine + count + 2) return -1;
        position = afterLine + count + 2;
        break;
      }
      case 42: // *
      case 126: // ~
      case 62: // >
      case 37: // %
      case 124: {
        // |
        const count = Number(buffer.toString('latin1', start + 1, cr));
        if (count < 0) break;
        remaining += marker === 37 || marker === 124 ? count * 2 : count;
        // An attribute annotates the reply that follows it: both form one frame.
        if (marker === 124) remaining++;
        break;
      }
    }
  }
  return position;
}
