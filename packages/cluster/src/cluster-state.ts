import { isIPv4, isIPv6 } from 'node:net';
import {
  decodeBusMessage,
  encodeBusMessage,
  MESSAGE_TYPES,
  MessageFlag,
  messageTypeName,
  NodeFlag,
  SLOT_BITMAP_BYTES,
  type BusMessage,
  type GossipEntry,
  type MessageHeader,
  type MessageType,
} from './bus-message.js';
import { ClusterNode, formatNodeFlags, type BusLink } from './cluster-node.js';
import {
  Failover,
  type FailoverHost,
  type FailoverSettings,
  type FailoverView,
} from './failover.js';
import { SLOT_COUNT } from './key-slot.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

/** What the cluster state needs from the server it runs in. */
export interface ClusterHost extends FailoverHost {
  now(): number;
  log(level: LogLevel, message: string): void;
  /** Opens a bus link to the node's ip and bus port; `linkConnected` follows once it is up. */
  connect(node: ClusterNode): BusLink | null;
  keysInSlot(slot: number): number;
  deleteKeysInSlot(slot: number): void;
  /** Replicate from this address (myself became a replica of it). */
  replicate(ip: string, port: number): void;
  /** Stop replicating: myself became a master. */
  stopReplicating(): void;
  /** Work was scheduled: call `beforeSleep` before this event-loop turn ends. */
  wake(): void;
  /** A message published on another node. */
  publish(channel: Buffer, message: Buffer, shard: boolean): void;
  /** A slot our shard served was taken from it: its shard channels' subscribers go. */
  shardSlotDropped(slot: number): void;
  readonly settings: ClusterSettings;
}

/** The configs the protocol reads, read live (CONFIG SET applies at once). */
export interface ClusterSettings extends FailoverSettings {
  readonly requireFullCoverage: boolean;
  /** cluster-link-sendbuf-limit in bytes: a link whose send buffer outgrows it is dropped; 0 for none. */
  readonly linkSendBufferLimit: number;
  /** cluster-announce-ip, '' to let peers see our address. */
  readonly announceIp: string;
  readonly announceHostname: string;
  /** The client port, plaintext port (TLS clusters) and bus port we announce. */
  readonly port: number;
  readonly plaintextPort: number;
  readonly busPort: number;
}

/** How long a forgotten node may not come back through gossip (CLUSTER_BLACKLIST_TTL). */
const BLACKLIST_TTL = 60_000;
/** A master waits this long after start before it declares the cluster ok. */
const WRITABLE_DELAY = 2000;
const MIN_REJOIN_DELAY = 500;
const MAX_REJOIN_DELAY = 5000;

/** Work done once per event-loop turn, as Redis's clusterBeforeSleep flags. */
interface Pending {
  saveConfig: boolean;
  fsyncConfig: boolean;
  updateState: boolean;
}

/**
 * One node's view of the cluster and the bus protocol of Redis 7.0 (cluster.c): the node table,
 * slot ownership, epochs, the MEET/PING/PONG handshake and gossip, failure detection (PFAIL by
 * timeout, FAIL by a majority of masters' reports), UPDATE messages and the cluster state. It
 * does no I/O: the transport hands it links and frames, and a cron tick every 100 ms.
 */
export class ClusterState implements FailoverView {
  readonly nodes = new Map<string, ClusterNode>();
  myself: ClusterNode;
  currentEpoch = 0;
  lastVoteEpoch = 0;
  state: 'ok' | 'fail' = 'fail';
  /** Masters serving at least one slot. */
  size = 1;
  readonly slotOwners: Array<ClusterNode | null> = new Array<ClusterNode | null>(SLOT_COUNT).fill(
    null,
  );
  readonly migratingTo: Array<ClusterNode | null> = new Array<ClusterNode | null>(SLOT_COUNT).fill(
    null,
  );
  readonly importingFrom: Array<ClusterNode | null> = new Array<ClusterNode | null>(
    SLOT_COUNT,
  ).fill(null);
  /** Slots whose owner stopped claiming them (Redis keeps the owner, but won't spread it). */
  private readonly ownerNotClaiming = new Uint8Array(SLOT_BITMAP_BYTES);
  readonly messagesSent: number[] = new Array<number>(MESSAGE_TYPES.length).fill(0);
  readonly messagesReceived: number[] = new Array<number>(MESSAGE_TYPES.length).fill(0);
  /** DEBUG DROP-CLUSTER-PACKET-FILTER: received messages of this type are dropped; -1 for none. */
  dropPacketFilter = -1;
  /** Links dropped for a send buffer over cluster-link-sendbuf-limit. */
  linksBufferLimitExceeded = 0;
  private readonly pending: Pending = { saveConfig: false, fsyncConfig: false, updateState: false };
  private readonly blacklist = new Map<string, number>();
  private cronIterations = 0;
  private gossipRounds = 0;
  private pfailNodes = 0;
  private firstStateUpdate = 0;
  private amongMinoritySince = 0;
  readonly failover: Failover;

  constructor(
    private readonly host: ClusterHost,
    myself?: ClusterNode,
  ) {
    this.failover = new Failover(this, host);
    this.myself = myself ?? new ClusterNode(null, NodeFlag.myself | NodeFlag.master, host.now());
    this.nodes.set(this.myself.name, this.myself);
    this.refreshMyself();
  }

  /**
   * Our ports and hostname are what we announce now (the IP is learnt from MEETs), and our
   * flags say whether we may fail over (cluster-replica-no-failover).
   */
  refreshMyself(): void {
    const { port, plaintextPort, busPort, announceHostname, replicaNoFailover } =
      this.host.settings;
    const myself = this.myself;
    myself.port = port;
    myself.plaintextPort = plaintextPort;
    myself.busPort = busPort;
    if (myself.hostname !== announceHostname) {
      myself.hostname = announceHostname;
      this.schedule({ saveConfig: true });
    }
    const flags = replicaNoFailover
      ? myself.flags | NodeFlag.nofailover
      : myself.flags & ~NodeFlag.nofailover;
    if (flags !== myself.flags) {
      myself.flags = flags;
      this.schedule({ saveConfig: true, updateState: true });
    }
  }

  // ---- nodes ----

  lookup(name: string): ClusterNode | undefined {
    return this.nodes.get(name);
  }

  addNode(node: ClusterNode): void {
    this.nodes.set(node.name, node);
  }

  /** Redis's clusterDelNode: the node's slots and reports go, then the node and its links. */
  deleteNode(node: ClusterNode): void {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (this.importingFrom[slot] === node) this.importingFrom[slot] = null;
      if (this.migratingTo[slot] === node) this.migratingTo[slot] = null;
      if (this.slotOwners[slot] === node) this.deleteSlot(slot);
    }
    for (const other of this.nodes.values()) {
      if (other !== node) this.deleteFailureReport(other, node);
    }
    for (const replica of node.replicas) replica.replicaOf = null;
    if (node.isReplica && node.replicaOf !== null) node.replicaOf.removeReplica(node);
    this.nodes.delete(node.name);
    if (node.link !== null) this.freeLink(node.link);
    if (node.inboundLink !== null) this.freeLink(node.inboundLink);
  }

  private renameNode(node: ClusterNode, name: string): void {
    this.host.log('debug', `Renaming node ${node.name} into ${name}`);
    this.nodes.delete(node.name);
    node.name = name;
    this.nodes.set(name, node);
  }

  /** CLUSTER FORGET keeps a node out of gossip for a minute. */
  forget(node: ClusterNode): void {
    this.blacklist.set(node.name, this.host.now() + BLACKLIST_TTL);
    this.deleteNode(node);
    this.schedule({ updateState: true, saveConfig: true });
  }

  private blacklisted(name: string): boolean {
    const until = this.blacklist.get(name);
    if (until === undefined) return false;
    if (until > this.host.now()) return true;
    this.blacklist.delete(name);
    return false;
  }

  setNodeAsMaster(node: ClusterNode): void {
    if (node.isMaster) return;
    if (node.replicaOf !== null) {
      node.replicaOf.removeReplica(node);
      if (node !== this.myself) node.flags |= NodeFlag.migrateTo;
    }
    node.flags = (node.flags & ~NodeFlag.replica) | NodeFlag.master;
    node.replicaOf = null;
    this.schedule({ saveConfig: true, updateState: true });
  }

  /** Myself becomes a replica of `master` (Redis's clusterSetMaster). */
  setMyMaster(master: ClusterNode): void {
    const myself = this.myself;
    if (myself.isMaster) {
      myself.flags = (myself.flags & ~(NodeFlag.master | NodeFlag.migrateTo)) | NodeFlag.replica;
      this.closeAllSlots();
    } else if (myself.replicaOf !== null) {
      myself.replicaOf.removeReplica(myself);
    }
    myself.replicaOf = master;
    master.addReplica(myself);
    this.host.replicate(master.ip, master.port);
    this.failover.reset();
  }

  // ---- slots ----

  addSlot(node: ClusterNode, slot: number): boolean {
    if (this.slotOwners[slot] !== null) return false;
    node.setSlot(slot);
    this.slotOwners[slot] = node;
    return true;
  }

  deleteSlot(slot: number): boolean {
    const owner = this.slotOwners[slot];
    if (owner === null || owner === undefined) return false;
    const ownerMaster = owner.isReplica ? owner.replicaOf : owner;
    const myself = this.myself;
    if (ownerMaster === myself || (ownerMaster !== null && myself.replicaOf === ownerMaster)) {
      this.host.shardSlotDropped(slot);
    }
    owner.clearSlot(slot);
    this.slotOwners[slot] = null;
    return true;
  }

  deleteNodeSlots(node: ClusterNode): number {
    let deleted = 0;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (node.ownsSlot(slot) && this.deleteSlot(slot)) deleted++;
    }
    return deleted;
  }

  closeAllSlots(): void {
    this.migratingTo.fill(null);
    this.importingFrom.fill(null);
  }

  slotOwnerEpoch(slot: number): number {
    return this.slotUnclaimed(slot) ? -1 : this.slotOwners[slot]!.configEpoch;
  }

  private slotUnclaimed(slot: number): boolean {
    return (
      this.slotOwners[slot] === null ||
      (this.ownerNotClaiming[slot >> 3]! & (1 << (slot & 7))) !== 0
    );
  }

  private setNotClaiming(slot: number, on: boolean): void {
    if (on) this.ownerNotClaiming[slot >> 3]! |= 1 << (slot & 7);
    else this.ownerNotClaiming[slot >> 3]! &= ~(1 << (slot & 7));
  }

  // ---- epochs ----

  maxEpoch(): number {
    let max = this.currentEpoch;
    for (const node of this.nodes.values()) max = Math.max(max, node.configEpoch);
    return max;
  }

  /** CLUSTER BUMPEPOCH and a closed import: a new config epoch unless ours is already the top. */
  bumpConfigEpoch(): boolean {
    const myself = this.myself;
    if (myself.configEpoch !== 0 && myself.configEpoch === this.maxEpoch()) return false;
    this.currentEpoch++;
    myself.configEpoch = this.currentEpoch;
    this.schedule({ saveConfig: true, fsyncConfig: true });
    this.host.log('warning', `New configEpoch set to ${myself.configEpoch}`);
    return true;
  }

  /** CLUSTER SET-CONFIG-EPOCH on a fresh node (the command checks that it is one). */
  assignConfigEpoch(epoch: number): void {
    this.myself.configEpoch = epoch;
    this.host.log('warning', `configEpoch set to ${epoch} via CLUSTER SET-CONFIG-EPOCH`);
    if (this.currentEpoch < epoch) this.currentEpoch = epoch;
    this.schedule({ updateState: true, saveConfig: true });
  }

  private handleConfigEpochCollision(sender: ClusterNode): void {
    const myself = this.myself;
    if (sender.configEpoch !== myself.configEpoch || !sender.isMaster || !myself.isMaster) return;
    // The node with the smaller name keeps its epoch.
    if (sender.name <= myself.name) return;
    this.currentEpoch++;
    myself.configEpoch = this.currentEpoch;
    this.schedule({ saveConfig: true, fsyncConfig: true });
    this.host.log(
      'verbose',
      `WARNING: configEpoch collision with node ${sender.name}. configEpoch set to ${myself.configEpoch}`,
    );
  }

  // ---- CLUSTER MEET ----

  /**
   * Starts a handshake with an address (CLUSTER MEET): a node with a random name, flagged MEET,
   * that the cron connects to. 'invalid' for a bad address or port.
   */
  meet(ip: string, port: number, busPort: number): 'started' | 'in-progress' | 'invalid' {
    const normalized = normalizeIp(ip);
    if (normalized === null) return 'invalid';
    if (port <= 0 || port > 65535 || busPort <= 0 || busPort > 65535) return 'invalid';
    for (const node of this.nodes.values()) {
      if (
        node.inHandshake &&
        node.ip.toLowerCase() === normalized.toLowerCase() &&
        node.port === port &&
        node.busPort === busPort
      ) {
        return 'in-progress';
      }
    }
    const node = new ClusterNode(null, NodeFlag.handshake | NodeFlag.meet, this.host.now());
    node.ip = normalized;
    node.port = port;
    node.busPort = busPort;
    this.addNode(node);
    return 'started';
  }

  // ---- links ----

  /** Our link to a node is up: the first message is a MEET if we were asked to meet it. */
  linkConnected(link: BusLink): void {
    const node = link.node;
    if (node === null) return;
    const pendingPing = node.pingSent;
    this.sendPing(link, node.has(NodeFlag.meet) ? 'meet' : 'ping');
    if (pendingPing !== 0) node.pingSent = pendingPing;
    node.flags &= ~NodeFlag.meet;
    this.host.log('debug', `Connecting with Node ${node.name} at ${node.ip}:${node.busPort}`);
  }

  /** A link's connection ended or failed: the cron reconnects where needed. */
  linkClosed(link: BusLink): void {
    this.freeLink(link);
  }

  private freeLink(link: BusLink): void {
    link.close();
    const node = link.node;
    if (node === null) return;
    if (node.link === link) node.link = null;
    else if (node.inboundLink === link) node.inboundLink = null;
  }

  private attachInbound(node: ClusterNode, link: BusLink): void {
    if (node.inboundLink !== null && node.inboundLink !== link) this.freeLink(node.inboundLink);
    node.inboundLink = link;
    link.node = node;
  }

  /** Every link, outbound then inbound per node, for CLUSTER LINKS. */
  links(): BusLink[] {
    const links: BusLink[] = [];
    for (const node of this.nodes.values()) {
      if (node.link !== null) links.push(node.link);
      if (node.inboundLink !== null) links.push(node.inboundLink);
    }
    return links;
  }

  // ---- sending ----

  private header<T extends MessageType>(type: T): MessageHeader & { type: T } {
    const myself = this.myself;
    const master = myself.isReplica && myself.replicaOf !== null ? myself.replicaOf : myself;
    const settings = this.host.settings;
    return {
      type,
      port: settings.port,
      currentEpoch: this.currentEpoch,
      configEpoch: master.configEpoch,
      offset: this.host.replicationOffset(),
      sender: myself.name,
      slots: new Uint8Array(master.slots),
      replicaOf: myself.replicaOf?.name ?? null,
      ip: settings.announceIp,
      plaintextPort: settings.plaintextPort,
      busPort: settings.busPort,
      flags: myself.flags,
      state: this.state === 'ok' ? 0 : 1,
      messageFlags: this.failover.messageFlags,
    };
  }

  private send(link: BusLink | null, message: BusMessage): void {
    if (link === null) return;
    link.send(encodeBusMessage(message));
    this.messagesSent[MESSAGE_TYPES.indexOf(message.header.type)]!++;
  }

  /** A message that is only a header: a vote, or a replica's MFSTART. */
  sendSignal(link: BusLink | null, type: 'failover-auth-ack' | 'mfstart'): void {
    this.send(link, { header: this.header(type) });
  }

  /** FAILOVER_AUTH_REQUEST to every node; a manual failover forces the masters' votes. */
  broadcastAuthRequest(forceAck: boolean): void {
    const header = this.header('failover-auth-request');
    this.broadcast({
      header: forceAck
        ? { ...header, messageFlags: header.messageFlags | MessageFlag.forceAck }
        : header,
    });
  }

  /** To every node we have a link to (handshake nodes and myself excepted). */
  private broadcast(message: BusMessage): void {
    const frame = encodeBusMessage(message);
    const type = MESSAGE_TYPES.indexOf(message.header.type);
    for (const node of this.nodes.values()) {
      if (node === this.myself || node.inHandshake || node.link === null) continue;
      node.link.send(frame);
      this.messagesSent[type]!++;
    }
  }

  /** PING, PONG or MEET with gossip about a tenth of the nodes (at least 3) and all PFAIL ones. */
  sendPing(link: BusLink, type: 'ping' | 'pong' | 'meet'): void {
    const round = ++this.gossipRounds;
    let fresh = this.nodes.size - 2;
    let wanted = Math.max(3, Math.floor(this.nodes.size / 10));
    if (wanted > fresh) wanted = fresh;
    if (!link.inbound && type === 'ping' && link.node !== null)
      link.node.pingSent = this.host.now();
    const gossip: GossipEntry[] = [];
    const candidates = [...this.nodes.values()];
    let attempts = wanted * 3;
    while (fresh > 0 && gossip.length < wanted && attempts-- > 0) {
      const node = candidates[Math.floor(Math.random() * candidates.length)]!;
      if (node === this.myself || node.timedOut) continue;
      if (
        node.has(NodeFlag.handshake | NodeFlag.noaddr) ||
        (node.link === null && node.slotCount === 0)
      ) {
        fresh--;
        continue;
      }
      if (node.lastGossipRound === round) continue;
      node.lastGossipRound = round;
      gossip.push(gossipEntry(node));
      fresh--;
    }
    for (const node of this.nodes.values()) {
      if (node.timedOut && !node.has(NodeFlag.handshake | NodeFlag.noaddr)) {
        gossip.push(gossipEntry(node));
      }
    }
    this.send(link, {
      header: this.header(type),
      gossip,
      hostname: this.host.settings.announceHostname,
    });
  }

  /** A PONG to every node after our config changed, so that they learn it at once. */
  broadcastPong(): void {
    for (const node of this.nodes.values()) {
      if (node === this.myself || node.inHandshake || node.link === null) continue;
      this.sendPing(node.link, 'pong');
    }
  }

  pongLocalReplicas(): void {
    const myself = this.myself;
    for (const node of this.nodes.values()) {
      if (node === myself || node.inHandshake || node.link === null || !node.isReplica) continue;
      if (node.replicaOf === null) continue;
      if (node.replicaOf !== myself && node.replicaOf !== myself.replicaOf) continue;
      this.sendPing(node.link, 'pong');
    }
  }

  private sendFail(failing: ClusterNode): void {
    this.broadcast({ header: this.header('fail'), failing: failing.name });
  }

  private sendUpdate(link: BusLink | null, node: ClusterNode): void {
    this.send(link, {
      header: this.header('update'),
      node: node.name,
      nodeConfigEpoch: node.configEpoch,
      nodeSlots: new Uint8Array(node.slots),
    });
  }

  /** PUBLISH to every node; SPUBLISH to the nodes of our shard. */
  publish(channel: Buffer, message: Buffer, shard: boolean): void {
    const payload = { channel, message };
    if (!shard) {
      this.broadcast({ header: this.header('publish'), ...payload });
      return;
    }
    const master = this.myself.isReplica ? this.myself.replicaOf : this.myself;
    if (master === null) return;
    for (const node of [master, ...master.replicas]) {
      if (node === this.myself || node.link === null) continue;
      this.send(node.link, { header: this.header('publishshard'), ...payload });
    }
  }

  // ---- receiving ----

  /** One whole frame from a link (BusFrameReader cut it). */
  receive(link: BusLink, frame: Buffer): void {
    const type = frame.readUInt16BE(12);
    if (type < MESSAGE_TYPES.length) this.messagesReceived[type]!++;
    if (type === this.dropPacketFilter) {
      this.host.log('warning', 'Dropping packet that matches debug drop filter');
      return;
    }
    const decoded = decodeBusMessage(frame);
    if (decoded.ok === 'ignored') return;
    if (decoded.ok === false) {
      this.host.log('warning', decoded.reason);
      return;
    }
    this.process(link, decoded.message);
  }

  private senderOf(link: BusLink, header: MessageHeader): ClusterNode | undefined {
    if (link.node !== null && !link.node.inHandshake) return link.node;
    const sender = this.nodes.get(header.sender);
    // An accepted link learns its node from the first message of a known sender.
    if (sender !== undefined && link.node === null) this.attachInbound(sender, link);
    return sender;
  }

  private process(link: BusLink, message: BusMessage): void {
    const { header } = message;
    const now = this.host.now();
    const sender = this.senderOf(link, header);
    if (sender !== undefined) sender.dataReceived = now;
    if (sender !== undefined && !sender.inHandshake) {
      if (header.currentEpoch > this.currentEpoch) this.currentEpoch = header.currentEpoch;
      if (header.configEpoch > sender.configEpoch) {
        sender.configEpoch = header.configEpoch;
        this.schedule({ saveConfig: true, fsyncConfig: true });
      }
      sender.replicationOffset = header.offset;
      sender.replicationOffsetTime = now;
      this.failover.headerReceived(sender, header);
    }
    if ('gossip' in message) {
      this.processPing(link, message, sender);
      return;
    }
    if (sender === undefined) {
      if (header.type === 'fail') {
        this.host.log(
          'notice',
          `Ignoring FAIL message from unknown node ${header.sender} about ${(message as { failing: string }).failing}`,
        );
      }
      return;
    }
    if ('failing' in message) {
      const failing = this.nodes.get(message.failing);
      if (failing !== undefined && !failing.has(NodeFlag.fail | NodeFlag.myself)) {
        this.host.log(
          'notice',
          `FAIL message received from ${header.sender} about ${message.failing}`,
        );
        failing.flags = (failing.flags | NodeFlag.fail) & ~NodeFlag.pfail;
        failing.failTime = now;
        this.schedule({ saveConfig: true, updateState: true });
      }
    } else if ('channel' in message) {
      this.host.publish(message.channel, message.message, header.type === 'publishshard');
    } else if ('nodeSlots' in message) {
      const node = this.nodes.get(message.node);
      if (node === undefined || node.configEpoch >= message.nodeConfigEpoch) return;
      if (node.isReplica) this.setNodeAsMaster(node);
      node.configEpoch = message.nodeConfigEpoch;
      this.schedule({ saveConfig: true, fsyncConfig: true });
      this.updateSlotsConfigWith(node, message.nodeConfigEpoch, message.nodeSlots);
    } else if (header.type === 'failover-auth-request') {
      this.failover.voteRequested(sender, header);
    } else if (header.type === 'failover-auth-ack') {
      this.failover.voteReceived(sender, header);
    } else if (header.type === 'mfstart') {
      this.failover.manualFailoverRequested(sender, link);
    }
  }

  private processPing(
    link: BusLink,
    message: Extract<BusMessage, { gossip: unknown }>,
    sender: ClusterNode | undefined,
  ): void {
    const { header } = message;
    const now = this.host.now();
    const myself = this.myself;
    if (header.type === 'ping' || header.type === 'meet') {
      // A MEET tells us the address peers reach us at.
      if ((header.type === 'meet' || myself.ip === '') && this.host.settings.announceIp === '') {
        const ip = link.localAddress();
        if (ip !== '' && ip !== myself.ip) {
          myself.ip = ip;
          this.host.log('warning', `IP address for this node updated to ${myself.ip}`);
          this.schedule({ saveConfig: true });
        }
      }
      if (sender === undefined && header.type === 'meet') {
        const node = new ClusterNode(null, NodeFlag.handshake, now);
        node.ip = header.ip !== '' ? header.ip : link.peerAddress();
        node.port = header.port;
        node.plaintextPort = header.plaintextPort;
        node.busPort = header.busPort;
        this.addNode(node);
        this.schedule({ saveConfig: true });
        this.processGossip(message, link, undefined);
      }
      this.sendPing(link, 'pong');
    }

    if (!link.inbound && link.node !== null) {
      const node = link.node;
      if (node.inHandshake) {
        if (sender !== undefined) {
          // We already know this node by its name: only its address may be new.
          this.host.log(
            'verbose',
            `Handshake: we already know node ${sender.name}, updating the address if needed.`,
          );
          if (this.updateAddressIfNeeded(sender, link, header)) {
            this.schedule({ saveConfig: true, updateState: true });
          }
          this.deleteNode(node);
          return;
        }
        this.renameNode(node, header.sender);
        this.host.log('debug', `Handshake with node ${node.name} completed.`);
        node.flags &= ~NodeFlag.handshake;
        node.flags |= header.flags & (NodeFlag.master | NodeFlag.replica);
        this.schedule({ saveConfig: true });
      } else if (node.name !== header.sender) {
        this.host.log(
          'debug',
          `PONG contains mismatching sender ID. About node ${node.name} added ${now - node.createdAt} ms ago, having flags ${node.flags}`,
        );
        node.flags |= NodeFlag.noaddr;
        node.ip = '';
        node.port = 0;
        node.plaintextPort = 0;
        node.busPort = 0;
        this.freeLink(link);
        this.schedule({ saveConfig: true });
        return;
      }
    }

    if (sender !== undefined) {
      sender.flags = (sender.flags & ~NodeFlag.nofailover) | (header.flags & NodeFlag.nofailover);
    }
    if (
      sender !== undefined &&
      header.type === 'ping' &&
      !sender.inHandshake &&
      this.updateAddressIfNeeded(sender, link, header)
    ) {
      this.schedule({ saveConfig: true, updateState: true });
    }

    if (!link.inbound && header.type === 'pong' && link.node !== null) {
      const node = link.node;
      node.pongReceived = now;
      node.pingSent = 0;
      if (node.timedOut) {
        node.flags &= ~NodeFlag.pfail;
        this.schedule({ saveConfig: true, updateState: true });
      } else if (node.failed) {
        this.clearFailureIfNeeded(node);
      }
    }

    if (sender === undefined) return;
    this.updateRole(sender, header);

    const senderMaster = sender.isMaster ? sender : sender.replicaOf;
    const dirtySlots = senderMaster !== null && !equalBytes(senderMaster.slots, header.slots);
    if (sender.isMaster && dirtySlots) {
      this.updateSlotsConfigWith(sender, header.configEpoch, header.slots);
    }
    // The sender claims slots we know a newer owner of: tell it.
    if (dirtySlots) {
      for (let slot = 0; slot < SLOT_COUNT; slot++) {
        if ((header.slots[slot >> 3]! & (1 << (slot & 7))) === 0) continue;
        const owner = this.slotOwners[slot]!;
        if (owner === sender || this.slotUnclaimed(slot)) continue;
        if (owner.configEpoch > header.configEpoch) {
          this.host.log(
            'verbose',
            `Node ${sender.name} has old slots configuration, sending an UPDATE message about ${owner.name}`,
          );
          this.sendUpdate(sender.link, owner);
          break;
        }
      }
    }
    if (myself.isMaster && sender.isMaster && header.configEpoch === myself.configEpoch) {
      this.handleConfigEpochCollision(sender);
    }
    this.processGossip(message, link, sender);
    this.updateHostname(sender, message.hostname);
  }

  /** The sender says whether it is a master or whose replica it is. */
  private updateRole(sender: ClusterNode, header: MessageHeader): void {
    if (header.replicaOf === null) {
      this.setNodeAsMaster(sender);
      return;
    }
    const master = this.nodes.get(header.replicaOf);
    if (sender.isMaster) {
      this.deleteNodeSlots(sender);
      sender.flags = (sender.flags & ~(NodeFlag.master | NodeFlag.migrateTo)) | NodeFlag.replica;
      this.schedule({ saveConfig: true, updateState: true });
    }
    if (master !== undefined && sender.replicaOf !== master) {
      sender.replicaOf?.removeReplica(sender);
      master.addReplica(sender);
      sender.replicaOf = master;
      this.schedule({ saveConfig: true });
    }
  }

  private updateHostname(node: ClusterNode, hostname: string): void {
    if (node.hostname === hostname) return;
    node.hostname = hostname;
    this.host.log(
      'debug',
      hostname === ''
        ? `Updated hostname for ${node.name} to none`
        : `Updated hostname for ${node.name} to ${hostname}`,
    );
    this.schedule({ saveConfig: true });
  }

  private updateAddressIfNeeded(node: ClusterNode, link: BusLink, header: MessageHeader): boolean {
    if (link === node.link) return false;
    const ip = header.ip !== '' ? header.ip : link.peerAddress();
    if (ip === '') return false;
    if (
      node.port === header.port &&
      node.busPort === header.busPort &&
      node.plaintextPort === header.plaintextPort &&
      node.ip === ip
    ) {
      return false;
    }
    node.ip = ip;
    node.port = header.port;
    node.plaintextPort = header.plaintextPort;
    node.busPort = header.busPort;
    if (node.link !== null) this.freeLink(node.link);
    node.flags &= ~NodeFlag.noaddr;
    this.host.log('warning', `Address updated for node ${node.name}, now ${node.ip}:${node.port}`);
    if (this.myself.isReplica && this.myself.replicaOf === node) {
      this.host.replicate(node.ip, node.port);
    }
    return true;
  }

  private processGossip(
    message: Extract<BusMessage, { gossip: unknown }>,
    link: BusLink,
    sender: ClusterNode | undefined,
  ): void {
    const now = this.host.now();
    const reporter = link.node ?? sender;
    for (const entry of message.gossip) {
      const node = this.nodes.get(entry.name);
      if (node !== undefined) {
        if (reporter !== undefined && reporter.isMaster && node !== this.myself) {
          if (entry.flags & (NodeFlag.fail | NodeFlag.pfail)) {
            if (!node.failureReports.has(reporter)) {
              this.host.log(
                'verbose',
                `Node ${reporter.name} reported node ${node.name} as not reachable.`,
              );
            }
            node.failureReports.set(reporter, now);
            this.markFailingIfNeeded(node);
          } else if (this.deleteFailureReport(node, reporter)) {
            this.host.log(
              'verbose',
              `Node ${reporter.name} reported node ${node.name} is back online.`,
            );
          }
        }
        // Others' recent PONGs count as ours while we have nothing pending with the node.
        if (
          !(entry.flags & (NodeFlag.fail | NodeFlag.pfail)) &&
          node.pingSent === 0 &&
          this.failureReports(node) === 0
        ) {
          const pongTime = entry.pongReceived * 1000;
          if (pongTime <= now + 500 && pongTime > node.pongReceived) node.pongReceived = pongTime;
        }
        // A node we cannot reach, seen at another address by one that can: try that one.
        if (
          node.has(NodeFlag.fail | NodeFlag.pfail) &&
          !(entry.flags & NodeFlag.noaddr) &&
          !(entry.flags & (NodeFlag.fail | NodeFlag.pfail)) &&
          (node.ip.toLowerCase() !== entry.ip.toLowerCase() ||
            node.port !== entry.port ||
            node.busPort !== entry.busPort)
        ) {
          if (node.link !== null) this.freeLink(node.link);
          node.ip = entry.ip;
          node.port = entry.port;
          node.plaintextPort = entry.plaintextPort;
          node.busPort = entry.busPort;
          node.flags &= ~NodeFlag.noaddr;
        }
      } else if (
        reporter !== undefined &&
        !(entry.flags & NodeFlag.noaddr) &&
        !this.blacklisted(entry.name)
      ) {
        // Only a known node's word adds a node, so that we never join another cluster.
        const added = new ClusterNode(entry.name, entry.flags, now);
        added.ip = entry.ip;
        added.port = entry.port;
        added.plaintextPort = entry.plaintextPort;
        added.busPort = entry.busPort;
        this.addNode(added);
      }
    }
  }

  /** Masters' reports that a node is failing, still valid (CLUSTER COUNT-FAILURE-REPORTS). */
  failureReports(node: ClusterNode): number {
    return node.failureReportCount(this.host.now(), this.host.settings.nodeTimeout);
  }

  private deleteFailureReport(node: ClusterNode, reporter: ClusterNode): boolean {
    if (!node.failureReports.delete(reporter)) return false;
    this.failureReports(node);
    return true;
  }

  private markFailingIfNeeded(node: ClusterNode): void {
    if (!node.timedOut || node.failed) return;
    const quorum = Math.floor(this.size / 2) + 1;
    let failures = this.failureReports(node);
    if (this.myself.isMaster) failures++;
    if (failures < quorum) return;
    this.host.log('notice', `Marking node ${node.name} as failing (quorum reached).`);
    node.flags = (node.flags & ~NodeFlag.pfail) | NodeFlag.fail;
    node.failTime = this.host.now();
    this.sendFail(node);
    this.schedule({ updateState: true, saveConfig: true });
  }

  private clearFailureIfNeeded(node: ClusterNode): void {
    const now = this.host.now();
    if (node.isReplica || node.slotCount === 0) {
      this.host.log(
        'notice',
        `Clear FAIL state for node ${node.name}: ${node.isReplica ? 'replica' : 'master without slots'} is reachable again.`,
      );
      node.flags &= ~NodeFlag.fail;
      this.schedule({ updateState: true, saveConfig: true });
    }
    if (
      node.isMaster &&
      node.slotCount > 0 &&
      now - node.failTime > this.host.settings.nodeTimeout * 2
    ) {
      this.host.log(
        'notice',
        `Clear FAIL state for node ${node.name}: is reachable again and nobody is serving its slots after some time.`,
      );
      node.flags &= ~NodeFlag.fail;
      this.schedule({ updateState: true, saveConfig: true });
    }
  }

  /**
   * A master's claim on slots (from its PING/PONG or an UPDATE about it): slots it claims with
   * a newer config epoch, or that nobody owns, become its; if that leaves us (or our master)
   * without slots, we follow it as a replica; keys of slots we lost are deleted.
   */
  private updateSlotsConfigWith(sender: ClusterNode, configEpoch: number, slots: Uint8Array): void {
    const myself = this.myself;
    if (sender === myself) {
      this.host.log('warning', 'Discarding UPDATE message about myself.');
      return;
    }
    const currentMaster = myself.isMaster ? myself : myself.replicaOf;
    let newMaster: ClusterNode | null = null;
    let senderSlots = 0;
    let migratedOurSlots = 0;
    const dirty: number[] = [];
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const claimed = (slots[slot >> 3]! & (1 << (slot & 7))) !== 0;
      const owner = this.slotOwners[slot];
      if (claimed) {
        senderSlots++;
        if (owner === sender) {
          this.setNotClaiming(slot, false);
          continue;
        }
        if (this.importingFrom[slot] !== null) continue;
        if (this.slotUnclaimed(slot) || owner!.configEpoch < configEpoch) {
          if (owner === myself && this.host.keysInSlot(slot) > 0) dirty.push(slot);
          if (owner === currentMaster) {
            newMaster = sender;
            migratedOurSlots++;
          }
          this.deleteSlot(slot);
          this.addSlot(sender, slot);
          this.setNotClaiming(slot, false);
          this.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
        }
      } else if (owner === sender) {
        this.setNotClaiming(slot, true);
      }
    }
    if (
      newMaster !== null &&
      currentMaster !== null &&
      currentMaster.slotCount === 0 &&
      (this.host.settings.allowReplicaMigration || senderSlots === migratedOurSlots)
    ) {
      this.host.log(
        'warning',
        `Configuration change detected. Reconfiguring myself as a replica of ${sender.name}`,
      );
      this.setMyMaster(sender);
      this.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
    } else if (myself.replicaOf?.replicaOf != null && myself.replicaOf.replicaOf !== myself) {
      const grandmaster = myself.replicaOf.replicaOf;
      this.host.log(
        'warning',
        `I'm a sub-replica! Reconfiguring myself as a replica of grandmaster ${grandmaster.name}`,
      );
      this.setMyMaster(grandmaster);
      this.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
    } else {
      for (const slot of dirty) this.host.deleteKeysInSlot(slot);
    }
  }

  // ---- cron and state ----

  /** Every 100 ms (Redis's clusterCron): links, pings, timeouts, then the cluster state. */
  cron(): void {
    const settings = this.host.settings;
    const nodeTimeout = settings.nodeTimeout;
    const handshakeTimeout = Math.max(nodeTimeout, 1000);
    this.cronIterations++;
    this.refreshMyself();
    this.pfailNodes = 0;
    let now = this.host.now();
    for (const node of [...this.nodes.values()]) {
      this.reconnectIfNeeded(node, handshakeTimeout, now);
      this.freeLinkOverBufferLimit(node.link);
      this.freeLinkOverBufferLimit(node.inboundLink);
    }

    // About once a second, ping the node with the oldest PONG among a few random ones.
    if (this.cronIterations % 10 === 0) {
      const candidates = [...this.nodes.values()];
      let oldest: ClusterNode | null = null;
      for (let probe = 0; probe < 5; probe++) {
        const node = candidates[Math.floor(Math.random() * candidates.length)]!;
        if (node.link === null || node.pingSent !== 0) continue;
        if (node.has(NodeFlag.myself | NodeFlag.handshake)) continue;
        if (oldest === null || oldest.pongReceived > node.pongReceived) oldest = node;
      }
      if (oldest !== null) {
        this.host.log('debug', `Pinging node ${oldest.name}`);
        this.sendPing(oldest.link!, 'ping');
      }
    }

    let updateState = false;
    for (const node of this.nodes.values()) {
      now = this.host.now();
      if (node.has(NodeFlag.myself | NodeFlag.noaddr | NodeFlag.handshake)) continue;
      const pingDelay = now - node.pingSent;
      const dataDelay = now - node.dataReceived;
      // A link silent for half the timeout with a ping pending is dropped and made again.
      if (
        node.link !== null &&
        now - node.link.createdAt > nodeTimeout &&
        node.pingSent !== 0 &&
        pingDelay > nodeTimeout / 2 &&
        dataDelay > nodeTimeout / 2
      ) {
        this.freeLink(node.link);
      }
      if (node.link !== null && node.pingSent === 0 && now - node.pongReceived > nodeTimeout / 2) {
        this.sendPing(node.link, 'ping');
        continue;
      }
      if (node.link !== null && this.failover.pingsContinuously(node)) {
        this.sendPing(node.link, 'ping');
        continue;
      }
      if (node.pingSent === 0) continue;
      if (
        Math.min(pingDelay, dataDelay) > nodeTimeout &&
        !node.has(NodeFlag.pfail | NodeFlag.fail)
      ) {
        this.host.log('debug', `*** NODE ${node.name} possibly failing`);
        node.flags |= NodeFlag.pfail;
        updateState = true;
      }
    }
    const myself = this.myself;
    if (myself.isReplica && myself.replicaOf !== null && !myself.replicaOf.has(NodeFlag.noaddr)) {
      this.host.replicate(myself.replicaOf.ip, myself.replicaOf.port);
    }
    this.failover.cron();
    if (updateState || this.state === 'fail') this.updateState();
  }

  /** A peer that stopped reading must not make our send buffer grow without bound. */
  private freeLinkOverBufferLimit(link: BusLink | null): void {
    const limit = this.host.settings.linkSendBufferLimit;
    if (link === null || link.node === null || limit === 0) return;
    const used = link.sendBufferAllocated;
    if (used <= limit) return;
    this.host.log(
      'warning',
      `Freeing cluster link(${link.inbound ? 'from' : 'to'} node ${link.node.name}, used memory: ${used}) due to exceeding send buffer memory limit.`,
    );
    this.freeLink(link);
    this.linksBufferLimitExceeded++;
  }

  private reconnectIfNeeded(node: ClusterNode, handshakeTimeout: number, now: number): void {
    if (node.has(NodeFlag.myself | NodeFlag.noaddr)) return;
    if (node.timedOut) this.pfailNodes++;
    if (node.inHandshake && now - node.createdAt > handshakeTimeout) {
      this.deleteNode(node);
      return;
    }
    if (node.link !== null) return;
    const link = this.host.connect(node);
    if (link === null) {
      // No link at all: count a ping as sent so that failure detection still runs.
      if (node.pingSent === 0) node.pingSent = this.host.now();
      return;
    }
    node.link = link;
  }

  /** Number of nodes in PFAIL state seen by the last cron. */
  get possiblyFailingNodes(): number {
    return this.pfailNodes;
  }

  /** ok when every slot is served by a reachable master and we are with the majority. */
  updateState(): void {
    this.pending.updateState = false;
    const now = this.host.now();
    if (this.firstStateUpdate === 0) this.firstStateUpdate = now;
    const myself = this.myself;
    if (myself.isMaster && this.state === 'fail' && now - this.firstStateUpdate < WRITABLE_DELAY) {
      return;
    }
    let next: 'ok' | 'fail' = 'ok';
    if (this.host.settings.requireFullCoverage) {
      for (const owner of this.slotOwners) {
        if (owner === null || owner.failed) {
          next = 'fail';
          break;
        }
      }
    }
    let reachable = 0;
    this.size = 0;
    for (const node of this.nodes.values()) {
      if (node.isMaster && node.slotCount > 0) {
        this.size++;
        if (!node.has(NodeFlag.fail | NodeFlag.pfail)) reachable++;
      }
    }
    if (reachable < Math.floor(this.size / 2) + 1) {
      next = 'fail';
      this.amongMinoritySince = now;
    }
    if (next === this.state) return;
    const rejoinDelay = Math.min(
      MAX_REJOIN_DELAY,
      Math.max(MIN_REJOIN_DELAY, this.host.settings.nodeTimeout),
    );
    if (next === 'ok' && myself.isMaster && now - this.amongMinoritySince < rejoinDelay) return;
    this.host.log('warning', `Cluster state changed: ${next}`);
    this.state = next;
  }

  /** Asks for work at the end of this event-loop turn. */
  schedule(work: Partial<Pending>): void {
    if (work.saveConfig === true) this.pending.saveConfig = true;
    if (work.fsyncConfig === true) this.pending.fsyncConfig = true;
    if (work.updateState === true) this.pending.updateState = true;
    this.host.wake();
  }

  /** Before the event loop sleeps: the state update, then whether the config must be saved. */
  beforeSleep(): { save: boolean; fsync: boolean } {
    this.refreshMyself();
    this.failover.beforeSleep();
    if (this.pending.updateState) this.updateState();
    const save = { save: this.pending.saveConfig, fsync: this.pending.fsyncConfig };
    this.pending.saveConfig = false;
    this.pending.fsyncConfig = false;
    return save;
  }

  /**
   * The end of a failover (Redis's clusterFailoverReplaceYourMaster, after a won election or a
   * TAKEOVER's new epoch): myself becomes a master with its old master's slots, and tells every
   * node.
   */
  replaceMyMaster(): void {
    const oldMaster = this.myself.replicaOf;
    if (this.myself.isMaster || oldMaster === null) return;
    this.setNodeAsMaster(this.myself);
    this.host.stopReplicating();
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (!oldMaster.ownsSlot(slot)) continue;
      this.deleteSlot(slot);
      this.addSlot(this.myself, slot);
    }
    this.updateState();
    this.schedule({ saveConfig: true, fsyncConfig: true });
    this.broadcastPong();
    this.failover.reset();
  }

  /** CLUSTER RESET: every slot and node but myself forgotten; HARD also renames and zeroes. */
  reset(hard: boolean, rename: (myself: ClusterNode) => void): void {
    const myself = this.myself;
    if (myself.isReplica) {
      this.setNodeAsMaster(myself);
      this.host.stopReplicating();
    }
    this.closeAllSlots();
    this.failover.reset();
    for (let slot = 0; slot < SLOT_COUNT; slot++) this.deleteSlot(slot);
    for (const node of [...this.nodes.values()]) if (node !== myself) this.deleteNode(node);
    if (hard) {
      this.currentEpoch = 0;
      this.lastVoteEpoch = 0;
      myself.configEpoch = 0;
      this.host.log('warning', 'configEpoch set to 0 via CLUSTER RESET HARD');
      this.nodes.delete(myself.name);
      rename(myself);
      this.nodes.set(myself.name, myself);
      this.host.log('notice', `Node hard reset, now I'm ${myself.name}`);
    }
    this.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
  }

  /** Lines of CLUSTER NODES and nodes.conf, skipping nodes with any of `skipFlags`. */
  describeNodes(skipFlags: number, usePlaintextPort: boolean): string {
    let text = '';
    for (const node of this.nodes.values()) {
      if (node.flags & skipFlags) continue;
      text += `${this.describeNode(node, usePlaintextPort)}\n`;
    }
    return text;
  }

  describeNode(node: ClusterNode, usePlaintextPort: boolean): string {
    const port = usePlaintextPort && node.plaintextPort !== 0 ? node.plaintextPort : node.port;
    const address =
      node.hostname === ''
        ? `${node.ip}:${port}@${node.busPort}`
        : `${node.ip}:${port}@${node.busPort},${node.hostname}`;
    const epoch =
      node.isReplica && node.replicaOf !== null ? node.replicaOf.configEpoch : node.configEpoch;
    const linked = node.link !== null || node.has(NodeFlag.myself) ? 'connected' : 'disconnected';
    let line = `${node.name} ${address} ${formatNodeFlags(node.flags)} ${node.replicaOf?.name ?? '-'} ${node.pingSent} ${node.pongReceived} ${epoch} ${linked}`;
    let start = -1;
    for (let slot = 0; slot <= SLOT_COUNT; slot++) {
      const owned = slot < SLOT_COUNT && this.slotOwners[slot] === node;
      if (owned && start === -1) start = slot;
      if (!owned && start !== -1) {
        line += start === slot - 1 ? ` ${start}` : ` ${start}-${slot - 1}`;
        start = -1;
      }
    }
    if (node === this.myself) {
      for (let slot = 0; slot < SLOT_COUNT; slot++) {
        const migrating = this.migratingTo[slot];
        const importing = this.importingFrom[slot];
        if (migrating) line += ` [${slot}->-${migrating.name}]`;
        else if (importing) line += ` [${slot}-<-${importing.name}]`;
      }
    }
    return line;
  }

  /** Counters of CLUSTER INFO's message lines. */
  messageStats(): Array<[string, number, number]> {
    return MESSAGE_TYPES.map((type, index) => [
      messageTypeName(type),
      this.messagesSent[index]!,
      this.messagesReceived[index]!,
    ]);
  }
}

function gossipEntry(node: ClusterNode): GossipEntry {
  return {
    name: node.name,
    pingSent: Math.floor(node.pingSent / 1000),
    pongReceived: Math.floor(node.pongReceived / 1000),
    ip: node.ip,
    port: node.port,
    busPort: node.busPort,
    flags: node.flags,
    plaintextPort: node.plaintextPort,
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The textual form inet_ntop gives an address, or null when it is not an IP address. */
function normalizeIp(ip: string): string | null {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return null;
  return new URL(`http://[${ip}]`).hostname.slice(1, -1);
}
