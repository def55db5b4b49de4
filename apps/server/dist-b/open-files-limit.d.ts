import type { Config } from '@rc/engine';
import type { Log } from './log.js';
/** RLIMIT_NOFILE, read and set. */
export interface OpenFilesLimit {
    /** The soft and hard limits now. */
    read(): {
        soft: number;
        hard: number;
    };
    /** Sets both limits to `limit`: null when done, else why the system refused (strerror). */
    set(limit: number): string | null;
}
/**
 * Node has no setrlimit: this process's limit is read from /proc and set by prlimit(1), which
 * changes another process's limits by its pid.
 */
export declare const processOpenFilesLimit: OpenFilesLimit;
/**
 * maxclients needs a descriptor per client: as Redis's adjustOpenFilesLimit at startup, the
 * open files limit is raised to cover them (as close as the system allows, lowering the attempt
 * by Redis's steps), and maxclients is reduced to what the limit can hold. Each outcome is logged
 * with Redis's words; false when not even the reserved descriptors fit (the server must exit).
 */
export declare function adjustOpenFilesLimit(config: Config, log: Log, limits?: OpenFilesLimit): boolean;
/**
 * Startup's adjustment, then again at each CONFIG SET maxclients (Redis's updateMaxclients): a
 * value the limit cannot hold is refused, naming the one it can. False when the server cannot
 * start.
 */
export declare function followMaxclients(config: Config, log: Log, limits?: OpenFilesLimit): boolean;
//# sourceMappingURL=open-files-limit.d.ts.map