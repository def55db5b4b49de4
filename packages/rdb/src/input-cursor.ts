import { RdbError } from './errors.js';
import { decodeLatin1 } from './latin1.js';

/**
 * Thrown (never escaping the package) when a read runs past the bytes received so far: the
 * streaming reader catches it, keeps the bytes and tries again when more have arrived. Not an
 * Error, so throwing it captures no stack trace.
 */
export const NEED_MORE: { readonly needMore: true } = Object.freeze({ needMore: true });

/**
 * A read position in a buffer of received bytes. Every read checks the end and throws
 * NEED_MORE; decoders of complete blobs (listpacks, ziplists...) use a cursor whose end is the
 * blob's end and turn NEED_MORE into a format error.
 */
export class InputCursor {
  /** Absolute offset in the whole input of buffer[0], for error messages. */
  base = 0;

  constructor(
    public buffer: Buffer,
    public position = 0,
    public end = buffer.length,
  ) {}

  get offset(): number {
    return this.base + this.position;
  }

  fail(message: string, at = this.position): never {
    throw new RdbError(message, this.base + at);
  }

  /** Reserves `count` bytes and returns their start. */
  take(count: number): number {
    const at = this.position;
    if (at + count > this.end) throw NEED_MORE;
    this.position = at + count;
    return at;
  }

  uint8(): number {
    if (this.position >= this.end) throw NEED_MORE;
    return this.buffer[this.position++];
  }

  uint32LE(): number {
    return this.buffer.readUInt32LE(this.take(4));
  }

  int32LE(): number {
    return this.buffer.readInt32LE(this.take(4));
  }

  /** A signed 64-bit little-endian integer as a number (exact up to 2^53, as ms times are). */
  int64LE(): number {
    const at = this.take(8);
    return this.buffer.readInt32LE(at + 4) * 0x100000000 + this.buffer.readUInt32LE(at);
  }

  doubleLE(): number {
    return this.buffer.readDoubleLE(this.take(8));
  }

  latin1(count: number): string {
    const at = this.take(count);
    return decodeLatin1(this.buffer, at, at + count);
  }

  /** A view of the next `count` bytes (no copy). */
  view(count: number): Buffer {
    const at = this.take(count);
    return this.buffer.subarray(at, at + count);
  }
}
