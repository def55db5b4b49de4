import { decodeLatin1 as decodeLatin1Buffer } from '@rc/resp';

/**
 * Byte strings are latin1 JavaScript strings (one char per byte), read and written by
 * @rc/resp's latin1 helpers: short ones in JavaScript, where a call into Node's native latin1
 * paths costs about three times as much, longer ones natively.
 */
export { latin1Write as encodeLatin1 } from '@rc/resp';

/** bytes[start, end) as a latin1 string. The reader's bytes are Buffers, typed Uint8Array here. */
export function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  return decodeLatin1Buffer(bytes as Buffer, start, end);
}
