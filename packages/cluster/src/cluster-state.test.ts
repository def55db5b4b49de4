import { describe, expect, it } from 'vitest';
import { BusFrameReader, NodeFlag } from './bus-message.js';
import { type BusLink, type ClusterNode } from './cluster-node.js';
import { ClusterState, type ClusterHost, type ClusterSettings } from './cluster-state.js';
import { formatNodesConfig, parseNodesConfig } from './nodes-config.js';
import { SLOT_COUNT } from './key-slot.js';

/**
 * Nodes joined by an in-memory bus on one fake clock: frames are delivered when `run` turns
 * the loop, so each test sees the protocol step by step as on a real network.
 */
class Network {
  now = 1_700_000_000_000;
  readonly members: Member[] = [];
  private readonly queue: Array<() => void> = [];

  add(port: number, settings: Partial<ClusterSettings> = {}): Member {
    const member = new Member(this, port, settings);
    this.members.push(member);
    return member;
  }

  byBusPort(busPort: number): Member | undefined {
    return this.members.find((member) => member.settings.busPort === busPort && member.up);
  }

  post(task: () => void): void {
    this.queue.push(task);
  }

  /** Advances the clock in 100 ms cron ticks, delivering frames in between. */
  run(ms: number): void {
    for (let elapsed = 0; elapsed < ms; elapsed += 100) {
      this.now += 100;
      for (const member of this.members) if (member.up) member.state.cron();
      this.deliver();
      for (const member of this.members) if (member.up) member.state.beforeSleep();
    }
  }

  deliver(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }
}

/** One end of an in-memory connection. */
class MemoryLink implements BusLink {
  node: ClusterNode | null;
  peer: MemoryLink | null = null;
  closed = false;
  readonly createdAt: number;
  readonly events = 'r';
  /** What the transport has not sent yet; a test sets it to stand for a peer that stopped reading. */
  sendBufferAllocated = 0;
  readonly sendBufferUsed = 0;
  private readonly reader = new BusFrameReader();

  constructor(
    private readonly network: Network,
    readonly owner: Member,
    node: ClusterNode | null,
    readonly inbound: boolean,
  ) {
    this.node = node;
    this.createdAt = network.now;
  }

  send(frame: Buffer): void {
    const peer = this.peer;
    if (this.closed || peer === null) return;
    this.network.post(() => {
      if (peer.closed || !peer.owner.up) return;
      for (const whole of peer.reader.push(frame).frames) peer.owner.state.receive(peer, whole);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    if (peer !== null) this.network.post(() => peer.owner.state.linkClosed(peer));
  }

  peerAddress(): string {
    return '127.0.0.1';
  }

  localAddress(): string {
    return '127.0.0.1';
  }
}

class Member implements ClusterHost {
  readonly state: ClusterState;
  readonly settings: ClusterSettings;
  readonly logs: string[] = [];
  readonly replicatedFrom: string[] = [];
  up = true;
  /** The replication offset this node reports, and how old its master's data is. */
  offset = 0;
  dataAge = 0;
  /** Until when writes are held back for a manual failover, 0 when they are not. */
  pausedUntil = 0;

  constructor(
    private readonly network: Network,
    port: number,
    settings: Partial<ClusterSettings>,
  ) {
    this.settings = {
      nodeTimeout: 1000,
      requireFullCoverage: true,
      linkSendBufferLimit: 0,
      allowReplicaMigration: true,
      replicaValidityFactor: 10,
      replicaNoFailover: false,
      migrationBarrier: 1,
      replicaPingPeriod: 10_000,
      announceIp: '',
      announceHostname: '',
      port,
      plaintextPort: 0,
      busPort: port + 10000,
      ...settings,
    };
    this.state = new ClusterState(this);
  }

  now(): number {
    return this.network.now;
  }

  log(_level: string, message: string): void {
    this.logs.push(message);
  }

  connect(node: ClusterNode): BusLink | null {
    const target = this.network.byBusPort(node.busPort);
    const link = new MemoryLink(this.network, this, node, false);
    if (target === undefined) {
      this.network.post(() => this.state.linkClosed(link));
      return link;
    }
    const accepted = new MemoryLink(this.network, target, null, true);
    link.peer = accepted;
    accepted.peer = link;
    this.network.post(() => this.state.linkConnected(link));
    return link;
  }

  replicationOffset(): number {
    return this.offset;
  }

  masterDataAge(): number {
    return this.dataAge;
  }

  pauseWrites(deadline: number): void {
    this.pausedUntil = deadline;
  }

  unpauseWrites(): void {
    this.pausedUntil = 0;
  }

  keysInSlot(): number {
    return 0;
  }

  deleteKeysInSlot(): void {}

  replicate(ip: string, port: number): void {
    this.replicatedFrom.push(`${ip}:${port}`);
  }

  stopReplicating(): void {
    this.replicatedFrom.push('none');
  }

  publish(): void {}

  shardSlotDropped(): void {}

  wake(): void {}

  get name(): string {
    return this.state.myself.name;
  }

  /** CLUSTER NODES's lines by name, for asserting on one field. */
  known(): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    for (const line of this.state.describeNodes(0, false).trimEnd().split('\n')) {
      const fields = line.split(' ');
      rows.set(fields[0]!, fields);
    }
    return rows;
  }
}

function addRange(member: Member, start: number, end: number): void {
  for (let slot = start; slot <= end; slot++) member.state.addSlot(member.state.myself, slot);
  member.state.schedule({ updateState: true, saveConfig: true });
}

/** Three masters met through the first and sharing the slots, as `redis-cli --cluster create`. */
function threeMasters(network: Network): Member[] {
  const members = [network.add(7000), network.add(7001), network.add(7002)];
  members.forEach((member, index) => member.state.assignConfigEpoch(index + 1));
  addRange(members[0]!, 0, 5460);
  addRange(members[1]!, 5461, 10922);
  addRange(members[2]!, 10923, 16383);
  expect(members[0]!.state.meet('127.0.0.1', 7001, 17001)).toBe('started');
  expect(members[0]!.state.meet('127.0.0.1', 7002, 17002)).toBe('started');
  network.run(3000);
  return members;
}

/** Three masters, each with the replicas asked for, met and settled. */
function mastersWithReplicas(network: Network, replicasPerMaster: number[]): Member[][] {
  const masters = threeMasters(network);
  const shards = masters.map((master, index) => {
    const replicas: Member[] = [];
    for (let r = 0; r < replicasPerMaster[index]!; r++) {
      const replica = network.add(7100 + index * 10 + r);
      expect(
        masters[0]!.state.meet('127.0.0.1', replica.settings.port, replica.settings.busPort),
      ).toBe('started');
      replicas.push(replica);
    }
    return [master, ...replicas];
  });
  network.run(3000);
  for (const [master, ...replicas] of shards) {
    for (const replica of replicas) {
      replica.state.setMyMaster(replica.state.lookup(master!.name)!);
      replica.state.broadcastPong();
    }
  }
  network.run(3000);
  return shards;
}

/** Runs the network until `done` holds, at most `ms`. */
function runUntil(network: Network, ms: number, done: () => boolean): void {
  for (let elapsed = 0; elapsed < ms && !done(); elapsed += 100) network.run(100);
}

describe('ClusterState', () => {
  it('starts as a lone master, cluster down, with a random 40-character name', () => {
    const network = new Network();
    const node = network.add(7000);
    expect(node.name).toMatch(/^[0-9a-f]{40}$/);
    expect(node.state.state).toBe('fail');
    expect(node.state.describeNodes(0, false)).toBe(
      `${node.name} :7000@17000 myself,master - 0 0 0 connected\n`,
    );
  });

  it('MEET: handshake, renaming, then every node knows every other through gossip', () => {
    const network = new Network();
    const [a, b, c] = threeMasters(network);
    for (const member of [a!, b!, c!]) {
      const known = member.known();
      expect([...known.keys()].sort()).toEqual([a!.name, b!.name, c!.name].sort());
      for (const [name, fields] of known) {
        expect(fields[2]).toBe(name === member.name ? 'myself,master' : 'master');
        expect(fields[7]).toBe('connected');
      }
    }
    // The meeting node's handshake entries were renamed, not kept beside the real names.
    expect(a!.logs.some((line) => line.startsWith('Renaming node'))).toBe(true);
    expect(b!.logs).toContain('IP address for this node updated to 127.0.0.1');
  });

  it('agrees on slot owners and epochs and turns the cluster ok', () => {
    const network = new Network();
    const members = threeMasters(network);
    for (const member of members) {
      expect(member.state.state).toBe('ok');
      expect(member.state.size).toBe(3);
      expect(member.state.currentEpoch).toBe(3);
      expect(member.state.slotOwners[0]!.name).toBe(members[0]!.name);
      expect(member.state.slotOwners[5461]!.name).toBe(members[1]!.name);
      expect(member.state.slotOwners[SLOT_COUNT - 1]!.name).toBe(members[2]!.name);
      expect(member.known().get(members[1]!.name)!.slice(8)).toEqual(['5461-10922']);
    }
    expect(members[0]!.logs).toContain('Cluster state changed: ok');
  });

  it('a silent master becomes PFAIL, then FAIL by the others majority, and the cluster fails', () => {
    const network = new Network();
    const [a, b, c] = threeMasters(network);
    c!.up = false;
    network.run(4000);
    for (const member of [a!, b!]) {
      const row = member.known().get(c!.name)!;
      expect(row[2]).toBe('master,fail');
      expect(member.state.state).toBe('fail');
    }
    expect(
      a!.logs.some((line) => line === `Marking node ${c!.name} as failing (quorum reached).`) ||
        b!.logs.some((line) => line === `Marking node ${c!.name} as failing (quorum reached).`),
    ).toBe(true);
  });

  it('settles equal config epochs: the node with the smaller name takes a new one', () => {
    const network = new Network();
    const a = network.add(7000);
    const b = network.add(7001);
    addRange(a, 0, 8191);
    addRange(b, 8192, 16383);
    expect(a.state.meet('127.0.0.1', 7001, 17001)).toBe('started');
    network.run(3000);
    const epochs = [a.state.myself.configEpoch, b.state.myself.configEpoch].sort();
    expect(epochs).toEqual([0, 1]);
    const bumped = a.state.myself.configEpoch === 1 ? a : b;
    expect(bumped.name < (bumped === a ? b : a).name).toBe(true);
  });

  it('a master that lost its slots to a newer epoch follows the new owner as a replica', () => {
    const network = new Network();
    const [a, b] = threeMasters(network);
    // b takes a's slots with a newer epoch (as a failover or a reshard would).
    for (let slot = 0; slot <= 5460; slot++) {
      b!.state.deleteSlot(slot);
      b!.state.addSlot(b!.state.myself, slot);
    }
    b!.state.bumpConfigEpoch();
    b!.state.broadcastPong();
    network.run(2000);
    expect(a!.state.myself.isReplica).toBe(true);
    expect(a!.state.myself.replicaOf).toBe(a!.state.lookup(b!.name));
    expect(a!.replicatedFrom).toContain('127.0.0.1:7001');
    expect(b!.known().get(a!.name)![3]).toBe(b!.name);
  });

  it('a failed master is replaced by its replica through an election', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [1, 1, 1]);
    const [master, replica] = shards[2]!;
    const slots = master!.state.myself.slotCount;
    master!.up = false;
    runUntil(network, 20_000, () => replica!.state.myself.isMaster);
    expect(replica!.logs).toContain("Failover election won: I'm the new master.");
    expect(replica!.logs.some((line) => line.startsWith('Start of election delayed for'))).toBe(
      true,
    );
    expect(replica!.state.myself.slotCount).toBe(slots);
    expect(replica!.replicatedFrom.at(-1)).toBe('none');
    // Two masters voted in the new epoch, which the new master's config epoch carries.
    const voters = shards.slice(0, 2).map(([voter]) => voter!);
    const epoch = replica!.state.myself.configEpoch;
    expect(replica!.logs).toContain(`Starting a failover election for epoch ${epoch}.`);
    for (const voter of voters) {
      expect(voter.logs).toContain(`Failover auth granted to ${replica!.name} for epoch ${epoch}`);
      expect(voter.state.myself.configEpoch).toBeLessThan(epoch);
    }
    network.run(2000);
    for (const member of [...voters, shards[0]![1]!, shards[1]![1]!]) {
      expect(member.state.slotOwners[SLOT_COUNT - 1]!.name).toBe(replica!.name);
      expect(member.state.state).toBe('ok');
    }
    // The old master comes back, learns it lost its slots, and follows its replacement.
    master!.up = true;
    runUntil(network, 10_000, () => master!.state.myself.isReplica);
    expect(master!.state.myself.replicaOf?.name).toBe(replica!.name);
    expect(master!.logs).toContain(
      `Configuration change detected. Reconfiguring myself as a replica of ${replica!.name}`,
    );
  });

  it('a master votes once per epoch and only for a replica of a failed master', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [1, 1, 0]);
    const [voter] = shards[0]!;
    const [, replica] = shards[1]!;
    // The replica's master is up: no vote.
    const epoch = voter!.state.currentEpoch + 1;
    replica!.state.currentEpoch = epoch;
    replica!.state.broadcastAuthRequest(false);
    network.deliver();
    expect(voter!.logs).toContain(`Failover auth denied to ${replica!.name}: its master is up`);
    // Forced (a manual failover): granted, then refused in the same epoch.
    replica!.state.broadcastAuthRequest(true);
    network.deliver();
    expect(voter!.logs).toContain(`Failover auth granted to ${replica!.name} for epoch ${epoch}`);
    replica!.state.broadcastAuthRequest(true);
    network.deliver();
    expect(voter!.logs).toContain(
      `Failover auth denied to ${replica!.name}: already voted for epoch ${epoch}`,
    );
    expect(voter!.state.lastVoteEpoch).toBe(epoch);
  });

  it('CLUSTER FAILOVER: the master pauses writes, the replica catches up and wins', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [1, 0, 0]);
    const [master, replica] = shards[0]!;
    master!.offset = 500;
    replica!.offset = 400;
    replica!.state.failover.startManual('default');
    network.run(200);
    expect(master!.logs).toContain(`Manual failover requested by replica ${replica!.name}.`);
    expect(master!.pausedUntil).toBeGreaterThan(network.now);
    expect(replica!.logs).toContain(
      'Received replication offset for paused master manual failover: 500',
    );
    // Not caught up yet: no election.
    network.run(500);
    expect(replica!.state.myself.isReplica).toBe(true);
    replica!.offset = 500;
    runUntil(network, 3000, () => replica!.state.myself.isMaster);
    expect(replica!.logs).toContain(
      'All master replication stream processed, manual failover can start.',
    );
    expect(replica!.logs).toContain("Failover election won: I'm the new master.");
    runUntil(network, 3000, () => master!.state.myself.isReplica);
    expect(master!.state.myself.replicaOf?.name).toBe(replica!.name);
    expect(master!.pausedUntil).toBe(0);
  });

  it('a manual failover that cannot complete times out', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [1, 0, 0]);
    const [master, replica] = shards[0]!;
    master!.offset = 500;
    replica!.state.failover.startManual('default');
    network.run(6000);
    expect(replica!.logs).toContain('Manual failover timed out.');
    expect(master!.logs).toContain('Manual failover timed out.');
    expect(master!.pausedUntil).toBe(0);
    expect(replica!.state.myself.isReplica).toBe(true);
  });

  it('a replica whose data is too old does not fail over, and says why', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [0, 0, 1]);
    const [master, replica] = shards[2]!;
    replica!.dataAge = 1_000_000;
    master!.up = false;
    network.run(10_000);
    expect(replica!.state.myself.isReplica).toBe(true);
    expect(replica!.logs).toContain(
      "Currently unable to failover: Disconnected from master for longer than allowed. Please check the 'cluster-replica-validity-factor' configuration option.",
    );
  });

  it('cluster-replica-no-failover: the flag spreads and the replica does not take over', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [0, 0, 1]);
    const [master, replica] = shards[2]!;
    (replica!.settings as { replicaNoFailover: boolean }).replicaNoFailover = true;
    network.run(2000);
    expect(shards[0]![0]!.known().get(replica!.name)![2]).toBe('slave,nofailover');
    master!.up = false;
    network.run(10_000);
    expect(replica!.state.myself.isReplica).toBe(true);
    expect(replica!.logs.some((line) => line.startsWith('Starting a failover election'))).toBe(
      false,
    );
  });

  it('a spare replica migrates to a master left without replicas', () => {
    const network = new Network();
    const shards = mastersWithReplicas(network, [2, 1, 0]);
    const [, spareA, spareB] = shards[0]!;
    const [orphan, lost] = shards[1]!;
    lost!.up = false;
    const migrant = spareA!.name < spareB!.name ? spareA! : spareB!;
    runUntil(network, 20_000, () => migrant.state.myself.replicaOf?.name === orphan!.name);
    expect(migrant.logs).toContain(`Migrating to orphaned master ${orphan!.name}`);
    const other = migrant === spareA ? spareB! : spareA!;
    expect(other.state.myself.replicaOf?.name).toBe(shards[0]![0]!.name);
  });

  it('drops a link whose send buffer outgrows cluster-link-sendbuf-limit, then links again', () => {
    const network = new Network();
    const [a, b] = threeMasters(network);
    (a!.settings as { linkSendBufferLimit: number }).linkSendBufferLimit = 1000;
    const node = a!.state.lookup(b!.name)!;
    const stuck = node.link as MemoryLink;
    stuck.sendBufferAllocated = 5000;
    network.run(100);
    expect(a!.state.linksBufferLimitExceeded).toBe(1);
    expect(a!.logs).toContain(
      `Freeing cluster link(to node ${b!.name}, used memory: 5000) due to exceeding send buffer memory limit.`,
    );
    network.run(1000);
    expect(node.link).not.toBeNull();
    expect(node.link).not.toBe(stuck);
    expect(a!.state.linksBufferLimitExceeded).toBe(1);
  });

  it('drops received messages of the type DEBUG DROP-CLUSTER-PACKET-FILTER names', () => {
    const network = new Network();
    const [a, b] = threeMasters(network);
    a!.state.dropPacketFilter = 0;
    const pongs = (member: Member): number => member.state.messagesReceived[1]!;
    const before = pongs(b!);
    b!.state.sendPing(b!.state.lookup(a!.name)!.link!, 'ping');
    network.deliver();
    expect(a!.logs).toContain('Dropping packet that matches debug drop filter');
    // The PING was counted but not answered.
    expect(pongs(b!)).toBe(before);
    a!.state.dropPacketFilter = -1;
    b!.state.sendPing(b!.state.lookup(a!.name)!.link!, 'ping');
    network.deliver();
    expect(pongs(b!)).toBe(before + 1);
  });

  it('refuses MEET to a bad address or port', () => {
    const network = new Network();
    const a = network.add(7000);
    expect(a.state.meet('not-an-ip', 7001, 17001)).toBe('invalid');
    expect(a.state.meet('127.0.0.1', 0, 17001)).toBe('invalid');
    expect(a.state.meet('127.0.0.1', 7001, 70000)).toBe('invalid');
    expect(a.state.meet('::1', 7001, 17001)).toBe('started');
    expect(a.state.meet('::1', 7001, 17001)).toBe('in-progress');
  });

  it('forgets a handshake that never completes after the node timeout', () => {
    const network = new Network();
    const a = network.add(7000);
    a.state.meet('127.0.0.1', 7999, 17999);
    expect(a.state.nodes.size).toBe(2);
    network.run(1500);
    expect(a.state.nodes.size).toBe(1);
  });

  it('writes nodes.conf and reads it back to the same view', () => {
    const network = new Network();
    const [a] = threeMasters(network);
    a!.state.migratingTo[42] = a!.state.lookup([...a!.known().keys()][1]!)!;
    const text = formatNodesConfig(a!.state);
    expect(text).toMatch(/\nvars currentEpoch 3 lastVoteEpoch 0\n$/);
    const reloaded = parseNodesConfig(text, a!);
    expect(reloaded.myself.name).toBe(a!.name);
    const normalize = (description: string): string =>
      description
        .split('\n')
        .map((line) =>
          line.split(' ').filter((_, index) => index !== 4 && index !== 5 && index !== 7),
        )
        .map((fields) => fields.join(' '))
        .sort()
        .join('\n');
    expect(normalize(reloaded.describeNodes(NodeFlag.handshake, false))).toBe(
      normalize(a!.state.describeNodes(NodeFlag.handshake, false)),
    );
    expect(reloaded.currentEpoch).toBe(3);
  });

  it('rejects a corrupt nodes.conf', () => {
    const network = new Network();
    const a = network.add(7000);
    expect(() =>
      parseNodesConfig('abc 127.0.0.1:7000@17000 myself,master - 0 0 0 connected\n', a),
    ).toThrow('Unrecoverable error: corrupted cluster config file.');
    expect(() => parseNodesConfig('vars currentEpoch 1\n', a)).toThrow();
  });
});
