/** Files of a data directory: paths relative to it, and their bytes. */
export type Layout = Record<string, string | Buffer>;
export interface Run {
    /** The exit code, or null while it still serves (it was ready). */
    readonly code: number | null;
    /** Log lines from "Server initialized" on, without pid, role and time. */
    readonly lines: string[];
    readonly port: number;
    readonly pid: number;
    /** The copy of the data directory it runs in. */
    readonly dir: string;
    /** Its log so far, as `lines` gives it. */
    log(): string[];
}
/** How to stop each process started so far. */
export declare const running: Array<() => void>;
/** Kills what the test started: run after each test. */
export declare function stopAll(): void;
export declare function layout(files: Layout): string;
/** Log lines as the suite reads them: the message after the level mark, lines joined. */
export declare function logLines(output: string): string[];
/** Starts a server on a copy of `dir`; resolves once it serves or has exited. */
export declare function serve(server: 'rc' | 'redis', dir: string, extra?: string[]): Promise<Run>;
//# sourceMappingURL=spawned-servers.d.ts.map