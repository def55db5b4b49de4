/**
 * Redis's bug report (debug.c): a START banner, the reason in the shape of Redis's signal
 * handler, serverPanic or serverAssert, the server's INFO and client list, and the END banner.
 * `raw` writes text as it is, like serverLogRaw.
 */
export function writeCrashReport(crash, log, raw, details) {
    raw('\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n');
    switch (crash.kind) {
        case 'panic':
        case 'out-of-memory':
            log('warning', '------------------------------------------------');
            log('warning', '!!! Software Failure. Press left mouse button to continue');
            log('warning', `Guru Meditation: ${crash.message} #rc`);
            break;
        default:
            for (const line of crash.message.split('\n'))
                log('warning', line);
    }
    log('warning', '');
    raw('------ INFO OUTPUT ------\n');
    raw(details.info());
    raw('\n------ CLIENT LIST OUTPUT ------\n');
    raw(details.clientList());
    raw('\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n' +
        '       Please report the crash by opening an issue on rc.\n\n');
}
/** The signal a crash ends the process with: SEGV for a fault, ABRT for panics and asserts. */
export function crashSignal(crash) {
    return crash.kind === 'segfault' ? 'SIGSEGV' : 'SIGABRT';
}
//# sourceMappingURL=crash-report.js.map