import type { EngineCrash } from '@rc/engine';
import type { Log } from './log.js';
/** What a crash report tells beyond its headline: INFO and CLIENT LIST, as Redis prints them. */
export interface CrashDetails {
    info(): string;
    clientList(): string;
}
/**
 * Redis's bug report (debug.c): a START banner, the reason in the shape of Redis's signal
 * handler, serverPanic or serverAssert, the server's INFO and client list, and the END banner.
 * `raw` writes text as it is, like serverLogRaw.
 */
export declare function writeCrashReport(crash: EngineCrash, log: Log, raw: (text: string) => void, details: CrashDetails): void;
/** The signal a crash ends the process with: SEGV for a fault, ABRT for panics and asserts. */
export declare function crashSignal(crash: EngineCrash): NodeJS.Signals;
//# sourceMappingURL=crash-report.d.ts.map