/**
 * Client side: parses what a server sends, every RESP2 and RESP3 type. Used by the test
 * harnesses and benchmarks; a client library can use it alone.
 */

export class ReplyError extends Error {
  override name = 'ReplyError';
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

/** Thrown internally when the buffer ends mid-reply; never escapes the parser. */
const INCOMPLETE = Symbol('incomplete');

/**
 * Streaming reply parser. Attributes (`|`) are read and dropped: the value they annotate is
 * returned on its own.
 */
export class ReplyParser {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;

  feed(chunk: Buffer): void {
    this.buffer =
      this.position >= this.buffer.length
        ? chunk
        : Buffer.concat([this.buffer.subarray(this.position), chunk]);
    this.position = 0;
  }

  next(): RespValue | typeof NEED_MORE {
    if (this.position >= this.buffer.length) return NEED_MORE;
    const start = this.position;
    const value = this.read();
    if (value === INCOMPLETE) {
      this.position = start;
      return NEED_MORE;
    }
    return value;
  }

  private line(): string | typeof INCOMPLETE {
    const cr = this.buffer.indexOf(CR, this.position);
    if (cr === -1 || cr + 1 >= this.buffer.length) return INCOMPLETE;
    const text = this.buffer.toString('latin1', this.position, cr);
    this.position = cr + 2;
    return text;
  }

  private bytes(length: number): Buffer | typeof INCOMPLETE {
    if (this.buffer.length - this.position < length + 2) return INCOMPLETE;
    const bytes = Buffer.from(this.buffer.subarray(this.position, this.position + length));
    this.position += length + 2;
    return bytes;
  }

  private read(): RespValue | typeof INCOMPLETE {
    const marker = this.buffer[this.position++];
    const text = this.line();
    if (text === INCOMPLETE) return INCOMPLETE;
    switch (marker) {
      case 43: // +
        return text;
      case 45: // -
        return new ReplyError(text);
      case 58: {
        // :
        const value = Number(text);
        return Number.isSafeInteger(value) ? value : BigInt(text);
      }
      case 95: // _
        return null;
      case 35: // #
        return text === 't';
      case 44: // ,
        return parseDoubleText(text);
      case 40: // (
        return BigInt(text);
      case 36: // $
      case 33: // !
      case 61: {
        // =
        const length = Number(text);
        if (length < 0) return null;
        const bytes = this.bytes(length);
        if (bytes === INCOMPLETE) return INCOMPLETE;
        if (marker === 36) return bytes;
        if (marker === 33) return new ReplyError(bytes.toString('latin1'));
        const content = bytes.toString('latin1');
        return new VerbatimString(content.slice(0, 3), content.slice(4));
      }
      case 42: // *
      case 126: // ~
      case 62: {
        // >
        const count = Number(text);
        if (count < 0) return null;
        const items: RespValue[] = [];
        for (let i = 0; i < count; i++) {
          const item = this.read();
          if (item === INCOMPLETE) return INCOMPLETE;
          items.push(item);
        }
        if (marker === 126) return new Set(items);
        return marker === 62 ? new PushFrame(items) : items;
      }
      case 37: // %
      case 124: {
        // |
        const map = new Map<RespValue, RespValue>();
        for (let i = 0; i < Number(text); i++) {
          const key = this.read();
          if (key === INCOMPLETE) return INCOMPLETE;
          const value = this.read();
          if (value === INCOMPLETE) return INCOMPLETE;
          map.set(key, value);
        }
        return marker === 37 ? map : this.read();
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

function frameEnd(buffer: Buffer, at: number): number {
  if (at >= buffer.length) return -1;
  const marker = buffer[at];
  const cr = buffer.indexOf(CR, at);
  if (cr === -1 || cr + 1 >= buffer.length) return -1;
  const afterLine = cr + 2;
  const count = Number(buffer.toString('latin1', at + 1, cr));
  switch (marker) {
    case 36: // $
    case 33: // !
    case 61: // =
      if (count < 0) return afterLine;
      return buffer.length >= afterLine + count + 2 ? afterLine + count + 2 : -1;
    case 42: // *
    case 126: // ~
    case 62: // >
    case 37: // %
    case 124: {
      // |
      if (count < 0) return afterLine;
      const items = marker === 37 || marker === 124 ? count * 2 : count;
      let position = afterLine;
      for (let i = 0; i < items; i++) {
        position = frameEnd(buffer, position);
        if (position === -1) return -1;
      }
      // An attribute annotates the reply that follows it: both form one frame.
      return marker === 124 ? frameEnd(buffer, position) : position;
    }
    default:
      return afterLine;
  }
}
