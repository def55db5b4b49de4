import { type Engine, type HostReply, type InfoFields, type PersistenceHost, type ShutdownSave } from '@rc/engine';
import type { Log } from '../log.js';
/** The append-only file's side of persistence, as the AOF module provides it. */
export interface AofParticipant {
    readonly rewriteInProgress: boolean;
    bgrewriteaof(inTransaction: boolean): HostReply;
    /** INFO's aof_* fields, in Redis's order. */
    infoFields(): InfoFields;
    /** aof_current_size and the rest, which Redis prints after module_fork_* when AOF is on. */
    sizeFields?(): InfoFields;
    /** CONFIG RESETSTAT: aof_rewrites and aof_rewrites_consecutive_failures restart. */
    resetStats(): void;
    /** Writes what is buffered for the AOF now (DEBUG LOADAOF). */
    flush(): void;
    /** Switched on and waiting for the first rewrite (Redis's AOF_WAIT_REWRITE). */
    readonly waitingFirstRewrite: boolean;
    /** Loads the AOF the manifest on disk lists; resolves to null when loaded, else why not. */
    loadNow(): Promise<string | null>;
}
/**
 * Snapshots for the daemon: SAVE, BGSAVE (fork-less), save points, LASTSAVE's clock, loading
 * dump.rdb at start, saving at shutdown, and INFO persistence.
 */
export declare class ServerPersistence implements PersistenceHost {
    private readonly engine;
    private readonly log;
    aof: AofParticipant | null;
    private background;
    /** The running BGSAVE's stand-in child (killed by a shutdown, as Redis's killRDBChild). */
    private backgroundChild;
    private backgroundStartedAt;
    private scheduled;
    private lastBackgroundOk;
    private lastBackgroundSeconds;
    private lastBackgroundTry;
    private saves;
    private loadedKeys;
    private loadedExpired;
    private cron;
    /** While dump.rdb loads: when it began (ms) and the bytes read of the file's size. */
    private loadingProgress;
    /** Bytes of the dataset file read so far by the load in progress (0 when none). */
    get loadedBytes(): number;
    constructor(engine: Engine, log: Log);
    /** dir + dbfilename; an empty dir is the working directory, as Redis's default. */
    get rdbPath(): string;
    /** Loads dump.rdb when it exists; a corrupt file throws so the server does not start empty. */
    loadAtStartup(): Promise<void>;
    /** The lines Redis logs as it reads the file's header (rdbLoadRioWithLoadingCtx). */
    private logAux;
    /**
     * Why the file could not be loaded, in Redis's words (rdbReportError for a file being
     * loaded): the reason is logged, the file checked (redis-check-rdb's report, printed to
     * stdout), and the last line returned for the daemon to log as it exits.
     */
    private loadFailure;
    start(): void;
    /** Stops the save-point clock and waits for a background save to finish. */
    stop(): Promise<void>;
    get backgroundInProgress(): boolean;
    save(): HostReply;
    bgsave(schedule: boolean, inTransaction: boolean): HostReply;
    bgrewriteaof(inTransaction: boolean): HostReply;
    killBackgroundSave(): void;
    finishShutdown(save: ShutdownSave, force: boolean): Promise<HostReply>;
    writeRefusal(): string | null;
    resetStats(): void;
    /** A background save (or a transfer's) or an AOF rewrite: Redis's child processes. */
    childRunning(): boolean;
    private backgroundSaveRunning;
    infoFields(): InfoFields;
    /** INFO's loading_* fields, shown while a file loads (as Redis computes them). */
    private loadingFields;
    saveForReload(): boolean;
    loadForReload(merge: boolean): string | null;
    /** As Redis's rdbLoad without RDBFLAGS_ALLOW_DUP: a key twice is a panic. */
    private panicOnDuplicate;
    flushAppendOnlyFile(): void;
    loadAppendOnlyFile(): Promise<string | null>;
    /** A synchronous save; true when the file was written. */
    private saveNow;
    /**
     * The final save of a shutdown, written in slices (the shutdown pauses every client) so that
     * rdb-key-save-delay slows it as in Redis and a second SIGINT can still end the process.
     */
    private saveFinal;
    private savedOnDisk;
    private startBackgroundSave;
    private backgroundFinished;
    /**
     * Scheduled BGSAVEs and save points, as Redis's serverCron checks them; not while a file
     * loads (Redis then serves events but runs no cron).
     */
    private tick;
}
//# sourceMappingURL=host.d.ts.map