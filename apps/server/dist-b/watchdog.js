import { Worker } from 'node:worker_threads';
import { logFilePath } from './log.js';
/** Slots of the state shared with the watchdog thread (BigInt64Array). */
export const BEAT = 0;
export const PERIOD = 1;
/**
 * Redis's software watchdog (watchdog-period, a debugging aid): when the server's cron has not
 * run for longer than the period, "--- WATCHDOG TIMER EXPIRED ---" is logged, once per stall.
 * The cron stops while the main thread is busy (a long command, a blocking loop) and, as Redis's
 * serverCron, while a dataset is loaded (a replica's diskless load among them) or DEBUG
 * PAUSE-CRON holds it. A blocked main thread cannot log, so a thread of its own watches and
 * writes the lines, as Redis's SIGALRM handler does; it cannot read the main thread's stack, so
 * its report is Redis's for systems without backtrace().
 */
export function followWatchdogPeriod(engine) {
    const state = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
    let thread = null;
    let cron = null;
    const beat = () => {
        if (!engine.loading && !engine.cronPaused)
            Atomics.store(state, BEAT, BigInt(Date.now()));
    };
    engine.config.follow('watchdog-period', (value) => {
        // The engine raised a period under two cron intervals already, as Redis does.
        const period = Number(value);
        const cronMs = 1000 / engine.config.getNumber('hz');
        Atomics.store(state, PERIOD, BigInt(period));
        if (period === 0) {
            void thread?.terminate();
            thread = null;
            if (cron !== null)
                clearInterval(cron);
            cron = null;
            return;
        }
        beat();
        cron ??= setInterval(beat, cronMs).unref();
        if (thread === null) {
            const workerData = {
                state: state.buffer,
                logfile: logFilePath(engine.config.get('logfile'), engine.config.get('dir')),
            };
            thread = new Worker(new URL('./watchdog-thread.js', import.meta.url), { workerData });
            thread.unref();
        }
    });
}
//# sourceMappingURL=watchdog.js.map