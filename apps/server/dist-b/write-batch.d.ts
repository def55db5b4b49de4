/**
 * Replies are written once per event-loop turn, after every socket that was readable has been
 * served, as Redis does in beforeSleep. Writing right after each read instead wakes the peer
 * once per socket; measured with redis-benchmark -P 16 on 2 cores, batching the writes raises
 * throughput markedly because woken clients find all their replies at once.
 */
export interface Flushable {
    flush(): void;
    /** Set by `flushSoon` until the flush ran: a connection is queued once per turn. */
    flushQueued: boolean;
}
/**
 * Registers work that must happen before any reply is written (the AOF's write and, with
 * appendfsync always, its fsync: an acknowledged write must already be on disk). Returns a
 * function that unregisters it.
 */
export declare function beforeReplies(hook: () => void): () => void;
/**
 * Runs the before-reply work; every reply leaves through a connection's flush, which calls
 * this first. Cheap when there is nothing to do.
 */
export declare function runBeforeReplies(): void;
/**
 * Runs `close` once the turn's replies are written: a connection closed by another client's
 * command (ACL DELUSER, a user reloaded) is closed after that command's reply, as Redis frees
 * such clients in beforeSleep after its writes.
 */
export declare function afterReplies(close: () => void): void;
/**
 * Date.now() as of the first read of this event-loop turn (Redis's cached server time): on the
 * development VM a clock read costs about 150 ns, and one per read was 1% of a GET.
 */
export declare function turnTime(): number;
export declare function flushSoon(connection: Flushable): void;
//# sourceMappingURL=write-batch.d.ts.map