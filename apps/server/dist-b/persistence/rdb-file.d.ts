import { type Engine } from '@rc/engine';
export interface SaveResult {
    readonly bytes: number;
    readonly keys: number;
}
export interface LoadResult {
    readonly keys: number;
    readonly expiredSkipped: number;
    readonly aux: ReadonlyMap<string, string>;
    /** Bytes after the RDB's end: the commands of an AOF with an RDB preamble. */
    readonly remainder: Buffer;
}
/**
 * Redis's temp-<pid>.rdb, the pid of the process that writes it: a BGSAVE's child, or the
 * server itself for SAVE. Without a pid of its own (an AOF base) the name is made unique.
 */
export declare function temporaryRdbPath(path: string, pid: number | null): string;
export interface WriteOptions {
    /** The file is the base of an AOF (aof-base aux field). */
    readonly aofBase?: boolean;
    /** Stops the save (its temporary file removed) when aborted. */
    readonly signal?: AbortSignal;
    /** The pid the temporary file is named after (Redis's temp-<pid>.rdb). */
    readonly pid?: number;
}
/**
 * BGSAVE without fork: the snapshot is written in slices between event-loop turns while
 * clients keep writing, then fsynced and renamed over `path` so a reader never sees a
 * half-written file.
 */
export declare function writeRdbFile(engine: Engine, path: string, options?: WriteOptions): Promise<SaveResult>;
/** SAVE: the same file, written before returning. */
export declare function writeRdbFileSync(engine: Engine, path: string): SaveResult;
/** Called after each chunk of the file is loaded: bytes read so far, of `total`. */
export type LoadProgress = (bytesRead: number, total: number, keys: number) => void;
/**
 * Loads an RDB file into the engine's databases, streaming it through the reader. Throws the
 * reader's error for a corrupt or truncated file: starting empty would lose the data for good.
 */
export declare function loadRdbFile(engine: Engine, path: string, progress?: LoadProgress, options?: {
    aofBase?: boolean;
    onAux?: (name: string, value: string) => void;
    onExpiredDropped?: (db: number, key: string) => void;
    onEmptyKey?: (db: number, key: string) => void;
}): Promise<LoadResult>;
/**
 * Loads an RDB file at once, for DEBUG RELOAD and DEBUG LOADAOF (which hold the server while
 * they load, as Redis's). Keys and function libraries already there are replaced with
 * `allowDuplicates` (Redis's RDBFLAGS_ALLOW_DUP); otherwise the first such key throws
 * engine's DuplicateKeyError and the first such library a plain Error.
 */
export declare function loadRdbFileSync(engine: Engine, path: string, options?: {
    aofBase?: boolean;
    allowDuplicates?: boolean;
}): LoadResult;
/** loadRdbFileSync for an image in memory (an embedded server's loadRdb). */
export declare function loadRdbBytes(engine: Engine, bytes: Buffer, options?: {
    aofBase?: boolean;
    allowDuplicates?: boolean;
}): LoadResult;
//# sourceMappingURL=rdb-file.d.ts.map