import type { RdbRecord } from '@rc/rdb';
/** `#TS:<unix seconds>`, the annotation aof-timestamp-enabled adds (an AOF comment line). */
export declare function timestampAnnotation(seconds: number): string;
/**
 * A base file in AOF format from the records of a point-in-time RDB image, as Redis's
 * rewriteAppendOnlyFileRio writes it when aof-use-rdb-preamble is no: a timestamp annotation
 * (with `timestamp`), FUNCTION LOAD per library, then per database a SELECT and each key's
 * commands followed by its PEXPIREAT. Returned as latin1 text (keys and values are bytes).
 */
export declare function rdbRecordsToCommands(records: Iterable<RdbRecord>, timestamp: number | null): string;
//# sourceMappingURL=rdb-commands.d.ts.map