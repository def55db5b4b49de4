import type { Engine } from './engine.js';

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

  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the cycle off (keys then expire only when accessed). */
  enabled = true;

  cycle(): void {
    // Replicas wait for their master's DELs (Redis runs the cycle on masters only).
    if (!this.enabled || this.engine.expiryMode !== 'delete') return;
    // A timed-out script is still running: its keys must not change under it.
    if (this.engine.scriptTimedOut) return;
    // The DELs of one cycle go out together, without MULTI/EXEC, as Redis's activeExpireCycle.
    const propagation = this.engine.propagation;
    const propagating = propagation.active;
    if (propagating) propagation.beginUnit();
    try {
      this.expireSlices();
    } finally {
      if (propagating) propagation.endUnit(false);
    }
  }

  private expireSlices(): void {
    const deadline = Date.now() + CYCLE_BUDGET_MS;
    for (const db of this.engine.databases) {
      if (db.expires.size === 0) continue;
      for (;;) {
        const now = Date.now();
        let sampled = 0;
        let expired = 0;
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
          if (db.expireIfNeeded(next.value, now)) expired++;
        }
        this.cursors.set(db.id, cursor);
        if (expired * 4 <= sampled || Date.now() >= deadline) break;
      }
      if (Date.now() >= deadline) return;
    }
  }
}
