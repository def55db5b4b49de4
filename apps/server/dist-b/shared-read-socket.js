import { Socket } from 'node:net';
import { PrefixViews } from '@rc/resp';
/** Every client's reads land here; a read is handled before the next one can happen. */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);
/** The reads' views: requests are mostly short, and of a few recurring lengths. */
const readViews = new PrefixViews(sharedReadBuffer, 4096);
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
export function adoptWithSharedReads(accepted, onData) {
    const shell = accepted;
    const handle = shell._handle;
    if (handle === null || handle === undefined)
        throw new Error('the accepted socket has no handle');
    shell._handle = null;
    accepted.destroy();
    const options = {
        handle,
        readable: true,
        writable: true,
        onread: {
            buffer: sharedReadBuffer,
            callback: (length) => {
                onData(readViews.of(length));
                return true;
            },
        },
    };
    return new Socket(options);
}
//# sourceMappingURL=shared-read-socket.js.map