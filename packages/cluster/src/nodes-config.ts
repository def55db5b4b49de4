import { NodeFlag } from './bus-message.js';
import { ClusterNode, isNodeName, parseNodeFlags } from './cluster-node.js';
import { ClusterState, type ClusterHost } from './cluster-state.js';
import { SLOT_COUNT } from './key-slot.js';

/** A nodes.conf that cannot be read: Redis exits with this line logged. */
export class CorruptNodesConfig extends Error {
  constructor() {
    super('Unrecoverable error: corrupted cluster config file.');
  }
}

/**
 * nodes.conf as Redis writes it: CLUSTER NODES's lines without handshake nodes, then
 * `vars currentEpoch <n> lastVoteEpoch <n>`.
 */
export function formatNodesConfig(state: ClusterState): string {
  return (
    state.describeNodes(NodeFlag.handshake, false) +
    `vars currentEpoch ${state.currentEpoch} lastVoteEpoch ${state.lastVoteEpoch}\n`
  );
}

/**
 * Rebuilds the cluster state a nodes.conf describes (Redis's clusterLoadConfig). Unknown
 * variables are skipped with a warning; a malformed line throws `CorruptNodesConfig`.
 */
export function parseNodesConfig(text: string, host: ClusterHost): ClusterState {
  const now = host.now();
  const nodes = new Map<string, ClusterNode>();
  const nodeNamed = (name: string): ClusterNode => {
    let node = nodes.get(name);
    if (node === undefined) {
      node = new ClusterNode(name, 0, now);
      nodes.set(name, node);
    }
    return node;
  };
  let myself: ClusterNode | null = null;
  let currentEpoch = 0;
  let lastVoteEpoch = 0;
  const slots: Array<[ClusterNode, number, number]> = [];
  const migrating: Array<[number, ClusterNode]> = [];
  const importing: Array<[number, ClusterNode]> = [];

  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0]!.toLowerCase() === 'vars') {
      if (fields.length % 2 === 0) throw new CorruptNodesConfig();
      for (let i = 1; i < fields.length; i += 2) {
        const name = fields[i]!.toLowerCase();
        const value = Number.parseInt(fields[i + 1]!, 10) || 0;
        if (name === 'currentepoch') currentEpoch = value;
        else if (name === 'lastvoteepoch') lastVoteEpoch = value;
        else host.log('warning', `Skipping unknown cluster config variable '${fields[i]}'`);
      }
      continue;
    }
    if (fields.length < 8 || !isNodeName(fields[0]!)) throw new CorruptNodesConfig();
    const node = nodeNamed(fields[0]!);
    const [addressPart, hostname = ''] = splitOnce(fields[1]!, ',');
    node.hostname = hostname;
    const colon = addressPart.lastIndexOf(':');
    if (colon === -1) throw new CorruptNodesConfig();
    node.ip = addressPart.slice(0, colon);
    const [port, busPort] = splitOnce(addressPart.slice(colon + 1), '@');
    node.port = Number.parseInt(port, 10) || 0;
    node.busPort = busPort === undefined ? node.port + 10000 : Number.parseInt(busPort, 10) || 0;
    node.flags |= parseNodeFlags(fields[2]!);
    if (node.has(NodeFlag.myself)) myself = node;
    if (node.failed) node.failTime = now;
    if (!fields[3]!.startsWith('-')) {
      if (!isNodeName(fields[3]!)) throw new CorruptNodesConfig();
      const master = nodeNamed(fields[3]!);
      node.replicaOf = master;
      master.addReplica(node);
    }
    if (Number.parseInt(fields[4]!, 10)) node.pingSent = now;
    if (Number.parseInt(fields[5]!, 10)) node.pongReceived = now;
    node.configEpoch =
      node.isReplica && node.replicaOf !== null ? 0 : Number.parseInt(fields[6]!, 10) || 0;
    for (const item of fields.slice(8)) {
      const open = /^\[(\d+)-([<>])-([^\]]*)\]$/.exec(item);
      if (open !== null) {
        const slot = Number(open[1]);
        if (slot >= SLOT_COUNT || !isNodeName(open[3]!)) throw new CorruptNodesConfig();
        (open[2] === '>' ? migrating : importing).push([slot, nodeNamed(open[3]!)]);
        continue;
      }
      const [first, last = first] = splitOnce(item, '-');
      const start = Number.parseInt(first, 10);
      const stop = Number.parseInt(last, 10);
      if (!(start >= 0 && start < SLOT_COUNT && stop >= 0 && stop < SLOT_COUNT)) {
        throw new CorruptNodesConfig();
      }
      slots.push([node, start, stop]);
    }
  }
  if (myself === null) throw new CorruptNodesConfig();

  const state = new ClusterState(host, myself);
  for (const node of nodes.values()) if (node !== myself) state.addNode(node);
  for (const [node, start, stop] of slots) {
    for (let slot = start; slot <= stop; slot++) state.addSlot(node, slot);
  }
  for (const [slot, node] of migrating) state.migratingTo[slot] = node;
  for (const [slot, node] of importing) state.importingFrom[slot] = node;
  state.currentEpoch = Math.max(currentEpoch, state.maxEpoch());
  state.lastVoteEpoch = lastVoteEpoch;
  host.log('notice', `Node configuration loaded, I'm ${myself.name}`);
  return state;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
