import type { ClusterNode, ClusterState } from '@rc/cluster';
import type { Client } from '../client.js';
import { preferredEndpoint, type EndpointType } from '../cluster-mode.js';

/*
 * The replies that describe the cluster as this node sees it: CLUSTER SLOTS, SHARDS, INFO and
 * LINKS, in Redis 7.0's shapes.
 */

/** A replica CLUSTER SLOTS lists: not failing, and synced at least once. */
function replicaAvailable(node: ClusterNode, cluster: ClusterState, myOffset: number): boolean {
  if (node.failed) return false;
  return (node === cluster.myself ? myOffset : node.replicationOffset) !== 0;
}

/** [endpoint, port, id, {other endpoints}] for CLUSTER SLOTS. */
function nodeEntry(client: Client, node: ClusterNode, endpoint: EndpointType): void {
  const out = client.out;
  out.array(4);
  if (endpoint === 'unknown-endpoint') out.nullBulk();
  else out.bulk(preferredEndpoint(node, endpoint));
  out.integer(node.port);
  out.bulk(node.name);
  const withIp = endpoint !== 'ip';
  const withHostname = endpoint !== 'hostname' && node.hostname !== '';
  out.map(Number(withIp) + Number(withHostname));
  if (withIp) {
    out.bulk('ip');
    out.bulk(node.ip);
  }
  if (withHostname) {
    out.bulk('hostname');
    out.bulk(node.hostname);
  }
}

/** The owner of each run of consecutive slots, as [start, end, owner]. */
function slotRuns(cluster: ClusterState): Array<[number, number, ClusterNode]> {
  const runs: Array<[number, number, ClusterNode]> = [];
  const owners = cluster.slotOwners;
  let start = 0;
  for (let slot = 1; slot <= owners.length; slot++) {
    if (slot < owners.length && owners[slot] === owners[start]) continue;
    const owner = owners[start];
    if (owner !== null && owner !== undefined) runs.push([start, slot - 1, owner]);
    start = slot;
  }
  return runs;
}

export function replySlots(
  client: Client,
  cluster: ClusterState,
  endpoint: EndpointType,
  myOffset: number,
): void {
  const runs = slotRuns(cluster);
  client.out.array(runs.length);
  for (const [start, end, owner] of runs) {
    const replicas = owner.replicas.filter((replica) =>
      replicaAvailable(replica, cluster, myOffset),
    );
    client.out.array(3 + replicas.length);
    client.out.integer(start);
    client.out.integer(end);
    nodeEntry(client, owner, endpoint);
    for (const replica of replicas) nodeEntry(client, replica, endpoint);
  }
}

export function replyShards(
  client: Client,
  cluster: ClusterState,
  endpoint: EndpointType,
  myOffset: number,
): void {
  const runs = slotRuns(cluster);
  const masters = [...cluster.nodes.values()].filter((node) => node.isMaster);
  const out = client.out;
  out.array(masters.length);
  for (const master of masters) {
    out.map(2);
    out.bulk('slots');
    const owned = runs.filter(([, , owner]) => owner === master);
    out.array(owned.length * 2);
    for (const [start, end] of owned) {
      out.integer(start);
      out.integer(end);
    }
    out.bulk('nodes');
    const members = [master, ...master.replicas];
    out.array(members.length);
    for (const node of members) shardNode(client, node, cluster, endpoint, myOffset);
  }
}

function shardNode(
  client: Client,
  node: ClusterNode,
  cluster: ClusterState,
  endpoint: EndpointType,
  myOffset: number,
): void {
  const out = client.out;
  const offset = node === cluster.myself ? myOffset : node.replicationOffset;
  const fields: Array<[string, string | number]> = [['id', node.name]];
  if (node.port !== 0) fields.push(['port', node.port]);
  fields.push(['ip', node.ip], ['endpoint', preferredEndpoint(node, endpoint)]);
  if (node.hostname !== '') fields.push(['hostname', node.hostname]);
  fields.push(
    ['role', node.isReplica ? 'replica' : 'master'],
    ['replication-offset', offset],
    ['health', node.failed ? 'fail' : node.isReplica && offset === 0 ? 'loading' : 'online'],
  );
  out.map(fields.length);
  for (const [name, value] of fields) {
    out.bulk(name);
    if (typeof value === 'number') out.integer(value);
    else out.bulk(value);
  }
}

export function clusterInfo(cluster: ClusterState): string {
  let assigned = 0;
  let ok = 0;
  let pfail = 0;
  let fail = 0;
  for (const owner of cluster.slotOwners) {
    if (owner === null) continue;
    assigned++;
    if (owner.failed) fail++;
    else if (owner.timedOut) pfail++;
    else ok++;
  }
  const myself = cluster.myself;
  const myEpoch =
    myself.isReplica && myself.replicaOf !== null
      ? myself.replicaOf.configEpoch
      : myself.configEpoch;
  const lines = [
    `cluster_state:${cluster.state}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${ok}`,
    `cluster_slots_pfail:${pfail}`,
    `cluster_slots_fail:${fail}`,
    `cluster_known_nodes:${cluster.nodes.size}`,
    `cluster_size:${cluster.size}`,
    `cluster_current_epoch:${cluster.currentEpoch}`,
    `cluster_my_epoch:${myEpoch}`,
  ];
  const stats = cluster.messageStats();
  let sent = 0;
  for (const [type, count] of stats) {
    if (count === 0) continue;
    sent += count;
    lines.push(`cluster_stats_messages_${type}_sent:${count}`);
  }
  lines.push(`cluster_stats_messages_sent:${sent}`);
  let received = 0;
  for (const [type, , count] of stats) {
    if (count === 0) continue;
    received += count;
    lines.push(`cluster_stats_messages_${type}_received:${count}`);
  }
  lines.push(
    `cluster_stats_messages_received:${received}`,
    `total_cluster_links_buffer_limit_exceeded:${cluster.linksBufferLimitExceeded}`,
  );
  return `${lines.join('\r\n')}\r\n`;
}

export function replyLinks(client: Client, cluster: ClusterState): void {
  const links = cluster.links();
  const out = client.out;
  out.array(links.length);
  for (const link of links) {
    out.map(6);
    out.bulk('direction');
    out.bulk(link.inbound ? 'from' : 'to');
    out.bulk('node');
    out.bulk(link.node!.name);
    out.bulk('create-time');
    out.integer(link.createdAt);
    out.bulk('events');
    out.bulk(link.events);
    out.bulk('send-buffer-allocated');
    out.integer(link.sendBufferAllocated);
    out.bulk('send-buffer-used');
    out.integer(link.sendBufferUsed);
  }
}
