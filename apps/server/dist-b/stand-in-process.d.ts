/** A stand-in child's process: it waits on a pipe from the server and exits when it closes. */
export interface StandInProcess {
    readonly pid: number;
    /** Called once, when it exits: with the signal that killed it, or null. */
    onExit: ((signal: NodeJS.Signals | null) => void) | null;
    /** Closes its pipe: it exits. */
    end(): void;
}
/**
 * Starts one on this thread. `spawn` forks the whole server, and waits for the fork to exec: with
 * a big heap that blocks the event loop for tens of milliseconds, so jobs take a spare instead.
 */
export declare function spawnStandInProcess(): StandInProcess | null;
/**
 * One stand-in process started ahead, by a worker thread, for the next job to take at once. The
 * thread starts with the first spare asked for and lives, unreferenced, as long as the server.
 */
export declare class SpareStandInProcess {
    private readonly highestJobPid;
    private worker;
    private spare;
    private spawning;
    /** Whether the spare on its way replaces one ended for its low pid (once, for pid wrap-around). */
    private retried;
    private readonly started;
    /**
     * `highestJobPid`: the highest pid of the children jobs hold now (0 for none). A spare must
     * come after them: `pgrep -P` lists the lowest pid first, and the suite's get_child_pid takes
     * that line for the running job's child.
     */
    constructor(highestJobPid?: () => number);
    /** The spare, if one is ready and still waits (its exit may not have been reported yet). */
    take(): StandInProcess | null;
    /** Starts a spare unless one is ready or on its way. */
    prepare(): void;
    private thread;
    private received;
}
//# sourceMappingURL=stand-in-process.d.ts.map