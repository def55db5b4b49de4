/** An array, not a Set: a Set emptied every turn shrinks and regrows its table every turn. */
const pending = [];
let scheduled = false;
/** The turn's first `turnTime()`, or -1: the flush every read schedules resets it. */
let turnStartedAt = -1;
let hooks = [];
/**
 * Registers work that must happen before any reply is written (the AOF's write and, with
 * appendfsync always, its fsync: an acknowledged write must already be on disk). Returns a
 * function that unregisters it.
 */
export function beforeReplies(hook) {
    hooks.push(hook);
    return () => {
        hooks = hooks.filter((each) => each !== hook);
    };
}
/**
 * Runs the before-reply work; every reply leaves through a connection's flush, which calls
 * this first. Cheap when there is nothing to do.
 */
export function runBeforeReplies() {
    for (let i = 0; i < hooks.length; i++)
        hooks[i]();
}
/** What runs once the turn's replies are written (see `afterReplies`). */
let closing = [];
function flushAll() {
    scheduled = false;
    turnStartedAt = -1;
    for (let i = 0; i < pending.length; i++) {
        const connection = pending[i];
        connection.flushQueued = false;
        connection.flush();
    }
    pending.length = 0;
    if (closing.length === 0)
        return;
    const closes = closing;
    closing = [];
    for (const close of closes)
        close();
}
/**
 * Runs `close` once the turn's replies are written: a connection closed by another client's
 * command (ACL DELUSER, a user reloaded) is closed after that command's reply, as Redis frees
 * such clients in beforeSleep after its writes.
 */
export function afterReplies(close) {
    closing.push(close);
    if (scheduled)
        return;
    scheduled = true;
    setImmediate(flushAfterPoll);
}
/**
 * Date.now() as of the first read of this event-loop turn (Redis's cached server time): on the
 * development VM a clock read costs about 150 ns, and one per read was 1% of a GET.
 */
export function turnTime() {
    if (turnStartedAt < 0)
        turnStartedAt = Date.now();
    return turnStartedAt;
}
/**
 * The turn's replies wait for one more poll of the sockets (Node polls without waiting before
 * it runs an immediate queued by an immediate). Linux's epoll keeps a socket it reported
 * readable at the head of its ready list until its next poll; a client woken by a reply, often
 * run at once on the server's core, could otherwise send its next command before that poll,
 * and the command would be read ahead of another client's earlier input. 7.0.15's
 * unit/client-eviction sends 220 KB on one connection, then CLIENT LIST on another: CLIENT LIST
 * ran first in 13 to 18 of 30 tries, and in 0 of 40 with the extra poll (redis-server: 0 of 40).
 */
function flushAfterPoll() {
    setImmediate(flushAll);
}
export function flushSoon(connection) {
    if (connection.flushQueued)
        return;
    connection.flushQueued = true;
    pending.push(connection);
    if (scheduled)
        return;
    scheduled = true;
    setImmediate(flushAll);
}
//# sourceMappingURL=write-batch.js.map