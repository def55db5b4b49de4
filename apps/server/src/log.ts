import { appendFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Severity marks as in Redis's log lines: `.` debug, `-` verbose, `*` notice, `#` warning. */
export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export type Log = (level: LogLevel, message: string) => void;

/**
 * The role letter of a log line: `C` before the server is initialized (Redis logs its first
 * lines as a child would), `M` for a master, `S` for a replica.
 */
export type LogRole = 'C' | 'M' | 'S';

export interface LogSettings {
  /** `loglevel`: lines below it are dropped. */
  level(): string;
  /** `logfile`: a path to append to, or '' for standard output. */
  file(): string;
  role(): LogRole;
}

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
 * Where `logfile` writes: Redis changes to `dir` as it reads the config, so a relative path is
 * relative to `dir` ('' stays standard output).
 */
export function logFilePath(logfile: string, dir: string): string {
  return logfile === '' || isAbsolute(logfile) ? logfile : join(dir, logfile);
}

/** Whether a line of `severity` passes the configured `loglevel`. */
export function logs(settings: LogSettings, severity: LogLevel): boolean {
  return RANKS[severity] >= (RANKS[settings.level() as LogLevel] ?? RANKS.notice);
}

/**
 * Writes text where `logfile` says. The file is opened for every write, as Redis does, so a log
 * that a test or logrotate moved away is created anew.
 */
export function writeLog(settings: LogSettings, text: string): void {
  const file = settings.file();
  if (file === '') {
    process.stdout.write(text);
    return;
  }
  try {
    appendFileSync(file, text);
  } catch {
    // As Redis: a log line that cannot be written is dropped, the server goes on.
  }
}

/** Redis's log line: `pid:role dd Mon yyyy HH:MM:SS.mmm mark message`. */
export function formatLogLine(role: LogRole, severity: LogLevel, message: string): string {
  return `${process.pid}:${role} ${timestamp(new Date())} ${MARKS[severity]} ${message}\n`;
}

/** A logger writing Redis-style lines for messages at or above `loglevel`. */
export function createLog(settings: LogSettings): Log {
  return (severity, message) => {
    if (!logs(settings, severity)) return;
    writeLog(settings, formatLogLine(settings.role(), severity, message));
  };
}
