/** A stream entry ID: milliseconds and sequence, both unsigned 64-bit. */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const MAX_PART = 2n ** 64n - 1n;
export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: MAX_PART, seq: MAX_PART };

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

const PART = /^\d{1,20}$/;

/**
 * Parses "<ms>-<seq>" or "<ms>" (the missing sequence becomes `missingSeq`, as XRANGE reads
 * incomplete IDs). Null when not an ID.
 */
export function parseId(text: string, missingSeq: bigint = 0n): StreamId | null {
  const dash = text.indexOf('-');
  const msText = dash === -1 ? text : text.slice(0, dash);
  const seqText = dash === -1 ? null : text.slice(dash + 1);
  if (!PART.test(msText) || (seqText !== null && !PART.test(seqText))) return null;
  const ms = BigInt(msText);
  const seq = seqText === null ? missingSeq : BigInt(seqText);
  return ms > MAX_PART || seq > MAX_PART ? null : { ms, seq };
}

/** The next ID in order, or null after the last possible one. */
export function nextId(id: StreamId): StreamId | null {
  if (id.seq < MAX_PART) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms < MAX_PART) return { ms: id.ms + 1n, seq: 0n };
  return null;
}

/** The previous ID in order, or null before 0-0. */
export function previousId(id: StreamId): StreamId | null {
  if (id.seq > 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms > 0n) return { ms: id.ms - 1n, seq: MAX_PART };
  return null;
}

/** 16 big-endian bytes, so byte order is ID order: the radix tree key. */
export function idKey(id: StreamId): string {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeBigUInt64BE(id.ms, 0);
  bytes.writeBigUInt64BE(id.seq, 8);
  return bytes.toString('latin1');
}

/** XADD's ID argument: `*`, `<ms>-*`, or an explicit `<ms>[-<seq>]`. */
export type IdRequest =
  | { readonly kind: 'auto' }
  | { readonly kind: 'auto-seq'; readonly ms: bigint }
  | { readonly kind: 'explicit'; readonly id: StreamId };

/**
 * Parses XADD's ID argument; null when it is not one. An explicit ID without a sequence means
 * sequence 0, as Redis reads it.
 */
export function parseIdRequest(text: string): IdRequest | null {
  if (text === '*') return { kind: 'auto' };
  if (text.endsWith('-*')) {
    const ms = text.slice(0, -2);
    if (!PART.test(ms)) return null;
    const value = BigInt(ms);
    return value > MAX_PART ? null : { kind: 'auto-seq', ms: value };
  }
  const id = parseId(text);
  return id === null ? null : { kind: 'explicit', id };
}
