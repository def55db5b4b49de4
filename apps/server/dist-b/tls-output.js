/**
 * A TLS connection's output, through the TLS stream. Node reports a TLS write done only on the
 * event-loop turn after the kernel took it, so the stream still counts a reply the client has
 * already read when its next request arrives; what is really waiting is what the TCP handle
 * beneath holds (ciphertext, about the size of the replies), as Redis counts what SSL_write did
 * not take.
 */
export class TlsOutput {
    socket;
    tcp;
    constructor(socket, events) {
        this.socket = socket;
        socket.on('drain', () => events.drained());
        const parent = socket._handle?._parent;
        this.tcp =
            parent !== undefined && typeof parent.writeQueueSize === 'number'
                ? parent
                : null;
    }
    get queuedBytes() {
        if (this.socket.destroyed)
            return 0;
        return this.tcp === null ? this.socket.writableLength : this.tcp.writeQueueSize;
    }
    /** The stream emits 'drain' exactly when a write found it this full. */
    get full() {
        return this.socket.writableNeedDrain;
    }
    write(bytes) {
        this.socket.write(bytes);
        return true;
    }
}
//# sourceMappingURL=tls-output.js.map