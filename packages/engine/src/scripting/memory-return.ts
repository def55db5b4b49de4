import { getHeapStatistics } from 'node:v8';
import { collectGarbageSoon } from '../garbage.js';

/** Growth of V8's heap during one script past which its garbage is collected at once. */
const GROWTH_BYTES = 64 * 1024 * 1024;

/**
 * Watches the heap of a long script (from its first interrupt check on): once it ends, if it
 * grew the heap by much (a table of millions of elements), a full collection returns that
 * memory, as Redis's Lua frees a finished script's values. V8 alone would keep the pages
 * until allocation pressure, an idle server holding a gigabyte for nothing.
 */
export class ScriptMemory {
  private heapAtStart: number | null = null;

  /** From a long script's interrupt check: the heap it started from, measured once. */
  observe(): void {
    if (this.heapAtStart === null) this.heapAtStart = getHeapStatistics().used_heap_size;
  }

  /** The script ended: a full collection if it left much garbage. */
  ended(): void {
    const start = this.heapAtStart;
    if (start === null) return;
    this.heapAtStart = null;
    const growth = getHeapStatistics().used_heap_size - start;
    if (growth > Math.max(GROWTH_BYTES, start / 2)) collectGarbageSoon();
  }
}
