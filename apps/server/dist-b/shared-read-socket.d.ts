import { Socket } from 'node:net';
/**
 * Takes over a socket that a server accepted with `pauseOnConnect`: its reads go into one
 * buffer shared by all clients and straight to `onData`, which must be done with the bytes
 * (or copy them) when it returns. Node's default read path allocates a Buffer per read and
 * runs it through the Readable stream; with redis-benchmark (50 clients, SET, one core each)
 * that cost about 15% of a minimal server's CPU per request.
 *
 * Node offers `onread` only to sockets it is asked to create, so the accepted socket's handle
 * moves to a new Socket; the empty shell is destroyed, which lets the server's connection
 * count drop as if the client had left (the caller tracks its connections itself).
 */
export declare function adoptWithSharedReads(accepted: Socket, onData: (chunk: Buffer) => void): Socket;
//# sourceMappingURL=shared-read-socket.d.ts.map