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
/**
 * Where `logfile` writes: Redis changes to `dir` as it reads the config, so a relative path is
 * relative to `dir` ('' stays standard output).
 */
export declare function logFilePath(logfile: string, dir: string): string;
/** Whether a line of `severity` passes the configured `loglevel`. */
export declare function logs(settings: LogSettings, severity: LogLevel): boolean;
/**
 * Writes text where `logfile` says. The file is opened for every write, as Redis does, so a log
 * that a test or logrotate moved away is created anew.
 */
export declare function writeLog(settings: LogSettings, text: string): void;
/** Redis's log line: `pid:role dd Mon yyyy HH:MM:SS.mmm mark message`. */
export declare function formatLogLine(role: LogRole, severity: LogLevel, message: string): string;
/** A logger writing Redis-style lines for messages at or above `loglevel`. */
export declare function createLog(settings: LogSettings): Log;
//# sourceMappingURL=log.d.ts.map