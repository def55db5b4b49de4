import type { Engine } from '@rc/engine';
/** Slots of the state shared with the watchdog thread (BigInt64Array). */
export declare const BEAT = 0;
export declare const PERIOD = 1;
/** What the watchdog thread is started with. */
export interface WatchdogData {
    /** BEAT: when the cron last ran (ms since the epoch); PERIOD: watchdog-period, 0 when off. */
    readonly state: SharedArrayBuffer;
    /** `logfile`: '' for standard output. */
    readonly logfile: string;
}
/**
 * Redis's software watchdog (watchdog-period, a debugging aid): when the server's cron has not
 * run for longer than the period, "--- WATCHDOG TIMER EXPIRED ---" is logged, once per stall.
 * The cron stops while the main thread is busy (a long command, a blocking loop) and, as Redis's
 * serverCron, while a dataset is loaded (a replica's diskless load among them) or DEBUG
 * PAUSE-CRON holds it. A blocked main thread cannot log, so a thread of its own watches and
 * writes the lines, as Redis's SIGALRM handler does; it cannot read the main thread's stack, so
 * its report is Redis's for systems without backtrace().
 */
export declare function followWatchdogPeriod(engine: Engine): void;
//# sourceMappingURL=watchdog.d.ts.map