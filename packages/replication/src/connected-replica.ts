import { randomBytes } from 'node:crypto';
import type { Client, RawOutput } from '@rc/engine';

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
 * how far it acknowledged, and the stream bytes it cannot take yet because its snapshot is
 * still being sent.
 */
export class ConnectedReplica {
  state: ReplicaState;
  /** Offset up to which it acknowledged (REPLCONF ACK), for WAIT and INFO. */
  ackOffset = 0;
  /** When it last acknowledged, ms. */
  ackTime = Date.now();
  /** Stream bytes held back until the snapshot is through (or its first ACK, after EOF framing). */
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  /** After an EOF-framed transfer the replica finds the end mark only if nothing follows it. */
  startStreamOnAck = false;
  closed = false;
  /** Since when a transfer write waits for the socket to drain, ms; 0 when it does not. */
  writeBlockedSince = 0;
  /** When the output first went over the soft limit, or 0. */
  private softLimitSince = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly client: Client,
    readonly output: RawOutput,
    readonly announced: ReplicaAnnouncement,
    online: boolean,
    private readonly limit: OutputLimit,
  ) {
    this.state = online ? 'online' : 'wait_bgsave';
    if (!online) this.held = [];
    output.onDrain(() => {
      this.writeBlockedSince = 0;
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
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

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** The connection went away (or we dropped it): stop everything for this replica. */
  closedByPeer(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
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

  /** Bytes of the replication stream: sent now, or held while the snapshot is under way. */
  feed(bytes: Buffer): void {
    if (this.closed) return;
    if (this.held !== null) {
      this.held.push(bytes);
      this.heldBytes += bytes.length;
      this.checkLimit(this.heldBytes);
      return;
    }
    this.output.write(bytes);
    this.checkLimit(this.output.pendingOutputBytes);
  }

  /** Its snapshot is taken now: the stream it held until this point is in the snapshot. */
  snapshotTaken(): void {
    if (this.held === null) return;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Sends what was held back and streams from now on. */
  startStream(): void {
    this.state = 'online';
    this.startStreamOnAck = false;
    this.ackTime = Date.now();
    const held = this.held;
    this.held = null;
    this.heldBytes = 0;
    if (held === null || this.closed) return;
    for (const bytes of held) this.output.write(bytes);
  }

  /** Writes raw bytes of the transfer; resolves once the socket can take more. */
  async write(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.output.write(bytes)) return;
    if (this.writeBlockedSince === 0) this.writeBlockedSince = Date.now();
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * As Redis's client-output-buffer-limit for replicas: over the hard limit, or over the soft
   * limit for longer than its seconds, the replica is dropped (it will resynchronize).
   */
  private checkLimit(pending: number): void {
    const { hard, soft, softSeconds } = this.limit;
    if (hard > 0 && pending > hard) {
      this.close();
      return;
    }
    if (soft > 0 && pending > soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince > softSeconds * 1000) this.close();
    } else this.softLimitSince = 0;
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
