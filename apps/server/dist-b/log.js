import { appendFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
const MARKS = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const RANKS = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
function timestamp(date) {
    const two = (n) => String(n).padStart(2, '0');
    return (`${two(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ` +
        `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.` +
        String(date.getMilliseconds()).padStart(3, '0'));
}
/**
 * Where `logfile` writes: Redis changes to `dir` as it reads the config, so a relative path is
 * relative to `dir` ('' stays standard output).
 */
export function logFilePath(logfile, dir) {
    return logfile === '' || isAbsolute(logfile) ? logfile : join(dir, logfile);
}
/** Whether a line of `severity` passes the configured `loglevel`. */
export function logs(settings, severity) {
    return RANKS[severity] >= (RANKS[settings.level()] ?? RANKS.notice);
}
/**
 * Writes text where `logfile` says. The file is opened for every write, as Redis does, so a log
 * that a test or logrotate moved away is created anew.
 */
export function writeLog(settings, text) {
    const file = settings.file();
    if (file === '') {
        process.stdout.write(text);
        return;
    }
    try {
        appendFileSync(file, text);
    }
    catch {
        // As Redis: a log line that cannot be written is dropped, the server goes on.
    }
}
/** Redis's log line: `pid:role dd Mon yyyy HH:MM:SS.mmm mark message`. */
export function formatLogLine(role, severity, message) {
    return `${process.pid}:${role} ${timestamp(new Date())} ${MARKS[severity]} ${message}\n`;
}
/** A logger writing Redis-style lines for messages at or above `loglevel`. */
export function createLog(settings) {
    return (severity, message) => {
        if (!logs(settings, severity))
            return;
        writeLog(settings, formatLogLine(settings.role(), severity, message));
    };
}
//# sourceMappingURL=log.js.map