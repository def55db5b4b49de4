import type { ShutdownSave } from './shutdown.js';

/** INFO fields in Redis's order; the host owns their values. */
export type InfoFields = ReadonlyArray<readonly [string, string | number]>;

/** A status line for the client, or the error Redis would reply. */
export type HostReply = { readonly status: string } | { readonly error: string };

/**
 * What the engine asks of whoever owns the files (the daemon): snapshots, the append-only file
 * and their INFO fields. The engine stays free of file I/O; an engine without a host (tests,
 * embedding) answers these commands as a Redis whose saves fail.
 */
export interface PersistenceHost {
  /** SAVE: writes a snapshot before returning. */
  save(): HostReply;
  /** BGSAVE [SCHEDULE]; inside EXEC Redis only schedules it. */
  bgsave(schedule: boolean, inTransaction: boolean): HostReply;
  /** BGREWRITEAOF; inside EXEC Redis only schedules it. */
  bgrewriteaof(inTransaction: boolean): HostReply;
  /**
   * The files' part of Redis's finishShutdown: a background save is stopped, the AOF synced,
   * and the final save made (`default`: when save points are configured). An error keeps the
   * server running (unless `force`).
   */
  finishShutdown(save: ShutdownSave, force: boolean): Promise<HostReply>;
  /**
   * Why write commands are refused right now (Redis's MISCONF error after a failed save with
   * stop-writes-on-bgsave-error), or null. Called for every write: keep it cheap.
   */
  writeRefusal(): string | null;
  /** INFO persistence after `loading` and `async_loading`. */
  infoFields(): InfoFields;
  /** Whether what Redis does in a child process runs: a background save or AOF rewrite. */
  childRunning(): boolean;
  /** Redis's killRDBChild: a background save stops, its temporary file removed. */
  killBackgroundSave(): void;
  /** CONFIG RESETSTAT: rdb_saves, aof_rewrites and aof_rewrites_consecutive_failures restart. */
  resetStats(): void;
  /** DEBUG RELOAD's first step (unless NOSAVE): the RDB file written now; false when it failed. */
  saveForReload(): boolean;
  /**
   * DEBUG RELOAD's last step: the RDB file read into the databases now, over what they hold.
   * A key both hold is replaced with `merge` (Redis's RDBFLAGS_ALLOW_DUP); without it Redis
   * dies, and so does the host (through Engine.crash). Null when loaded, else why not.
   */
  loadForReload(merge: boolean): string | null;
  /** DEBUG LOADAOF's first step: writes still buffered for the AOF are written to it now. */
  flushAppendOnlyFile(): void;
  /**
   * DEBUG LOADAOF's last step, once the databases are empty: the AOF's base and increments
   * (as the manifest on disk lists them) loaded, the event loop serving clients meanwhile.
   * Resolves to null when loaded, else why not (an AOF missing or broken, which makes Redis
   * exit).
   */
  loadAppendOnlyFile(): Promise<string | null>;
}
