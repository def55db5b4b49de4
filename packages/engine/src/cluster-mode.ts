import { keyHashSlot, type ClusterNode, type ClusterState } from '@rc/cluster';
import type { Client } from './client.js';
import type { CommandEntry } from './command-table.js';
import type { Config } from './config.js';
import { commandKeys } from './command-metadata/command-keys.js';
import { metadataOf } from './command-metadata/command-description.js';
import type { Database } from './keyspace.js';
import type { Engine } from './engine.js';

/**
 * What the engine asks of whoever runs cluster mode (the daemon, which owns the bus sockets and
 * the nodes.conf file). An engine without one is a standalone server.
 */
export interface ClusterMode {
  readonly state: ClusterState;
  /** Writes nodes.conf now (CLUSTER SAVECONFIG); the error's text when that fails. */
  saveConfig(): string | null;
  /** Our replication offset as the bus announces it (a replica's is 0 while it full-syncs). */
  replicationOffset(): number;
}

/** The commands that address shard channels rather than keys. */
const SHARD_PUBSUB = new Set(['ssubscribe', 'sunsubscribe', 'spublish']);

export type EndpointType = 'ip' | 'hostname' | 'unknown-endpoint';

/** cluster-preferred-endpoint-type: what MOVED, ASK, CLUSTER SLOTS and SHARDS name nodes by. */
export function endpointType(config: Config): EndpointType {
  return config.get('cluster-preferred-endpoint-type') as EndpointType;
}

/** How a node is named to clients. */
export function preferredEndpoint(node: ClusterNode, type: EndpointType): string {
  if (type === 'ip') return node.ip;
  if (type === 'hostname') return node.hostname === '' ? '?' : node.hostname;
  return '';
}

/** What routing learned from a request's keys (one instance, reset per request: routing never nests). */
const scan = {
  firstKey: null as string | null,
  slot: 0,
  owner: null as ClusterNode | null,
  migrating: false,
  importing: false,
  multipleKeys: false,
  missingKeys: 0,
  existingKeys: 0,
  shardPubsub: false,
};

function startScan(shardPubsub: boolean): void {
  scan.firstKey = null;
  scan.slot = 0;
  scan.owner = null;
  scan.migrating = false;
  scan.importing = false;
  scan.multipleKeys = false;
  scan.missingKeys = 0;
  scan.existingKeys = 0;
  scan.shardPubsub = shardPubsub;
}

/** Takes in one key of the request; the error when that alone settles it (no owner, CROSSSLOT). */
function scanKey(cluster: ClusterState, db: Database, key: string): string | null {
  if (scan.firstKey === null) {
    const slot = keyHashSlot(key);
    scan.firstKey = key;
    scan.slot = slot;
    const owner = cluster.slotOwners[slot] ?? null;
    if (owner === null) return 'CLUSTERDOWN Hash slot not served';
    scan.owner = owner;
    if (owner === cluster.myself && cluster.migratingTo[slot] !== null) scan.migrating = true;
    else if (cluster.importingFrom[slot] !== null) scan.importing = true;
  } else if (key !== scan.firstKey) {
    if (keyHashSlot(key) !== scan.slot) {
      return "CROSSSLOT Keys in request don't hash to the same slot";
    }
    scan.multipleKeys = true;
  }
  if ((scan.migrating || scan.importing) && !scan.shardPubsub) {
    if (db.data.has(key) && !db.isExpired(key)) scan.existingKeys++;
    else scan.missingKeys++;
  }
  return null;
}

/**
 * Whether this node serves a command, as Redis's getNodeByQuery: all its keys (of every queued
 * command for EXEC) must hash to one slot this node serves, or to a slot it is importing when
 * the client said ASKING, or, on a replica with READONLY, one its master serves. Returns null
 * to serve it here, else the error that redirects the client (MOVED, ASK, CROSSSLOT, TRYAGAIN,
 * CLUSTERDOWN).
 */
export function routeCommand(
  cluster: ClusterState,
  config: Config,
  client: Client,
  db: Database,
  calls: ReadonlyArray<readonly [CommandEntry, readonly string[]]>,
  /** Whether a call writes: a script by the flags it declares, as Redis's getCommandFlags. */
  isWrite: (entry: CommandEntry, argv: readonly string[]) => boolean,
): string | null {
  let writes = false;
  let asking = client.asking;
  startScan(calls.length === 1 && SHARD_PUBSUB.has(calls[0]![0].fullName));
  for (const [entry, argv] of calls) {
    if (isWrite(entry, argv)) writes = true;
    if (entry.spec.flags.includes('asking')) asking = true;
    for (const { index } of commandKeys(metadataOf(entry), argv, true)) {
      const error = scanKey(cluster, db, argv[index]!);
      if (error !== null) return error;
    }
  }
  const command = calls.length === 1 ? calls[0]![0].fullName : 'exec';
  return verdict(cluster, config, client, writes, asking, command);
}

/** routeCommand for a command whose one key is `key` (CommandEntry.keyRouting). */
export function routeOneKey(
  cluster: ClusterState,
  config: Config,
  client: Client,
  db: Database,
  entry: CommandEntry,
  key: string,
  writes: boolean,
): string | null {
  startScan(SHARD_PUBSUB.has(entry.fullName));
  const error = scanKey(cluster, db, key);
  if (error !== null) return error;
  const asking = client.asking || entry.spec.flags.includes('asking');
  return verdict(cluster, config, client, writes, asking, entry.fullName);
}

/** getNodeByQuery's decision once the keys are scanned. */
function verdict(
  cluster: ClusterState,
  config: Config,
  client: Client,
  writes: boolean,
  asking: boolean,
  command: string,
): string | null {
  const { owner, slot, migrating, importing, shardPubsub } = scan;
  if (owner === null) return null;
  // The configs are read only on these rarer paths: most commands are served right here.
  if (cluster.state !== 'ok') {
    if (shardPubsub) {
      if (config.get('cluster-allow-pubsubshard-when-down') !== 'yes') {
        return 'CLUSTERDOWN The cluster is down';
      }
    } else if (config.get('cluster-allow-reads-when-down') !== 'yes') {
      return 'CLUSTERDOWN The cluster is down';
    } else if (writes) {
      return 'CLUSTERDOWN The cluster is down and only accepts read commands';
    }
  }
  if ((migrating || importing) && command === 'migrate') return null;
  if (migrating && scan.missingKeys > 0) {
    if (scan.existingKeys > 0) return 'TRYAGAIN Multiple keys request during rehashing of slot';
    return redirection('ASK', slot, cluster.migratingTo[slot]!, config);
  }
  if (importing && asking) {
    if (scan.multipleKeys && scan.missingKeys > 0) {
      return 'TRYAGAIN Multiple keys request during rehashing of slot';
    }
    return null;
  }
  const myself = cluster.myself;
  if (
    (client.readonlyCluster || shardPubsub) &&
    !writes &&
    myself.isReplica &&
    myself.replicaOf === owner
  ) {
    return null;
  }
  return owner === myself ? null : redirection('MOVED', slot, owner, config);
}

function redirection(
  kind: 'MOVED' | 'ASK',
  slot: number,
  node: ClusterNode,
  config: Config,
): string {
  return `${kind} ${slot} ${preferredEndpoint(node, endpointType(config))}:${node.port}`;
}

/**
 * Clients blocked on keys this node no longer serves (their slot moved, or the cluster went
 * down) get the redirection they would get now, as Redis's clusterRedirectBlockedClientIfNeeded
 * run by its clients cron; otherwise they would wait for a write that never comes here.
 */
export function redirectBlockedClients(engine: Engine, cluster: ClusterState): void {
  for (const client of engine.clients.values()) {
    const blocked = client.blocked;
    if (blocked === null || blocked.kind === null || blocked.keys.length === 0) continue;
    let error: string | null = null;
    if (cluster.state === 'fail') {
      error = 'CLUSTERDOWN The cluster is down';
    } else {
      // Every key of a blocking command is in one slot: the first tells.
      const slot = keyHashSlot(blocked.keys[0]!);
      let owner = cluster.slotOwners[slot] ?? null;
      const myself = cluster.myself;
      if (
        client.readonlyCluster &&
        engine.commands.lookup(client.lastCommand)?.isWrite === false &&
        myself.isReplica &&
        myself.replicaOf === owner
      ) {
        owner = myself;
      }
      if (owner !== myself && cluster.importingFrom[slot] === null) {
        error =
          owner === null
            ? 'CLUSTERDOWN Hash slot not served'
            : redirection('MOVED', slot, owner, engine.config);
      }
    }
    if (error === null) continue;
    engine.blocking.unblock(client);
    client.out.error(error);
    client.connection.resume();
  }
}

/** The slot of a call's first key, or -1 for a call without keys. */
function firstKeySlot(entry: CommandEntry, argv: readonly string[]): number {
  const [first] = commandKeys(metadataOf(entry), argv, true);
  return first === undefined ? -1 : keyHashSlot(argv[first.index]!);
}

/**
 * Redis's scriptVerifyClusterState: a command a script calls must be served by this node, and
 * unless the script allows cross-slot keys, all its keys must be in one slot (`slot` holds the
 * script's: its declared keys', else the first it touched; -1 until known).
 */
export function scriptClusterRefusal(
  engine: Engine,
  cluster: ClusterState,
  caller: Client,
  entry: CommandEntry,
  argv: readonly string[],
  script: { slot: number; readonly allowCrossSlot: boolean },
): string | null {
  // A command a script calls is never itself a script.
  const redirect = routeCommand(
    cluster,
    engine.config,
    caller,
    engine.databases[0]!,
    [[entry, argv]],
    (called) => called.isWrite,
  );
  if (redirect === 'CLUSTERDOWN The cluster is down and only accepts read commands') {
    return 'ERR Script attempted to execute a write command while the cluster is down and readonly';
  }
  if (redirect === 'CLUSTERDOWN The cluster is down') {
    return 'ERR Script attempted to execute a command while the cluster is down';
  }
  if (redirect !== null) return 'ERR Script attempted to access a non local key in a cluster node';
  const slot = firstKeySlot(entry, argv);
  if (slot === -1 || script.allowCrossSlot) return null;
  if (script.slot === -1) script.slot = slot;
  else if (script.slot !== slot) {
    return 'ERR Script attempted to access keys that do not hash to the same slot';
  }
  return null;
}
