import type { Engine } from './engine.js';
import type { Database } from './keyspace.js';

/** Keys looked at per database per cycle, and the cycle's time budget, as Redis's defaults. */
const KEYS_PER_CYCLE = 20;
const CYCLE_BUDGET_MS = 25;

/**
 * Redis's active expire cycle: a few times a second, walk a slice of each database's TTL map
 * and delete what has expired, so keys nobody reads still go away. Each database keeps its own
 * cursor so successive cycles cover the whole map; a cycle repeats while more than a quarter of
 * the sampled keys had expired, within a time budget so the loop never stalls.
 */
export class ActiveExpiry {
  private timer: NodeJS.Timeout | null = null;
  private readonly cursors = new Map<number, Iterator<string>>();
  /** Per database id, Redis's avg_ttl: a running average of the TTLs the cycle samples. */
  private readonly averageTtls = new Map<number, number>();

  constructor(private readonly engine: Engine) {}

  start(): void {
    if (this.timer) return;
    const hz = Math.min(500, Math.max(1, this.engine.config.getNumber('hz') || 10));
    this.timer = setInterval(() => this.cycle(), Math.floor(1000 / hz));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** INFO keyspace's avg_ttl in ms: 0 until sampled, and once no key has a TTL. */
  averageTtl(db: Database): number {
    return db.expires.size === 0 ? 0 : (this.averageTtls.get(db.id) ?? 0);
  }

  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the cycle off (keys then expire only when accessed). */
  enabled = true;

  cycle(): void {
    if (!this.enabled || this.engine.cronPaused) return;
    // Replicas wait for their master's DELs (Redis runs the cycle on masters only), except for
    // the keys their own clients gave a TTL (Redis's expireSlaveKeys).
    const replica = this.engine.expiryMode === 'hide';
    if (!replica && this.engine.expiryMode !== 'delete') return;
    // A timed-out script is still running: its keys must not change under it.
    if (this.engine.scriptTimedOut) return;
    // The DELs of one cycle go out together, without MULTI/EXEC, as Redis's activeExpireCycle.
    const propagation = this.engine.propagation;
    const propagating = propagation.active;
    if (propagating) propagation.beginUnit();
    const started = Date.now();
    try {
      if (replica) this.engine.expireReplicaKeys();
      else this.expireSlices();
    } finally {
      if (propagating) propagation.endUnit(false);
    }
    if (!replica) this.engine.latencyMonitor.addIfNeeded('expire-cycle', Date.now() - started);
  }

  private expireSlices(): void {
    const deadline = Date.now() + CYCLE_BUDGET_MS;
    for (const db of this.engine.databases) {
      if (db.expires.size === 0) continue;
      for (;;) {
        const now = this.engine.clock.now();
        let sampled = 0;
        let expired = 0;
        let ttlSum = 0;
        let ttlSamples = 0;
        let cursor = this.cursors.get(db.id) ?? db.expires.keys();
        while (sampled < KEYS_PER_CYCLE) {
          const next = cursor.next();
          if (next.done) {
            cursor = db.expires.keys();
            if (sampled === 0 && db.expires.size === 0) break;
            if (sampled >= db.expires.size) break;
            continue;
          }
          sampled++;
          const at = db.expires.get(next.value);
          if (db.expireIfNeeded(next.value, now)) expired++;
          else if (at !== undefined) {
            ttlSum += at - now;
            ttlSamples++;
          }
        }
        this.cursors.set(db.id, cursor);
        if (ttlSamples !== 0) this.updateAverageTtl(db, Math.trunc(ttlSum / ttlSamples));
        if (expired * 4 <= sampled || Date.now() >= deadline) break;
      }
      if (Date.now() >= deadline) return;
    }
  }

  /** As activeExpireCycle: the new sample weighs 1/50 against the previous average. */
  private updateAverageTtl(db: Database, sample: number): void {
    const previous = this.averageTtls.get(db.id) ?? 0;
    const average =
      previous === 0 ? sample : Math.trunc(previous / 50) * 49 + Math.trunc(sample / 50);
    this.averageTtls.set(db.id, average);
  }
}
