/**
 * Byte strings are latin1 JavaScript strings (one char per byte). Node's Buffer has native
 * latin1 paths without the encoding dispatch of toString/write; they are missing from the
 * type definitions, hence this typed view.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

/** bytes[start, end) as a latin1 string, through Node's native decoder. */
export function decodeLatin1(b: Uint8Array, s: number, end: number): string {
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
