import { stringHash } from '@rc/datatypes/packed';
import { globMatch } from './glob.js';

/**
 * SCAN-style iteration over a Map without a cursor registry: the cursor is a position in the
 * order of a stable 32-bit hash of each element. Every element present for the whole iteration
 * is returned (elements never move in hash order), as Redis guarantees; elements sharing a hash
 * value are returned together so none are skipped at a page boundary.
 */
export function hash32(text: string): number {
  // Zero is the "iteration finished" cursor, so hashes start at 1.
  return stringHash(text) + 1;
}

/** The lowest hash a page at `cursor` starts from: a cursor is a hash plus one (`hash32`). */
export function hashFromCursor(cursor: number): number {
  return cursor === 0 ? 0 : cursor - 1;
}

/** The cursor for a page starting from `hash`; -1 (no more pages) is cursor 0. */
export function cursorFromHash(hash: number): number {
  return hash === -1 ? 0 : hash + 1;
}

export interface ScanPage {
  readonly cursor: number;
  readonly items: string[];
}

/** Returns about `count` names at or after `cursor` in hash order, and the next cursor. */
export function scanPage(names: Iterable<string>, cursor: number, count: number): ScanPage {
  const candidates: Array<[number, string]> = [];
  for (const name of names) {
    const hash = hash32(name);
    if (hash >= cursor) candidates.push([hash, name]);
  }
  candidates.sort((a, b) => a[0] - b[0]);
  let end = Math.min(count, candidates.length);
  while (end < candidates.length && candidates[end][0] === candidates[end - 1][0]) end++;
  const next = end < candidates.length ? candidates[end][0] : 0;
  return { cursor: next, items: candidates.slice(0, end).map((entry) => entry[1]) };
}

const MAX_CURSOR = 2n ** 64n - 1n;

/**
 * Parses a SCAN cursor as Redis does with strtoul: an optional sign, then digits (none at all
 * reads as 0), nothing else, no leading space; a negative number wraps around 2^64 (-1 is the
 * largest cursor); beyond 2^64 - 1 is out of range. Null when invalid. Cursors beyond our hash
 * range simply end the iteration, so precision lost above 2^53 does not matter.
 */
export function parseCursor(text: string): number | null {
  const match = /^([+-]?)(\d*)$/.exec(text);
  if (match === null) return null;
  const [, sign, digits] = match;
  if (digits === '') return sign === '' ? 0 : null;
  const magnitude = BigInt(digits);
  if (magnitude > MAX_CURSOR) return null;
  return Number(sign === '-' && magnitude !== 0n ? MAX_CURSOR + 1n - magnitude : magnitude);
}

export function filterByPattern(items: string[], pattern: string | null): string[] {
  if (pattern === null || pattern === '*') return items;
  return items.filter((item) => globMatch(pattern, item));
}
