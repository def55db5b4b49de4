import { type Engine, type HostReply, type InfoFields } from '@rc/engine';
import type { Log } from '../log.js';
import type { AofParticipant } from '../persistence/host.js';
/**
 * The AOF could not be loaded: the server must not start (Redis exits with code 1). The lines
 * Redis logs before are logged already; the message is its last one, which the daemon logs.
 */
export declare class AofLoadError extends Error {
    readonly code = "ERR_AOF_LOAD";
}
/**
 * The append-only file as Redis 7.0 lays it out: `<dir>/<appenddirname>/` holding a base
 * (`<appendfilename>.<n>.base.rdb`), increments (`.<n>.incr.aof`) and the manifest listing
 * them. Effective writes are appended once per event-loop turn, before any reply of that turn
 * is sent, and fsynced per `appendfsync`. BGREWRITEAOF needs no fork: writes switch to a new
 * increment at the instant the point-in-time snapshot for the new base begins.
 */
export declare class AppendOnlyFile implements AofParticipant {
    private readonly engine;
    private readonly log;
    private state;
    private manifest;
    private fd;
    private encoder;
    private readonly listener;
    private unhookReplies;
    private fsyncTimer;
    private cronTimer;
    private unsyncedBytes;
    private fsyncInFlight;
    private rewrite;
    private rewriteDone;
    private rewriteScheduled;
    private lastRewriteSeconds;
    private lastRewriteOk;
    private rewrites;
    private consecutiveFailures;
    private lastWriteOk;
    private currentSize;
    private baseSize;
    /** Set while applying CONFIG SET appendonly ourselves (startup), to ignore the echo. */
    private applyingConfig;
    constructor(engine: Engine, log: Log);
    private get config();
    get enabled(): boolean;
    private get directory();
    private get filename();
    private path;
    private get manifestPath();
    get waitingFirstRewrite(): boolean;
    get rewriteInProgress(): boolean;
    /**
     * With `appendonly yes`, loads the base and increments listed in the manifest (Redis 7.0
     * then ignores dump.rdb, even when there is no AOF yet) and opens the last increment for
     * appending. True when the AOF was the source of the data. Throws AofLoadError when the
     * files are unusable, so the server does not start with a partial dataset.
     */
    loadAtStartup(): Promise<boolean>;
    /** Starts the background fsync and the rewrite clock. */
    start(): void;
    /** aofLoadManifestFromFile: a bad manifest is logged as Redis logs it, then fatal. */
    private readManifest;
    /**
     * An `appendonly.aof` in dir from before 7.0 moves into the AOF directory as the base, when
     * loadAppendOnlyFiles would: no AOF directory, a manifest listing nothing, or one listing only
     * that base while the AOF directory lacks it (an upgrade interrupted before the rename).
     */
    private upgradeOldStyleFile;
    /**
     * The manifest's files, base first, once each is known to exist (getAppendOnlyFileSize);
     * empty when they are all empty.
     */
    private filesToLoad;
    private loadFiles;
    /**
     * DEBUG LOADAOF, once the databases are empty: the manifest on disk and the files it lists
     * (Redis's aofLoadManifestFromDisk and loadAppendOnlyFiles). Resolves to null when loaded,
     * else why not: no AOF at all is a failure, as in Redis.
     */
    loadNow(): Promise<string | null>;
    /**
     * Loads the base and increments the manifest lists, in order: an RDB part with `loadRdb`,
     * then the commands (of an increment, or after an old-style file's RDB preamble).
     */
    private loadListed;
    /**
     * Replay runs as Redis's loading does: nothing propagated, and keys past their time stay
     * until the load is over (keyIsExpired is false while loading).
     */
    private beginLoading;
    private loadingBefore;
    /** Bytes of the AOF's files loaded so far by the load in progress (0 when none). */
    loadedBytes: number;
    private endLoading;
    /** An RDB-format file: a 7.0 base, or the preamble of an old-style file named as the AOF. */
    private logReadingRdb;
    /** The commands after an RDB part (an old-style preamble's tail); Redis reads them too. */
    private tailAfterRdb;
    private logFileLoaded;
    private loaded;
    /** An RDB part that does not load aborts the whole load. */
    private rdbLoadError;
    /**
     * Replays a file of commands (`offset` bytes into the file, after an RDB part) as
     * loadSingleAppendOnlyFile: a truncated file is cut at its last complete command with
     * aof-load-truncated, which only the last file may need.
     */
    private replayFile;
    /**
     * As aofOpenIfNeededOnServerStart: an empty start gets a base from the (empty) dataset, the
     * last increment (or a new one) is opened for appending, and the manifest is written.
     */
    private openOnStart;
    private attach;
    private detach;
    private feed;
    /** Seconds of the last `#TS:` annotation (Redis's aof_cur_timestamp). */
    private annotatedSecond;
    /** What was encoded before the last annotation, and the annotation, not yet written. */
    private annotated;
    /** genAofTimestampAnnotationIfNeeded: a `#TS:` line before the first write of a second. */
    private annotateTime;
    /** Everything appended and not written yet. */
    private takePending;
    private get pendingLength();
    private flushScheduled;
    private readonly scheduledFlush;
    private switchToNextIncrement;
    /** Writes what this turn appended; with `always`, fsyncs before any reply goes out. */
    flush(): void;
    private backgroundFsync;
    bgrewriteaof(inTransaction: boolean): HostReply;
    /**
     * rewriteAppendOnlyFileBackground without fork: flush, open the next increment and list it
     * in the manifest, then write the new base from a point-in-time snapshot; writes move to
     * the new increment when the snapshot starts.
     */
    private startRewrite;
    /**
     * hasActiveChildProcess: a background save or rewrite runs (its stand-in child lives), or a
     * snapshot for a replica is being taken.
     */
    private get childActive();
    /** aof-use-rdb-preamble: a new base is an RDB file, or a file of commands. */
    private get rdbPreamble();
    /**
     * Rewrites an RDB image as the commands that rebuild it (a base without RDB preamble), in
     * place: the image is the rewrite's point-in-time snapshot, so the commands are too.
     */
    private rdbToCommandFile;
    private loadManifestOrEmpty;
    /** Drops a failed or cancelled rewrite's files; a failure (with `reason`) is counted. */
    private abandonRewrite;
    /** As backgroundRewriteDoneHandler: install the base, retire old files, update the state. */
    private rewriteFinished;
    private installRewrite;
    /** aofDelHistoryFiles: history files are deleted, then the manifest forgets them. */
    private deleteHistoryFiles;
    private abandonTemporaryIncrement;
    private removeQuietly;
    /** Writes the manifest atomically: a temporary file, fsync, rename, directory fsync. */
    private persistManifest;
    /** startAppendOnly: writes are collected from now on and a rewrite creates the files. */
    private startAppendOnly;
    /** stopAppendOnly: flush, fsync and close; a running rewrite's result is discarded. */
    private stopAppendOnly;
    private cron;
    /** Minutes the next automatic rewrite waits after repeated failures, and until when. */
    private limitDelayMinutes;
    private limitUntil;
    /**
     * aofRewriteLimited: after 3 consecutive failures automatic rewrites wait 1 minute, then
     * 2, 4... up to an hour (BGREWRITEAOF still runs at once), so failing rewrites do not open
     * increment after increment.
     */
    private rewriteLimited;
    /** Flushes, fsyncs and closes; waits for a running rewrite to finish first. */
    close(): Promise<void>;
    /** Stops appending: what is buffered is written, fsynced and the file closed. */
    private closeIncrement;
    /** INFO persistence's aof_* fields, in Redis 7.0's order. */
    infoFields(): InfoFields;
    /** CONFIG RESETSTAT. */
    resetStats(): void;
    /** The fields Redis adds while AOF is on, after module_fork_*. */
    sizeFields(): InfoFields;
}
//# sourceMappingURL=append-only-file.d.ts.map