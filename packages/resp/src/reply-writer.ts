import { latin1Write } from './latin1.js';
import { formatDouble } from './format-double.js';
import { PrefixViews } from './prefix-views.js';

export type ProtocolVersion = 2 | 3;

/**
 * Where a writer's error replies are counted, as Redis's afterErrorReply counts every error
 * that goes through addReplyError (a server's INFO errorstats and failed calls).
 */
export interface ErrorReplyStats {
  /** An error reply was written: count it under the code its text starts with. */
  errorReplied(text: string): void;
  /**
   * An error counted where it first arose was written again (a script returning a
   * redis.pcall's error): not counted twice, but the call it ends failed (Redis's
   * ERR_REPLY_FLAG_NO_STATS_UPDATE).
   */
  errorRepeated(text: string): void;
}

function preEncoded(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Pre-encoded replies, for servers that want to write them with `raw()` or keep them. */
export const OK = preEncoded('+OK\r\n');
export const PONG = preEncoded('+PONG\r\n');
export const QUEUED = preEncoded('+QUEUED\r\n');
export const ZERO = preEncoded(':0\r\n');
export const ONE = preEncoded(':1\r\n');
/** RESP2 null bulk and null array; RESP3 has the one null `_`. */
export const NULL_BULK = preEncoded('$-1\r\n');
export const NULL_ARRAY = preEncoded('*-1\r\n');
export const NULL_RESP3 = preEncoded('_\r\n');
export const EMPTY_ARRAY = preEncoded('*0\r\n');
export const EMPTY_BULK = preEncoded('$0\r\n\r\n');

const SMALL_INTEGER_LIMIT = 10000;
/**
 * Replies cached by value: ":n\r\n" for small integers, the most common reply of all. Each is
 * encoded on first use: encoding all of them at import slowed every process that loads rc.
 */
const smallIntegers = new Array<Buffer | undefined>(SMALL_INTEGER_LIMIT);

/** ":n\r\n" for an integer 0 <= n < SMALL_INTEGER_LIMIT. */
function cachedSmallInteger(n: number): Buffer {
  return (smallIntegers[n] ??= preEncoded(`:${n}\r\n`));
}

function isSmallInteger(value: number): boolean {
  return value >= 0 && value < SMALL_INTEGER_LIMIT && Number.isInteger(value);
}

/** The pre-encoded ":n\r\n" for 0 <= n < 10000, else undefined. */
export function smallIntegerReply(n: number): Buffer | undefined {
  return isSmallInteger(n) ? cachedSmallInteger(n) : undefined;
}

const INT32_MAX = 0x7fffffff;

/** Decimal digits of a non-negative safe integer. */
export function digitCount(value: number): number {
  let digits = 1;
  for (let limit = 10; value >= limit && digits < 16; limit *= 10) digits++;
  return digits;
}

/** Writes a non-negative safe integer's digits at `at`; returns the offset after them. */
export function writeDigits(buffer: Buffer, at: number, value: number): number {
  if (value < 10) {
    buffer[at] = 48 + value;
    return at + 1;
  }
  if (value < 100) {
    const tens = (value / 10) | 0;
    buffer[at] = 48 + tens;
    buffer[at + 1] = 48 + (value - tens * 10);
    return at + 2;
  }
  const end = at + digitCount(value);
  if (value <= INT32_MAX) {
    // A 32-bit integer's division by ten compiles to a multiply; a double's floor does not.
    let rest = value | 0;
    for (let i = end - 1; i >= at; i--) {
      const quotient = (rest / 10) | 0;
      buffer[i] = 48 + (rest - quotient * 10);
      rest = quotient;
    }
    return end;
  }
  let rest = value;
  for (let i = end - 1; i >= at; i--) {
    const quotient = Math.floor(rest / 10);
    buffer[i] = 48 + (rest - quotient * 10);
    rest = quotient;
  }
  return end;
}

/** Outputs at least this large are handed over whole by `take()` instead of copied. */
const HAND_OVER = 64 * 1024;
/** Outputs up to this size are copied byte by byte by `take()`. */
const SMALL_COPY = 64;
/** Outputs up to this size reuse the view `sendTo` made for their length (a small table each). */
const VIEWED_LENGTHS = 64;

/**
 * Encodes replies into one growing buffer, in RESP2 or RESP3 (`protocol`). Nothing is
 * allocated per reply on the common paths: strings are written in place as latin1 and the
 * buffer is reused after `take()`.
 *
 * The storage kept between flushes is the reply buffer (Redis's `buf`, `capacity` bytes):
 * output that outgrows it takes larger storage until it is taken or sent, as Redis's reply
 * list holds what its buffer cannot, and the reply buffer's own storage is used again after
 * (a pipeline of LRANGEs outgrows it on every batch: no fresh one each time). `peak` is how full the reply buffer got (Redis's
 * `buf_peak`), for the owner that resizes it (`resize`).
 */
export class ReplyWriter {
  protocol: ProtocolVersion = 2;
  /**
   * Told each time the pending output outgrows the storage, with the bytes it needs; returning
   * true drops what is pending instead (a client over its output limits), so the storage stays
   * as it is however much more is written.
   */
  onGrow: ((needed: number) => boolean) | null = null;
  /** Counts each error reply where it is written; null: errors are written uncounted. */
  errorStats: ErrorReplyStats | null = null;
  /** Where output is written: the reply buffer's storage (`home`), or larger storage. */
  private buffer: Buffer;
  /** The reply buffer's storage, `retained` bytes. */
  private home: Buffer;
  private used = 0;
  /** The reply buffer's size: the storage kept between flushes. */
  private retained: number;
  /** The most of the reply buffer filled by output already taken or sent. */
  private peakFilled: number;
  /** What `sendTo` hands out of `home`: most replies are short, of a few recurring lengths. */
  private readonly views: PrefixViews;

  constructor(initialCapacity = 16 * 1024) {
    this.retained = initialCapacity > 16 ? initialCapacity : 16;
    // As Redis's createClient, a new buffer counts as full until its peak is first reset.
    this.peakFilled = this.retained;
    this.home = Buffer.allocUnsafe(this.retained);
    this.buffer = this.home;
    this.views = new PrefixViews(this.home, VIEWED_LENGTHS);
  }

  /** A new reply buffer, the old one handed away (or too small); the output goes on there. */
  private newHome(): void {
    this.home = Buffer.allocUnsafe(this.retained);
    this.buffer = this.home;
    this.views.reset(this.home);
  }

  get length(): number {
    return this.used;
  }

  /** The reply buffer's size in bytes (CLIENT LIST's rbs). */
  get capacity(): number {
    return this.retained;
  }

  /** The most of the reply buffer filled since the peak was last reset (CLIENT LIST's rbp). */
  get peak(): number {
    const filled = this.used < this.retained ? this.used : this.retained;
    return filled > this.peakFilled ? filled : this.peakFilled;
  }

  /** Starts measuring the peak anew, from what is pending now. */
  resetPeak(): void {
    this.peakFilled = this.used < this.retained ? this.used : this.retained;
  }

  /**
   * Gives the reply buffer a new size; pending output is kept (where it is, as storage beyond
   * the reply buffer, when it does not fit the new size).
   */
  resize(capacity: number): void {
    this.retained = capacity;
    const pending = this.buffer;
    const fits = this.used <= capacity;
    this.newHome();
    if (fits) pending.copy(this.home, 0, 0, this.used);
    else this.buffer = pending;
  }

  /** Output leaves the writer: its fill of the reply buffer counts toward the peak. */
  private notePeak(): void {
    this.peakFilled = this.peak;
  }

  /** The pending bytes, as a Buffer the caller may keep; the writer starts over empty. */
  take(): Buffer {
    const used = this.used;
    this.notePeak();
    this.used = 0;
    if (this.buffer !== this.home) {
      // Output that outgrew the reply buffer: give its storage away rather than copy it.
      const bytes = this.buffer.subarray(0, used);
      this.buffer = this.home;
      return bytes;
    }
    if (used >= HAND_OVER) {
      // As large, in a reply buffer that big: handed over too, and a new reply buffer made.
      const bytes = this.home.subarray(0, used);
      this.newHome();
      return bytes;
    }
    const bytes = Buffer.allocUnsafe(used);
    const buffer = this.buffer;
    // Most outputs are a few bytes; Buffer.copy's own set-up costs more than copying them.
    if (used <= SMALL_COPY) for (let i = 0; i < used; i++) bytes[i] = buffer[i];
    else buffer.copy(bytes, 0, 0, used);
    return bytes;
  }

  /**
   * Hands the pending bytes to `send` as a view of the writer's own storage, without copying,
   * and starts over empty. `send` returns true when it still holds the view after returning
   * (a socket write the kernel did not take whole); the writer then moves to fresh storage.
   * Returns what `send` returned.
   */
  sendTo(send: (bytes: Buffer) => boolean): boolean {
    const used = this.used;
    this.notePeak();
    this.used = 0;
    if (this.buffer !== this.home) {
      // Storage grown past the reply buffer goes once its output is sent; the reply buffer
      // was not handed out, and takes the next output.
      const kept = send(this.buffer.subarray(0, used));
      this.buffer = this.home;
      return kept;
    }
    const kept = send(this.views.of(used));
    if (kept) this.newHome();
    return kept;
  }

  /** Drops everything written after `length` (CLIENT REPLY OFF/SKIP). */
  truncate(length: number): void {
    if (length >= this.used) return;
    this.notePeak();
    this.used = length;
  }

  private reserve(bytes: number): void {
    const needed = this.used + bytes;
    if (needed <= this.buffer.length) return;
    if (this.onGrow !== null && this.onGrow(needed)) {
      this.used = 0;
      if (bytes <= this.buffer.length) return;
    }
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }

  raw(bytes: Buffer): void {
    const length = bytes.length;
    this.reserve(length);
    if (length <= 16) {
      // Pre-encoded replies are tiny: a byte loop beats crossing into native copy.
      const buffer = this.buffer;
      let at = this.used;
      for (let i = 0; i < length; i++) buffer[at++] = bytes[i];
    } else {
      bytes.copy(this.buffer, this.used);
    }
    this.used += length;
  }

  private crlf(): void {
    const buffer = this.buffer;
    buffer[this.used++] = 13;
    buffer[this.used++] = 10;
  }

  /** Writes a one-byte type marker, the text and CRLF. */
  private line(marker: number, text: string): void {
    this.reserve(text.length + 3);
    const buffer = this.buffer;
    buffer[this.used++] = marker;
    this.used += latin1Write(buffer, text, this.used);
    this.crlf();
  }

  /** Writes a marker followed by a decimal number and CRLF, without building a string. */
  private header(marker: number, value: number): void {
    this.reserve(24);
    const buffer = this.buffer;
    let at = this.used;
    buffer[at++] = marker;
    if (value < 0) {
      buffer[at++] = 45; /* - */
      value = -value;
    }
    at = writeDigits(buffer, at, value);
    buffer[at++] = 13;
    buffer[at++] = 10;
    this.used = at;
  }

  simple(text: string): void {
    this.line(43 /* + */, text);
  }

  /**
   * An error reply (its text starts with the code), counted by `errorStats`. It is one line
   * whatever the text holds (see `oneLine`).
   */
  error(text: string): void {
    const line = oneLine(text);
    if (this.errorStats !== null) this.errorStats.errorReplied(line);
    this.line(45 /* - */, line);
  }

  /** An error reply counted before, where it arose: see `ErrorReplyStats.errorRepeated`. */
  errorCountedBefore(text: string): void {
    const line = oneLine(text);
    if (this.errorStats !== null) this.errorStats.errorRepeated(line);
    this.line(45 /* - */, line);
  }

  integer(value: number | bigint): void {
    if (typeof value === 'number' && isSmallInteger(value)) {
      this.raw(cachedSmallInteger(value));
    } else if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value < 1e15 &&
      value > -1e15
    ) {
      this.header(58 /* : */, value);
    } else {
      this.line(58, String(value));
    }
  }

  bulk(value: string | Buffer): void {
    const length = value.length;
    this.header(36 /* $ */, length);
    this.reserve(length + 2);
    if (typeof value === 'string') {
      latin1Write(this.buffer, value, this.used);
    } else {
      value.copy(this.buffer, this.used);
    }
    this.used += length;
    this.crlf();
  }

  /** An integer reply of the digits [start, end) of `source`, copied from there. */
  integerOfBytes(source: Buffer, start: number, end: number): void {
    this.reserve(end - start + 3);
    const buffer = this.buffer;
    let at = this.used;
    buffer[at++] = 58; /* : */
    for (let i = start; i < end; i++) buffer[at++] = source[i];
    this.used = at;
    this.crlf();
  }

  /** A bulk string of the bytes [start, end) of `source`, copied from there (no string made). */
  bulkOfBytes(source: Buffer, start: number, end: number): void {
    const length = end - start;
    this.header(36 /* $ */, length);
    this.reserve(length + 2);
    const buffer = this.buffer;
    const at = this.used;
    // Short strings: a byte loop beats crossing into native copy.
    if (length < 16) {
      for (let i = 0; i < length; i++) buffer[at + i] = source[start + i];
    } else {
      source.copy(buffer, at, start, end);
    }
    this.used = at + length;
    this.crlf();
  }

  /**
   * `count` bulk strings, the i-th the `spans[2 * i + 1]` bytes of `source` from `spans[2 * i]`
   * (a run of a list node's elements, LRANGE's): the room for the whole run is reserved once,
   * and each header and element written in one pass without a call per element.
   */
  bulksOfBytes(source: Buffer, spans: Int32Array, count: number): void {
    let size = 0;
    for (let i = 0; i < count; i++) {
      const length = spans[2 * i + 1];
      // "$", the digits, CR LF, the bytes, CR LF.
      size += length + 5 + (length < 10 ? 1 : digitCount(length));
    }
    this.reserve(size);
    const buffer = this.buffer;
    let at = this.used;
    for (let i = 0; i < count; i++) {
      const start = spans[2 * i];
      const length = spans[2 * i + 1];
      buffer[at] = 36; /* $ */
      if (length < 10) {
        buffer[at + 1] = 48 + length;
        at += 2;
      } else {
        at = writeDigits(buffer, at + 1, length);
      }
      buffer[at] = 13;
      buffer[at + 1] = 10;
      at += 2;
      // Short elements: a byte loop beats crossing into native copy.
      if (length < 16) {
        for (let j = 0; j < length; j++) buffer[at + j] = source[start + j];
      } else {
        source.copy(buffer, at, start, start + length);
      }
      at += length;
      buffer[at] = 13;
      buffer[at + 1] = 10;
      at += 2;
    }
    this.used = at;
  }

  /**
   * A bulk string of two non-negative safe integers joined by one byte, as stream IDs are
   * ("1700000000000-3"), written digit by digit: formatting the string first cost more than the
   * rest of an XRANGE reply.
   */
  bulkJoinedIntegers(first: number, separator: number, second: number): void {
    this.header(36 /* $ */, digitCount(first) + 1 + digitCount(second));
    this.reserve(36);
    const buffer = this.buffer;
    let at = writeDigits(buffer, this.used, first);
    buffer[at++] = separator;
    at = writeDigits(buffer, at, second);
    buffer[at++] = 13;
    buffer[at++] = 10;
    this.used = at;
  }

  nullBulk(): void {
    if (this.protocol === 3) this.line(95 /* _ */, '');
    else this.line(36, '-1');
  }

  nullArray(): void {
    if (this.protocol === 3) this.line(95, '');
    else this.line(42, '-1');
  }

  array(length: number): void {
    this.header(42 /* * */, length);
  }

  map(pairs: number): void {
    if (this.protocol === 3) this.header(37 /* % */, pairs);
    else this.header(42, pairs * 2);
  }

  set(length: number): void {
    this.header(this.protocol === 3 ? 126 /* ~ */ : 42, length);
  }

  push(length: number): void {
    this.header(this.protocol === 3 ? 62 /* > */ : 42, length);
  }

  /** RESP2 has no attributes: nothing is written, and the caller skips the attribute pairs. */
  attribute(pairs: number): void {
    if (this.protocol === 3) this.header(124 /* | */, pairs);
  }

  double(value: number): void {
    if (this.protocol === 3) this.line(44 /* , */, formatDouble(value));
    else this.bulk(formatDouble(value));
  }

  boolean(value: boolean): void {
    if (this.protocol === 3) this.line(35 /* # */, value ? 't' : 'f');
    else this.integer(value ? 1 : 0);
  }

  bigNumber(digits: string): void {
    if (this.protocol === 3) this.line(40 /* ( */, digits);
    else this.bulk(digits);
  }

  verbatim(format: string, text: string): void {
    if (this.protocol !== 3) {
      this.bulk(text);
      return;
    }
    this.header(61 /* = */, text.length + 4);
    this.reserve(text.length + 6);
    this.used += latin1Write(this.buffer, `${format}:`, this.used);
    this.used += latin1Write(this.buffer, text, this.used);
    this.crlf();
  }

  /** An error as a RESP3 bulk error (a simple error in RESP2), counted as `error` is. */
  bulkError(text: string): void {
    if (this.protocol !== 3) {
      this.error(text);
      return;
    }
    if (this.errorStats !== null) this.errorStats.errorReplied(text);
    this.header(33 /* ! */, text.length);
    this.reserve(text.length + 2);
    this.used += latin1Write(this.buffer, text, this.used);
    this.crlf();
  }
}

/**
 * An error's text as one protocol line, as Redis's addReplyErrorFormat makes it: line breaks
 * at the end dropped, the others blanked (a key or group name in the message may hold them).
 */
function oneLine(text: string): string {
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return text;
  return text.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ');
}
