import { randomBytes } from 'node:crypto';
import { NODE_NAME_LENGTH, NodeFlag, SLOT_BITMAP_BYTES } from './bus-message.js';
import { SLOT_COUNT } from './key-slot.js';

/** One end of a cluster bus connection, as the transport gives it to the cluster state. */
export interface BusLink {
  /** The node this link talks to; null for an accepted link until the peer's name is known. */
  node: ClusterNode | null;
  /** Accepted from the peer (true) or opened by us to reach `node` (false). */
  readonly inbound: boolean;
  /** When the link was made (ms). */
  readonly createdAt: number;
  send(frame: Buffer): void;
  close(): void;
  /** The peer's address as seen on the socket ('' when unknown). */
  peerAddress(): string;
  /** This end's address as seen on the socket ('' when unknown). */
  localAddress(): string;
  /** For CLUSTER LINKS: whether the link reads and writes, and its send buffer. */
  readonly events: string;
  readonly sendBufferAllocated: number;
  readonly sendBufferUsed: number;
}

/** A random node name: 40 lowercase hex characters, as Redis makes them. */
export function randomNodeName(): string {
  return randomBytes(NODE_NAME_LENGTH / 2).toString('hex');
}

/** Whether `name` can be a node name (Redis's verifyClusterNodeId: 40 of [a-z0-9]). */
export function isNodeName(name: string): boolean {
  return name.length === NODE_NAME_LENGTH && /^[a-z0-9]+$/.test(name);
}

/** A node of the cluster as this node sees it (Redis's clusterNode). */
export class ClusterNode {
  name: string;
  flags: number;
  configEpoch = 0;
  /** The slots it serves, one bit each (the bus's bitmap layout). */
  readonly slots = new Uint8Array(SLOT_BITMAP_BYTES);
  slotCount = 0;
  readonly replicas: ClusterNode[] = [];
  replicaOf: ClusterNode | null = null;
  /** When our pending PING was sent (ms), 0 when none is pending. */
  pingSent = 0;
  pongReceived = 0;
  dataReceived = 0;
  failTime = 0;
  /** When we last voted for one of its replicas (ms). */
  votedTime = 0;
  /** Since when it has had no working replica (ms), 0 when it has some. */
  orphanedSince = 0;
  replicationOffset = 0;
  replicationOffsetTime = 0;
  ip = '';
  hostname = '';
  port = 0;
  plaintextPort = 0;
  busPort = 0;
  /** The link we opened to it, and the one it opened to us. */
  link: BusLink | null = null;
  inboundLink: BusLink | null = null;
  /** Masters that reported it as failing, with when they last did (ms). */
  readonly failureReports = new Map<ClusterNode, number>();
  /** The PING round it was last gossiped about in (no node twice in one message). */
  lastGossipRound = 0;

  constructor(
    name: string | null,
    flags: number,
    readonly createdAt: number,
  ) {
    this.name = name ?? randomNodeName();
    this.flags = flags;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  get isMaster(): boolean {
    return this.has(NodeFlag.master);
  }

  get isReplica(): boolean {
    return this.has(NodeFlag.replica);
  }

  get inHandshake(): boolean {
    return this.has(NodeFlag.handshake);
  }

  get failed(): boolean {
    return this.has(NodeFlag.fail);
  }

  get timedOut(): boolean {
    return this.has(NodeFlag.pfail);
  }

  ownsSlot(slot: number): boolean {
    return (this.slots[slot >> 3]! & (1 << (slot & 7))) !== 0;
  }

  /** Sets a slot's bit; returns whether it was clear. */
  setSlot(slot: number): boolean {
    if (this.ownsSlot(slot)) return false;
    this.slots[slot >> 3]! |= 1 << (slot & 7);
    this.slotCount++;
    return true;
  }

  clearSlot(slot: number): boolean {
    if (!this.ownsSlot(slot)) return false;
    this.slots[slot >> 3]! &= ~(1 << (slot & 7));
    this.slotCount--;
    return true;
  }

  addReplica(replica: ClusterNode): void {
    if (this.replicas.includes(replica)) return;
    this.replicas.push(replica);
    this.flags |= NodeFlag.migrateTo;
  }

  removeReplica(replica: ClusterNode): void {
    const index = this.replicas.indexOf(replica);
    if (index === -1) return;
    this.replicas.splice(index, 1);
    if (this.replicas.length === 0) this.flags &= ~NodeFlag.migrateTo;
  }

  /** Replicas not flagged as failing. */
  get workingReplicaCount(): number {
    return this.replicas.filter((replica) => !replica.failed).length;
  }

  /** Failure reports still valid (younger than twice the node timeout), dropping the rest. */
  failureReportCount(now: number, nodeTimeout: number): number {
    for (const [reporter, time] of this.failureReports) {
      if (now - time > nodeTimeout * 2) this.failureReports.delete(reporter);
    }
    return this.failureReports.size;
  }
}

/** Slot ranges a bitmap holds, as [start, end] pairs in order. */
export function slotRanges(owns: (slot: number) => boolean): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = -1;
  for (let slot = 0; slot <= SLOT_COUNT; slot++) {
    const owned = slot < SLOT_COUNT && owns(slot);
    if (owned && start === -1) start = slot;
    if (!owned && start !== -1) {
      ranges.push([start, slot - 1]);
      start = -1;
    }
  }
  return ranges;
}

const FLAG_NAMES: Array<[number, string]> = [
  [NodeFlag.myself, 'myself'],
  [NodeFlag.master, 'master'],
  [NodeFlag.replica, 'slave'],
  [NodeFlag.pfail, 'fail?'],
  [NodeFlag.fail, 'fail'],
  [NodeFlag.handshake, 'handshake'],
  [NodeFlag.noaddr, 'noaddr'],
  [NodeFlag.nofailover, 'nofailover'],
];

/** Flags as CLUSTER NODES writes them ("myself,master"; "noflags" for none). */
export function formatNodeFlags(flags: number): string {
  const names = FLAG_NAMES.filter(([flag]) => (flags & flag) !== 0).map(([, name]) => name);
  return names.length === 0 ? 'noflags' : names.join(',');
}

/** The flags a CLUSTER NODES / nodes.conf flag list names. */
export function parseNodeFlags(text: string): number {
  let flags = 0;
  for (const name of text.split(',')) {
    const entry = FLAG_NAMES.find(([, known]) => known === name);
    if (entry !== undefined) flags |= entry[0];
  }
  return flags;
}
