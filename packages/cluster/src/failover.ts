import { MessageFlag, NodeFlag, type MessageHeader } from './bus-message.js';
import type { BusLink, ClusterNode } from './cluster-node.js';
import { SLOT_COUNT } from './key-slot.js';

/** How long a manual failover may take before it is given up (CLUSTER_MF_TIMEOUT). */
const MANUAL_FAILOVER_TIMEOUT = 5000;
/** The master holds writes back for twice that while its replica catches up and is elected. */
const MANUAL_FAILOVER_PAUSE = 2 * MANUAL_FAILOVER_TIMEOUT;
/** A master must stay orphaned this long before a replica migrates to it. */
const MIGRATION_DELAY = 5000;
/** The same reason for not failing over is logged again only after this long. */
const CANT_FAILOVER_RELOG_PERIOD = 10_000;

type CantFailoverReason = 'none' | 'data-age' | 'waiting-delay' | 'expired' | 'waiting-votes';

const CANT_FAILOVER_MESSAGES: Record<Exclude<CantFailoverReason, 'none'>, string> = {
  'data-age':
    "Disconnected from master for longer than allowed. Please check the 'cluster-replica-validity-factor' configuration option.",
  'waiting-delay': 'Waiting the delay before I can start a new failover.',
  expired: 'Failover attempt expired.',
  'waiting-votes': 'Waiting for votes, but majority still not reached.',
};

/** What an election needs from the server (a part of ClusterHost). */
export interface FailoverHost {
  now(): number;
  log(level: 'warning', message: string): void;
  /**
   * Our replication offset as the bus announces it: a master's own, or what this replica has
   * processed of its master's stream (0 while a full sync replaces its data).
   */
  replicationOffset(): number;
  /** Milliseconds since this replica last heard from its master (its link's age when down). */
  masterDataAge(): number;
  /** Hold back writes until `deadline` for a manual failover, or end that pause. */
  pauseWrites(deadline: number): void;
  unpauseWrites(): void;
  readonly settings: FailoverSettings;
}

export interface FailoverSettings {
  readonly nodeTimeout: number;
  readonly allowReplicaMigration: boolean;
  /** cluster-replica-validity-factor: 0 lets a replica fail over however old its data. */
  readonly replicaValidityFactor: number;
  readonly replicaNoFailover: boolean;
  readonly migrationBarrier: number;
  /** repl-ping-replica-period, in milliseconds. */
  readonly replicaPingPeriod: number;
}

/** The parts of the cluster state an election reads and changes (ClusterState has them). */
export interface FailoverView {
  readonly myself: ClusterNode;
  readonly nodes: ReadonlyMap<string, ClusterNode>;
  currentEpoch: number;
  lastVoteEpoch: number;
  /** Masters serving slots: the quorum is half of them plus one. */
  readonly size: number;
  readonly state: 'ok' | 'fail';
  /** The config epoch of a slot's owner, or -1 when nobody claims it. */
  slotOwnerEpoch(slot: number): number;
  schedule(work: { saveConfig?: boolean; fsyncConfig?: boolean; updateState?: boolean }): void;
  sendSignal(link: BusLink | null, type: 'failover-auth-ack' | 'mfstart'): void;
  sendPing(link: BusLink, type: 'ping'): void;
  broadcastAuthRequest(forceAck: boolean): void;
  /** A PONG to the other replicas of our master, so that they learn our offset. */
  pongLocalReplicas(): void;
  /** Myself takes its master's slots and tells every node (clusterFailoverReplaceYourMaster). */
  replaceMyMaster(): void;
  setMyMaster(master: ClusterNode): void;
}

/**
 * Replica elections and manual failover (Redis 7.0's cluster.c): a replica whose master FAILed
 * waits a delay ranked by its offset, asks every master for its vote in a new epoch, and takes
 * the slots once a majority granted it; masters grant one vote per epoch. CLUSTER FAILOVER
 * pauses the master until the replica caught up, then runs the same election with votes forced.
 * Replica migration moves a spare replica to an orphaned master.
 */
export class Failover {
  // The election this replica runs (failover_auth_*).
  private authTime = 0;
  private authCount = 0;
  private authSent = false;
  private authRank = 0;
  private authEpoch = 0;
  private cantFailoverReason: CantFailoverReason = 'none';
  private lastCantFailoverLog = 0;
  // The manual failover in progress (mf_*): its deadline, 0 when none.
  private manualEnd = 0;
  private manualCanStart = false;
  /** On the master: the replica that asked for a manual failover. */
  private manualReplica: ClusterNode | null = null;
  /** On the replica: the master's offset once it paused, -1 until it told us. */
  private pausedMasterOffset = -1;
  private pendingElection = false;
  private pendingManual = false;

  constructor(
    private readonly view: FailoverView,
    private readonly host: FailoverHost,
  ) {}

  /** A master flags its messages while paused for a manual failover. */
  get messageFlags(): number {
    return this.view.myself.isMaster && this.manualEnd !== 0 ? MessageFlag.paused : 0;
  }

  /** A master pings the replica failing it over at every cron tick. */
  pingsContinuously(node: ClusterNode): boolean {
    return this.manualEnd !== 0 && this.view.myself.isMaster && this.manualReplica === node;
  }

  // ---- CLUSTER FAILOVER ----

  /** Starts a manual failover on this replica (the command checked that it may). */
  startManual(mode: 'default' | 'force' | 'takeover'): void {
    this.reset();
    this.manualEnd = this.host.now() + MANUAL_FAILOVER_TIMEOUT;
    if (mode === 'takeover') return;
    if (mode === 'force') {
      this.host.log('warning', 'Forced failover user request accepted.');
      this.manualCanStart = true;
      return;
    }
    this.host.log('warning', 'Manual failover user request accepted.');
    this.view.sendSignal(this.view.myself.replicaOf?.link ?? null, 'mfstart');
  }

  /** Ends any manual failover, on the master (resuming writes) or the replica. */
  reset(): void {
    if (this.manualReplica !== null) this.host.unpauseWrites();
    this.manualEnd = 0;
    this.manualCanStart = false;
    this.manualReplica = null;
    this.pausedMasterOffset = -1;
  }

  // ---- messages ----

  /** MFSTART from one of our replicas: pause writes and tell it our offset at once. */
  manualFailoverRequested(sender: ClusterNode, link: BusLink): void {
    if (sender.replicaOf !== this.view.myself) return;
    this.reset();
    const now = this.host.now();
    this.manualEnd = now + MANUAL_FAILOVER_TIMEOUT;
    this.manualReplica = sender;
    this.host.pauseWrites(now + MANUAL_FAILOVER_PAUSE);
    this.host.log('warning', `Manual failover requested by replica ${sender.name}.`);
    this.view.sendPing(link, 'ping');
  }

  /** Any message's header: our paused master's offset is what we must reach before the vote. */
  headerReceived(sender: ClusterNode, header: MessageHeader): void {
    const myself = this.view.myself;
    if (
      this.manualEnd === 0 ||
      !myself.isReplica ||
      myself.replicaOf !== sender ||
      (header.messageFlags & MessageFlag.paused) === 0 ||
      this.pausedMasterOffset !== -1
    ) {
      return;
    }
    this.pausedMasterOffset = header.offset;
    this.pendingManual = true;
    this.host.log(
      'warning',
      `Received replication offset for paused master manual failover: ${this.pausedMasterOffset}`,
    );
  }

  /** FAILOVER_AUTH_REQUEST: a master serving slots votes once per epoch, when it is safe. */
  voteRequested(sender: ClusterNode, header: MessageHeader): void {
    const view = this.view;
    const myself = view.myself;
    if (myself.isReplica || myself.slotCount === 0) return;
    const deny = (reason: string): void =>
      this.host.log('warning', `Failover auth denied to ${sender.name}: ${reason}`);
    if (header.currentEpoch < view.currentEpoch) {
      deny(`reqEpoch (${header.currentEpoch}) < curEpoch(${view.currentEpoch})`);
      return;
    }
    if (view.lastVoteEpoch === view.currentEpoch) {
      deny(`already voted for epoch ${view.currentEpoch}`);
      return;
    }
    const master = sender.replicaOf;
    const forced = (header.messageFlags & MessageFlag.forceAck) !== 0;
    if (sender.isMaster) {
      deny('it is a master node');
      return;
    }
    if (master === null) {
      deny("I don't know its master");
      return;
    }
    if (!master.failed && !forced) {
      deny('its master is up');
      return;
    }
    const now = this.host.now();
    const voteInterval = this.host.settings.nodeTimeout * 2;
    if (now - master.votedTime < voteInterval) {
      deny(
        `can't vote about this master before ${voteInterval - (now - master.votedTime)} milliseconds`,
      );
      return;
    }
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if ((header.slots[slot >> 3]! & (1 << (slot & 7))) === 0) continue;
      const ownerEpoch = view.slotOwnerEpoch(slot);
      if (ownerEpoch <= header.configEpoch) continue;
      deny(`slot ${slot} epoch (${ownerEpoch}) > reqEpoch (${header.configEpoch})`);
      return;
    }
    view.lastVoteEpoch = view.currentEpoch;
    master.votedTime = now;
    view.schedule({ saveConfig: true, fsyncConfig: true });
    view.sendSignal(sender.link, 'failover-auth-ack');
    this.host.log(
      'warning',
      `Failover auth granted to ${sender.name} for epoch ${view.currentEpoch}`,
    );
  }

  /** FAILOVER_AUTH_ACK: a vote counts from a master serving slots, in our election's epoch. */
  voteReceived(sender: ClusterNode, header: MessageHeader): void {
    if (!sender.isMaster || sender.slotCount === 0 || header.currentEpoch < this.authEpoch) return;
    this.authCount++;
    this.pendingElection = true;
    this.view.schedule({});
  }

  // ---- cron and before sleep ----

  /** Every cron tick on a replica: timeouts, the manual failover, the election, migration. */
  cron(): void {
    if (this.manualEnd !== 0 && this.manualEnd < this.host.now()) {
      this.host.log('warning', 'Manual failover timed out.');
      this.reset();
    }
    if (!this.view.myself.isReplica) return;
    this.handleManual();
    this.handleElection();
    this.considerMigration();
  }

  /** Work a message asked for, before the event loop sleeps. */
  beforeSleep(): void {
    if (this.pendingManual) {
      this.pendingManual = false;
      if (this.view.myself.isReplica) {
        this.handleManual();
        this.handleElection();
      }
    } else if (this.pendingElection) {
      this.handleElection();
    }
  }

  /** The replica starts the vote once it processed all the paused master sent. */
  private handleManual(): void {
    if (this.manualEnd === 0 || this.manualCanStart || this.pausedMasterOffset === -1) return;
    if (this.pausedMasterOffset !== this.host.replicationOffset()) return;
    this.manualCanStart = true;
    this.host.log('warning', 'All master replication stream processed, manual failover can start.');
    this.pendingElection = true;
  }

  private handleElection(): void {
    this.pendingElection = false;
    const view = this.view;
    const myself = view.myself;
    const master = myself.replicaOf;
    const settings = this.host.settings;
    const manual = this.manualEnd !== 0 && this.manualCanStart;
    if (
      myself.isMaster ||
      master === null ||
      (!master.failed && !manual) ||
      (settings.replicaNoFailover && !manual) ||
      master.slotCount === 0
    ) {
      this.cantFailoverReason = 'none';
      return;
    }
    const now = this.host.now();
    const authTimeout = Math.max(settings.nodeTimeout * 2, 2000);
    const authAge = now - this.authTime;

    // Missing the master for the time it took to flag it FAIL is the baseline.
    let dataAge = this.host.masterDataAge();
    if (dataAge > settings.nodeTimeout) dataAge -= settings.nodeTimeout;
    if (
      settings.replicaValidityFactor !== 0 &&
      dataAge >
        settings.replicaPingPeriod + settings.nodeTimeout * settings.replicaValidityFactor &&
      !manual
    ) {
      this.logCantFailover('data-age');
      return;
    }

    if (authAge > authTimeout * 2) {
      // A new attempt: wait for the FAIL to spread, longer for replicas with older data.
      this.authTime = now + 500 + Math.floor(Math.random() * 500);
      this.authCount = 0;
      this.authSent = false;
      this.authRank = this.rank();
      this.authTime += this.authRank * 1000;
      if (this.manualEnd !== 0) {
        this.authTime = now;
        this.authRank = 0;
        this.pendingElection = true;
        view.schedule({});
      }
      this.host.log(
        'warning',
        `Start of election delayed for ${this.authTime - now} milliseconds (rank #${this.authRank}, offset ${this.host.replicationOffset()}).`,
      );
      view.pongLocalReplicas();
      return;
    }

    if (!this.authSent && this.manualEnd === 0) {
      const rank = this.rank();
      if (rank > this.authRank) {
        const added = (rank - this.authRank) * 1000;
        this.authTime += added;
        this.authRank = rank;
        this.host.log(
          'warning',
          `Replica rank updated to #${rank}, added ${added} milliseconds of delay.`,
        );
      }
    }
    if (now < this.authTime) {
      this.logCantFailover('waiting-delay');
      return;
    }
    if (authAge > authTimeout) {
      this.logCantFailover('expired');
      return;
    }
    if (!this.authSent) {
      view.currentEpoch++;
      this.authEpoch = view.currentEpoch;
      this.host.log('warning', `Starting a failover election for epoch ${view.currentEpoch}.`);
      view.broadcastAuthRequest(this.manualEnd !== 0);
      this.authSent = true;
      view.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
      return;
    }
    if (this.authCount < Math.floor(view.size / 2) + 1) {
      this.logCantFailover('waiting-votes');
      return;
    }
    this.host.log('warning', "Failover election won: I'm the new master.");
    if (myself.configEpoch < this.authEpoch) {
      myself.configEpoch = this.authEpoch;
      this.host.log(
        'warning',
        `configEpoch set to ${myself.configEpoch} after successful failover`,
      );
    }
    view.replaceMyMaster();
  }

  /** Replicas of our master with more data than us (those that may not fail over excepted). */
  private rank(): number {
    const myself = this.view.myself;
    const master = myself.replicaOf;
    if (master === null) return 0;
    const offset = this.host.replicationOffset();
    let rank = 0;
    for (const replica of master.replicas) {
      if (
        replica !== myself &&
        !replica.has(NodeFlag.nofailover) &&
        replica.replicationOffset > offset
      )
        rank++;
    }
    return rank;
  }

  /** Logs why no failover starts, when the reason changed or was logged long ago. */
  private logCantFailover(reason: Exclude<CantFailoverReason, 'none'>): void {
    const now = this.host.now();
    if (
      reason === this.cantFailoverReason &&
      now - this.lastCantFailoverLog < CANT_FAILOVER_RELOG_PERIOD
    ) {
      return;
    }
    this.cantFailoverReason = reason;
    // Nothing is logged while a failover may still start in a reasonable time.
    const master = this.view.myself.replicaOf;
    const quietPeriod = this.host.settings.nodeTimeout + 5000;
    if (master !== null && master.failed && now - master.failTime < quietPeriod) return;
    this.lastCantFailoverLog = now;
    this.host.log('warning', `Currently unable to failover: ${CANT_FAILOVER_MESSAGES[reason]}`);
  }

  /**
   * Replica migration: when a master serving slots is left without working replicas, and ours
   * has the most (at least two, more than the barrier), the replica with the smallest name
   * among the best-served masters' moves to it after a delay.
   */
  private considerMigration(): void {
    const view = this.view;
    const myself = view.myself;
    const settings = this.host.settings;
    let orphaned = 0;
    let maxReplicas = 0;
    let ourReplicas = 0;
    for (const node of view.nodes.values()) {
      if (node.has(NodeFlag.myself | NodeFlag.noaddr | NodeFlag.handshake)) continue;
      if (!node.isMaster || node.failed) continue;
      const working = node.workingReplicaCount;
      if (working === 0 && node.slotCount > 0 && node.has(NodeFlag.migrateTo)) orphaned++;
      maxReplicas = Math.max(maxReplicas, working);
      if (myself.replicaOf === node) ourReplicas = working;
    }
    if (
      orphaned === 0 ||
      maxReplicas < 2 ||
      ourReplicas !== maxReplicas ||
      !settings.allowReplicaMigration
    ) {
      return;
    }
    if (view.state !== 'ok') return;
    const master = myself.replicaOf;
    if (master === null) return;
    const okReplicas = master.replicas.filter((r) => !r.failed && !r.timedOut).length;
    if (okReplicas <= settings.migrationBarrier) return;

    const now = this.host.now();
    let target: ClusterNode | null = null;
    let candidate = myself;
    for (const node of view.nodes.values()) {
      const working = node.isMaster ? node.workingReplicaCount : 0;
      const isOrphaned =
        node.isMaster && !node.failed && node.has(NodeFlag.migrateTo) && working === 0;
      if (isOrphaned) {
        if (target === null && node.slotCount > 0) target = node;
        if (node.orphanedSince === 0) node.orphanedSince = now;
      } else {
        node.orphanedSince = 0;
      }
      if (working === maxReplicas) {
        for (const replica of node.replicas) if (replica.name < candidate.name) candidate = replica;
      }
    }
    if (target === null || candidate !== myself || now - target.orphanedSince <= MIGRATION_DELAY) {
      return;
    }
    this.host.log('warning', `Migrating to orphaned master ${target.name}`);
    view.setMyMaster(target);
  }
}
