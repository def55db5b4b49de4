import type { Client, RawOutput } from '@rc/engine';
import { describe, expect, it } from 'vitest';
import { ConnectedReplica } from './connected-replica.js';
import { ReplicationBuffer } from './replication-buffer.js';
import { announced } from './test-support/announcement.js';

/** A socket that holds `capacity` bytes until drained, as a replica that stopped reading. */
class StalledSocket implements RawOutput {
  written = 0;
  pendingOutputBytes = 0;
  private drainListener: () => void = () => {};

  constructor(private readonly capacity: number) {}

  write(bytes: Buffer): boolean {
    this.written += bytes.length;
    this.pendingOutputBytes += bytes.length;
    return this.pendingOutputBytes < this.capacity;
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }

  onClose(): void {}

  drain(): void {
    this.pendingOutputBytes = 0;
    this.drainListener();
  }
}

describe('ConnectedReplica', () => {
  it('stops writing once its socket is full: the stream waits in its share of the buffer', () => {
    const buffer = new ReplicationBuffer(16 * 1024, 0);
    const socket = new StalledSocket(16 * 1024);
    const replica = new ConnectedReplica({} as Client, socket, announced, true);
    replica.follow(buffer.cursorAt(1));
    const command = Buffer.alloc(150, 'x');
    for (let i = 0; i < 1000; i++) {
      buffer.append(command);
      replica.send();
    }
    // The socket took up to its limit and one write more; the rest is the replica's share.
    expect(socket.written).toBeLessThan(32 * 1024);
    expect(replica.outputBytes).toBeGreaterThanOrEqual(150 * 1000 - socket.written);

    socket.drain();
    expect(socket.written).toBeGreaterThan(32 * 1024);
    while (socket.written < 150 * 1000) socket.drain();
    expect(socket.written).toBe(150 * 1000);
  });
});
