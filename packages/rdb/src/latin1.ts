/**
 * Byte strings are latin1 JavaScript strings (one char per byte). Node's Buffer has native
 * latin1 paths without the encoding dispatch of toString/write; they are missing from the
 * type definitions, hence this typed view.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

/**
 * bytes[start, end) as a latin1 string. Up to 12 bytes (most keys and short values of a dump)
 * by String.fromCharCode, which V8 runs without leaving JavaScript: a call into Node's native
 * decoder costs about three times as much for a string that short (1M strings of 10 bytes:
 * 85–93 ms against 23–26). Longer ones through the native decoder.
 */
export function decodeLatin1(b: Uint8Array, s: number, end: number): string {
  switch (end - s) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[s]);
    case 2:
      return String.fromCharCode(b[s], b[s + 1]);
    case 3:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return String.fromCharCode(
        b[s],
        b[s + 1],
        b[s + 2],
        b[s + 3],
        b[s + 4],
        b[s + 5],
        b[s + 6],
        b[s + 7],
      );
    case 9:
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
      );
    case 10:
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
      );
    case 11:
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
      );
    case 12:
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
      );
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
