import { randomBytes } from 'node:crypto';
import type { Client, RawOutput } from '@rc/engine';
import type { ReplicaCursor } from './replication-buffer.js';

/** What a client announced with REPLCONF before it sent PSYNC or SYNC. */
export interface ReplicaAnnouncement {
  listeningPort: number;
  address: string | null;
  /** `capa eof`: it accepts an RDB streamed with an end mark instead of a length. */
  capaEof: boolean;
  /** `capa psync2`: it understands `+CONTINUE <replid>`. */
  capaPsync2: boolean;
  /** `rdb-filter-only`: what its snapshot holds, or null for everything (a real replica). */
  rdbFilter: { data: boolean; functions: boolean } | null;
}

/**
 * Redis's replica states as INFO shows them: `wait_bgsave` while the snapshot is produced and
 * sent, `online` once it gets the command stream.
 */
export type ReplicaState = 'wait_bgsave' | 'online';

/** The client-output-buffer-limit for the replica class: bytes, and seconds for the soft one. */
export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/**
 * A replica as its master sees it: its connection (now a raw byte stream), what it announced,
 * how far it acknowledged, and its place in the shared replication buffer: the stream is sent
 * from there as fast as the socket takes it, and waits there while its snapshot is sent.
 */
export class ConnectedReplica {
  state: ReplicaState;
  /** Offset up to which it acknowledged (REPLCONF ACK), for WAIT and INFO. */
  ackOffset = 0;
  /** When it last acknowledged, ms. */
  ackTime = Date.now();
  /**
   * The next stream byte it is to be sent; null until its snapshot is taken (Redis's
   * WAIT_BGSAVE_START, when a replica holds nothing).
   */
  private cursor: ReplicaCursor | null = null;
  /** The stream goes to the socket; false while the snapshot is sent (or its first ACK awaited). */
  private streaming: boolean;
  /** After an EOF-framed transfer the replica finds the end mark only if nothing follows it. */
  startStreamOnAck = false;
  closed = false;
  /** Since when a transfer write waits for the socket to drain, ms; 0 when it does not. */
  writeBlockedSince = 0;
  /**
   * The socket took more than it sends right away: the stream waits in the replication buffer
   * (counted as this replica's) until it drains, as Redis stops writing at EAGAIN.
   */
  private socketFull = false;
  /** When the output first went over the soft limit, or 0. */
  private softLimitSince = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly client: Client,
    readonly output: RawOutput,
    readonly announced: ReplicaAnnouncement,
    online: boolean,
  ) {
    this.state = online ? 'online' : 'wait_bgsave';
    this.streaming = online;
    output.onDrain(() => {
      this.writeBlockedSince = 0;
      this.socketFull = false;
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
      this.send();
    });
  }

  /** The replica's address for INFO and ROLE: what it announced, or its peer address. */
  get address(): string {
    return replicaAddress(this.client, this.announced);
  }

  /** Redis's replicationGetSlaveName, as log lines name it: address and listening port. */
  get name(): string {
    return replicaName(this.client, this.announced);
  }

  /** Its output buffer: its share of the replication buffer (Redis's getClientOutputBufferMemoryUsage). */
  get outputBytes(): number {
    return this.cursor?.outputBytes ?? 0;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** The connection went away (or we dropped it): stop everything for this replica. */
  closedByPeer(): void {
    if (this.closed) return;
    this.closed = true;
    this.cursor?.release();
    this.cursor = null;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
    for (const listener of this.closeListeners) listener();
  }

  close(): void {
    if (this.closed) return;
    this.client.connection.close();
    this.closedByPeer();
  }

  /**
   * Its place in the stream from now on: where its partial resynchronization continues, or
   * (its snapshot taken now) the next byte appended.
   */
  follow(cursor: ReplicaCursor): void {
    this.cursor?.release();
    this.cursor = cursor;
    if (this.closed) cursor.release();
    else this.send();
  }

  /** Sends stream bytes from its place while the socket takes them (Redis's writeToClient). */
  send(): void {
    const cursor = this.cursor;
    if (!this.streaming || cursor === null || this.closed || this.socketFull) return;
    for (let chunk = cursor.take(); chunk !== null; chunk = cursor.take()) {
      if (!this.output.write(chunk)) {
        this.socketFull = true;
        return;
      }
    }
  }

  /** Streams from now on, starting with what waited during the snapshot. */
  startStream(): void {
    this.state = 'online';
    this.startStreamOnAck = false;
    this.ackTime = Date.now();
    this.streaming = true;
    this.send();
  }

  /** Writes raw bytes of the transfer; resolves once the socket can take more. */
  async write(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.output.write(bytes)) return;
    if (this.writeBlockedSince === 0) this.writeBlockedSince = Date.now();
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Redis's checkClientOutputBufferLimits for a replica: over the hard limit (never below the
   * backlog's size, which the replica shares anyway), or over the soft limit for longer than its
   * seconds. True when the replica must be dropped (it will resynchronize).
   */
  overLimit(limit: OutputLimit, backlogSize: number): boolean {
    if (this.cursor === null) return false;
    const used = this.cursor.outputBytes;
    const { soft, softSeconds } = limit;
    const hard = limit.hard > 0 && limit.hard < backlogSize ? backlogSize : limit.hard;
    if (hard > 0 && used >= hard) return true;
    if (soft > 0 && used >= soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince > softSeconds * 1000) return true;
    } else this.softLimitSince = 0;
    return false;
  }
}

/** A replica's address: what it announced (REPLCONF ip-address), or its peer address. */
export function replicaAddress(client: Client, announced: ReplicaAnnouncement): string {
  if (announced.address !== null) return announced.address;
  const remote = client.connection.remoteAddress;
  const colon = remote.lastIndexOf(':');
  const ip = colon === -1 ? remote : remote.slice(0, colon);
  // An IPv6 peer's address is bracketed ([::1]:port); INFO shows the bare address.
  return ip.startsWith('[') ? ip.slice(1, -1) : ip;
}

/** A (would-be) replica as Redis's log lines name it: its address and listening port. */
export function replicaName(client: Client, announced: ReplicaAnnouncement): string {
  return `${replicaAddress(client, announced)}:${announced.listeningPort}`;
}

/** A random 40-character id, as Redis's replication ids and EOF marks. */
export function randomHexId(): string {
  return randomBytes(20).toString('hex');
}

/** The replica class of `client-output-buffer-limit` ("normal 0 0 0 slave 256mb 64mb 60 ..."). */
export function replicaOutputLimit(config: string): OutputLimit {
  const words = config.trim().split(/\s+/);
  for (let i = 0; i + 3 < words.length; i += 4) {
    const kind = words[i].toLowerCase();
    if (kind === 'slave' || kind === 'replica') {
      return {
        hard: Number(words[i + 1]) || 0,
        soft: Number(words[i + 2]) || 0,
        softSeconds: Number(words[i + 3]) || 0,
      };
    }
  }
  return { hard: 268435456, soft: 67108864, softSeconds: 60 };
}
