import { performance } from 'node:perf_hooks';
import type { Client } from './client.js';
import { Clock, type ClockTimer } from './clock.js';
import { waitKindOf, type Database } from './keyspace.js';

/** The type of value a waiter waits on, as Redis's BLOCKED_LIST, BLOCKED_ZSET, BLOCKED_STREAM. */
export type WaitKind = 'list' | 'zset' | 'stream';

/**
 * How a parked client is served: `tryServe` runs the non-blocking form of its command against
 * a key that became ready, writes the reply and returns true, or returns false to keep waiting
 * (the key was emptied again, or holds the wrong type for it).
 */
export interface BlockedState {
  readonly db: Database;
  /** Null for a client parked without keys (WAIT, a paused client, a script's caller). */
  readonly kind: WaitKind | null;
  readonly keys: readonly string[];
  readonly tryServe: (key: string) => boolean;
  /** Writes the reply for a timeout (null array for BLPOP, nil for XREAD...). */
  readonly replyOnTimeout: () => void;
  /** The timeout, on the engine's clock: a test that advances it times the wait out. */
  timer: ClockTimer | null;
}

type WaitQueues = Map<string, Client[]>;

/**
 * Clients blocked on keys, first come first served per key. Writes mark keys ready; after the
 * current command (or whole EXEC) the ready keys are served in the order they became ready.
 */
export class BlockingRegistry {
  private readonly waiting = new Map<Database, WaitQueues>();
  private readyKeys: Array<{ db: Database; key: string }> = [];
  private readonly readySet = new Set<string>();
  blockedCount = 0;
  /** Waiters per kind: a key is signalled only if someone waits on its kind of value. */
  private readonly blockedByKind: Record<WaitKind, number> = { list: 0, zset: 0, stream: 0 };

  /**
   * `served` hears of every client whose wait ended with a reply, data or timeout, and how long
   * writing that reply took: the engine's statistics count a blocked call once it is served.
   * `mark`: where in the client's output that reply starts.
   */
  constructor(
    private readonly served: (
      client: Client,
      state: BlockedState,
      microseconds: number,
      mark: number,
    ) => void = () => {},
    /** Runs a waiter's serving as that client's command (client-side caching needs to know). */
    private readonly runAs: (client: Client, serve: () => boolean) => boolean = (_, serve) =>
      serve(),
    private readonly clock = new Clock(),
  ) {}

  block(client: Client, state: BlockedState, timeoutMs: number): void {
    client.blocked = state;
    this.blockedCount++;
    if (state.kind !== null) this.blockedByKind[state.kind]++;
    let queues = this.waiting.get(state.db);
    if (!queues) {
      queues = new Map();
      this.waiting.set(state.db, queues);
    }
    for (const key of state.keys) {
      const queue = queues.get(key);
      if (queue) {
        if (!queue.includes(client)) queue.push(client);
      } else queues.set(key, [client]);
    }
    if (timeoutMs > 0) {
      state.timer = this.clock.after(timeoutMs, () => {
        if (client.blocked !== state) return;
        this.timeOut(client);
        client.connection.resume();
      });
    }
  }

  hasWaiters(db: Database, key: string): boolean {
    return this.waiting.get(db)?.has(key) ?? false;
  }

  /**
   * Marks the key ready for its waiters (Redis's signalKeyAsReady), if anyone waits on `kind`
   * of value at all: as in Redis, a key signalled for a kind nobody waits on is not queued.
   */
  signalKeyReady(db: Database, key: string, kind: WaitKind): void {
    if (this.blockedByKind[kind] === 0 || !this.hasWaiters(db, key)) return;
    const tag = `${db.id}\u0000${key}`;
    if (this.readySet.has(tag)) return;
    this.readySet.add(tag);
    this.readyKeys.push({ db, key });
  }

  get hasReadyKeys(): boolean {
    return this.readyKeys.length !== 0;
  }

  /** Serves waiters of every ready key, including keys made ready while serving (BLMOVE). */
  serveReadyKeys(): void {
    while (this.readyKeys.length !== 0) {
      const batch = this.readyKeys;
      this.readyKeys = [];
      this.readySet.clear();
      for (const { db, key } of batch) this.serveKey(db, key);
    }
  }

  private serveKey(db: Database, key: string): void {
    const queue = this.waiting.get(db)?.get(key);
    if (!queue) return;
    // Snapshot: clients served here leave the queue, clients that keep waiting stay in order.
    for (const client of [...queue]) {
      const state = client.blocked;
      // Waiters decide for themselves: a deleted key ends an XREADGROUP wait with an error.
      if (!state) continue;
      const started = performance.now();
      const mark = client.out.length;
      if (this.runAs(client, () => state.tryServe(key))) {
        this.unblock(client);
        this.served(client, state, Math.round((performance.now() - started) * 1000), mark);
        client.connection.resume();
      }
    }
  }

  /** Ends a wait as its timeout does (also CLIENT UNBLOCK ... TIMEOUT); the caller resumes. */
  timeOut(client: Client): void {
    const state = client.blocked;
    if (state === null) return;
    this.unblock(client);
    const started = performance.now();
    const mark = client.out.length;
    state.replyOnTimeout();
    this.served(client, state, Math.round((performance.now() - started) * 1000), mark);
  }

  /** Removes the client from every queue and cancels its timer; the caller writes the reply. */
  unblock(client: Client): void {
    const state = client.blocked;
    if (!state) return;
    client.blocked = null;
    this.blockedCount--;
    if (state.kind !== null) this.blockedByKind[state.kind]--;
    state.timer?.cancel();
    const queues = this.waiting.get(state.db);
    if (!queues) return;
    for (const key of state.keys) {
      const queue = queues.get(key);
      if (!queue) continue;
      const index = queue.indexOf(client);
      if (index !== -1) queue.splice(index, 1);
      if (queue.length === 0) queues.delete(key);
    }
  }

  /**
   * SWAPDB moves the data, not the waiters. As Redis, first the keys whose stream left (the
   * other database has it now) are signalled, for XREADGROUP waiters to get their error, then
   * every key that now holds a value, for its type. Values are read as they are, expired or
   * not (Redis's dictFind): an expired key is deleted, and its DEL propagated after SWAPDB, by
   * the waiter that looks it up.
   */
  databasesSwapped(first: Database, second: Database): void {
    const pairs = [
      [first, second],
      [second, first],
    ] as const;
    for (const [db, other] of pairs) {
      for (const key of this.waiting.get(db)?.keys() ?? []) {
        const before = other.data.get(key);
        const now = db.data.get(key);
        const wasStream = before !== undefined && waitKindOf(before) === 'stream';
        if (wasStream && (now === undefined || waitKindOf(now) !== 'stream')) {
          this.signalKeyReady(db, key, 'stream');
        }
      }
    }
    for (const [db] of pairs) {
      for (const key of this.waiting.get(db)?.keys() ?? []) {
        const now = db.data.get(key);
        const kind = now === undefined ? null : waitKindOf(now);
        if (kind !== null) this.signalKeyReady(db, key, kind);
      }
    }
  }
}
