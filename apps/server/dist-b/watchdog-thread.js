import { closeSync, openSync, writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { BEAT, PERIOD } from './watchdog.js';
/**
 * The watchdog's own thread (see watchdog.ts): it wakes a few times per period and reports a
 * cron that has not run for longer than the period, once until the cron runs again.
 */
const { state: shared, logfile } = workerData;
const state = new BigInt64Array(shared);
const nap = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
/** Redis's serverLogFromHandler: written at once, with the pid and the Unix time. */
function logFromHandler(message) {
    const line = `${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}\n`;
    try {
        const fd = logfile === '' ? 1 : openSync(logfile, 'a', 0o644);
        writeSync(fd, line);
        if (fd !== 1)
            closeSync(fd);
    }
    catch {
        // As Redis: a line that cannot be written is dropped.
    }
}
let reported = -1n;
for (;;) {
    const period = Number(Atomics.load(state, PERIOD));
    const beat = Atomics.load(state, BEAT);
    if (period > 0 && beat !== reported && Date.now() - Number(beat) > period) {
        reported = beat;
        logFromHandler('\n--- WATCHDOG TIMER EXPIRED ---');
        logFromHandler('Sorry: no support for backtrace().');
        logFromHandler('--------\n');
    }
    Atomics.wait(nap, 0, 0, period > 0 ? Math.max(10, period / 4) : 100);
}
//# sourceMappingURL=watchdog-thread.js.map