import { SLOT_COUNT } from './key-slot.js';

/*
 * The cluster bus message of Redis 7.0 (cluster.h's clusterMsg), byte for byte, so that rc and
 * redis-server nodes can gossip with each other. Every multi-byte number is big-endian. A
 * message is a fixed 2256-byte header followed by a body that depends on its type.
 */

/** Node names are 40 hex characters (a SHA-1's length). */
export const NODE_NAME_LENGTH = 40;
/** The slot bitmap: one bit per slot, slot 0 the lowest bit of the first byte. */
export const SLOT_BITMAP_BYTES = SLOT_COUNT / 8;
/** The header's size: the smallest message a node accepts. */
export const HEADER_LENGTH = 2256;
/** One gossip entry about a third node in PING, PONG and MEET. */
export const GOSSIP_ENTRY_LENGTH = 104;
const UPDATE_BODY_LENGTH = 8 + NODE_NAME_LENGTH + SLOT_BITMAP_BYTES;
const IP_LENGTH = 46;
const SIGNATURE = 'RCmb';
const PROTOCOL_VERSION = 1;

export const MESSAGE_TYPES = [
  'ping',
  'pong',
  'meet',
  'fail',
  'publish',
  'failover-auth-request',
  'failover-auth-ack',
  'update',
  'mfstart',
  'module',
  'publishshard',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Node flags as the bus carries them (CLUSTER_NODE_*). */
export const NodeFlag = {
  master: 1,
  replica: 2,
  pfail: 4,
  fail: 8,
  myself: 16,
  handshake: 32,
  noaddr: 64,
  meet: 128,
  migrateTo: 256,
  nofailover: 512,
} as const;

/** mflags[0]: the master paused for a manual failover; ack a vote even if the master is up. */
export const MessageFlag = { paused: 1, forceAck: 2 } as const;
/** mflags[0]'s third bit: ping extensions follow the gossip (set by the encoder). */
const EXTENSION_DATA = 4;

/** What every message says about its sender. */
export interface MessageHeader {
  readonly type: MessageType;
  /** The sender's client port (its TLS port when it serves TLS). */
  readonly port: number;
  readonly currentEpoch: number;
  /** The sender's config epoch, or its master's when the sender is a replica. */
  readonly configEpoch: number;
  /** Replication offset: the master's, or what a replica has processed. */
  readonly offset: number;
  readonly sender: string;
  /** The slots the sender (or its master) serves. */
  readonly slots: Uint8Array;
  /** The sender's master, or null when it is a master. */
  readonly replicaOf: string | null;
  /** The address the sender announces; '' lets the receiver use the socket's peer address. */
  readonly ip: string;
  /** The plaintext client port when `port` is the TLS one, else 0. */
  readonly plaintextPort: number;
  readonly busPort: number;
  readonly flags: number;
  /** The cluster's state as the sender sees it: 0 ok, 1 fail. */
  readonly state: number;
  /** `MessageFlag` bits. */
  readonly messageFlags: number;
}

/** A node the sender knows about, in PING, PONG and MEET. */
export interface GossipEntry {
  readonly name: string;
  /** Seconds (Unix time) when the sender last pinged it, 0 if no ping is pending. */
  readonly pingSent: number;
  readonly pongReceived: number;
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  readonly flags: number;
  readonly plaintextPort: number;
}

export type BusMessage =
  | {
      readonly header: MessageHeader & { readonly type: 'ping' | 'pong' | 'meet' };
      readonly gossip: readonly GossipEntry[];
      /** The hostname extension: the announced hostname, '' when none was sent. */
      readonly hostname: string;
    }
  | { readonly header: MessageHeader & { readonly type: 'fail' }; readonly failing: string }
  | {
      readonly header: MessageHeader & { readonly type: 'publish' | 'publishshard' };
      readonly channel: Buffer;
      readonly message: Buffer;
    }
  | {
      readonly header: MessageHeader & {
        readonly type: 'failover-auth-request' | 'failover-auth-ack' | 'mfstart';
      };
    }
  | {
      readonly header: MessageHeader & { readonly type: 'update' };
      readonly node: string;
      readonly nodeConfigEpoch: number;
      readonly nodeSlots: Uint8Array;
    }
  | {
      readonly header: MessageHeader & { readonly type: 'module' };
      readonly moduleId: bigint;
      readonly moduleType: number;
      readonly payload: Buffer;
    };

const HOSTNAME_EXTENSION = 0;

/** Rounds up to a multiple of 8, the alignment of ping extensions. */
function align8(size: number): number {
  return Math.ceil(size / 8) * 8;
}

function bodyLength(message: BusMessage): number {
  switch (message.header.type) {
    case 'ping':
    case 'pong':
    case 'meet': {
      const { gossip, hostname } = message as Extract<BusMessage, { gossip: unknown }>;
      const extension = hostname === '' ? 0 : 8 + align8(hostname.length + 1);
      return gossip.length * GOSSIP_ENTRY_LENGTH + extension;
    }
    case 'fail':
      return NODE_NAME_LENGTH;
    case 'publish':
    case 'publishshard': {
      const { channel, message: payload } = message as Extract<BusMessage, { channel: unknown }>;
      return 8 + channel.length + payload.length;
    }
    case 'update':
      return UPDATE_BODY_LENGTH;
    case 'module':
      return 13 + (message as Extract<BusMessage, { moduleId: unknown }>).payload.length;
    default:
      return 0;
  }
}

/** Writes `text` as latin1 into a zero-filled field of `size` bytes. */
function writeField(buffer: Buffer, offset: number, size: number, text: string): void {
  buffer.write(text.slice(0, size), offset, 'latin1');
}

/** A NUL-terminated (or field-long) latin1 string. */
function readField(buffer: Buffer, offset: number, size: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('latin1', offset, end === -1 || end > offset + size ? offset + size : end);
}

/** Encodes a message as the bus sends it. */
export function encodeBusMessage(message: BusMessage): Buffer {
  const { header } = message;
  const length = HEADER_LENGTH + bodyLength(message);
  const buffer = Buffer.alloc(length);
  buffer.write(SIGNATURE, 0, 'latin1');
  buffer.writeUInt32BE(length, 4);
  buffer.writeUInt16BE(PROTOCOL_VERSION, 8);
  buffer.writeUInt16BE(header.port, 10);
  buffer.writeUInt16BE(MESSAGE_TYPES.indexOf(header.type), 12);
  buffer.writeBigUInt64BE(BigInt(header.currentEpoch), 16);
  buffer.writeBigUInt64BE(BigInt(header.configEpoch), 24);
  buffer.writeBigUInt64BE(BigInt(header.offset), 32);
  writeField(buffer, 40, NODE_NAME_LENGTH, header.sender);
  buffer.set(header.slots, 80);
  if (header.replicaOf !== null) writeField(buffer, 2128, NODE_NAME_LENGTH, header.replicaOf);
  writeField(buffer, 2168, IP_LENGTH - 1, header.ip);
  buffer.writeUInt16BE(header.plaintextPort, 2246);
  buffer.writeUInt16BE(header.busPort, 2248);
  buffer.writeUInt16BE(header.flags, 2250);
  buffer.writeUInt8(header.state, 2252);
  let messageFlags = header.messageFlags & ~EXTENSION_DATA;
  const body = HEADER_LENGTH;
  if ('gossip' in message) {
    buffer.writeUInt16BE(message.gossip.length, 14);
    message.gossip.forEach((entry, index) =>
      writeGossipEntry(buffer, body + index * GOSSIP_ENTRY_LENGTH, entry),
    );
    if (message.hostname !== '') {
      messageFlags |= EXTENSION_DATA;
      const at = body + message.gossip.length * GOSSIP_ENTRY_LENGTH;
      buffer.writeUInt32BE(8 + align8(message.hostname.length + 1), at);
      buffer.writeUInt16BE(HOSTNAME_EXTENSION, at + 4);
      buffer.write(message.hostname, at + 8, 'latin1');
      buffer.writeUInt16BE(1, 2214);
    }
  } else if ('failing' in message) {
    writeField(buffer, body, NODE_NAME_LENGTH, message.failing);
  } else if ('channel' in message) {
    buffer.writeUInt32BE(message.channel.length, body);
    buffer.writeUInt32BE(message.message.length, body + 4);
    message.channel.copy(buffer, body + 8);
    message.message.copy(buffer, body + 8 + message.channel.length);
  } else if ('nodeSlots' in message) {
    buffer.writeBigUInt64BE(BigInt(message.nodeConfigEpoch), body);
    writeField(buffer, body + 8, NODE_NAME_LENGTH, message.node);
    buffer.set(message.nodeSlots, body + 8 + NODE_NAME_LENGTH);
  } else if ('moduleId' in message) {
    buffer.writeBigUInt64LE(message.moduleId, body);
    buffer.writeUInt32BE(message.payload.length, body + 8);
    buffer.writeUInt8(message.moduleType, body + 12);
    message.payload.copy(buffer, body + 13);
  }
  buffer.writeUInt8(messageFlags, 2253);
  return buffer;
}

function writeGossipEntry(buffer: Buffer, at: number, entry: GossipEntry): void {
  writeField(buffer, at, NODE_NAME_LENGTH, entry.name);
  buffer.writeUInt32BE(entry.pingSent, at + 40);
  buffer.writeUInt32BE(entry.pongReceived, at + 44);
  writeField(buffer, at + 48, IP_LENGTH - 1, entry.ip);
  buffer.writeUInt16BE(entry.port, at + 94);
  buffer.writeUInt16BE(entry.busPort, at + 96);
  buffer.writeUInt16BE(entry.flags, at + 98);
  buffer.writeUInt16BE(entry.plaintextPort, at + 100);
}

function readGossipEntry(buffer: Buffer, at: number): GossipEntry {
  return {
    name: readField(buffer, at, NODE_NAME_LENGTH),
    pingSent: buffer.readUInt32BE(at + 40),
    pongReceived: buffer.readUInt32BE(at + 44),
    ip: readField(buffer, at + 48, IP_LENGTH),
    port: buffer.readUInt16BE(at + 94),
    busPort: buffer.readUInt16BE(at + 96),
    flags: buffer.readUInt16BE(at + 98),
    plaintextPort: buffer.readUInt16BE(at + 100),
  };
}

/** Why a whole frame was dropped, in the words of Redis's log line. */
export type DecodeResult =
  | { readonly ok: true; readonly message: BusMessage }
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: 'ignored' };

/**
 * Decodes one whole frame (as `BusFrameReader` cuts them). Frames of another protocol version
 * or of an unknown type are ignored, as Redis ignores them; frames whose length does not match
 * their contents are refused with Redis's warning.
 */
export function decodeBusMessage(frame: Buffer): DecodeResult {
  const totalLength = frame.readUInt32BE(4);
  if (frame.readUInt16BE(8) !== PROTOCOL_VERSION) return { ok: 'ignored' };
  const type = MESSAGE_TYPES[frame.readUInt16BE(12)];
  if (type === undefined) return { ok: 'ignored' };
  const count = frame.readUInt16BE(14);
  const messageFlags = frame.readUInt8(2253);
  const replicaOf = readField(frame, 2128, NODE_NAME_LENGTH);
  const header: MessageHeader = {
    type,
    port: frame.readUInt16BE(10),
    currentEpoch: Number(frame.readBigUInt64BE(16)),
    configEpoch: Number(frame.readBigUInt64BE(24)),
    offset: Number(frame.readBigUInt64BE(32)),
    sender: readField(frame, 40, NODE_NAME_LENGTH),
    slots: new Uint8Array(frame.subarray(80, 80 + SLOT_BITMAP_BYTES)),
    replicaOf: replicaOf === '' ? null : replicaOf,
    ip: readField(frame, 2168, IP_LENGTH),
    plaintextPort: frame.readUInt16BE(2246),
    busPort: frame.readUInt16BE(2248),
    flags: frame.readUInt16BE(2250),
    state: frame.readUInt8(2252),
    messageFlags: messageFlags & ~EXTENSION_DATA,
  };
  const body = HEADER_LENGTH;
  const mismatch = (expected: number): DecodeResult => ({
    ok: false,
    reason: `Received invalid ${messageTypeName(type)} packet of length ${totalLength} but expected length ${expected}`,
  });
  switch (type) {
    case 'ping':
    case 'pong':
    case 'meet': {
      let expected = body + count * GOSSIP_ENTRY_LENGTH;
      let hostname = '';
      if (messageFlags & EXTENSION_DATA) {
        for (let remaining = frame.readUInt16BE(2214); remaining > 0; remaining--) {
          if (expected + 8 > frame.length) return mismatch(expected + 8);
          const extensionLength = frame.readUInt32BE(expected);
          if (extensionLength % 8 !== 0) {
            return {
              ok: false,
              reason: `Received a ${messageTypeName(type)} packet without proper padding (${extensionLength} bytes)`,
            };
          }
          if (totalLength - expected < extensionLength || extensionLength < 8) {
            return {
              ok: false,
              reason: `Received invalid ${messageTypeName(type)} packet with extension data that exceeds total packet length (${totalLength})`,
            };
          }
          if (frame.readUInt16BE(expected + 4) === HOSTNAME_EXTENSION) {
            hostname = readField(frame, expected + 8, extensionLength - 8);
          }
          expected += extensionLength;
        }
      }
      if (expected !== totalLength) return mismatch(expected);
      const gossip: GossipEntry[] = [];
      for (let index = 0; index < count; index++) {
        gossip.push(readGossipEntry(frame, body + index * GOSSIP_ENTRY_LENGTH));
      }
      return { ok: true, message: { header: header as never, gossip, hostname } };
    }
    case 'fail':
      if (totalLength !== body + NODE_NAME_LENGTH) return mismatch(body + NODE_NAME_LENGTH);
      return {
        ok: true,
        message: { header: header as never, failing: readField(frame, body, NODE_NAME_LENGTH) },
      };
    case 'publish':
    case 'publishshard': {
      if (totalLength < body + 8) return mismatch(body + 8);
      const channelLength = frame.readUInt32BE(body);
      const messageLength = frame.readUInt32BE(body + 4);
      const expected = body + 8 + channelLength + messageLength;
      if (expected !== totalLength) return mismatch(expected);
      const channelStart = body + 8;
      return {
        ok: true,
        message: {
          header: header as never,
          channel: Buffer.from(frame.subarray(channelStart, channelStart + channelLength)),
          message: Buffer.from(frame.subarray(channelStart + channelLength, expected)),
        },
      };
    }
    case 'update':
      if (totalLength !== body + UPDATE_BODY_LENGTH) return mismatch(body + UPDATE_BODY_LENGTH);
      return {
        ok: true,
        message: {
          header: header as never,
          nodeConfigEpoch: Number(frame.readBigUInt64BE(body)),
          node: readField(frame, body + 8, NODE_NAME_LENGTH),
          nodeSlots: new Uint8Array(
            frame.subarray(body + 8 + NODE_NAME_LENGTH, body + UPDATE_BODY_LENGTH),
          ),
        },
      };
    case 'module': {
      if (totalLength < body + 13) return mismatch(body + 13);
      const expected = body + 13 + frame.readUInt32BE(body + 8);
      if (expected !== totalLength) return mismatch(expected);
      return {
        ok: true,
        message: {
          header: header as never,
          moduleId: frame.readBigUInt64LE(body),
          moduleType: frame.readUInt8(body + 12),
          payload: Buffer.from(frame.subarray(body + 13, expected)),
        },
      };
    }
    default:
      if (totalLength !== body) return mismatch(body);
      return { ok: true, message: { header: header as never } };
  }
}

/** The names Redis's log lines give message types (clusterGetMessageTypeString). */
export function messageTypeName(type: MessageType): string {
  return type === 'failover-auth-request'
    ? 'auth-req'
    : type === 'failover-auth-ack'
      ? 'auth-ack'
      : type;
}

/**
 * Cuts a bus connection's byte stream into whole frames. A frame must start with the
 * signature and announce at least a header's length; anything else means the peer does not
 * speak the bus and the link is dropped (`error`).
 */
export class BusFrameReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  /** Adds bytes; returns the frames now complete, or an error for a link to drop. */
  push(chunk: Buffer): { frames: Buffer[]; error?: string } {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const frames: Buffer[] = [];
    while (this.pendingLength >= 8) {
      const head = this.pending.length === 1 ? this.pending[0]! : this.flatten();
      if (head.toString('latin1', 0, 4) !== SIGNATURE || head.readUInt32BE(4) < HEADER_LENGTH) {
        return { frames, error: 'Bad message length or signature received from Cluster bus.' };
      }
      const length = head.readUInt32BE(4);
      if (this.pendingLength < length) break;
      const whole = this.flatten();
      frames.push(whole.subarray(0, length));
      this.pending = whole.length > length ? [whole.subarray(length)] : [];
      this.pendingLength -= length;
    }
    return { frames };
  }

  private flatten(): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingLength)];
    return this.pending[0]!;
  }
}
