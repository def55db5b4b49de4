import { TLSSocket } from 'node:tls';
import { BLOCKED, formatClientInfo, quoteArgument, } from '@rc/engine';
import { ProtocolError, RequestParser } from '@rc/resp';
import { isHttpRequestWord, warnOfCrossProtocolAttack } from './cross-protocol-guard.js';
import { QueryBufferSize } from './query-buffer.js';
import { adoptWithSharedReads } from './shared-read-socket.js';
import { socketOutput } from './socket-output.js';
import { TlsOutput } from './tls-output.js';
import { afterReplies, flushSoon, runBeforeReplies, turnTime, } from './write-batch.js';
/** Redis's reply buffer: replies beyond it count toward the output limits. */
const REPLY_BUFFER_BYTES = 16 * 1024;
/**
 * One client socket: bytes in → parser → engine → the client's reply buffer → one socket write
 * per read (pipelining costs one syscall, not one per command). Stops reading a client whose
 * output is not draining.
 */
export class Connection {
    engine;
    limits;
    onClose;
    client;
    remoteAddress;
    localAddress;
    parser;
    queryBuffer = new QueryBufferSize();
    closing = false;
    /** The engine forgot the client (the socket may still be finishing its close). */
    released = false;
    /** Input is being run: Redis trims its query buffer only once the whole batch ran. */
    processing = false;
    resumeScheduled = false;
    flushQueued = false;
    /** A replica's connection: replies are dropped, the replication stream is written raw. */
    detached = false;
    socket;
    output;
    /** Reading stopped because the output is full; it resumes once the output drained. */
    outputFull = false;
    /** The replication stream's drain listeners, once the connection carries one. */
    drainListeners = [];
    /** Bound once: `ReplyWriter.sendTo` takes it on every flush. */
    send = (bytes) => this.output.write(bytes);
    /**
     * `accepted`: a socket a server accepted with `pauseOnConnect` (see adoptWithSharedReads), or
     * a TLS socket past its handshake.
     * `unixAddress`: for a unix socket peer, the address both ends show (`<path>:0`, as Redis).
     */
    constructor(accepted, engine, limits, onClose, unixAddress) {
        this.engine = engine;
        this.limits = limits;
        this.onClose = onClose;
        const events = { drained: () => this.drained(), failed: () => socket.destroy() };
        let socket;
        if (accepted instanceof TLSSocket) {
            // Bytes pass through OpenSSL: they are read and written through the TLS stream.
            socket = accepted;
            socket.on('data', (chunk) => this.receive(chunk));
            this.output = new TlsOutput(accepted, events);
        }
        else {
            socket = adoptWithSharedReads(accepted, (chunk) => this.receive(chunk));
            this.output = socketOutput(socket, events);
        }
        this.socket = socket;
        this.remoteAddress = unixAddress ?? formatAddress(socket.remoteAddress, socket.remotePort);
        this.localAddress = unixAddress ?? formatAddress(socket.localAddress, socket.localPort);
        this.parser = new RequestParser({ maxBulkLength: limits.maxBulkLength });
        this.client = engine.connect(this);
        socket.setNoDelay(true);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.closed());
    }
    get pendingOutputBytes() {
        return this.output.queuedBytes;
    }
    get queryBufferLength() {
        return this.processing ? this.parser.bufferLength : this.parser.buffered;
    }
    get partialArgumentBytes() {
        return this.parser.partialArgumentBytes;
    }
    get queryBufferFree() {
        return Math.max(0, this.queryBuffer.allocated - this.queryBufferLength);
    }
    receive(chunk) {
        if (this.closing)
            return;
        const stats = this.engine.stats;
        stats.readsProcessed++;
        stats.netInputBytes += chunk.length;
        this.client.lastInteraction = this.engine.clock.at(turnTime());
        const parser = this.parser;
        this.queryBuffer.read(parser.buffered, chunk.length);
        parser.feed(chunk);
        if (parser.buffered > this.limits.queryBufferLimit) {
            this.closeOverQueryBufferLimit();
            return;
        }
        parser.maxBulkLength = this.limits.maxBulkLength;
        if (this.overClientMemory())
            return;
        this.processInput();
        this.queryBuffer.parsed(parser.bulkInProgress);
        // The chunk's memory is reused by the next read of any client.
        this.parser.release();
        // A big argument being received counts in full from its header on, as in Redis.
        if (this.overClientMemory())
            return;
        flushSoon(this);
    }
    /**
     * As Redis's readQueryFromClient: input past client-query-buffer-limit closes the client at
     * once, with a warning showing it and how its input begins.
     */
    closeOverQueryBufferLimit() {
        const info = formatClientInfo(this.client, this.engine, null);
        const head = quoteArgument(this.parser.head(64).toString('latin1'));
        this.engine.log('warning', `Closing client that reached max query buffer length: ${info} (qbuf initial bytes: ${head})`);
        this.parser.release();
        this.client.out.truncate(0);
        this.destroy();
    }
    /**
     * The clients cron's share for this connection (Redis's clientsCron): the query buffer is
     * trimmed as Redis trims it.
     */
    cron(nowSeconds) {
        const idle = nowSeconds - Math.floor(this.client.lastInteraction / 1000);
        this.queryBuffer.cron(this.parser.buffered, this.parser.bulkInProgress, idle);
        // A soft output limit runs out with time, even when nothing more is written. A client held
        // back is owed at least what holds it back.
        if (this.outputFull) {
            const owed = this.engine.outputHoldBack(this.client);
            this.engine.enforceOutputLimits(this.client, owed, false);
        }
        else if (this.output.queuedBytes > 0) {
            this.engine.enforceOutputLimits(this.client, 0, false);
        }
        if (!this.closing)
            this.engine.clientEviction.update(this.client);
    }
    /** Runs every complete command buffered, until the client blocks or the connection closes. */
    processInput() {
        this.processing = true;
        // One clock read per pipelined command: each starts when the one before it ended.
        this.engine.chainCallTimes(true);
        try {
            this.runCommands();
        }
        finally {
            this.engine.chainCallTimes(false);
        }
        this.processing = false;
    }
    runCommands() {
        const client = this.client;
        while (!this.closing && client.blocked === null) {
            // Until AUTH succeeds, requests are held to Redis's small unauthenticated limits.
            this.parser.authRequired = this.engine.authRequired(client);
            const argv = this.parser.next();
            if (argv === null)
                return;
            if (argv instanceof ProtocolError) {
                client.out.error(argv.message);
                this.close();
                return;
            }
            if (argv.length === 0)
                continue;
            if (isHttpRequestWord(argv[0])) {
                this.abortCrossProtocolAttack();
                return;
            }
            const blocked = this.engine.execute(client, argv) === BLOCKED;
            if (client.out.length > REPLY_BUFFER_BYTES) {
                if (this.outputHeld())
                    return;
                // Its replies may have been written to the socket: not part of the next command's time.
                this.engine.chainCallTimes(true);
            }
            if (this.overClientMemory() || blocked)
                return;
        }
    }
    /**
     * maxmemory-clients: the client's memory counted anew, as its buffers changed, and the
     * largest clients evicted if all of them now hold too much; true if this one was.
     */
    overClientMemory() {
        const eviction = this.engine.clientEviction;
        if (!eviction.enabled)
            return false;
        eviction.update(this.client);
        return eviction.evict(this.client);
    }
    /**
     * After a command whose replies outgrew the reply buffer: whether they stop the batch, as
     * the client went over its output limits, or as they piled up until its socket is full (a
     * client that does not read gets no more replies made until it drains, however many
     * commands one read brought).
     */
    outputHeld() {
        const client = this.client;
        const pending = client.out.length;
        if (this.engine.enforceOutputLimits(client, pending, true))
            return true;
        if (pending + this.output.queuedBytes < this.engine.outputHoldBack(client))
            return false;
        this.flush();
        return this.outputFull;
    }
    flush() {
        const out = this.client.out;
        if (out.length === 0 || this.socket.destroyed)
            return;
        if (this.detached) {
            out.truncate(0);
            return;
        }
        // Writes this turn made reach the AOF (and its fsync) before any reply leaves.
        runBeforeReplies();
        const stats = this.engine.stats;
        stats.writesProcessed++;
        stats.netOutputBytes += out.length;
        // Only bytes the kernel did not take whole can have filled the output.
        const kept = out.sendTo(this.send);
        // What the client holds shrank by what went out (maxmemory counts it).
        this.engine.clientEviction.update(this.client);
        if (!kept)
            return;
        if (this.engine.enforceOutputLimits(this.client, 0, true))
            return;
        // Held back once it owes as much as its limits allow (see OutputLimits.holdBackAt).
        if (!this.closing &&
            !this.outputFull &&
            this.output.queuedBytes >= this.engine.outputHoldBack(this.client)) {
            this.outputFull = true;
            this.socket.pause();
        }
    }
    drained() {
        if (this.outputFull && !this.closing) {
            this.outputFull = false;
            this.socket.resume();
            // Commands a full output held back run now.
            if (this.parser.buffered > 0)
                this.resume();
        }
        for (const listener of this.drainListeners)
            listener();
    }
    scheduleFlush() {
        flushSoon(this);
    }
    resume() {
        if (this.resumeScheduled)
            return;
        this.resumeScheduled = true;
        queueMicrotask(() => {
            this.resumeScheduled = false;
            if (this.closing)
                return;
            this.processInput();
            flushSoon(this);
        });
    }
    /** PSYNC/SYNC: what was replied so far goes out, then the socket carries the stream. */
    detachOutput() {
        this.flush();
        this.detached = true;
        const socket = this.socket;
        const output = this.output;
        const stats = this.engine.stats;
        return {
            write: (bytes) => {
                if (socket.destroyed)
                    return false;
                stats.netReplicationOutputBytes += bytes.length;
                output.write(bytes);
                return !output.full;
            },
            get pendingOutputBytes() {
                return output.queuedBytes;
            },
            onDrain: (listener) => this.drainListeners.push(listener),
            onClose: (listener) => socket.once('close', listener),
        };
    }
    close() {
        if (this.closing)
            return;
        this.closing = true;
        queueMicrotask(() => this.finishClose());
    }
    closeAfterReplies() {
        if (this.closing)
            return;
        this.closing = true;
        afterReplies(() => this.finishClose());
    }
    finishClose() {
        this.flush();
        // Close fully once the replies are out, as Redis does: a peer that keeps writing gets a reset.
        this.socket.end(() => this.socket.destroy());
        // Redis frees the client once its last reply is written. A TLS socket closes only after
        // its shutdown exchange, so its client goes now (a tracking redirect is broken at once).
        if (this.socket instanceof TLSSocket)
            this.release(false);
    }
    /**
     * An HTTP request sent to Redis: the connection closes at once, without the replies of the
     * commands that came before it in this read, as Redis frees such a client before writing.
     */
    abortCrossProtocolAttack() {
        warnOfCrossProtocolAttack(this.engine);
        this.client.out.truncate(0);
        this.destroy();
    }
    closeAsap() {
        this.closing = true;
        this.client.out.truncate(0);
        this.socket.destroy();
        // Forgotten once the running command is done, before any other client's input is read (the
        // socket's close event comes only after every socket of this wake-up was read), as Redis
        // frees such clients before it serves another command.
        queueMicrotask(() => this.release(false));
    }
    /** Server shutdown: drop the socket without waiting for the peer. */
    destroy() {
        this.closing = true;
        this.socket.destroy();
    }
    closed() {
        const byPeer = !this.closing;
        this.closing = true;
        this.release(byPeer);
    }
    release(byPeer) {
        if (this.released)
            return;
        this.released = true;
        // Told before the engine forgets the client, so its state can still be described.
        this.onClose(this, byPeer);
        this.engine.disconnect(this.client);
    }
}
/** `ip:port`, an IPv6 address in brackets (`[::1]:6379`), as Redis's anetFormatAddr. */
function formatAddress(ip, port) {
    return ip?.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
//# sourceMappingURL=connection.js.map