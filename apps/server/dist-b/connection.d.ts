import type { Socket } from 'node:net';
import { type Client, type ClientConnection, type Engine, type RawOutput } from '@rc/engine';
import type { ClientLimits } from './client-limits.js';
import { type Flushable } from './write-batch.js';
/**
 * One client socket: bytes in → parser → engine → the client's reply buffer → one socket write
 * per read (pipelining costs one syscall, not one per command). Stops reading a client whose
 * output is not draining.
 */
export declare class Connection implements ClientConnection, Flushable {
    private readonly engine;
    private readonly limits;
    private readonly onClose;
    readonly client: Client;
    readonly remoteAddress: string;
    readonly localAddress: string;
    private readonly parser;
    private readonly queryBuffer;
    private closing;
    /** The engine forgot the client (the socket may still be finishing its close). */
    private released;
    /** Input is being run: Redis trims its query buffer only once the whole batch ran. */
    private processing;
    private resumeScheduled;
    flushQueued: boolean;
    /** A replica's connection: replies are dropped, the replication stream is written raw. */
    private detached;
    private readonly socket;
    private readonly output;
    /** Reading stopped because the output is full; it resumes once the output drained. */
    private outputFull;
    /** The replication stream's drain listeners, once the connection carries one. */
    private readonly drainListeners;
    /** Bound once: `ReplyWriter.sendTo` takes it on every flush. */
    private readonly send;
    /**
     * `accepted`: a socket a server accepted with `pauseOnConnect` (see adoptWithSharedReads), or
     * a TLS socket past its handshake.
     * `unixAddress`: for a unix socket peer, the address both ends show (`<path>:0`, as Redis).
     */
    constructor(accepted: Socket, engine: Engine, limits: ClientLimits, onClose: (connection: Connection, byPeer: boolean) => void, unixAddress?: string);
    get pendingOutputBytes(): number;
    get queryBufferLength(): number;
    get partialArgumentBytes(): number;
    get queryBufferFree(): number;
    private receive;
    /**
     * As Redis's readQueryFromClient: input past client-query-buffer-limit closes the client at
     * once, with a warning showing it and how its input begins.
     */
    private closeOverQueryBufferLimit;
    /**
     * The clients cron's share for this connection (Redis's clientsCron): the query buffer is
     * trimmed as Redis trims it.
     */
    cron(nowSeconds: number): void;
    /** Runs every complete command buffered, until the client blocks or the connection closes. */
    private processInput;
    private runCommands;
    /**
     * maxmemory-clients: the client's memory counted anew, as its buffers changed, and the
     * largest clients evicted if all of them now hold too much; true if this one was.
     */
    private overClientMemory;
    /**
     * After a command whose replies outgrew the reply buffer: whether they stop the batch, as
     * the client went over its output limits, or as they piled up until its socket is full (a
     * client that does not read gets no more replies made until it drains, however many
     * commands one read brought).
     */
    private outputHeld;
    flush(): void;
    private drained;
    scheduleFlush(): void;
    resume(): void;
    /** PSYNC/SYNC: what was replied so far goes out, then the socket carries the stream. */
    detachOutput(): RawOutput;
    close(): void;
    closeAfterReplies(): void;
    private finishClose;
    /**
     * An HTTP request sent to Redis: the connection closes at once, without the replies of the
     * commands that came before it in this read, as Redis frees such a client before writing.
     */
    private abortCrossProtocolAttack;
    closeAsap(): void;
    /** Server shutdown: drop the socket without waiting for the peer. */
    destroy(): void;
    private closed;
    private release;
}
//# sourceMappingURL=connection.d.ts.map