import type { Engine } from './engine.js';
import { collectGarbageSoon } from './garbage.js';
import { EventClass } from './keyspace-events.js';
import type { Database } from './keyspace.js';

/** Redis's EVPOOL_SIZE: the best candidates kept from one sampling to the next. */
const POOL_SIZE = 16;
/** Keys evicted between two looks at the clock (Redis checks every 16). */
const KEYS_PER_CLOCK_CHECK = 16;
/**
 * The share of maxmemory evicted between two garbage collections asked for: what keeps the
 * process's memory near the limit, as V8 would otherwise let the garbage pile up. A value V8
 * holds (a collection, a string longer than SLAB_STRING_LENGTH) is garbage until such a
 * collection: one per quarter of maxmemory of them. A string kept as bytes (see KeyTable) gives
 * its bytes back at once and leaves V8 its key and the key table's replaced copies: one per
 * maxmemory of them. Under 1 KB SETs at a 100 MB limit: peak RSS 166 MB (165 at a quarter, 178
 * with none) for about 12% less server CPU than at a quarter.
 */
const HEAP_VALUES_PER_COLLECTION = 1 / 4;
const STRINGS_AS_BYTES_PER_COLLECTION = 1;

/** What one round of eviction achieved, as Redis's performEvictions answers. */
export type EvictionResult = 'ok' | 'running' | 'fail';

/**
 * Redis's evictionTimeLimitUs: how long one round may evict, from maxmemory-eviction-tenacity
 * (10: 500 µs; each step above grows it by 15%; 100: no limit).
 */
export function evictionTimeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * 1.15 ** (tenacity - 10)) / 1000;
  return Infinity;
}

/**
 * maxmemory and its policies, as Redis's performEvictions before each command: while the memory
 * counted for eviction (see Engine.memoryForEviction) is over the limit, the policy's best
 * candidate goes. LRU, LFU and volatile-ttl keep a pool of the best candidates found so far
 * and add maxmemory-samples keys picked at random from each database to it every round; the
 * random policies take a random key from the next database in turn.
 */
export class Eviction {
  /** The pool, worst candidate first: a score the higher, the better to evict. */
  private readonly poolKeys: string[] = [];
  private readonly poolDatabases: Database[] = [];
  private readonly poolScores: number[] = [];
  /** Where a key sampled at random was (see Database.stillAt); -1 for volatile samples. */
  private readonly poolSlots: number[] = [];
  /** Where volatile sampling's walk of each expires map stands (see sampleVolatile). */
  private readonly cursors = new WeakMap<Map<string, number>, Iterator<string>>();
  private nextDatabase = 0;
  /** Settings, read when they change rather than before every command. */
  private maxmemory = 0;
  private policy = 'noeviction';
  /** The policy's parts: which keys it may evict, and how it picks them. */
  private volatile = false;
  private random = false;
  private byTtl = false;
  private samples = 5;
  private lazy = false;
  private timeLimitMs = 0.5;
  /** A round left memory over the limit and another is scheduled (Redis's eviction timer). */
  private scheduled = false;
  /** Since when memory has been over the limit (performance.now()), or null. */
  private exceededSince: number | null = null;
  /** The time spent over the limit in the episodes that ended, in ms. */
  private exceededTotal = 0;
  /** What evictions freed since a garbage collection was last asked for, as a share of its due. */
  private evictedShare = 0;

  constructor(private readonly engine: Engine) {
    const config = engine.config;
    for (const name of [
      'maxmemory',
      'maxmemory-policy',
      'maxmemory-samples',
      'maxmemory-eviction-tenacity',
      'lazyfree-lazy-eviction',
    ]) {
      config.follow(name, () => {
        this.maxmemory = config.getNumber('maxmemory');
        this.policy = config.get('maxmemory-policy');
        this.volatile = this.policy.startsWith('volatile-');
        this.random = this.policy.endsWith('-random');
        this.byTtl = this.policy === 'volatile-ttl';
        this.lazy = config.get('lazyfree-lazy-eviction') === 'yes';
        this.samples = Math.max(1, config.getNumber('maxmemory-samples'));
        this.timeLimitMs = evictionTimeLimitMs(config.getNumber('maxmemory-eviction-tenacity'));
        this.clearPool();
      });
    }
  }

  /** INFO's total_eviction_exceeded_time and current_eviction_exceeded_time, in ms. */
  exceededTimes(): { total: number; current: number } {
    const current = this.exceededSince === null ? 0 : performance.now() - this.exceededSince;
    return { total: Math.floor(this.exceededTotal + current), current: Math.floor(current) };
  }

  resetStats(): void {
    this.exceededTotal = 0;
    if (this.exceededSince !== null) this.exceededSince = performance.now();
  }

  /**
   * Evicts until under the limit, or until the round's time is up ('running': another round
   * follows on the next turn). 'fail' when nothing more can go (or noeviction): Redis's
   * EVICT_FAIL, which OOM-rejects the commands that may add memory.
   */
  run(): EvictionResult {
    const result = this.evict();
    this.recordExceeded(result);
    return result;
  }

  private evict(): EvictionResult {
    const engine = this.engine;
    const maxmemory = this.maxmemory;
    if (maxmemory === 0) return 'ok';
    // A replica leaves eviction to its master, a paused server keeps its data as it is, and
    // nothing goes while loading or while a timed-out script holds the dataset.
    if (engine.expiryMode !== 'delete' || engine.loading || engine.scriptTimedOut) return 'ok';
    let excess = engine.memoryForEviction() - maxmemory;
    if (excess <= 0) return 'ok';
    if (this.policy === 'noeviction') return 'fail';
    const started = performance.now();
    const dataset = engine.dataset;
    for (let evicted = 1; excess > 0; evicted++) {
      const victim = this.victim();
      if (victim === null) return 'fail';
      const before = dataset.bytes;
      const keptAsBytes = this.delete(victim.db, victim.key);
      // What the key held alone: messages its deletion sends out are not counted against it.
      const freed = before - dataset.bytes;
      excess -= freed;
      const due = keptAsBytes ? STRINGS_AS_BYTES_PER_COLLECTION : HEAP_VALUES_PER_COLLECTION;
      this.evictedShare += freed / (maxmemory * due);
      if (this.evictedShare >= 1) {
        this.evictedShare = 0;
        collectGarbageSoon();
      }
      if (evicted % KEYS_PER_CLOCK_CHECK === 0 && performance.now() - started > this.timeLimitMs) {
        this.runSoon();
        return excess > 0 ? 'running' : 'ok';
      }
    }
    return 'ok';
  }

  private recordExceeded(result: EvictionResult): void {
    if (result !== 'ok') {
      this.exceededSince ??= performance.now();
    } else if (this.exceededSince !== null) {
      this.exceededTotal += performance.now() - this.exceededSince;
      this.exceededSince = null;
    }
  }

  /**
   * CONFIG SET maxmemory: evicts on the next turn of the event loop, whether or not a command
   * follows, as Redis's startEvictionTimeProc (warning first, as updateMaxmemory, when the new
   * limit is under the memory used).
   */
  limitLowered(): void {
    const used = this.engine.memoryForEviction();
    if (this.maxmemory < used) {
      this.engine.log(
        'warning',
        `WARNING: the new maxmemory value set via CONFIG SET (${this.maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    this.runSoon();
  }

  /**
   * A round on the next turn, and more as long as one runs out of time. Its DELs go out
   * together, without MULTI/EXEC.
   */
  private runSoon(): void {
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

  /** The next key to evict under the policy, or null if there is none. */
  private victim(): { db: Database; key: string } | null {
    const volatile = this.volatile;
    const databases = this.engine.databases;
    if (this.random) {
      for (let i = 0; i < databases.length; i++) {
        const index = (this.nextDatabase + i) % databases.length;
        const db = databases[index];
        const key = volatile ? this.sampleVolatile(db, 1)[0] : db.randomKey();
        if (key === undefined) continue;
        this.nextDatabase = (index + 1) % databases.length;
        return { db, key };
      }
      return null;
    }
    for (;;) {
      let candidates = 0;
      for (const db of databases) {
        const keys = volatile ? db.expires.size : db.size;
        if (keys === 0) continue;
        candidates += keys;
        this.populate(db, volatile);
      }
      // Keys counted but none sampled: nothing this policy can find.
      if (candidates === 0 || this.poolKeys.length === 0) return null;
      // Best first; a key deleted since it was pooled is a ghost, and the next one is tried.
      while (this.poolKeys.length > 0) {
        const key = this.poolKeys.pop() as string;
        const db = this.poolDatabases.pop() as Database;
        const slot = this.poolSlots.pop() as number;
        this.poolScores.pop();
        if (slot >= 0 ? db.stillAt(slot, key) : db.expires.has(key)) return { db, key };
      }
    }
  }

  /** Redis's evictionPoolPopulate: sampled keys enter the pool if better than its worst. */
  private populate(db: Database, volatile: boolean): void {
    // The higher, the better to evict: idle time, 255 - LFU counter, or the nearest expiry.
    if (!volatile) {
      for (let i = 0; i < this.samples; i++) {
        const sample = db.sampleForEviction();
        if (sample !== null) this.offer(db, sample.key, sample.score, sample.slot);
      }
      return;
    }
    for (const key of this.sampleVolatile(db, this.samples)) {
      const score = this.byTtl ? -(db.expires.get(key) ?? Infinity) : db.evictionScore(key);
      this.offer(db, key, score, -1);
    }
  }

  private offer(db: Database, key: string, score: number, slot: number): void {
    const scores = this.poolScores;
    let at = 0;
    while (at < scores.length && scores[at] < score) at++;
    if (scores.length === POOL_SIZE) {
      // Full: worse than every candidate, it stays out; else the worst makes room.
      if (at === 0) return;
      this.poolKeys.shift();
      this.poolDatabases.shift();
      this.poolSlots.shift();
      scores.shift();
      at--;
    }
    this.poolKeys.splice(at, 0, key);
    this.poolDatabases.splice(at, 0, db);
    this.poolSlots.splice(at, 0, slot);
    scores.splice(at, 0, score);
  }

  private clearPool(): void {
    this.poolKeys.length = 0;
    this.poolDatabases.length = 0;
    this.poolSlots.length = 0;
    this.poolScores.length = 0;
  }

  /**
   * Up to `count` keys with a TTL: picked at random among all keys when enough of them have
   * one, else the next ones of a walk round the expires map.
   */
  private sampleVolatile(db: Database, count: number): string[] {
    const keys: string[] = [];
    const expires = db.expires;
    if (expires.size * 4 >= db.size) {
      for (let tries = 0; keys.length < count && tries < count * 8; tries++) {
        const key = db.randomKey();
        if (key !== undefined && expires.has(key)) keys.push(key);
      }
      if (keys.length > 0) return keys;
    }
    let cursor = this.cursors.get(expires) ?? expires.keys();
    let restarted = false;
    while (keys.length < Math.min(count, expires.size)) {
      const step = cursor.next();
      if (step.done !== true) {
        keys.push(step.value);
        continue;
      }
      if (restarted) break;
      restarted = true;
      cursor = expires.keys();
    }
    this.cursors.set(expires, cursor);
    return keys;
  }

  /**
   * Deletes the key as Redis evicts: counted in evicted_keys, an `evicted` event, a DEL (or
   * UNLINK) propagated, WATCH and client-side caches told, but no change in server.dirty.
   * Whether its value was a string kept as bytes.
   */
  private delete(db: Database, key: string): boolean {
    const engine = this.engine;
    const lazy = this.lazy;
    // Only a lazy free looks at the value (see Engine.valueDeleted).
    const value = lazy ? db.data.get(key) : undefined;
    const keptAsBytes = db.data.keptAsBytes(db.data.slotOf(key));
    const deleted = engine.countedAsCommand(() => {
      engine.countChanges(0);
      return db.delete(key);
    });
    if (!deleted) return false;
    engine.stats.evictedKeys++;
    engine.notify(db, EventClass.evicted, 'evicted', key);
    if (value !== undefined) engine.valueDeleted(value, lazy);
    if (engine.propagation.active) engine.propagation.also(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
    return keptAsBytes;
  }
}
