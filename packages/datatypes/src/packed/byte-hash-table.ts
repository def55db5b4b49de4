/*
 * A hash table of latin1 string pairs held as bytes: what a map too big to pack into one string
 * becomes (Redis's dict of sds fields and values). A V8 Map of a million short pairs costs
 * about 92 bytes a pair (two 32-byte strings and a 28-byte entry in one large table); here a
 * pair is its bytes in a chunk (a length byte, the key, a length byte, the value; five bytes
 * for a length from 255 on) and a 20-byte record: its hash, the next record in its bucket's
 * chain, where its bytes are, and a bucket. The garbage collector sees a few typed arrays and
 * chunks instead of millions of objects, and growing copies the records, never the bytes.
 *
 * Records are dense (0 to size - 1): a removal moves the last record into the hole, so
 * iteration order is not insertion order, and removing during an iteration may skip entries.
 * A bucket is the top bits of the hash, so buckets in order hold the hashes in order, which is
 * what `scan` pages through.
 */

/** Reads a latin1 string out of bytes; the owner may pass a faster one than `toString`. */
export type Latin1Decoder = (bytes: Buffer, start: number, end: number) => string;

/**
 * The 32-bit FNV-1a hash of a string's chars: cheap, and well spread in its top bits. With FNV's
 * own starting value whoever picks the keys can pick colliding ones: an owner holding keys from
 * clients passes a seeded hash instead (rc's hashes pass the keyspace's, built on this one).
 */
export function stringHash(text: string): number {
  return seededStringHash(text, 0x811c9dc5);
}

/** FNV-1a from another starting value. */
export function seededStringHash(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Chunks hold entries' bytes; offsets within one fit 16 bits, places are chunk * 65536 + offset. */
const CHUNK_BYTES = 65536;
/** A new table's first chunk: small, as most tables are. Later chunks double up to CHUNK_BYTES. */
const FIRST_CHUNK_BYTES = 256;
/** An entry longer than this gets a chunk of its own, so a chunk's unused tail stays short. */
const OWN_CHUNK_BYTES = 4096;
/** Removed bytes are given back (a repack) once they exceed the live ones and this. */
const REPACK_MINIMUM = 4096;
const MINIMUM_CAPACITY = 8;
/** A record is four ints: the hash, the next record in the chain plus one, and its place. */
const RECORD_INTS = 4;

/** A length of at least this is the marker byte and then the length in four bytes. */
const LONG_LENGTH = 0xff;

/** Where the text after the length read last by `readLength` starts. */
let textAt = 0;

/** The length at `at`: one byte below LONG_LENGTH, else the marker and a 32-bit length. */
function readLength(bytes: Buffer, at: number): number {
  const length = bytes[at];
  if (length < LONG_LENGTH) {
    textAt = at + 1;
    return length;
  }
  textAt = at + 5;
  return bytes.readUInt32LE(at + 1);
}

function lengthBytes(length: number): number {
  return length < LONG_LENGTH ? 1 : 5;
}

function writeLength(bytes: Buffer, at: number, length: number): number {
  if (length < LONG_LENGTH) {
    bytes[at] = length;
    return at + 1;
  }
  bytes[at] = LONG_LENGTH;
  bytes.writeUInt32LE(length, at + 1);
  return at + 5;
}

/** Writes the chars as bytes; false (some already written) when one is beyond latin1. */
function writeText(bytes: Buffer, at: number, text: string): boolean {
  let all = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    all |= code;
    bytes[at + i] = code;
  }
  return all <= 0xff;
}

function isLatin1(text: string): boolean {
  let all = 0;
  for (let i = 0; i < text.length; i++) all |= text.charCodeAt(i);
  return all <= 0xff;
}

function entryBytes(key: string, value: string): number {
  return lengthBytes(key.length) + key.length + lengthBytes(value.length) + value.length;
}

const toLatin1: Latin1Decoder = (bytes, start, end) => bytes.toString('latin1', start, end);

export class ByteHashTable implements Iterable<[string, string]> {
  /** Records, then the buckets (a record's index plus one; 0 for none), over one buffer. */
  private ints: Int32Array;
  /** The same buffer as doubles: a record's place is the double over its ints 2 and 3. */
  private places: Float64Array;
  private capacity: number;
  /** 32 minus the bits of a bucket index: a hash's bucket is `hash >>> shift`. */
  private shift: number;
  private count = 0;
  private chunks: Buffer[] = [];
  /** The chunk new entries go to, and its bytes in use. */
  private fillChunk = -1;
  private fill = 0;
  private liveBytes = 0;
  private removedBytes = 0;

  constructor(
    private readonly decode: Latin1Decoder = toLatin1,
    private readonly hash: (key: string) => number = stringHash,
  ) {
    this.capacity = MINIMUM_CAPACITY;
    this.shift = 32 - Math.log2(MINIMUM_CAPACITY);
    this.ints = new Int32Array(0);
    this.places = new Float64Array(0);
    this.allocate(MINIMUM_CAPACITY);
  }

  get size(): number {
    return this.count;
  }

  get(key: string): string | undefined {
    const record = this.find(key, this.hash(key));
    if (record === -1) return undefined;
    return this.valueOf(record);
  }

  has(key: string): boolean {
    return this.find(key, this.hash(key)) !== -1;
  }

  set(key: string, value: string): this {
    const hash = this.hash(key) >>> 0;
    const record = this.find(key, hash);
    if (record !== -1) {
      this.replaceValue(record, key, value);
      return this;
    }
    const place = this.append(key, value);
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    const index = this.count++;
    this.writeRecord(index, hash, place);
    return this;
  }

  delete(key: string): boolean {
    const hash = this.hash(key) >>> 0;
    const record = this.find(key, hash);
    if (record === -1) return false;
    this.unlink(record, hash);
    this.release(this.places[record * 2 + 1]);
    const last = --this.count;
    if (record !== last) this.moveRecord(last, record);
    if (this.count * 10 < this.capacity && this.capacity > MINIMUM_CAPACITY) {
      // As Redis shrinks a hash's dict below 10% full (htNeedsResize).
      this.resize(Math.max(MINIMUM_CAPACITY, nextPowerOfTwo(this.count)));
    }
    if (this.removedBytes > REPACK_MINIMUM && this.removedBytes > this.liveBytes) this.repack();
    return true;
  }

  /** The key of the record at `index` (0 to size - 1): random picks in constant time. */
  keyAt(index: number): string {
    const place = this.places[index * 2 + 1];
    const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
    const at = place % CHUNK_BYTES;
    const length = readLength(chunk, at);
    return this.decode(chunk, textAt, textAt + length);
  }

  /** The value of the record at `index` (0 to size - 1). */
  valueAt(index: number): string {
    return this.valueOf(index);
  }

  /**
   * The entries whose hash is at least `from`, in hash order, about `count` of them (entries of
   * one hash are never split), pushed to `into` as key, value, key, value...; returns the hash
   * to continue from, or -1 after the last. An entry present from the first call to the last
   * is returned once, whatever was added, removed or resized between the calls.
   */
  scan(from: number, count: number, into: string[]): number {
    if (from > 0xffffffff) return -1;
    const ints = this.ints;
    const buckets = this.capacity * RECORD_INTS;
    const found: number[] = [];
    let bucket = from >>> this.shift;
    for (; bucket < this.capacity && found.length < count; bucket++) {
      for (
        let next = ints[buckets + bucket];
        next !== 0;
        next = ints[(next - 1) * RECORD_INTS + 1]
      ) {
        if (ints[(next - 1) * RECORD_INTS] >>> 0 >= from) found.push(next - 1);
      }
    }
    found.sort((a, b) => (ints[a * RECORD_INTS] >>> 0) - (ints[b * RECORD_INTS] >>> 0));
    let end = Math.min(count, found.length);
    const hashAt = (i: number): number => ints[found[i] * RECORD_INTS] >>> 0;
    while (end < found.length && hashAt(end) === hashAt(end - 1)) end++;
    for (let i = 0; i < end; i++) into.push(this.keyAt(found[i]), this.valueOf(found[i]));
    if (end < found.length) return hashAt(end);
    return this.lowestHashFrom(bucket);
  }

  *entries(): IterableIterator<[string, string]> {
    const decode = this.decode;
    for (let i = 0; i < this.count; i++) {
      const place = this.places[i * 2 + 1];
      const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
      const keyLength = readLength(chunk, place % CHUNK_BYTES);
      const keyStart = textAt;
      const valueLength = readLength(chunk, keyStart + keyLength);
      const valueStart = textAt;
      yield [
        decode(chunk, keyStart, keyStart + keyLength),
        decode(chunk, valueStart, valueStart + valueLength),
      ];
    }
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
  }

  *values(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.valueOf(i);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** The record holding `key`, or -1. */
  private find(key: string, hash: number): number {
    const ints = this.ints;
    const signed = hash | 0;
    let next = ints[this.capacity * RECORD_INTS + (hash >>> this.shift)];
    while (next !== 0) {
      const record = next - 1;
      if (ints[record * RECORD_INTS] === signed && this.keyEquals(record, key)) return record;
      next = ints[record * RECORD_INTS + 1];
    }
    return -1;
  }

  private keyEquals(record: number, key: string): boolean {
    const place = this.places[record * 2 + 1];
    const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
    const length = readLength(chunk, place % CHUNK_BYTES);
    if (length !== key.length) return false;
    const start = textAt;
    for (let i = 0; i < length; i++) if (chunk[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private valueOf(record: number): string {
    const place = this.places[record * 2 + 1];
    const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
    const keyLength = readLength(chunk, place % CHUNK_BYTES);
    const length = readLength(chunk, textAt + keyLength);
    return this.decode(chunk, textAt, textAt + length);
  }

  /** A new value for a record: in place when it is as long as the old one, else appended. */
  private replaceValue(record: number, key: string, value: string): void {
    const place = this.places[record * 2 + 1];
    const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
    const keyLength = readLength(chunk, place % CHUNK_BYTES);
    const length = readLength(chunk, textAt + keyLength);
    const start = textAt;
    if (length === value.length && isLatin1(value)) {
      writeText(chunk, start, value);
      return;
    }
    const moved = this.append(key, value);
    this.release(place);
    this.places[record * 2 + 1] = moved;
  }

  /** Writes an entry's bytes where they fit; returns their place. */
  private append(key: string, value: string): number {
    const size = entryBytes(key, value);
    let chunkIndex: number;
    let at: number;
    if (size > OWN_CHUNK_BYTES) {
      chunkIndex = this.chunks.length;
      this.chunks.push(Buffer.allocUnsafeSlow(size));
      at = 0;
    } else {
      if (this.fillChunk === -1 || this.fill + size > this.chunks[this.fillChunk].length) {
        this.newFillChunk(size);
      }
      chunkIndex = this.fillChunk;
      at = this.fill;
    }
    const chunk = this.chunks[chunkIndex];
    let end = writeLength(chunk, at, key.length);
    const keyFits = writeText(chunk, end, key);
    end = writeLength(chunk, end + key.length, value.length);
    if (!keyFits || !writeText(chunk, end, value)) {
      if (at === 0 && size > OWN_CHUNK_BYTES) this.chunks.pop();
      throw new RangeError('ByteHashTable holds latin1 strings only');
    }
    if (size <= OWN_CHUNK_BYTES) this.fill += size;
    this.liveBytes += size;
    return chunkIndex * CHUNK_BYTES + at;
  }

  /** A chunk for entries after the last one: twice its size, up to CHUNK_BYTES. */
  private newFillChunk(needed: number): void {
    const last = this.fillChunk === -1 ? 0 : this.chunks[this.fillChunk].length;
    const bytes = Math.min(CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, last * 2, needed));
    this.fillChunk = this.chunks.length;
    this.chunks.push(Buffer.allocUnsafeSlow(bytes));
    this.fill = 0;
  }

  /** Counts the entry at `place` as removed. */
  private release(place: number): void {
    const chunk = this.chunks[Math.floor(place / CHUNK_BYTES)];
    const at = place % CHUNK_BYTES;
    const keyLength = readLength(chunk, at);
    const valueLength = readLength(chunk, textAt + keyLength);
    const size = textAt + valueLength - at;
    this.liveBytes -= size;
    this.removedBytes += size;
  }

  /** Copies the live entries into new chunks, in record order, and forgets the old ones. */
  private repack(): void {
    const old = this.chunks;
    this.chunks = [];
    this.fillChunk = -1;
    this.fill = 0;
    for (let record = 0; record < this.count; record++) {
      const place = this.places[record * 2 + 1];
      const chunk = old[Math.floor(place / CHUNK_BYTES)];
      const at = place % CHUNK_BYTES;
      const keyLength = readLength(chunk, at);
      const valueLength = readLength(chunk, textAt + keyLength);
      const size = textAt + valueLength - at;
      if (size > OWN_CHUNK_BYTES) {
        this.places[record * 2 + 1] = this.chunks.length * CHUNK_BYTES;
        this.chunks.push(chunk);
        continue;
      }
      if (this.fillChunk === -1 || this.fill + size > this.chunks[this.fillChunk].length) {
        this.newFillChunk(Math.min(CHUNK_BYTES, this.liveBytes));
      }
      chunk.copy(this.chunks[this.fillChunk], this.fill, at, at + size);
      this.places[record * 2 + 1] = this.fillChunk * CHUNK_BYTES + this.fill;
      this.fill += size;
    }
    this.removedBytes = 0;
  }

  private writeRecord(record: number, hash: number, place: number): void {
    const ints = this.ints;
    const bucket = this.capacity * RECORD_INTS + (hash >>> this.shift);
    ints[record * RECORD_INTS] = hash;
    ints[record * RECORD_INTS + 1] = ints[bucket];
    ints[bucket] = record + 1;
    this.places[record * 2 + 1] = place;
  }

  /** Takes `record` out of its bucket's chain. */
  private unlink(record: number, hash: number): void {
    const ints = this.ints;
    let link = this.capacity * RECORD_INTS + (hash >>> this.shift);
    while (ints[link] !== record + 1) link = (ints[link] - 1) * RECORD_INTS + 1;
    ints[link] = ints[record * RECORD_INTS + 1];
  }

  /** Moves record `from` to the free index `to`, relinking the chain that leads to it. */
  private moveRecord(from: number, to: number): void {
    const ints = this.ints;
    let link = this.capacity * RECORD_INTS + (ints[from * RECORD_INTS] >>> this.shift);
    while (ints[link] !== from + 1) link = (ints[link] - 1) * RECORD_INTS + 1;
    ints[link] = to + 1;
    ints.copyWithin(to * RECORD_INTS, from * RECORD_INTS, (from + 1) * RECORD_INTS);
  }

  /** The lowest hash in the buckets from `bucket` on, or -1 when they are empty. */
  private lowestHashFrom(bucket: number): number {
    const ints = this.ints;
    const buckets = this.capacity * RECORD_INTS;
    for (; bucket < this.capacity; bucket++) {
      let lowest = -1;
      for (
        let next = ints[buckets + bucket];
        next !== 0;
        next = ints[(next - 1) * RECORD_INTS + 1]
      ) {
        const hash = ints[(next - 1) * RECORD_INTS] >>> 0;
        if (lowest === -1 || hash < lowest) lowest = hash;
      }
      if (lowest !== -1) return lowest;
    }
    return -1;
  }

  /** New records and buckets for `capacity` records; the chains are rebuilt from the hashes. */
  private resize(capacity: number): void {
    const old = this.ints;
    this.allocate(capacity);
    this.ints.set(old.subarray(0, this.count * RECORD_INTS));
    const ints = this.ints;
    const buckets = capacity * RECORD_INTS;
    for (let record = 0; record < this.count; record++) {
      const bucket = buckets + (ints[record * RECORD_INTS] >>> this.shift);
      ints[record * RECORD_INTS + 1] = ints[bucket];
      ints[bucket] = record + 1;
    }
  }

  private allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * (RECORD_INTS + 1) * 4);
    this.ints = new Int32Array(buffer);
    this.places = new Float64Array(buffer, 0, capacity * 2);
    this.capacity = capacity;
    this.shift = 32 - Math.log2(capacity);
  }
}

function nextPowerOfTwo(n: number): number {
  let power = MINIMUM_CAPACITY;
  while (power < n) power *= 2;
  return power;
}
