/** Cuts `bytes` at the given offsets (sorted, deduplicated, clamped): one chunk per piece. */
export function splitAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((offset) => Math.min(Math.max(offset, 0), bytes.length)))]
    .filter((offset) => offset > 0 && offset < bytes.length)
    .sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Cuts `bytes` into pieces of `size` bytes (the last may be shorter). */
export function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

export const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
