import type { RdbKey, RdbWriter } from '@rc/rdb';
import type { Config } from '../config.js';
import type { KeyMoveListener } from '../key-table.js';
import type { Database } from '../keyspace.js';
import type { SmallStrings } from '../small-strings.js';
import type { RedisValue } from '../values.js';
import { toRdbValue } from './rdb-values.js';

/** How much work one slice may do before the event loop gets to run again. */
export interface SliceBudget {
  /** Stop once the writer holds this many unsent bytes. */
  readonly maxBytes: number;
  /** Stop at this time (Date.now() ms). */
  readonly deadline: number;
  /** Stop after writing this many keys (rdb-key-save-delay paces a save key by key). */
  readonly maxKeys?: number;
}

/** Checking the clock costs; a few dozen keys between checks keeps slices within budget. */
const KEYS_BETWEEN_CLOCK_CHECKS = 64;

/**
 * A point-in-time RDB image of the keyspace, written in slices between event-loop turns while
 * the server keeps serving: Node cannot fork, so instead of the kernel's copy-on-write pages,
 * every write first asks us to `preserve` the keys it names. A key the walk has not reached is
 * serialized right then with its old value (copy-on-write per key) and skipped later; a key
 * created after the start is skipped too, since it is not part of the image.
 *
 * The walk goes through each database's key table slot by slot: the slots before it are done,
 * so whether a key was passed is its slot, and only the keys written ahead or created meanwhile
 * need remembering. A removal moves the table's last key into the freed slot; one that lands
 * behind the walk is written then (`keyMoved`).
 */
export class Snapshot implements KeyMoveListener {
  /** Databases in the image: those holding keys when it began. */
  private readonly included: readonly Database[];
  /** Per database: keys written ahead of the walk, or newer than the image (never written). */
  private readonly settled = new Map<Database, Set<string>>();
  /** Old values of keys in databases the walk has not reached yet. */
  private readonly waiting = new Map<Database, RdbKey[]>();
  private position = -1;
  /** The database being walked, and its next slot. */
  private current: Database | null = null;
  private slot = 0;
  private complete = false;
  /**
   * Keys written ahead of the iteration (copy-on-write) that a paced save has not yet counted:
   * Redis's child sleeps rdb-key-save-delay for every key, whenever a client changed it.
   */
  private unpacedKeys = 0;

  /**
   * `config`: the size settings that decide which values Redis would write compact. `blocking`:
   * the caller runs every slice before anything else can run (SAVE), so no write or removal
   * comes between two slices.
   */
  constructor(
    databases: readonly Database[],
    private readonly writer: RdbWriter,
    private readonly config: Config,
    private readonly blocking: boolean,
  ) {
    this.included = databases.filter((db) => db.size !== 0);
    for (const db of this.included) this.settled.set(db, new Set());
  }

  get finished(): boolean {
    return this.complete;
  }

  /** Writes keys until the budget runs out; true once every database is written. */
  step(budget: SliceBudget): boolean {
    let sinceClockCheck = 0;
    let keysLeft = budget.maxKeys ?? Infinity;
    const paced = Math.min(keysLeft, this.unpacedKeys);
    this.unpacedKeys = keysLeft === Infinity ? 0 : this.unpacedKeys - paced;
    keysLeft -= paced;
    if (keysLeft === 0) return false;
    while (!this.complete) {
      const db = this.current;
      if (db === null) {
        this.enterNextDatabase();
        continue;
      }
      const data = db.data;
      const settled = this.settled.get(db) as Set<string>;
      if (this.slot >= data.size) {
        this.leaveDatabase();
        continue;
      }
      const slot = this.slot++;
      const key = data.keyAt(slot);
      // Empty sets and maps still hash the key for a lookup (and keys are not hashed otherwise).
      if (!this.blocking && settled.size !== 0 && settled.has(key)) continue;
      const expireAt = db.expires.size === 0 ? null : (db.expires.get(key) ?? null);
      this.writeStored(key, data.storedAt(slot), data.shortStrings, expireAt);
      if (this.writer.pendingBytes >= budget.maxBytes || --keysLeft === 0) return false;
      if (++sinceClockCheck === KEYS_BETWEEN_CLOCK_CHECKS) {
        sinceClockCheck = 0;
        if (Date.now() >= budget.deadline) return false;
      }
    }
    return true;
  }

  /**
   * A key as the walk finds it, strings without an RdbValue around them, short ones straight
   * from their bytes: a million-key save made 74 bytes of garbage per key, and the collections
   * of a young generation that small stalled clients for 20-40 ms.
   */
  private writeStored(
    key: string,
    stored: RedisValue | number,
    shortStrings: SmallStrings,
    expireAt: number | null,
  ): void {
    if (typeof stored === 'number') {
      const start = stored + 1;
      const end = start + shortStrings.lengthAt(stored);
      this.writer.stringKeyBytes(key, shortStrings.buffer, start, end, expireAt);
    } else if (typeof stored === 'string') {
      this.writer.stringKey(key, stored, expireAt);
    } else {
      this.writer.key(key, toRdbValue(stored, this.config), expireAt);
    }
  }

  /** Writes everything that is left, now (SAVE, or a command that rewrites whole databases). */
  finish(): void {
    this.step({ maxBytes: Infinity, deadline: Infinity });
  }

  /** A write is about to change `key` in `db`: keep its current value if the image needs it. */
  preserve(db: Database, key: string): void {
    const settled = this.settled.get(db);
    if (settled === undefined || settled.has(key)) return;
    const index = this.included.indexOf(db);
    if (index < this.position || this.complete) return;
    if (index === this.position) {
      const slot = db.data.slotOf(key);
      // Passed by the walk: written already.
      if (slot >= 0 && slot < this.slot) return;
    }
    settled.add(key);
    const value = db.data.get(key);
    if (value === undefined) return;
    this.unpacedKeys++;
    const expireAt = db.expires.get(key) ?? null;
    if (index === this.position) {
      this.writer.key(key, toRdbValue(value, this.config), expireAt);
      return;
    }
    let keys = this.waiting.get(db);
    if (keys === undefined) this.waiting.set(db, (keys = []));
    keys.push({ db: db.id, key, value: toRdbValue(value, this.config), expireAt });
  }

  /**
   * A removal in the database being walked moved its last key from slot `from` to `to`: one
   * the walk had not reached that lands behind it is written now (its value is still the one
   * the image began with, or it would have been preserved).
   */
  keyMoved(key: string, from: number, to: number): void {
    const db = this.current;
    if (db === null || from < this.slot || to >= this.slot) return;
    const settled = this.settled.get(db) as Set<string>;
    if (settled.has(key)) return;
    settled.add(key);
    this.unpacedKeys++;
    const value = toRdbValue(db.data.valueAt(to), this.config);
    this.writer.key(key, value, db.expires.get(key) ?? null);
  }

  /** The snapshot is over, finished or abandoned: it stops listening to the key tables. */
  close(): void {
    this.leaveDatabase();
  }

  private enterNextDatabase(): void {
    if (++this.position === this.included.length) {
      this.complete = true;
      return;
    }
    const db = this.included[this.position];
    this.writer.selectDb(db.id, db.size, db.expires.size);
    for (const { key, value, expireAt } of this.waiting.get(db) ?? []) {
      this.writer.key(key, value, expireAt);
    }
    this.waiting.delete(db);
    this.current = db;
    this.slot = 0;
    // A blocking save lets nothing run between its slices: no key can move meanwhile.
    if (!this.blocking) db.data.listenToMoves(this);
  }

  private leaveDatabase(): void {
    this.current?.data.stopListeningToMoves(this);
    this.current = null;
  }
}
