/**
 * How Redis walks a stream's node listpacks to find its first or last live entry (t_stream.c's
 * iterator, as streamGetEdgeID and streamLastValidID use it), step for step over the raw
 * bytes. Each step checks the element it lands on as listpack.c does (lpFirst, lpNext,
 * lpPrev assert it is valid) and reads integers as lpGetInteger does (asserting they are
 * integers), so that a value loaded without deep checks fails where Redis's would.
 */

import { STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from './constants.js';
import { backlenSize, elementInteger, elementSize, listpackElementValid } from './listpack.js';
import type { RdbFault } from './types.js';

const HEADER_SIZE = 6;
const EOF = 0xff;

/** A failed assertion of the walk: an element that is not valid, or not there. */
export class WalkFault extends Error {
  constructor(readonly fault: RdbFault) {
    super(fault.message);
  }
}

function fail(message: string): never {
  throw new WalkFault({ kind: 'assertion', message });
}

/** A position in one listpack, null past either end (lpNext/lpPrev returned NULL). */
type Element = number | null;

class ListpackSteps {
  constructor(private readonly blob: Buffer) {}

  private checked(p: number): number {
    if (!listpackElementValid(this.blob, p)) fail('a listpack element is valid');
    return p;
  }

  first(): Element {
    return this.blob[HEADER_SIZE] === EOF ? null : this.checked(HEADER_SIZE);
  }

  next(p: Element): Element {
    if (p === null) fail('a listpack element is there');
    const size = elementSize(this.blob, p);
    const q = p + size + backlenSize(size);
    return this.blob[q] === EOF ? null : this.checked(q);
  }

  prev(p: Element): Element {
    if (p === null) fail('a listpack element is there');
    if (p === HEADER_SIZE) return null;
    // The backlen before p, read backwards in 7-bit groups (lpDecodeBacklen).
    let length = 0;
    let shift = 0;
    for (let q = p - 1; ; q--, shift += 7) {
      if (q < 0 || shift > 28) fail('a listpack element is valid');
      length += (this.blob[q] & 0x7f) * 2 ** shift;
      if ((this.blob[q] & 0x80) === 0) break;
    }
    return this.checked(p - length - backlenSize(length));
  }

  last(): Element {
    return this.prev(this.blob.length - 1);
  }

  integer(p: Element): bigint {
    if (p === null) fail('a listpack element is there');
    const value = elementInteger(this.blob, p);
    if (value === null) fail('a stream listpack element is an integer');
    return BigInt(value);
  }
}

/**
 * Whether Redis finds a live (not deleted) entry walking the nodes (in their key order) from
 * the first entry, or with `last` from the last; throws WalkFault where its walk would fail.
 */
export function findsLiveEntry(nodes: Buffer[], last: boolean): boolean {
  const order = last ? [...nodes].reverse() : nodes;
  for (const node of order) if (nodeHasLiveEntry(new ListpackSteps(node), last)) return true;
  return false;
}

function nodeHasLiveEntry(lp: ListpackSteps, reverse: boolean): boolean {
  let p = lp.next(lp.next(lp.first())); // the master entry's field count
  const masterFields = lp.integer(p);
  p = lp.next(p);
  if (reverse) p = lp.last();
  else for (let i = 0n; i < masterFields; i++) p = lp.next(p);
  for (;;) {
    if (!reverse) {
      p = lp.next(p); // past the previous lp-count (or the master entry's end)
      if (p === null) return false;
    } else {
      let back = lp.integer(p);
      if (back === 0n) return false; // the master entry
      // A corrupt count may be negative: C's `while (n--)` then steps until it fails.
      for (; back !== 0n; back--) p = lp.prev(p);
    }
    const flags = Number(lp.integer(p) & 0xffn);
    p = lp.next(p);
    lp.integer(p); // ms difference
    p = lp.next(p);
    lp.integer(p); // seq difference
    p = lp.next(p);
    let fields = masterFields;
    if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) {
      fields = lp.integer(p);
      p = lp.next(p);
    }
    if (fields < 0n) fail('an entry has a field count');
    if (!(flags & STREAM_ITEM_FLAG_DELETED)) return true;
    if (!reverse) {
      const discard = flags & STREAM_ITEM_FLAG_SAMEFIELDS ? fields : fields * 2n;
      for (let i = 0n; i < discard; i++) p = lp.next(p);
    } else {
      const back = flags & STREAM_ITEM_FLAG_SAMEFIELDS ? 4 : 5;
      for (let i = 0; i < back; i++) p = lp.prev(p);
    }
  }
}
