/**
 * DUMP / RESTORE payloads (cluster.c createDumpPayload / verifyDumpPayload): the value's type
 * byte, its RDB encoding, the RDB version as 2 bytes little endian, and the CRC64 of all that,
 * 8 bytes little endian.
 */

import { RDB_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import { RdbError, RdbErrors } from './errors.js';
import { InputCursor, NEED_MORE } from './input-cursor.js';
import { OutputBuffer } from './output-buffer.js';
import type { RdbValue } from './types.js';
import { readValue } from './value-reader.js';
import { valueType, writeValue } from './value-writer.js';

const FOOTER_SIZE = 10;

/** The DUMP payload of `value`, as Redis 7.0 writes it (payload version 10). */
export function encodeDumpPayload(value: RdbValue): Buffer {
  const out = new OutputBuffer(256);
  out.byte(valueType(value, RDB_VERSION));
  writeValue(out, value, RDB_VERSION, true);
  out.reserve(FOOTER_SIZE);
  out.buffer[out.length++] = RDB_VERSION & 0xff;
  out.buffer[out.length++] = RDB_VERSION >> 8;
  const crc = new Crc64().update(out.buffer, 0, out.length);
  crc.writeLE(out.buffer, out.length);
  out.length += 8;
  return out.take();
}

export interface DumpPayloadOptions {
  /** Newest payload version accepted (default 10, Redis 7.0's; the decoder handles up to 12). */
  maxVersion?: number;
  /** Do not verify the CRC64 (Redis's skip-checksum-validation). */
  skipChecksum?: boolean;
  /**
   * Check compact encodings as Redis does without deep sanitization (sanitize-dump-payload
   * no): see readValue. The value may then be an RdbUnreadable, and an RdbFaultError says
   * Redis would crash loading it.
   */
  shallow?: boolean;
}

/** Whether `payload` has an acceptable version and a matching checksum (verifyDumpPayload). */
export function verifyDumpPayload(payload: Buffer, options: DumpPayloadOptions = {}): boolean {
  if (payload.length < FOOTER_SIZE) return false;
  const footer = payload.length - FOOTER_SIZE;
  const version = payload[footer] | (payload[footer + 1] << 8);
  if (version > (options.maxVersion ?? RDB_VERSION)) return false;
  if (options.skipChecksum) return true;
  return new Crc64().update(payload, 0, payload.length - 8).equalsLE(payload, payload.length - 8);
}

/**
 * The value in a DUMP payload, or null when its version or checksum is wrong (Redis replies
 * RdbErrors.dumpPayloadVersionOrChecksum). Throws RdbError when the value itself is malformed
 * or an empty collection (Redis: "Bad data format"). Like Redis, bytes between the value and
 * the footer are not checked.
 */
export function decodeDumpPayload(payload: Buffer, options?: DumpPayloadOptions): RdbValue | null {
  if (!verifyDumpPayload(payload, options)) return null;
  const input = new InputCursor(payload, 0, payload.length - FOOTER_SIZE);
  let value: RdbValue | null;
  try {
    value = readValue(input, input.uint8(), options?.shallow);
  } catch (error) {
    if (error === NEED_MORE)
      throw new RdbError(RdbErrors.badEncoding('DUMP payload: value runs past its end'));
    throw error;
  }
  if (value === null) throw new RdbError(RdbErrors.emptyValue);
  return value;
}
