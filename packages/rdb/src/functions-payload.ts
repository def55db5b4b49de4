/**
 * FUNCTION DUMP / FUNCTION RESTORE payloads (functions.c): each library as the FUNCTION2 opcode
 * and its code as an RDB string, then the RDB version (2 bytes little endian) and the CRC64 of
 * all that (8 bytes little endian), the footer of a DUMP payload.
 */

import { OPCODE_FUNCTION_PRE_GA, OPCODE_FUNCTION2, RDB_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import { verifyDumpPayload, type DumpPayloadOptions } from './dump-payload.js';
import { InputCursor, NEED_MORE } from './input-cursor.js';
import { readLength } from './length-encoding.js';
import { OutputBuffer } from './output-buffer.js';
import { readString, writeString } from './string-encoding.js';

const FOOTER_SIZE = 10;

/** The FUNCTION DUMP payload of libraries given by their code (shebang line included). */
export function encodeFunctionsPayload(libraryCodes: Iterable<string>): Buffer {
  const out = new OutputBuffer(256);
  for (const code of libraryCodes) {
    out.byte(OPCODE_FUNCTION2);
    writeString(out, code, true);
  }
  out.reserve(FOOTER_SIZE);
  out.buffer[out.length++] = RDB_VERSION & 0xff;
  out.buffer[out.length++] = RDB_VERSION >> 8;
  new Crc64().update(out.buffer, 0, out.length).writeLE(out.buffer, out.length);
  out.length += 8;
  return out.take();
}

/**
 * The library codes in a FUNCTION RESTORE payload, or the error FUNCTION RESTORE replies (without
 * its "ERR " prefix), worded as Redis 7.0's.
 */
export function decodeFunctionsPayload(
  payload: Buffer,
  options?: DumpPayloadOptions,
): { codes: string[] } | { error: string } {
  if (!verifyDumpPayload(payload, options)) {
    return { error: 'DUMP payload version or checksum are wrong' };
  }
  const input = new InputCursor(payload, 0, payload.length - FOOTER_SIZE);
  const codes: string[] = [];
  while (input.position < input.end) {
    const type = input.uint8();
    if (type !== OPCODE_FUNCTION2 && type !== OPCODE_FUNCTION_PRE_GA) {
      return { error: 'given type is not a function' };
    }
    try {
      codes.push(type === OPCODE_FUNCTION2 ? readString(input) : readPreGaLibrary(input));
    } catch (error) {
      if (error === NEED_MORE) return { error: 'Failed loading library payload' };
      throw error;
    }
  }
  return { codes };
}

/**
 * A library in the format of Redis 7.0's release candidates (name, engine, optional description,
 * code), as the code of today's format: Redis prepends the shebang those fields stood for.
 */
export function readPreGaLibrary(input: InputCursor): string {
  const name = readString(input);
  const engine = readString(input);
  if (readLength(input) !== 0) readString(input);
  const code = readString(input);
  return `#!${engine} name=${name}\n${code}`;
}
