/**
 * The size of a client's query buffer as Redis would have allocated it, for CLIENT LIST's
 * qbuf-free and the client's memory (rc parses from the socket's chunks and holds no such
 * buffer). It follows readQueryFromClient's growth, a big argument's exact buffer, and
 * clientsCronResizeQueryBuffer's trimming: all freed after 2 idle seconds, or cut down to the
 * recent peak when that is less than half. A few integer updates per read.
 */
export declare class QueryBufferSize {
    allocated: number;
    /** The most the buffer held since the last cron. */
    private peak;
    /** `length` bytes read while `pending` bytes were still unparsed. */
    read(pending: number, length: number): void;
    /** After parsing: a big argument being received gets a buffer of its exact size (and CRLF). */
    parsed(bulkLength: number): void;
    /**
     * The clients cron: `length` bytes unparsed, `bulkLength` the argument being received (or -1),
     * idle for `idleSeconds` whole seconds.
     */
    cron(length: number, bulkLength: number, idleSeconds: number): void;
}
//# sourceMappingURL=query-buffer.d.ts.map