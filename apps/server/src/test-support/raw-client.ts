import { connect, type Socket } from 'node:net';
import { replyFrameLength } from '@rc/resp';

/** Encodes a command as a RESP multibulk, binary safe (latin1). */
export function encodeCommand(args: readonly string[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${arg.length}\r\n${arg}\r\n`;
  return Buffer.from(text, 'latin1');
}

/**
 * A minimal client that returns raw reply bytes, one RESP frame at a time, so tests can compare
 * servers byte for byte. Also reports when the server closes the connection.
 */
export class RawClient {
  private pending = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** A TCP connection, to 127.0.0.1 unless `host` says otherwise, from `localAddress` if given. */
  static open(
    port: number,
    { host = '127.0.0.1', localAddress }: { host?: string; localAddress?: string } = {},
  ): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, localAddress }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** A connection over a unix socket. */
  static openPath(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  write(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** The next complete reply frame, or null if the connection closed first or time ran out. */
  async readReply(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const length = replyFrameLength(this.pending);
      if (length !== -1) {
        const frame = this.pending.subarray(0, length);
        this.pending = this.pending.subarray(length);
        return frame;
      }
      if (this.closed || Date.now() >= deadline) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every frame that arrives until none has for `quietMs` (pushes, pub/sub messages), as text. */
  async readUntilQuiet(quietMs = 150): Promise<string[]> {
    const frames: string[] = [];
    for (let frame = await this.readReply(quietMs); frame !== null;) {
      frames.push(frame.toString('latin1'));
      frame = await this.readReply(quietMs);
    }
    return frames;
  }

  async command(...args: string[]): Promise<Buffer | null> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** Bytes received that are not (yet) a whole reply, as text. */
  unread(): string {
    return this.pending.toString('latin1');
  }

  /** Waits until the server closes the connection; true if it did within the time. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
