import { KeyspaceLoader, SMALL_STRING_LENGTH, type DetachedDataset, type Engine } from '@rc/engine';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RdbReader } from '@rc/rdb';
import { SyncFile } from './sync-file.js';

/**
 * How a replica takes in its master's snapshot, by repl-diskless-load (Redis's
 * readSyncBulkPayload):
 * - `disk`: the whole payload first, written to a file as Redis does (see SyncFile), then flush
 *   and load at once (from the bytes kept, which are the file's);
 * - `direct`: flushed when the transfer starts and loaded as it arrives (LOADING meanwhile);
 * - `swap`: loaded as it arrives beside the old data, swapped in at the end; a failed transfer
 *   leaves the old data as it was. Clients get LOADING meanwhile, unless the master kept our
 *   replication id (`async`): then they go on reading the old data.
 */
export type IntakeMode = 'disk' | 'direct' | 'swap' | 'async';

/** What an intake needs from the link. */
export interface IntakeHost {
  readonly engine: Engine;
  log(level: 'notice' | 'warning', message: string): void;
  /** Our data is about to be replaced: history and sub-replicas go (see LinkOwner). */
  attachToNewMaster(): void;
  /** Empties the dataset as FLUSHALL does (Redis's emptyData) and the function libraries. */
  flush(): void;
  /** Stop and restart reading the socket, while key-load-delay holds the load. */
  pause(): void;
  resume(): void;
  /** The snapshot is loaded; its stream continues in database `streamDb`. */
  loaded(streamDb: number): void;
  /** The load failed (a corrupt payload): the link must be dropped. */
  failed(): void;
}

/** Picks the mode: Redis's useDisklessLoad, and async loading when the history is ours. */
export function intakeMode(engine: Engine, sameHistory: boolean): IntakeMode {
  const setting = engine.config.get('repl-diskless-load');
  if (setting === 'swapdb') return sameHistory ? 'async' : 'swap';
  if (setting === 'on-empty-db' && engine.databases.every((db) => db.size === 0)) return 'direct';
  return 'disk';
}

/** The shortest key-load-delay pause: a timer's resolution. */
const PACE_MICROS = 10_000;

/**
 * One snapshot on its way in. The link feeds it the payload's RDB bytes as they arrive; the
 * records are loaded as they decode (for the diskless modes), paced by key-load-delay.
 */
export class SnapshotIntake {
  /** Short string values come as bytes, which the key table keeps without making strings. */
  private readonly reader = new RdbReader({ stringBytesUpTo: SMALL_STRING_LENGTH });
  private loader: KeyspaceLoader | null = null;
  private target: DetachedDataset | null = null;
  private complete = false;
  private waiting: NodeJS.Timeout | null = null;
  private finished = false;
  /** Disk mode: the payload's file while it comes. */
  private file: SyncFile | null = null;
  /** Payload bytes received so far (Redis's loading_loaded_bytes, for its error lines). */
  private bytes = 0;
  /** key-load-delay owed since the last pause, µs. */
  private owedMicros = 0;

  constructor(
    readonly mode: IntakeMode,
    private readonly host: IntakeHost,
  ) {}

  /** The payload's header was read: a diskless load starts now, a disk one opens its file. */
  begin(): void {
    if (this.mode !== 'disk') {
      this.start();
      return;
    }
    try {
      this.file = SyncFile.create(this.host.engine.config.get('dir'));
    } catch (error) {
      this.cancel(
        `Opening the temp file needed for MASTER <-> REPLICA synchronization: ${(error as Error).message}`,
      );
    }
  }

  /** More RDB bytes; `last` when the payload is complete. */
  push(bytes: Buffer, last: boolean): void {
    if (this.finished) return;
    this.bytes += bytes.length;
    this.reader.push(bytes);
    // A disk-mode payload waits whole in the reader and its file until its load starts.
    if (this.mode === 'disk') {
      try {
        this.file?.write(bytes);
      } catch (error) {
        this.cancel(
          `Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ${(error as Error).message}`,
        );
        return;
      }
      if (!last || !this.start()) return;
    }
    this.complete = last;
    this.drain();
  }

  /**
   * The link dropped before the end: the half-loaded data goes (Redis's short read while
   * loading from the socket), the old data stays in swap modes.
   */
  abort(): void {
    if (this.finished) return;
    this.file?.discard();
    if (this.loader !== null) {
      this.host.log('warning', 'Short read or OOM loading DB. Unrecoverable error, aborting now.');
      this.host.log(
        'warning',
        `Internal error in RDB reading offset ${this.bytes}, function at rc -> Unexpected EOF reading RDB file. Failure loading rdb format from socket, assuming connection error, resuming operation.`,
      );
      this.host.log(
        'warning',
        'Failed trying to load the MASTER synchronization DB from socket: Connection reset by peer',
      );
    }
    this.stop(false);
  }

  /** False when a disk-mode payload's file could not be put in place (the link is dropped). */
  private start(): boolean {
    const { engine } = this.host;
    if (this.mode === 'swap' || this.mode === 'async') {
      this.target = engine.detachedDataset();
    } else {
      this.host.attachToNewMaster();
      this.host.log('notice', 'MASTER <-> REPLICA sync: Flushing old data');
      this.host.flush();
    }
    this.host.log('notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
    if (this.mode === 'disk' && !this.installFile()) return false;
    if (this.mode === 'async') engine.asyncLoading = true;
    else engine.loading = true;
    // Keys already expired stay: the master's DEL removes them, as on a Redis replica.
    this.loader = new KeyspaceLoader(engine, true, engine.clock.now(), this.target ?? engine);
    // Into empty databases: a key twice is a corrupt payload.
    this.loader.replaceDuplicates = false;
    return true;
  }

  /** The whole payload's file synced and renamed over dbfilename, before its load (as Redis). */
  private installFile(): boolean {
    const file = this.file as SyncFile;
    this.file = null;
    try {
      file.install(this.host.engine.config.get('dbfilename'));
      return true;
    } catch (error) {
      this.cancel((error as Error).message);
      return false;
    }
  }

  /** rdb-del-sync-files on a replica that persists nothing: the loaded file goes, as Redis's. */
  private dropUnpersistedFile(): void {
    const { config } = this.host.engine;
    const persists = config.get('save') !== '' || config.get('appendonly') === 'yes';
    if (config.get('rdb-del-sync-files') !== 'yes' || persists) return;
    this.host.log(
      'notice',
      'Removing the RDB file obtained from the master. This replica has persistence disabled',
    );
    rmSync(join(config.get('dir'), config.get('dbfilename')), { force: true });
  }

  /** Redis's cancelReplicationHandshake after a file error: the link drops and retries. */
  private cancel(message: string): void {
    this.host.log('warning', message);
    this.file?.discard();
    this.file = null;
    this.finished = true;
    this.host.failed();
  }

  /**
   * Loads every record decoded so far. key-load-delay holds the load as Redis's sleep after each
   * key does, in pauses of at least PACE_MICROS (timers are not finer); the socket is not read
   * meanwhile, so the master feels it as it would feel a slow Redis replica.
   */
  private drain(): void {
    if (this.waiting !== null || this.finished) return;
    const loader = this.loader as KeyspaceLoader;
    const delay = this.host.engine.config.getNumber('key-load-delay');
    try {
      for (;;) {
        let record = this.reader.next();
        if (record === undefined && this.complete && !this.reader.done) {
          this.reader.end();
          record = this.reader.next();
        }
        if (record === undefined) break;
        loader.accept(record);
        if (delay > 0 && (record.kind === 'key' || record.kind === 'string-bytes')) {
          this.owedMicros += delay;
        }
        if (this.owedMicros >= PACE_MICROS) {
          const milliseconds = this.owedMicros / 1000;
          this.owedMicros = 0;
          this.host.pause();
          this.waiting = setTimeout(() => {
            this.waiting = null;
            this.host.resume();
            this.drain();
          }, milliseconds);
          return;
        }
      }
    } catch (error) {
      this.host.log(
        'warning',
        `Failed trying to load the MASTER synchronization DB from ${this.mode === 'disk' ? 'disk' : 'socket'}: ${(error as Error).message}`,
      );
      if (this.mode === 'disk') this.dropUnpersistedFile();
      this.stop(false);
      this.host.failed();
      return;
    }
    if (this.complete && this.reader.done) this.succeed(loader);
  }

  private succeed(loader: KeyspaceLoader): void {
    const { engine } = this.host;
    if (this.target !== null) {
      this.host.attachToNewMaster();
      this.host.log('notice', 'MASTER <-> REPLICA sync: Swapping active DB with loaded DB');
      engine.swapInDataset(this.target);
      this.host.log('notice', 'MASTER <-> REPLICA sync: Discarding old DB in background');
    }
    if (this.mode === 'disk') this.dropUnpersistedFile();
    this.stop(true);
    const db = Number(loader.aux.get('repl-stream-db') ?? 0);
    this.host.loaded(Number.isInteger(db) && db >= 0 && db < engine.databases.length ? db : 0);
  }

  private stop(success: boolean): void {
    this.finished = true;
    if (this.waiting !== null) clearTimeout(this.waiting);
    this.waiting = null;
    const { engine } = this.host;
    engine.loading = false;
    engine.asyncLoading = false;
    if (success || this.loader === null) return;
    if (this.target !== null) {
      engine.discardDataset(this.target);
      this.host.log('notice', 'MASTER <-> REPLICA sync: Discarding temporary DB in background');
    } else {
      this.host.flush();
    }
  }
}
