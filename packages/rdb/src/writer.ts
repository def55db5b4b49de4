/**
 * The RDB writer: appends into one growing buffer that the caller drains with take(), so a
 * background save can write slices between event-loop turns. The CRC64 is computed over each
 * drained slice, never per key.
 */

import * as T from './constants.js';
import { Crc64 } from './crc64.js';
import { writeLength } from './length-encoding.js';
import { OutputBuffer } from './output-buffer.js';
import { writeBytes, writeString } from './string-encoding.js';
import type { RdbKey, RdbValue } from './types.js';
import { valueType, writeValue } from './value-writer.js';

export interface RdbWriterOptions {
  /** RDB version to write: 10 (Redis 7.0, the default); 11 and 12 differ only for streams. */
  version?: number;
  /** LZF-compress strings longer than 20 bytes when it pays (Redis's rdbcompression; default true). */
  compress?: boolean;
  /** Initial buffer size in bytes. */
  initialCapacity?: number;
}

/** The aux fields Redis 7.0 writes (rdbSaveInfoAuxFields), with the given memory figure. */
export function defaultAuxFields(usedMemory = 0, now = Date.now()): Array<[string, string]> {
  return [
    ['redis-ver', '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(now / 1000))],
    ['used-mem', String(usedMemory)],
    ['aof-base', '0'],
  ];
}

function isEmptyCollection(value: RdbValue): boolean {
  switch (value.type) {
    case 'list':
      return value.items.length === 0;
    case 'set':
      return value.members.length === 0;
    case 'hash':
    case 'zset':
      return value.entries.length === 0;
    default:
      return false;
  }
}

export class RdbWriter {
  readonly version: number;
  private readonly out: OutputBuffer;
  private readonly crc = new Crc64();
  private readonly compress: boolean;
  /** Bytes at the start of `out` already fed to the CRC (end() feeds the rest). */
  private crcDone = 0;
  private ended = false;

  constructor(options: RdbWriterOptions = {}) {
    const version = options.version ?? T.RDB_VERSION;
    if (version < 10 || version > T.RDB_MAX_READ_VERSION) {
      throw new RangeError(
        `RdbWriter: cannot write RDB version ${version} (10 to 12 are supported)`,
      );
    }
    this.version = version;
    this.compress = options.compress ?? true;
    this.out = new OutputBuffer(options.initialCapacity);
  }

  /** "REDIS00vv" and the aux fields, in the given order. */
  header(aux: Iterable<readonly [string, string]> = defaultAuxFields()): void {
    const out = this.out;
    out.latin1(`REDIS${String(this.version).padStart(4, '0')}`);
    for (const [name, value] of aux) {
      out.byte(T.OPCODE_AUX);
      writeString(out, name, this.compress);
      writeString(out, value, this.compress);
    }
  }

  /** SELECTDB and RESIZEDB: call before a non-empty db's keys. */
  selectDb(db: number, size: number, expiresSize: number): void {
    const out = this.out;
    out.byte(T.OPCODE_SELECTDB);
    writeLength(out, db);
    out.byte(T.OPCODE_RESIZEDB);
    writeLength(out, size);
    writeLength(out, expiresSize);
  }

  /**
   * One key: its expiry (absolute ms) if any, type, name and value. An empty list, set, hash or
   * sorted set is not written: Redis cannot hold one, and redis-check-rdb rejects a file with
   * one (empty streams are valid and written).
   */
  key(key: string, value: RdbValue, expireAt: number | null): void {
    if (isEmptyCollection(value)) return;
    this.keyHead(key, valueType(value, this.version), expireAt);
    writeValue(this.out, value, this.version, this.compress);
  }

  /** key() for a string value, without an RdbValue around it (a save's most common key). */
  stringKey(key: string, value: string, expireAt: number | null): void {
    this.keyHead(key, T.TYPE_STRING, expireAt);
    writeString(this.out, value, this.compress);
  }

  /** stringKey() for a value held as latin1 bytes[start, end). */
  stringKeyBytes(
    key: string,
    bytes: Uint8Array,
    start: number,
    end: number,
    expireAt: number | null,
  ): void {
    this.keyHead(key, T.TYPE_STRING, expireAt);
    writeBytes(this.out, bytes, start, end, this.compress);
  }

  /** What comes before a key's value: its expiry (absolute ms) if any, its type, its name. */
  private keyHead(key: string, type: number, expireAt: number | null): void {
    const out = this.out;
    if (expireAt !== null) {
      out.byte(T.OPCODE_EXPIRETIME_MS);
      out.int64LE(expireAt);
    }
    out.byte(type);
    writeString(out, key, this.compress);
  }

  /** A function library (FUNCTION2 opcode): its code, as FUNCTION DUMP holds it. */
  functionLibrary(code: string): void {
    this.out.byte(T.OPCODE_FUNCTION2);
    writeString(this.out, code, this.compress);
  }

  /** EOF opcode and the CRC64 of everything written. */
  end(): void {
    if (this.ended) throw new Error('RdbWriter: end() called twice');
    this.ended = true;
    const out = this.out;
    out.byte(T.OPCODE_EOF);
    this.crc.update(out.buffer, this.crcDone, out.length);
    out.reserve(8);
    this.crc.writeLE(out.buffer, out.length);
    out.length += 8;
    this.crcDone = out.length;
  }

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    return this.out.length;
  }

  /** Returns (and forgets) everything written so far; the Buffer is the caller's. */
  take(): Buffer {
    this.checksumPending();
    return this.out.take();
  }

  /**
   * As `take`, but the bytes stay valid only until the next call: the writer's two buffers
   * take turns (OutputBuffer.takeDoubleBuffered).
   */
  takeDoubleBuffered(): Buffer {
    this.checksumPending();
    return this.out.takeDoubleBuffered();
  }

  private checksumPending(): void {
    const out = this.out;
    this.crc.update(out.buffer, this.crcDone, out.length);
    this.crcDone = 0;
  }
}

/** A whole RDB file in memory: keys grouped by db (ascending), then EOF and checksum. */
export function writeRdb(
  keys: Iterable<RdbKey>,
  aux?: Iterable<readonly [string, string]>,
  options?: RdbWriterOptions,
): Buffer {
  const byDb = new Map<number, RdbKey[]>();
  for (const key of keys) {
    let list = byDb.get(key.db);
    if (list === undefined) byDb.set(key.db, (list = []));
    list.push(key);
  }
  const writer = new RdbWriter(options);
  writer.header(aux);
  for (const db of [...byDb.keys()].sort((a, b) => a - b)) {
    const list = byDb.get(db)!;
    let expires = 0;
    for (const key of list) if (key.expireAt !== null) expires++;
    writer.selectDb(db, list.length, expires);
    for (const key of list) writer.key(key.key, key.value, key.expireAt);
  }
  writer.end();
  return writer.take();
}
