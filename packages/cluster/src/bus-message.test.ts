import { connect, type Socket } from 'node:net';
import { freePort, requireRedisOrSkip, startRedisServer, until } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import {
  BusFrameReader,
  decodeBusMessage,
  encodeBusMessage,
  GOSSIP_ENTRY_LENGTH,
  HEADER_LENGTH,
  MessageFlag,
  NodeFlag,
  SLOT_BITMAP_BYTES,
  type BusMessage,
  type MessageHeader,
  type MessageType,
} from './bus-message.js';

function header<T extends MessageType>(type: T, changes: Partial<MessageHeader> = {}) {
  const slots = new Uint8Array(SLOT_BITMAP_BYTES);
  slots[0] = 0b101; // slots 0 and 2
  slots[SLOT_BITMAP_BYTES - 1] = 0x80; // slot 16383
  return {
    type,
    port: 7000,
    currentEpoch: 7,
    configEpoch: 3,
    offset: 123456789012,
    sender: 'e'.repeat(40),
    slots,
    replicaOf: null,
    ip: '10.0.0.1',
    plaintextPort: 0,
    busPort: 17000,
    flags: NodeFlag.master | NodeFlag.myself,
    state: 0,
    messageFlags: 0,
    ...changes,
  } as MessageHeader & { type: T };
}

function roundTrip(message: BusMessage): BusMessage {
  const decoded = decodeBusMessage(encodeBusMessage(message));
  if (decoded.ok !== true) throw new Error(`not decoded: ${JSON.stringify(decoded)}`);
  return decoded.message;
}

describe('encodeBusMessage / decodeBusMessage', () => {
  it('puts the header fields at clusterMsg offsets', () => {
    const frame = encodeBusMessage({ header: header('ping'), gossip: [], hostname: '' });
    expect(frame.length).toBe(HEADER_LENGTH);
    expect(frame.toString('latin1', 0, 4)).toBe('RCmb');
    expect(frame.readUInt32BE(4)).toBe(HEADER_LENGTH);
    expect(frame.readUInt16BE(8)).toBe(1);
    expect(frame.readUInt16BE(10)).toBe(7000);
    expect(frame.readBigUInt64BE(16)).toBe(7n);
    expect(frame.toString('latin1', 40, 80)).toBe('e'.repeat(40));
    expect(frame[80]).toBe(0b101);
    expect(frame.toString('latin1', 2168, 2176)).toBe('10.0.0.1');
    expect(frame.readUInt16BE(2248)).toBe(17000);
    expect(frame.readUInt16BE(2250)).toBe(17);
  });

  it('round-trips PING with gossip and the hostname extension', () => {
    const gossip = [
      {
        name: 'a'.repeat(40),
        pingSent: 1700000000,
        pongReceived: 1700000001,
        ip: '127.0.0.1',
        port: 7001,
        busPort: 17001,
        flags: NodeFlag.replica | NodeFlag.pfail,
        plaintextPort: 0,
      },
      {
        name: 'b'.repeat(40),
        pingSent: 0,
        pongReceived: 0,
        ip: '::1',
        port: 7002,
        busPort: 17002,
        flags: NodeFlag.master,
        plaintextPort: 6380,
      },
    ];
    const message: BusMessage = { header: header('meet'), gossip, hostname: 'node-1.example' };
    const frame = encodeBusMessage(message);
    // 8 bytes of extension header, then the NUL-terminated name padded to 8.
    expect(frame.length).toBe(HEADER_LENGTH + 2 * GOSSIP_ENTRY_LENGTH + 8 + 16);
    expect(frame[2253]).toBe(4); // CLUSTERMSG_FLAG0_EXT_DATA
    expect(roundTrip(message)).toEqual(message);
  });

  it('round-trips FAIL, PUBLISH, UPDATE, MODULE and the header-only types', () => {
    const messages: BusMessage[] = [
      { header: header('fail'), failing: 'f'.repeat(40) },
      {
        header: header('publishshard', { replicaOf: 'c'.repeat(40), flags: NodeFlag.replica }),
        channel: Buffer.from('news'),
        message: Buffer.from([0, 1, 2, 255]),
      },
      {
        header: header('update'),
        node: 'd'.repeat(40),
        nodeConfigEpoch: 9,
        nodeSlots: new Uint8Array(SLOT_BITMAP_BYTES).fill(0xff),
      },
      { header: header('module'), moduleId: 42n, moduleType: 3, payload: Buffer.from('xyz') },
      { header: header('failover-auth-request', { messageFlags: MessageFlag.forceAck }) },
      { header: header('failover-auth-ack') },
      { header: header('mfstart') },
    ];
    for (const message of messages) expect(roundTrip(message)).toEqual(message);
  });

  it('refuses a frame whose length does not match its gossip count', () => {
    const frame = encodeBusMessage({ header: header('ping'), gossip: [], hostname: '' });
    frame.writeUInt16BE(2, 14);
    expect(decodeBusMessage(frame)).toEqual({
      ok: false,
      reason: `Received invalid ping packet of length 2256 but expected length ${HEADER_LENGTH + 2 * GOSSIP_ENTRY_LENGTH}`,
    });
  });

  it('refuses an extension without 8-byte padding', () => {
    const frame = encodeBusMessage({ header: header('pong'), gossip: [], hostname: 'h' });
    frame.writeUInt32BE(12, HEADER_LENGTH);
    expect(decodeBusMessage(frame)).toEqual({
      ok: false,
      reason: 'Received a pong packet without proper padding (12 bytes)',
    });
  });

  it('ignores another protocol version and unknown types', () => {
    const frame = encodeBusMessage({ header: header('mfstart') });
    frame.writeUInt16BE(2, 8);
    expect(decodeBusMessage(frame)).toEqual({ ok: 'ignored' });
    frame.writeUInt16BE(1, 8);
    frame.writeUInt16BE(11, 12);
    expect(decodeBusMessage(frame)).toEqual({ ok: 'ignored' });
  });
});

describe('BusFrameReader', () => {
  it('cuts frames split and joined at any byte', () => {
    const first = encodeBusMessage({ header: header('ping'), gossip: [], hostname: 'x' });
    const second = encodeBusMessage({ header: header('fail'), failing: 'f'.repeat(40) });
    const stream = Buffer.concat([first, second]);
    for (const cut of [1, 7, 8, 100, first.length, first.length + 3]) {
      const reader = new BusFrameReader();
      const frames = [
        ...reader.push(stream.subarray(0, cut)).frames,
        ...reader.push(stream.subarray(cut)).frames,
      ];
      expect(frames).toEqual([first, second]);
    }
  });

  it('drops a link that does not speak the bus', () => {
    const reader = new BusFrameReader();
    expect(reader.push(Buffer.from('PING\r\nPING\r\n')).error).toBe(
      'Bad message length or signature received from Cluster bus.',
    );
  });
});

const withRedis = requireRedisOrSkip('bus messages against redis-server');

describe.runIf(withRedis)('a cluster-enabled redis-server 7.0', () => {
  it(
    'accepts our MEET, adds the node in handshake and answers with a PONG we decode',
    { timeout: 180_000 },
    async () => {
      const busPort = await freePort();
      const redis = await startRedisServer({
        args: ['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
      });
      const socket: Socket = connect(busPort, '127.0.0.1');
      try {
        const replies: BusMessage[] = [];
        let socketError: Error | undefined;
        socket.once('error', (error) => (socketError = error));
        const reader = new BusFrameReader();
        socket.on('data', (chunk: Buffer) => {
          for (const frame of reader.push(chunk).frames) {
            const decoded = decodeBusMessage(frame);
            if (decoded.ok === true) replies.push(decoded.message);
          }
        });
        const meet = header('meet', {
          sender: '0123456789abcdef0123456789abcdef01234567',
          port: 7999,
          busPort: 17999,
          ip: '',
          currentEpoch: 0,
          configEpoch: 0,
          slots: new Uint8Array(SLOT_BITMAP_BYTES),
        });
        socket.write(encodeBusMessage({ header: meet, gossip: [], hostname: '' }));
        // Generous: on a loaded machine redis-server may take seconds to get to its bus.
        await until(() => replies.length > 0 || socketError, 'the PONG to our MEET', 120_000);
        if (socketError !== undefined) throw socketError;

        const nodes = await redisCommand(redis.port, 'CLUSTER NODES');
        const myId = (await redisCommand(redis.port, 'CLUSTER MYID')).trim();
        const pong = replies[0]!;
        expect(pong.header).toMatchObject({
          type: 'pong',
          sender: myId,
          port: redis.port,
          busPort,
          flags: NodeFlag.master | NodeFlag.myself,
          replicaOf: null,
          currentEpoch: 0,
        });
        expect(pong.header.slots.every((byte) => byte === 0)).toBe(true);
        // Redis names a node it meets at random until the handshake's PONG tells the real name.
        expect(nodes).toMatch(/ 127\.0\.0\.1:7999@17999 handshake - 0 0 0 disconnected/);
      } finally {
        socket.destroy();
        await redis.stop();
      }
    },
  );
});

/** One inline command's reply body (a bulk string's text) from a server. */
function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      const match = /^\$(\d+)\r\n/.exec(reply);
      if (match && reply.length >= match[0].length + Number(match[1]) + 2) {
        socket.destroy();
        resolve(reply.slice(match[0].length, match[0].length + Number(match[1])));
      }
    });
    socket.write(`${command}\r\n`);
  });
}
