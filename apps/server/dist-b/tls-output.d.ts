import type { TLSSocket } from 'node:tls';
import type { SocketOutput, SocketOutputEvents } from './socket-output.js';
/**
 * A TLS connection's output, through the TLS stream. Node reports a TLS write done only on the
 * event-loop turn after the kernel took it, so the stream still counts a reply the client has
 * already read when its next request arrives; what is really waiting is what the TCP handle
 * beneath holds (ciphertext, about the size of the replies), as Redis counts what SSL_write did
 * not take.
 */
export declare class TlsOutput implements SocketOutput {
    private readonly socket;
    private readonly tcp;
    constructor(socket: TLSSocket, events: SocketOutputEvents);
    get queuedBytes(): number;
    /** The stream emits 'drain' exactly when a write found it this full. */
    get full(): boolean;
    write(bytes: Buffer): boolean;
}
//# sourceMappingURL=tls-output.d.ts.map