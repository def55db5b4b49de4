import type { Socket } from 'node:net';
/** Where a connection's bytes go: the socket's libuv handle directly, or its Writable stream. */
export interface SocketOutput {
    /**
     * Sends `bytes`, or queues what the kernel did not take. Returns true when the output still
     * holds on to `bytes` after the call: the caller must then not reuse their memory.
     */
    write(bytes: Buffer): boolean;
    /** Bytes queued but not yet handed to the kernel. */
    readonly queuedBytes: number;
    /** So much is queued that the connection should stop reading until `drained`. */
    readonly full: boolean;
}
/** What the output reports back; both are called at most once per completed write. */
export interface SocketOutputEvents {
    /** Everything queued has been sent. */
    drained(): void;
    /** A write failed (the peer is gone): the socket should be destroyed. */
    failed(): void;
}
/** The socket's output: its handle when Node exposes the write binding, else its stream. */
export declare function socketOutput(socket: Socket, events: SocketOutputEvents, direct?: boolean): SocketOutput;
//# sourceMappingURL=socket-output.d.ts.map