import type { RdbRecord } from '@rc/rdb';
import type { Engine } from '../engine.js';
import type { Database } from '../keyspace.js';
import type { FunctionLibraries } from '../scripting/function-libraries.js';
import type { StreamNodeLimits } from '@rc/datatypes/stream';
import { fromRdbValue, isEmptyValue } from './rdb-values.js';
import { streamLimits } from '../stream-limits.js';

/**
 * Fills the databases from RDB records (a dump file, an AOF base, a full sync). Keys go straight
 * into the maps: loading is not a write, so it neither dirties nor notifies. As on a Redis
 * master, keys already expired are dropped; a replica keeps them and waits for its master's DEL.
 */
export class KeyspaceLoader {
  keys = 0;
  expiredSkipped = 0;
  /** AUX fields seen, e.g. repl-id and repl-offset for a replica resuming its stream. */
  readonly aux = new Map<string, string>();
  private readonly limits: StreamNodeLimits;

  /** Told of each expired key dropped (a master's startup load feeds its DEL to replicas). */
  onExpiredDropped: ((db: number, key: string) => void) | null = null;

  /**
   * A key that is already there replaces the old one (Redis's RDBFLAGS_ALLOW_DUP: DEBUG RELOAD
   * MERGE, an embedded server's loadRdb); else keys are added without a lookup and indexed at
   * the end record, which throws DuplicateKeyError if a key came twice (or was there before).
   */
  replaceDuplicates = true;

  private readonly databases: readonly Database[];
  private readonly libraries: FunctionLibraries;
  /** The database of the last SELECTDB, which a RESIZEDB is about. */
  private db = 0;

  /**
   * Loads into the engine's dataset, or into `target` (a replica's diskless load with
   * repl-diskless-load swapdb, swapped in once complete).
   */
  constructor(
    private readonly engine: Engine,
    private readonly keepExpired = false,
    private readonly now = engine.clock.now(),
    target: DetachedDataset = engine,
  ) {
    this.limits = streamLimits(engine.config);
    this.databases = target.databases;
    this.libraries = target.scripting.libraries;
  }

  accept(record: RdbRecord): void {
    if (record.kind === 'aux') this.aux.set(record.name, record.value);
    if (record.kind === 'function') this.loadLibrary(record.payload);
    if (record.kind === 'db') this.db = record.db;
    if (record.kind === 'resize' && this.db < this.databases.length) {
      this.databases[this.db].reserve(record.size);
    }
    if (record.kind === 'end') this.settle();
    if (record.kind !== 'key' && record.kind !== 'string-bytes') return;
    if (record.db >= this.databases.length || this.expired(record)) return;
    const db = this.databases[record.db];
    if (record.kind === 'string-bytes') {
      const { key, bytes, start, end, expireAt } = record;
      db.loadStringBytes(key, bytes, start, end, expireAt, this.replaceDuplicates);
    } else {
      const value = fromRdbValue(record.value, this.limits, this.engine.config);
      if (isEmptyValue(value)) return;
      db.load(record.key, value, record.expireAt, this.replaceDuplicates);
    }
    this.keys++;
  }

  /** Whether the key is dropped as expired: strictly before now, as Redis's rdbLoad. */
  private expired(record: { db: number; key: string; expireAt: number | null }): boolean {
    if (this.keepExpired || record.expireAt === null || record.expireAt >= this.now) return false;
    this.expiredSkipped++;
    this.onExpiredDropped?.(record.db, record.key);
    return true;
  }

  /** Indexes the keys loaded without a lookup; a key twice is a corrupt file. */
  private settle(): void {
    for (const db of this.databases) {
      const duplicate = db.settleLoaded();
      if (duplicate !== null) throw new DuplicateKeyError(duplicate, db.id);
    }
  }

  /**
   * A library replaces one of the same name, as Redis's RDBFLAGS_ALLOW_DUP. One that fails to
   * load fails the whole load, as in Redis: starting without it would lose it for good.
   */
  private loadLibrary(code: string): void {
    const loaded = this.libraries.load(code, true, 0);
    if ('error' in loaded) throw new Error(`Failed loading library, ${loaded.error}`);
  }
}

/** A key of the file is already in the database, and the load does not replace keys. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly key: string,
    readonly db: number,
  ) {
    super(`RDB has duplicated key '${key}' in DB ${db}`);
  }
}

/** A dataset outside the engine's: databases and function libraries. */
export interface DetachedDataset {
  readonly databases: readonly Database[];
  readonly scripting: { readonly libraries: FunctionLibraries };
}
