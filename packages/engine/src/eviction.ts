import { constants, PerformanceObserver } from 'node:perf_hooks';
import { estimateBytes } from './commands/memory.js';
import { collectGarbage, usedMemory } from './info-memory.js';
import type { Engine } from './engine.js';
import { EventClass } from './keyspace-events.js';
import type { Database } from './keyspace.js';

/**
 * What a key costs V8 beyond MEMORY USAGE's Redis-like estimate: its entries in the keyspace's
 * maps and string headers. Measured: 1M keys of 16 bytes with 100-byte values take 283 bytes
 * each, where the estimate says 164.
 */
const KEY_HEAP_BYTES = 120;

/** How much memory rc uses, as eviction sees it. */
export interface MemoryGauge {
  /** Bytes in use now, less what evictions freed that no collection has reclaimed yet. */
  used(): number;
  /** Evicted keys held about this many bytes, which become free at the next collection. */
  freed(bytes: number): void;
  /** Drops garbage if that is cheap enough now, or `always`; true when it did. */
  collect(always: boolean): boolean;
}

/**
 * INFO's used_memory (see usedMemory). What evictions freed stays counted in the old generation
 * until a full collection, so it is subtracted until one happens. Over the limit, the gauge also
 * asks for a full collection (see collectGarbage).
 */
export function heapGauge(): MemoryGauge {
  let pendingFreed = 0;
  new PerformanceObserver((list) => {
    const entries = list.getEntries() as Array<{ detail?: { kind?: number } }>;
    if (entries.some((entry) => entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
      pendingFreed = 0;
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    used() {
      return Math.max(0, usedMemory() - pendingFreed);
    },
    freed(bytes) {
      pendingFreed += bytes;
    },
    collect(always) {
      if (!collectGarbage(always)) return false;
      pendingFreed = 0;
      return true;
    },
  };
}

/**
 * maxmemory and its policies, as Redis's performEvictions before each command: over the limit,
 * keys go until the estimate of what they held covers the excess. Candidates are sampled by a
 * cursor that walks each database's keys (or keys with a TTL) round and round: the random
 * policies take the next key, LRU and LFU the best of maxmemory-samples keys per database,
 * volatile-ttl the nearest expiry among them.
 */
export class Eviction {
  /** Where each key map's walk stands; a flushed database gets new maps, hence new walks. */
  private readonly cursors = new WeakMap<Map<string, unknown>, Iterator<string>>();
  private nextDatabase = 0;
  /** What the last check on figures fresh from a full collection found: under the limit. */
  private lastVerdict = true;
  /** The limit or the policy changed: the next check gets fresh figures. */
  private settingsChanged = true;
  /** maxmemory, read when it changes rather than before every command. */
  private maxmemory = 0;
  /** runSoon's turn is already scheduled. */
  private scheduled = false;

  constructor(
    private readonly engine: Engine,
    private readonly gauge: MemoryGauge,
  ) {}

  /**
   * False when memory stays over maxmemory: Redis's EVICT_FAIL, which OOM-rejects writes.
   * Figures are only trusted fresh from a full collection: until the next one is cheap enough,
   * the last verdict stands (a write load can overshoot the limit that long), since evicting on
   * figures that still count garbage could empty the dataset.
   */
  run(): boolean {
    const engine = this.engine;
    const maxmemory = this.maxmemory;
    if (maxmemory === 0) return true;
    // A replica leaves eviction to its master, a paused server keeps its data as it is, and
    // nothing goes while loading or while a timed-out script holds the dataset.
    if (engine.expiryMode !== 'delete' || engine.loading || engine.scriptTimedOut) return true;
    // Garbage only adds to the figure: under the limit, certainly under.
    if (this.gauge.used() <= maxmemory) return (this.lastVerdict = true);
    const fresh = this.gauge.collect(this.settingsChanged);
    this.settingsChanged = false;
    if (!fresh) return this.lastVerdict;
    const used = this.gauge.used();
    if (used <= maxmemory) return (this.lastVerdict = true);
    const policy = engine.config.get('maxmemory-policy');
    if (policy === 'noeviction') return (this.lastVerdict = false);
    for (let excess = used - maxmemory; excess > 0;) {
      const freed = this.evictOne(policy);
      if (freed === null) return (this.lastVerdict = false);
      excess -= freed;
    }
    return (this.lastVerdict = true);
  }

  /** Evicts the policy's best candidate; the bytes it is estimated to free, or null if none. */
  private evictOne(policy: string): number | null {
    const samples = Math.max(1, this.engine.config.getNumber('maxmemory-samples'));
    const victim = this.victim(policy, samples);
    if (victim === null) return null;
    const freed = this.evict(victim.db, victim.key);
    this.gauge.freed(freed);
    return freed;
  }

  /**
   * CONFIG SET maxmemory: evicts on the next turn of the event loop, whether or not a command
   * follows, as Redis's startEvictionTimeProc (warning first, as updateMaxmemory, when the new
   * limit is under the memory used). The DELs go out together, without MULTI/EXEC.
   */
  runSoon(): void {
    const used = this.gauge.used();
    if (this.maxmemory < used) {
      this.engine.log(
        'warning',
        `WARNING: the new maxmemory value set via CONFIG SET (${this.maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const propagation = this.engine.propagation;
      const propagating = propagation.active;
      if (propagating) propagation.beginUnit();
      try {
        this.run();
      } finally {
        if (propagating) propagation.endUnit(false);
      }
    }).unref();
  }

  /** maxmemory or maxmemory-policy was set. */
  settingsChange(): void {
    this.maxmemory = this.engine.config.getNumber('maxmemory');
    this.settingsChanged = true;
  }

  private victim(policy: string, samples: number): { db: Database; key: string } | null {
    const volatile = policy.startsWith('volatile-');
    const databases = this.engine.databases;
    if (policy.endsWith('-random')) {
      for (let i = 0; i < databases.length; i++) {
        const index = (this.nextDatabase + i) % databases.length;
        const [key] = this.nextKeys(databases[index], volatile, 1);
        if (key === undefined) continue;
        this.nextDatabase = (index + 1) % databases.length;
        return { db: databases[index], key };
      }
      return null;
    }
    let best: { db: Database; key: string } | null = null;
    let bestScore = -Infinity;
    for (const db of databases) {
      for (const key of this.nextKeys(db, volatile, samples)) {
        // The higher, the better to evict: idle time, 255 - LFU counter, or the nearest expiry.
        const score =
          policy === 'volatile-ttl' ? -(db.expires.get(key) ?? Infinity) : db.evictionScore(key);
        if (score > bestScore) {
          best = { db, key };
          bestScore = score;
        }
      }
    }
    return best;
  }

  /** Up to `count` keys, continuing the walk where it stopped and wrapping around once. */
  private nextKeys(db: Database, volatile: boolean, count: number): string[] {
    const source: Map<string, unknown> = volatile ? db.expires : db.data;
    const wanted = Math.min(count, source.size);
    const keys: string[] = [];
    let cursor = this.cursors.get(source) ?? source.keys();
    let restarted = false;
    while (keys.length < wanted) {
      const step = cursor.next();
      if (step.done !== true) {
        keys.push(step.value);
        continue;
      }
      if (restarted) break;
      restarted = true;
      cursor = source.keys();
    }
    this.cursors.set(source, cursor);
    return keys;
  }

  /**
   * Deletes the key as Redis evicts: counted in evicted_keys, an `evicted` event, a DEL (or
   * UNLINK) propagated, WATCH and client-side caches told, but no change in server.dirty.
   * Returns the bytes it is estimated to free.
   */
  private evict(db: Database, key: string): number {
    const engine = this.engine;
    const value = db.data.get(key);
    const freed = value === undefined ? 0 : estimateBytes(key, value, 5) + KEY_HEAP_BYTES;
    const deleted = engine.countedAsCommand(() => {
      engine.countChanges(0);
      return db.delete(key);
    });
    if (!deleted) return freed;
    engine.stats.evictedKeys++;
    engine.notify(db, EventClass.evicted, 'evicted', key);
    const lazy = engine.config.get('lazyfree-lazy-eviction') === 'yes';
    if (value !== undefined) engine.valueDeleted(value, lazy);
    if (engine.propagation.active) engine.propagation.also(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
    return freed;
  }
}
