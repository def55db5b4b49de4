/**
 * The streaming RDB reader. Input may be split anywhere across push() calls; next() returns
 * each record (aux field, db switch, resize hint, key, function library, end) once all its
 * bytes are there.
 *
 * A record's size is not known up front, so the reader decodes from the buffered bytes and, if
 * they run out, keeps them and tries again later. For records up to 64 KiB it retries on the
 * next push; beyond that only once the buffered bytes have doubled, so a single 100 MB value
 * costs O(n) decoding work in total rather than O(n^2). A consequence: a large record may be
 * returned only after twice its size has been pushed, or when end() is called.
 */

import * as T from './constants.js';
import { readPreGaLibrary } from './functions-payload.js';
import { Crc64 } from './crc64.js';
import { RdbError, RdbErrors } from './errors.js';
import { InputCursor, NEED_MORE } from './input-cursor.js';
import { decodeLatin1 } from './latin1.js';
import { lengthAfter, readLength, readLengthBig } from './length-encoding.js';
import { decompressInto, readPlainLength, readString } from './string-encoding.js';
import type { RdbRecord, RdbStringBytesKey } from './types.js';
import { moduleTypeName, readValue } from './value-reader.js';
import { skipString, skipValue } from './value-skipper.js';

const EMPTY = Buffer.alloc(0);
const HEADER_SIZE = 9;
const RETRY_EVERY_PUSH_BELOW = 64 * 1024;
/** Short compressed values are decompressed into blocks of this size, one after the other. */
const DECOMPRESSED_BLOCK_BYTES = 64 * 1024;

const Stage = { Header: 0, Body: 1, Done: 2 } as const;
type Stage = (typeof Stage)[keyof typeof Stage];

function isObjectType(type: number): boolean {
  return (type >= 0 && type <= 7) || (type >= 9 && type <= 25);
}

export interface RdbReaderOptions {
  /** Skip CRC64 verification (like Redis's rdbchecksum no / skip-checksum-validation). */
  skipChecksum?: boolean;
  /** Told of each key whose collection is empty: Redis skips those (see redis#8453). */
  onEmptyKey?: (db: number, key: string) => void;
  /**
   * A string value stored as plain or LZF-compressed bytes, at most this many, comes as a
   * 'string-bytes' record (a view of its bytes, or of where they were decompressed) instead of a
   * string in a 'key' record: a loader that keeps short values as bytes makes neither the string
   * nor its RdbValue. 0 (the default): never. The record is valid until the next call of next():
   * the reader fills the same one for the next such key (copy it to keep it).
   */
  stringBytesUpTo?: number;
}

export class RdbReader {
  /** The RDB version from the header, 0 until it has been read. */
  version = 0;

  private readonly input = new InputCursor(EMPTY);
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Bytes the record at the read position needs before decoding is tried again. */
  private needed = 1;
  private stage: Stage = Stage.Header;
  private ending = false;
  /** Records decoded by end() before anyone read them, and how many were read (no shift()). */
  private ready: RdbRecord[] = [];
  private readyRead = 0;
  private db = 0;
  private expireAt: number | null = null;
  private readonly crc = new Crc64();
  /** Position in input.buffer up to which bytes have been fed to the CRC. */
  private crcPosition = 0;
  private readonly verifyChecksum: boolean;
  private readonly onEmptyKey: ((db: number, key: string) => void) | undefined;
  private readonly stringBytesUpTo: number;
  /**
   * The 'string-bytes' record next() returns, filled anew for each such key: a million short
   * values loaded are then not a million records for the garbage collector. end() makes a new
   * one for each record it holds back.
   */
  private readonly bytesRecord: RdbStringBytesKey = {
    kind: 'string-bytes',
    db: 0,
    key: '',
    bytes: EMPTY,
    start: 0,
    end: 0,
    expireAt: null,
  };
  /** Where short compressed string values are decompressed for 'string-bytes' records. */
  private decompressed: Buffer = EMPTY;
  private decompressedUsed = 0;
  /** The error that stopped decoding: thrown again by every later call. */
  private failure: unknown = undefined;

  constructor(options: RdbReaderOptions = {}) {
    this.verifyChecksum = options.skipChecksum !== true;
    this.onEmptyKey = options.onEmptyKey;
    this.stringBytesUpTo = options.stringBytesUpTo ?? 0;
  }

  /**
   * Adds input. The reader keeps a reference to `chunk` (no copy) until its bytes are decoded:
   * do not reuse the buffer for the next read.
   */
  push(chunk: Buffer): void {
    if (this.ending) throw new Error('RdbReader: push() after end()');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
  }

  /** The next complete record, or undefined until more input arrives. */
  next(): RdbRecord | undefined {
    if (this.readyRead < this.ready.length) {
      const record = this.ready[this.readyRead++];
      if (this.readyRead === this.ready.length) {
        this.ready = [];
        this.readyRead = 0;
      }
      return record;
    }
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.decodeNext();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  *records(): IterableIterator<RdbRecord> {
    for (let record = this.next(); record !== undefined; record = this.next()) yield record;
  }

  /** Bytes pushed after the end of the RDB (its EOF opcode and checksum). */
  get remainder(): Buffer {
    if (this.stage !== Stage.Done) return EMPTY;
    const input = this.input;
    const rest = input.buffer.subarray(input.position, input.end);
    return this.chunks.length === 0 ? rest : Buffer.concat([rest, ...this.chunks]);
  }

  /** Whether the end record has been decoded. */
  get done(): boolean {
    return this.stage === Stage.Done;
  }

  /**
   * Declares the input complete. Records still held back stay available from next(); throws
   * RdbError if the file ends before its EOF opcode (and checksum).
   */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    this.ending = true;
    this.needed = 1;
    try {
      for (let record = this.decodeNext(); record !== undefined; record = this.decodeNext()) {
        this.ready.push(record);
      }
      if (this.stage !== Stage.Done) {
        throw new RdbError(
          RdbErrors.truncated,
          this.input.base + this.input.end + this.chunkBytes,
          { kind: 'truncated' },
        );
      }
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  private decodeNext(): RdbRecord | undefined {
    const input = this.input;
    for (;;) {
      if (this.stage === Stage.Done) return undefined;
      const start = input.position;
      if (input.end - start >= this.needed) {
        try {
          // A record that was incomplete before is walked over first: decoding only once
          // all of it is there keeps the garbage of partial attempts out of large values.
          if (this.needed > 1 && this.stage === Stage.Body) {
            this.skipRecord();
            input.position = start;
          }
          const record = this.stage === Stage.Header ? this.readHeader() : this.readRecord();
          this.needed = 1;
          if (record !== null) return record;
          continue;
        } catch (error) {
          if (error !== NEED_MORE) throw error;
          input.position = start;
          const have = input.end - start;
          this.needed = have < RETRY_EVERY_PUSH_BELOW || this.ending ? have + 1 : have * 2;
        }
      }
      if (!this.absorbChunks()) return undefined;
    }
  }

  /** Joins pushed chunks to the unread bytes, once there are enough to try again. */
  private absorbChunks(): boolean {
    if (this.chunkBytes === 0) return false;
    const input = this.input;
    const unread = input.end - input.position;
    if (unread + this.chunkBytes < this.needed && !this.ending) return false;
    this.crc.update(input.buffer, this.crcPosition, input.position);
    const chunks = this.chunks;
    let joined: Buffer;
    if (unread === 0 && chunks.length === 1) joined = chunks[0];
    else if (unread === 0) joined = Buffer.concat(chunks, this.chunkBytes);
    else
      joined = Buffer.concat(
        [input.buffer.subarray(input.position, input.end), ...chunks],
        unread + this.chunkBytes,
      );
    input.base += input.position;
    input.buffer = joined;
    input.position = 0;
    input.end = joined.length;
    this.crcPosition = 0;
    this.chunks = [];
    this.chunkBytes = 0;
    return true;
  }

  private readHeader(): null {
    const input = this.input;
    const at = input.take(HEADER_SIZE);
    const bytes = input.buffer;
    if (decodeLatin1(bytes, at, at + 5) !== 'REDIS')
      throw new RdbError(RdbErrors.badSignature, input.base + at);
    const digits = decodeLatin1(bytes, at + 5, at + 9);
    const version = /^\d{4}$/.test(digits) ? Number(digits) : NaN;
    if (!(version >= 1 && version <= T.RDB_MAX_READ_VERSION)) {
      throw new RdbError(
        RdbErrors.unsupportedVersion(version === version ? version : -1),
        input.base + at + 5,
      );
    }
    this.version = version;
    this.stage = Stage.Body;
    return null;
  }

  /** Decodes one opcode and what follows it; null for opcodes that yield no record. */
  private readRecord(): RdbRecord | null {
    const input = this.input;
    const typeAt = input.position;
    const type = input.uint8();
    switch (type) {
      case T.OPCODE_EXPIRETIME_MS:
        this.expireAt = input.int64LE();
        return null;
      case T.OPCODE_EXPIRETIME:
        this.expireAt = input.int32LE() * 1000;
        return null;
      case T.OPCODE_FREQ:
        input.uint8();
        return null;
      case T.OPCODE_IDLE:
        readLength(input);
        return null;
      case T.OPCODE_SELECTDB:
        this.db = readLength(input);
        return { kind: 'db', db: this.db };
      case T.OPCODE_RESIZEDB: {
        const size = readLength(input);
        return { kind: 'resize', size, expiresSize: readLength(input) };
      }
      case T.OPCODE_SLOT_INFO:
        readLength(input);
        readLength(input);
        readLength(input);
        return null;
      case T.OPCODE_AUX: {
        const name = readString(input);
        return { kind: 'aux', name, value: readString(input) };
      }
      case T.OPCODE_MODULE_AUX: {
        const id = readLengthBig(input);
        return input.fail(RdbErrors.unsupportedModuleAux(moduleTypeName(id)), typeAt);
      }
      case T.OPCODE_FUNCTION_PRE_GA:
        return { kind: 'function', payload: readPreGaLibrary(input) };
      case T.OPCODE_FUNCTION2:
        return { kind: 'function', payload: readString(input) };
      case T.OPCODE_EOF:
        return this.readEnd(typeAt);
      default: {
        if (!isObjectType(type)) return input.fail(RdbErrors.unknownType(type), typeAt);
        const key = readString(input);
        const expireAt = this.expireAt;
        if (type === T.TYPE_STRING && this.stringBytesUpTo !== 0) {
          const bytes = this.readStringBytes(key, expireAt);
          if (bytes !== null) return bytes;
        }
        const value = readValue(input, type);
        this.expireAt = null;
        if (value === null) {
          this.onEmptyKey?.(this.db, key);
          return null;
        }
        return { kind: 'key', db: this.db, key, value, expireAt };
      }
    }
  }

  /**
   * A string value at the read position as a 'string-bytes' record when it is stored as plain
   * or LZF-compressed bytes and short enough; else null, the position unchanged.
   */
  private readStringBytes(key: string, expireAt: number | null): RdbStringBytesKey | null {
    const input = this.input;
    const at = input.position;
    const first = input.uint8();
    const compressed = first >= 0xc0;
    if (compressed && (first & 0x3f) !== T.ENCODING_LZF) {
      input.position = at;
      return null;
    }
    const compressedLength = compressed ? readPlainLength(input) : 0;
    const length = compressed ? readPlainLength(input) : lengthAfter(input, first);
    if (length > this.stringBytesUpTo) {
      input.position = at;
      return null;
    }
    let bytes = input.buffer;
    let start: number;
    if (compressed) {
      const from = input.take(compressedLength);
      // The record keeps a view: a full block is left to it and the next one taken.
      if (this.decompressedUsed + length > this.decompressed.length) {
        this.decompressed = Buffer.allocUnsafe(Math.max(DECOMPRESSED_BLOCK_BYTES, length));
        this.decompressedUsed = 0;
      }
      bytes = this.decompressed;
      start = this.decompressedUsed;
      decompressInto(input, from, compressedLength, bytes, start, length);
      this.decompressedUsed += length;
    } else {
      start = input.take(length);
    }
    this.expireAt = null;
    const record = this.ending ? ({ kind: 'string-bytes' } as RdbStringBytesKey) : this.bytesRecord;
    record.db = this.db;
    record.key = key;
    record.bytes = bytes;
    record.start = start;
    record.end = start + length;
    record.expireAt = expireAt;
    return record;
  }

  /** Walks over the key record at the read position, throwing NEED_MORE if incomplete. */
  private skipRecord(): void {
    const input = this.input;
    const type = input.uint8();
    if (!isObjectType(type)) return;
    skipString(input);
    skipValue(input, type);
  }

  private readEnd(typeAt: number): RdbRecord {
    const input = this.input;
    let checksum: 'verified' | 'absent' = 'absent';
    if (this.version >= 5) {
      const at = input.take(8);
      const bytes = input.buffer;
      let zero = true;
      for (let i = 0; i < 8; i++) if (bytes[at + i] !== 0) zero = false;
      if (!zero && this.verifyChecksum) {
        this.crc.update(bytes, this.crcPosition, typeAt + 1);
        this.crcPosition = typeAt + 1;
        if (!this.crc.equalsLE(bytes, at)) {
          const stored = bytes.readBigUInt64LE(at);
          throw new RdbError(
            RdbErrors.checksumMismatch(
              `0x${stored.toString(16)}`,
              `0x${this.crc.value.toString(16)}`,
            ),
            input.base + at,
            { kind: 'checksum', stored, computed: this.crc.value },
          );
        }
        checksum = 'verified';
      }
    }
    this.stage = Stage.Done;
    return { kind: 'end', checksum };
  }
}

/** Reads a whole file held in memory. */
export function readRdb(bytes: Buffer, options?: RdbReaderOptions): RdbRecord[] {
  const reader = new RdbReader(options);
  reader.push(bytes);
  const records: RdbRecord[] = [];
  const keep = (record: RdbRecord): void => {
    records.push(record.kind === 'string-bytes' ? { ...record } : record);
  };
  for (let record = reader.next(); record !== undefined; record = reader.next()) keep(record);
  reader.end();
  for (let record = reader.next(); record !== undefined; record = reader.next()) keep(record);
  return records;
}
