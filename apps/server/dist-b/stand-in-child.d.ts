/**
 * The process a background save or AOF rewrite shows as its child. Redis forks one and writes
 * the file in it; rc writes it from a point-in-time snapshot in the server process (DESIGN.md,
 * "Snapshots without fork"), but what is observable of the child stays: a process whose pid
 * names the job (its log line, `temp-rewriteaof-bg-<pid>.aof`), found with `pgrep -P`, and
 * whose death by a signal fails the job. It only waits on a pipe from the server, so it ends
 * with the server even if that one is killed. A job takes the spare started ahead off the event
 * loop (see stand-in-process.ts), or starts one itself when there is none.
 */
export declare class StandInChild {
    /** Children not yet released: Redis's hasActiveChildProcess() is `active !== 0`. */
    static active: number;
    /** Called with each job's child's pid (oom-score-adj gives it the background class's score). */
    static onSpawn: ((pid: number) => void) | null;
    /** The pids of the children jobs hold. */
    private static readonly pids;
    private static readonly spare;
    private readonly process;
    private readonly controller;
    private released;
    private killed;
    constructor();
    private spawnChild;
    /** The child's pid (the server's own when no child could be started). */
    get pid(): number;
    /** Aborted when the child is killed: the job stops writing. */
    get signal(): AbortSignal;
    onKilled(listener: (signal: number) => void): void;
    /** Redis's killRDBChild (SIGUSR1): the job stops now, told so as if by that signal. */
    kill(): void;
    /** The job is over: the child ends (its pipe closes) and its exit no longer matters. */
    release(): void;
}
//# sourceMappingURL=stand-in-child.d.ts.map