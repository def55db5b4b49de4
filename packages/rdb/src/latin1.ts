/**
 * Byte strings are latin1 JavaScript strings (one char per byte). Node's Buffer has native
 * latin1 paths without the encoding dispatch of toString/write; they are missing from the
 * type definitions, hence this typed view.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

/** Strings up to this long are made in JavaScript (see decodeLatin1). */
const SHORT_STRING = 12;

/**
 * bytes[start, end) as a latin1 string. Up to 12 bytes (most keys and short values of a dump)
 * by String.fromCharCode, which V8 runs without leaving JavaScript: a call into Node's native
 * decoder costs about three times as much for a string that short (1M strings of 10 bytes:
 * 85–93 ms against 23–26). Twelve bytes are read whatever the length and the string cut after,
 * one call for every length. Longer ones, and short ones at a buffer's very end, through the
 * native decoder.
 */
export function decodeLatin1(b: Uint8Array, s: number, end: number): string {
  const length = end - s;
  if (length <= SHORT_STRING && s + SHORT_STRING <= b.length) {
    return String.fromCharCode(
      b[s],
      b[s + 1],
      b[s + 2],
      b[s + 3],
      b[s + 4],
      b[s + 5],
      b[s + 6],
      b[s + 7],
      b[s + 8],
      b[s + 9],
      b[s + 10],
      b[s + 11],
    ).slice(0, length);
  }
  return (b as unknown as Latin1Buffer).latin1Slice(s, end);
}

/** Writes `text` at `offset`, one byte per char; returns the byte count. */
export function encodeLatin1(bytes: Buffer, text: string, offset: number): number {
  const count = text.length;
  if (count < 16) {
    for (let i = 0; i < count; i++) bytes[offset + i] = text.charCodeAt(i);
    return count;
  }
  return (bytes as unknown as Latin1Buffer).latin1Write(text, offset, count);
}
