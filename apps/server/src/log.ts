/** Severity marks as in Redis's log lines: `.` debug, `-` verbose, `*` notice, `#` warning. */
export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export type Log = (level: LogLevel, message: string) => void;

const MARKS: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const RANKS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

function timestamp(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.` +
    String(date.getMilliseconds()).padStart(3, '0')
  );
}

/**
 * A logger writing Redis-style lines (`pid:M 25 Nov 2026 12:00:00.000 * message`) to `write`
 * for messages at or above the `loglevel` that `level()` reports when called.
 */
export function createLog(write: (line: string) => void, level: () => string): Log {
  return (severity, message) => {
    const threshold = RANKS[level() as LogLevel] ?? RANKS.notice;
    if (RANKS[severity] < threshold) return;
    write(`${process.pid}:M ${timestamp(new Date())} ${MARKS[severity]} ${message}\n`);
  };
}
