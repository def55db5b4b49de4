import { encodeLatin1 } from './latin1.js';

/** Copies up to this many bytes are done byte by byte. */
const SHORT_COPY = 64;
/** The most a buffer keeps once its bytes are taken: one huge value need not stay allocated. */
const KEPT_CAPACITY = 4 << 20;

/**
 * A growing byte buffer the writer appends into: one allocation per doubling, never one per
 * key. `take()` hands the written bytes to the caller and starts over.
 */
export class OutputBuffer {
  buffer: Buffer;
  length = 0;
  /** The other buffer of `takeDoubleBuffered`, once it has been called. */
  private spare: Buffer | null = null;

  constructor(initialCapacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    if (this.length >= this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const count = end - start;
    this.reserve(count);
    if (count <= SHORT_COPY) {
      // A loop, not a subarray view (an object per call) for set(): short strings are many.
      const target = this.buffer;
      let to = this.length;
      for (let i = start; i < end; i++) target[to++] = source[i];
      this.length = to;
      return;
    }
    this.buffer.set(
      start === 0 && end === source.length ? source : source.subarray(start, end),
      this.length,
    );
    this.length += count;
  }

  /** Appends a latin1 string, one byte per char (chars above 0xff keep their low byte). */
  latin1(text: string): void {
    this.reserve(text.length);
    this.length += encodeLatin1(this.buffer, text, this.length);
  }

  uint32LE(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  /** A signed 64-bit integer given as a number (exact up to 2^53), little endian. */
  int64LE(value: number): void {
    this.reserve(8);
    const low = ((value % 0x100000000) + 0x100000000) % 0x100000000;
    const high = (value - low) / 0x100000000;
    this.buffer.writeUInt32LE(low, this.length);
    this.buffer.writeInt32LE(high | 0, this.length + 4);
    this.length += 8;
  }

  doubleLE(value: number): void {
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** The written bytes, handed over; the buffer starts empty again. */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(Math.min(this.buffer.length, KEPT_CAPACITY));
    this.length = 0;
    return taken;
  }

  /**
   * The written bytes as a view, valid until the next call: two buffers take turns, so writes
   * made meanwhile (a background save's copy-on-write) go to the other one. For a caller done
   * with each chunk before it asks for the next. A fresh buffer per chunk made a background
   * save of 1M keys allocate its 50 MB again outside V8's heap, and that external memory
   * brought full collections that stalled clients for 40-60 ms.
   */
  takeDoubleBuffered(): Buffer {
    const taken = this.buffer.subarray(0, this.length);
    const spare = this.spare;
    this.spare = this.buffer.length > KEPT_CAPACITY ? null : this.buffer;
    this.buffer = spare ?? Buffer.allocUnsafe(Math.min(this.buffer.length, KEPT_CAPACITY));
    this.length = 0;
    return taken;
  }
}
