/** Redis's read size (PROTO_IOBUF_LEN): a query buffer holds at least this much once read into. */
const READ_SIZE = 16 * 1024;
/** Bulks this large get a query buffer of their exact size (PROTO_MBULK_BIG_ARG). */
const BIG_ARGUMENT = 32 * 1024;
/** Below this size a buffer is never trimmed for a lower peak (PROTO_RESIZE_THRESHOLD). */
const RESIZE_THRESHOLD = 32 * 1024;
/** Free space worth giving back. */
const WASTE = 4 * 1024;
/** Past this, a growing buffer gains 1 MB instead of doubling (SDS_MAX_PREALLOC). */
const MAX_PREALLOCATION = 1024 * 1024;
/**
 * The size of a client's query buffer as Redis would have allocated it, for CLIENT LIST's
 * qbuf-free and the client's memory (rc parses from the socket's chunks and holds no such
 * buffer). It follows readQueryFromClient's growth, a big argument's exact buffer, and
 * clientsCronResizeQueryBuffer's trimming: all freed after 2 idle seconds, or cut down to the
 * recent peak when that is less than half. A few integer updates per read.
 */
export class QueryBufferSize {
    allocated = 0;
    /** The most the buffer held since the last cron. */
    peak = 0;
    /** `length` bytes read while `pending` bytes were still unparsed. */
    read(pending, length) {
        const used = pending + length;
        // The first read reserves one read's worth, exactly; later ones grow greedily.
        if (this.allocated < READ_SIZE)
            this.allocated = Math.max(this.allocated, pending + READ_SIZE);
        if (used > this.allocated) {
            this.allocated = used < MAX_PREALLOCATION ? used * 2 : used + MAX_PREALLOCATION;
        }
        if (used > this.peak)
            this.peak = used;
    }
    /** After parsing: a big argument being received gets a buffer of its exact size (and CRLF). */
    parsed(bulkLength) {
        if (bulkLength >= BIG_ARGUMENT && bulkLength + 2 > this.allocated) {
            this.allocated = bulkLength + 2;
        }
    }
    /**
     * The clients cron: `length` bytes unparsed, `bulkLength` the argument being received (or -1),
     * idle for `idleSeconds` whole seconds.
     */
    cron(length, bulkLength, idleSeconds) {
        if (this.allocated - length > WASTE) {
            if (idleSeconds > 2) {
                this.allocated = length;
            }
            else if (this.allocated > RESIZE_THRESHOLD && this.allocated / 2 > this.peak) {
                this.allocated = Math.max(length, this.peak, bulkLength);
            }
        }
        this.peak = Math.max(length, bulkLength);
    }
}
//# sourceMappingURL=query-buffer.js.map