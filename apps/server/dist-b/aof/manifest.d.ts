/** A manifest line's type: the base, a file kept only until it is deleted, an increment. */
export type AofFileType = 'b' | 'h' | 'i';
export interface AofFileInfo {
    readonly name: string;
    readonly seq: number;
    readonly type: AofFileType;
}
/**
 * A manifest Redis would refuse, with its reason and, once a line was read whole, the line's
 * number and its trimmed text (what aofLoadManifestFromFile prints before exiting).
 */
export declare class ManifestError extends Error {
    readonly lineNumber: number | null;
    readonly line: string | null;
    readonly code = "ERR_AOF_MANIFEST";
    constructor(message: string, lineNumber?: number | null, line?: string | null);
}
/**
 * Redis 7.0's multi-part AOF manifest: `file <name> seq <n> type <b|h|i>` per line, the base
 * first, then history files, then increments in sequence order.
 */
export declare class AofManifest {
    base: AofFileInfo | null;
    history: AofFileInfo[];
    incr: AofFileInfo[];
    baseSeq: number;
    incrSeq: number;
    /**
     * Parses a manifest as aofLoadManifestFromFile reads it: fgets-sized lines (a line without
     * its newline, the last one included, is "too long"), `#` comments, trimmed lines split into
     * key/value pairs. Throws ManifestError with Redis's wording.
     */
    static parse(text: string): AofManifest;
    format(): string;
    clone(): AofManifest;
    /** A new base `<filename>.<seq>.base.rdb|aof`; the previous base becomes history. */
    newBase(filename: string, rdbPreamble: boolean): AofFileInfo;
    /** A new increment `<filename>.<seq>.incr.aof` at the end of the list. */
    newIncr(filename: string): AofFileInfo;
    /**
     * After a rewrite: every increment but the one being written (when `keepLast`) is now in
     * the base, so it becomes history, as markRewrittenIncrAofAsHistory.
     */
    incrementsToHistory(keepLast: boolean): void;
}
//# sourceMappingURL=manifest.d.ts.map