import type { TLSSocket } from 'node:tls';
import type { SocketOutput, SocketOutputEvents } from './socket-output.js';

/** What Node keeps under a TLS socket's handle: the TCP handle the ciphertext goes to. */
interface TlsHandle {
  _parent?: { readonly writeQueueSize?: number };
}

/**
 * A TLS connection's output, through the TLS stream. Node reports a TLS write done only on the
 * event-loop turn after the kernel took it, so the stream still counts a reply the client has
 * already read when its next request arrives; what is really waiting is what the TCP handle
 * beneath holds (ciphertext, about the size of the replies), as Redis counts what SSL_write did
 * not take.
 */
export class TlsOutput implements SocketOutput {
  private readonly tcp: { readonly writeQueueSize: number } | null;

  constructor(
    private readonly socket: TLSSocket,
    events: SocketOutputEvents,
  ) {
    socket.on('drain', () => events.drained());
    const parent = (socket as unknown as { _handle?: TlsHandle })._handle?._parent;
    this.tcp =
      parent !== undefined && typeof parent.writeQueueSize === 'number'
        ? (parent as { readonly writeQueueSize: number })
        : null;
  }

  get queuedBytes(): number {
    if (this.socket.destroyed) return 0;
    return this.tcp === null ? this.socket.writableLength : this.tcp.writeQueueSize;
  }

  /** The stream emits 'drain' exactly when a write found it this full. */
  get full(): boolean {
    return this.socket.writableNeedDrain;
  }

  write(bytes: Buffer): boolean {
    this.socket.write(bytes);
    return true;
  }
}
