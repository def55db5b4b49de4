import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socketOutput, type SocketOutputEvents } from './socket-output.js';

/** A connected pair over loopback: `server` is the accepted end. */
async function socketPair(): Promise<{ server: Socket; client: Socket; close(): void }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as { port: number };
  const accepted = once(listener, 'connection');
  const client = connect(port, '127.0.0.1');
  const [server] = (await accepted) as [Socket];
  return {
    server,
    client,
    close() {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}

/** Collects what arrives at `socket` until `length` bytes came. */
async function receive(socket: Socket, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of socket) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    if (received >= length) break;
  }
  return Buffer.concat(chunks);
}

function recordingEvents(): SocketOutputEvents & { drains: number; failures: number } {
  return {
    drains: 0,
    failures: 0,
    drained() {
      this.drains++;
    },
    failed() {
      this.failures++;
    },
  };
}

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe.each([
  ['the handle', true],
  ['the stream', false],
])('socketOutput through %s', (_name, direct) => {
  it('delivers writes in order, releasing small ones at once', async () => {
    const pair = await socketPair();
    cleanup = pair.close;
    const events = recordingEvents();
    const output = socketOutput(pair.server, events, direct);
    const arriving = receive(pair.client, 6);
    const kept = [output.write(Buffer.from('+OK\r\n')), output.write(Buffer.from('x'))];
    expect((await arriving).toString()).toBe('+OK\r\nx');
    // The stream keeps every chunk until its callback; the handle only what the kernel left.
    expect(kept).toEqual(direct ? [false, false] : [true, true]);
    expect(output.queuedBytes).toBe(0);
    expect(output.full).toBe(false);
  });

  it('queues what a reader does not take, keeps those bytes, and reports the drain', async () => {
    const pair = await socketPair();
    cleanup = pair.close;
    const events = recordingEvents();
    const output = socketOutput(pair.server, events, direct);
    pair.client.pause();
    const size = 32 * 1024 * 1024;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) bytes[i] = (i >> 12) & 0xff;
    expect(output.write(bytes)).toBe(true);
    expect(output.queuedBytes).toBeGreaterThan(0);
    expect(output.full).toBe(true);
    const trailer = Buffer.from('end');
    output.write(trailer);
    pair.client.resume();
    const received = await receive(pair.client, size + trailer.length);
    expect(received.equals(Buffer.concat([bytes, trailer]))).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.queuedBytes).toBe(0);
    expect(output.full).toBe(false);
    expect(events.drains).toBeGreaterThanOrEqual(1);
    expect(events.failures).toBe(0);
  });
});

describe('socketOutput through the handle', () => {
  it('reports a failed write once the peer is gone', async () => {
    const pair = await socketPair();
    cleanup = pair.close;
    const events = recordingEvents();
    const output = socketOutput(pair.server, events, true);
    pair.client.resetAndDestroy();
    await once(pair.client, 'close');
    // The first write may still be accepted by the kernel; the reset shows on a later one.
    for (let attempt = 0; attempt < 100 && events.failures === 0; attempt++) {
      output.write(Buffer.alloc(64 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(events.failures).toBeGreaterThan(0);
  });
});
