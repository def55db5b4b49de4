import type { Database } from './keyspace.js';

/** Redis's expireSlaveKeys gives up after a millisecond, checked every 64 keys. */
const BUDGET_MS = 1;
const KEYS_PER_CLOCK_CHECK = 64;

/**
 * Redis's slaveKeysWithExpire: keys to which a writable replica's own clients gave a TTL. Its
 * master knows nothing of them and will send no DEL, so the replica expires them itself, in the
 * cron that on a master runs the active expire cycle. Each name maps to the databases it may
 * have a TTL in.
 */
export class ReplicaKeysWithExpire {
  private readonly keys = new Map<string, Set<number>>();
  private cursor: Iterator<[string, Set<number>]> | null = null;

  remember(db: Database, key: string): void {
    const dbs = this.keys.get(key);
    if (dbs === undefined) this.keys.set(key, new Set([db.id]));
    else dbs.add(db.id);
  }

  /** FLUSHALL, a new dataset from the master: nothing left to expire. */
  clear(): void {
    this.keys.clear();
    this.cursor = null;
  }

  /**
   * Deletes the remembered keys whose time has come by `now`, the data's clock (`expire`
   * deletes and propagates); a name no database holds with a TTL any more is forgotten.
   */
  expire(
    databases: readonly Database[],
    now: number,
    expire: (db: Database, key: string) => void,
  ): void {
    if (this.keys.size === 0) return;
    const deadline = Date.now() + BUDGET_MS;
    let checked = 0;
    let cursor = this.cursor ?? this.keys.entries();
    for (let visited = 0; visited < this.keys.size;) {
      const next = cursor.next();
      if (next.done === true) {
        cursor = this.keys.entries();
        if (visited === 0) break;
        continue;
      }
      visited++;
      const [key, dbs] = next.value;
      for (const id of [...dbs]) {
        const db = databases[id];
        const at = db?.expires.get(key);
        if (at !== undefined && at <= now) expire(db, key);
        if (db?.expires.has(key) !== true) dbs.delete(id);
      }
      if (dbs.size === 0) this.keys.delete(key);
      if (++checked % KEYS_PER_CLOCK_CHECK === 0 && Date.now() > deadline) break;
    }
    this.cursor = cursor;
  }
}
