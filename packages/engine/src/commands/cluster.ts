import {
  isNodeName,
  keyHashSlot,
  randomNodeName,
  SLOT_COUNT,
  type ClusterState,
} from '@rc/cluster';
import type { Client } from '../client.js';
import { endpointType, type ClusterMode } from '../cluster-mode.js';
import type { Engine } from '../engine.js';
import { arityError, Errors, subcommandSyntaxError } from '../errors.js';
import {
  clusterInfo as clusterInfoText,
  replyLinks,
  replyShards,
  replySlots,
} from './cluster-topology.js';
import { ok, replyHelp } from '../replies.js';
import { integerArgument } from '../arguments.js';

/**
 * CLUSTER and the cluster-only connection commands. Without cluster-enabled every one replies
 * that cluster support is disabled, as Redis's do; with it they act on the node's ClusterState
 * (the daemon runs the bus and keeps nodes.conf).
 */
type ClusterHandler = (client: Client, argv: string[], engine: Engine, mode: ClusterMode) => void;

/** Runs a cluster command, or refuses it as Redis does when cluster mode is off. */
function inClusterMode(
  client: Client,
  argv: string[],
  engine: Engine,
  handler: ClusterHandler,
): void {
  if (engine.cluster === undefined) {
    client.out.error('ERR This instance has cluster support disabled');
    return;
  }
  handler(client, argv, engine, engine.cluster);
}

/** A slot number, or null after Redis's error for one out of range. */
function slotArgument(client: Client, text: string): number | null {
  const slot = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(slot >= 0 && slot < SLOT_COUNT)) {
    client.out.error('ERR Invalid or out of range slot');
    return null;
  }
  return slot;
}

/** The node a command names, or null after Redis's `Unknown node` error. */
function knownNode(client: Client, state: ClusterState, name: string) {
  const node = isNodeName(name) ? state.lookup(name) : undefined;
  if (node === undefined) client.out.error(`ERR Unknown node ${name}`);
  return node ?? null;
}

const CLUSTER_HELP: readonly string[] = [
  'CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ADDSLOTS <slot> [<slot> ...]',
  '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH',
  '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>',
  '    Return number of failure reports for <node-id>.',
  'COUNTKEYSINSLOT <slot>',
  '    Return the number of keys in <slot>.',
  'DELSLOTS <slot> [<slot> ...]',
  '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FAILOVER [FORCE|TAKEOVER]',
  '    Promote current replica node to being a master.',
  'FORGET <node-id>',
  '    Remove a node from the cluster.',
  'GETKEYSINSLOT <slot> <count>',
  '    Return key names stored by current node in a slot.',
  'FLUSHSLOTS',
  '    Delete current node own slots information.',
  'INFO',
  '    Return information about the cluster.',
  'KEYSLOT <key>',
  '    Return the hash slot for <key>.',
  'MEET <ip> <port> [<bus-port>]',
  '    Connect nodes into a working cluster.',
  'MYID',
  '    Return the node id.',
  'NODES',
  '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICATE <node-id>',
  '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]',
  '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>',
  '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)',
  '    Set slot state.',
  'REPLICAS <node-id>',
  '    Return <node-id> replicas.',
  'SAVECONFIG',
  '    Force saving cluster configuration on disk.',
  'SLOTS',
  '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS',
  '    Return information about slot range mappings and the nodes associated with them.',
  'LINKS',
  '    Return information about all network links between this node and its peers.',
  '    Output format is an array where each array element is a map containing attributes of a link',
  'HELP',
  '    Prints this help.',
];

function meet(client: Client, argv: string[], _engine: Engine, { state }: ClusterMode): void {
  const port = Number(argv[3]);
  if (!/^-?\d+$/.test(argv[3]!)) {
    client.out.error(`ERR Invalid TCP base port specified: ${argv[3]}`);
    return;
  }
  let busPort = port + 10000;
  if (argv.length === 5) {
    if (!/^-?\d+$/.test(argv[4]!)) {
      client.out.error(`ERR Invalid TCP bus port specified: ${argv[4]}`);
      return;
    }
    busPort = Number(argv[4]);
  } else if (argv.length !== 4) {
    client.out.error(subcommandSyntaxError('cluster', argv[1]!));
    return;
  }
  if (state.meet(argv[2]!, port, busPort) === 'invalid') {
    client.out.error(`ERR Invalid node address specified: ${argv[2]}:${argv[3]}`);
    return;
  }
  ok(client);
}

function nodes(client: Client, _argv: string[], _engine: Engine, { state }: ClusterMode): void {
  client.out.verbatim('txt', state.describeNodes(0, false));
}

function myId(client: Client, _argv: string[], _engine: Engine, { state }: ClusterMode): void {
  client.out.bulk(state.myself.name);
}

function slots(client: Client, _argv: string[], engine: Engine, mode: ClusterMode): void {
  replySlots(client, mode.state, endpointType(engine.config), mode.replicationOffset());
}

function shards(client: Client, _argv: string[], engine: Engine, mode: ClusterMode): void {
  replyShards(client, mode.state, endpointType(engine.config), mode.replicationOffset());
}

function info(client: Client, _argv: string[], _engine: Engine, { state }: ClusterMode): void {
  client.out.verbatim('txt', clusterInfoText(state));
}

function links(client: Client, _argv: string[], _engine: Engine, { state }: ClusterMode): void {
  replyLinks(client, state);
}

function flushSlots(client: Client, _argv: string[], engine: Engine, { state }: ClusterMode): void {
  if (engine.databases[0]!.size !== 0) {
    client.out.error('ERR DB must be empty to perform CLUSTER FLUSHSLOTS.');
    return;
  }
  state.deleteNodeSlots(state.myself);
  state.schedule({ updateState: true, saveConfig: true });
  ok(client);
}

/**
 * ADDSLOTS/DELSLOTS and their RANGE forms: every slot checked (free to add, assigned to
 * delete, named once) before any changes.
 */
function changeSlots(
  client: Client,
  argv: string[],
  { state }: ClusterMode,
  remove: boolean,
  ranges: boolean,
): void {
  {
    if (ranges && argv.length % 2 === 1) {
      client.out.error(arityError(`cluster|${argv[1]!.toLowerCase()}`));
      return;
    }
    const parsed: number[] = [];
    for (let i = 2; i < argv.length; i++) {
      const slot = slotArgument(client, argv[i]!);
      if (slot === null) return;
      parsed.push(slot);
    }
    const chosen = new Uint8Array(SLOT_COUNT);
    const step = ranges ? 2 : 1;
    for (let i = 0; i < parsed.length; i += step) {
      const start = parsed[i]!;
      const end = ranges ? parsed[i + 1]! : start;
      if (start > end) {
        client.out.error(`ERR start slot number ${start} is greater than end slot number ${end}`);
        return;
      }
      for (let slot = start; slot <= end; slot++) {
        const owner = state.slotOwners[slot];
        if (remove && owner === null) {
          client.out.error(`ERR Slot ${slot} is already unassigned`);
          return;
        }
        if (!remove && owner !== null) {
          client.out.error(`ERR Slot ${slot} is already busy`);
          return;
        }
        if (chosen[slot]++ === 1) {
          client.out.error(`ERR Slot ${slot} specified multiple times`);
          return;
        }
      }
    }
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (chosen[slot] === 0) continue;
      state.importingFrom[slot] = null;
      if (remove) state.deleteSlot(slot);
      else state.addSlot(state.myself, slot);
    }
    state.schedule({ updateState: true, saveConfig: true });
    ok(client);
  }
}

function setSlot(client: Client, argv: string[], engine: Engine, { state }: ClusterMode): void {
  const myself = state.myself;
  if (myself.isReplica) {
    client.out.error('ERR Please use SETSLOT only with masters.');
    return;
  }
  const slot = slotArgument(client, argv[2]!);
  if (slot === null) return;
  const action = argv[3]!.toLowerCase();
  const target = (missing: string) => {
    const node = isNodeName(argv[4]!) ? state.lookup(argv[4]!) : undefined;
    if (node === undefined) {
      client.out.error(`ERR ${missing} ${argv[4]}`);
      return null;
    }
    if (node.isReplica) {
      client.out.error('ERR Target node is not a master');
      return null;
    }
    return node;
  };
  if (action === 'migrating' && argv.length === 5) {
    if (state.slotOwners[slot] !== myself) {
      client.out.error(`ERR I'm not the owner of hash slot ${slot}`);
      return;
    }
    const node = target("I don't know about node");
    if (node === null) return;
    state.migratingTo[slot] = node;
  } else if (action === 'importing' && argv.length === 5) {
    if (state.slotOwners[slot] === myself) {
      client.out.error(`ERR I'm already the owner of hash slot ${slot}`);
      return;
    }
    const node = target("I don't know about node");
    if (node === null) return;
    state.importingFrom[slot] = node;
  } else if (action === 'stable' && argv.length === 4) {
    state.importingFrom[slot] = null;
    state.migratingTo[slot] = null;
  } else if (action === 'node' && argv.length === 5) {
    const node = target('Unknown node');
    if (node === null) return;
    const wasMine = state.slotOwners[slot] === myself;
    const holdsKeys = engine.databases[0]!.countKeysInSlot(slot) !== 0;
    if (wasMine && node !== myself && holdsKeys) {
      client.out.error(
        `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`,
      );
      return;
    }
    if (!holdsKeys && state.migratingTo[slot] !== null) state.migratingTo[slot] = null;
    state.deleteSlot(slot);
    state.addSlot(node, slot);
    if (
      wasMine &&
      node !== myself &&
      myself.slotCount === 0 &&
      engine.config.get('cluster-allow-replica-migration') === 'yes'
    ) {
      engine.log(
        'warning',
        `Configuration change detected. Reconfiguring myself as a replica of ${node.name}`,
      );
      state.setMyMaster(node);
      state.schedule({ saveConfig: true, updateState: true, fsyncConfig: true });
    }
    if (node === myself && state.importingFrom[slot] !== null) {
      // A slot moved by hand: a new epoch so that the cluster takes the new owner.
      if (state.bumpConfigEpoch()) {
        engine.log('warning', `configEpoch updated after importing slot ${slot}`);
      }
      state.importingFrom[slot] = null;
      state.broadcastPong();
    }
  } else {
    client.out.error('ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP');
    return;
  }
  state.schedule({ saveConfig: true, updateState: true });
  ok(client);
}

function bumpEpoch(client: Client, _argv: string[], _engine: Engine, { state }: ClusterMode): void {
  const bumped = state.bumpConfigEpoch();
  client.out.simple(`${bumped ? 'BUMPED' : 'STILL'} ${state.myself.configEpoch}`);
}

function saveConfig(client: Client, _argv: string[], _engine: Engine, mode: ClusterMode): void {
  const error = mode.saveConfig();
  if (error === null) ok(client);
  else client.out.error(`ERR error saving the cluster node config: ${error}`);
}

function keySlot(client: Client, argv: string[]): void {
  client.out.integer(keyHashSlot(argv[2]!));
}

function countKeysInSlot(client: Client, argv: string[], engine: Engine): void {
  const slot = integerArgument(client, argv[2]!);
  if (slot === null) return;
  if (slot < 0 || slot >= SLOT_COUNT) {
    client.out.error('ERR Invalid slot');
    return;
  }
  client.out.integer(engine.databases[0]!.countKeysInSlot(slot));
}

function getKeysInSlot(client: Client, argv: string[], engine: Engine): void {
  const slot = integerArgument(client, argv[2]!);
  if (slot === null) return;
  const count = integerArgument(client, argv[3]!);
  if (count === null) return;
  if (slot < 0 || slot >= SLOT_COUNT || count < 0) {
    client.out.error('ERR Invalid slot or number of keys');
    return;
  }
  const keys = engine.databases[0]!.keysInSlot(slot, count);
  client.out.array(keys.length);
  for (const key of keys) client.out.bulk(key);
}

function forget(client: Client, argv: string[], _engine: Engine, { state }: ClusterMode): void {
  const node = knownNode(client, state, argv[2]!);
  if (node === null) return;
  if (node === state.myself) {
    client.out.error("ERR I tried hard but I can't forget myself...");
    return;
  }
  if (state.myself.isReplica && state.myself.replicaOf === node) {
    client.out.error("ERR Can't forget my master!");
    return;
  }
  state.forget(node);
  ok(client);
}

function replicate(client: Client, argv: string[], engine: Engine, { state }: ClusterMode): void {
  const node = knownNode(client, state, argv[2]!);
  if (node === null) return;
  const myself = state.myself;
  if (node === myself) {
    client.out.error("ERR Can't replicate myself");
    return;
  }
  if (node.isReplica) {
    client.out.error('ERR I can only replicate a master, not a replica.');
    return;
  }
  if (myself.isMaster && (myself.slotCount !== 0 || engine.databases[0]!.size !== 0)) {
    client.out.error('ERR To set a master the node must be empty and without assigned slots.');
    return;
  }
  state.setMyMaster(node);
  state.schedule({ updateState: true, saveConfig: true });
  ok(client);
}

function replicas(client: Client, argv: string[], _engine: Engine, { state }: ClusterMode): void {
  const node = knownNode(client, state, argv[2]!);
  if (node === null) return;
  if (node.isReplica) {
    client.out.error('ERR The specified node is not a master');
    return;
  }
  client.out.array(node.replicas.length);
  for (const replica of node.replicas) client.out.bulk(state.describeNode(replica, false));
}

function countFailureReports(
  client: Client,
  argv: string[],
  _engine: Engine,
  { state }: ClusterMode,
): void {
  const node = knownNode(client, state, argv[2]!);
  if (node === null) return;
  client.out.integer(state.failureReports(node));
}

function failover(client: Client, argv: string[], engine: Engine, { state }: ClusterMode): void {
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('cluster', argv[1]!));
    return;
  }
  const option = argv[2]?.toLowerCase();
  if (option !== undefined && option !== 'force' && option !== 'takeover') {
    client.out.error(Errors.syntax);
    return;
  }
  const myself = state.myself;
  if (myself.isMaster) {
    client.out.error('ERR You should send CLUSTER FAILOVER to a replica');
    return;
  }
  const master = myself.replicaOf;
  if (master === null) {
    client.out.error("ERR I'm a replica but my master is unknown to me");
    return;
  }
  if (option === undefined && (master.failed || master.link === null)) {
    client.out.error('ERR Master is down or failed, please use CLUSTER FAILOVER FORCE');
    return;
  }
  const mode = option ?? 'default';
  state.failover.startManual(mode);
  if (mode === 'takeover') {
    // No election: a new epoch of our own, and the master's slots.
    engine.log('warning', 'Taking over the master (user request).');
    state.bumpConfigEpoch();
    state.replaceMyMaster();
  }
  ok(client);
}

function setConfigEpoch(
  client: Client,
  argv: string[],
  _engine: Engine,
  { state }: ClusterMode,
): void {
  const epoch = integerArgument(client, argv[2]!);
  if (epoch === null) return;
  if (epoch < 0) {
    client.out.error(`ERR Invalid config epoch specified: ${epoch}`);
  } else if (state.nodes.size > 1) {
    client.out.error(
      'ERR The user can assign a config epoch only when the node does not know any other node.',
    );
  } else if (state.myself.configEpoch !== 0) {
    client.out.error('ERR Node config epoch is already non-zero');
  } else {
    state.assignConfigEpoch(epoch);
    ok(client);
  }
}

function reset(client: Client, argv: string[], engine: Engine, { state }: ClusterMode): void {
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('cluster', argv[1]!));
    return;
  }
  const option = argv[2]?.toLowerCase() ?? 'soft';
  if (option !== 'soft' && option !== 'hard') {
    client.out.error(Errors.syntax);
    return;
  }
  if (state.myself.isMaster && client.db.size !== 0) {
    client.out.error("ERR CLUSTER RESET can't be called with master nodes containing keys");
    return;
  }
  // A replica's data goes with its master.
  if (state.myself.isReplica) for (const db of engine.databases) db.clear();
  state.reset(option === 'hard', (myself) => {
    myself.name = randomNodeName();
  });
  ok(client);
}

function readonlyHere(client: Client): void {
  client.readonlyCluster = true;
  ok(client);
}

function readwriteHere(client: Client): void {
  client.readonlyCluster = false;
  ok(client);
}

function askingHere(client: Client): void {
  client.asking = true;
  ok(client);
}

export function clusterAddslots(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, (client, argv, _engine, mode) =>
    changeSlots(client, argv, mode, false, false),
  );
}

export function clusterAddslotsrange(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, (client, argv, _engine, mode) =>
    changeSlots(client, argv, mode, false, true),
  );
}

export function clusterBumpepoch(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, bumpEpoch);
}

export function clusterCountFailureReports(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, countFailureReports);
}

export function clusterCountkeysinslot(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, countKeysInSlot);
}

export function clusterDelslots(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, (client, argv, _engine, mode) =>
    changeSlots(client, argv, mode, true, false),
  );
}

export function clusterDelslotsrange(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, (client, argv, _engine, mode) =>
    changeSlots(client, argv, mode, true, true),
  );
}

export function clusterFailover(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, failover);
}

export function clusterFlushslots(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, flushSlots);
}

export function clusterForget(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, forget);
}

export function clusterGetkeysinslot(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, getKeysInSlot);
}

function help(client: Client): void {
  replyHelp(client, CLUSTER_HELP);
}

export function clusterHelp(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, help);
}

export function clusterInfo(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, info);
}

export function clusterKeyslot(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, keySlot);
}

export function clusterLinks(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, links);
}

export function clusterMeet(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, meet);
}

export function clusterMyid(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, myId);
}

export function clusterNodes(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, nodes);
}

export function clusterReplicas(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, replicas);
}

export function clusterReplicate(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, replicate);
}

export function clusterReset(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, reset);
}

export function clusterSaveconfig(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, saveConfig);
}

export function clusterSetConfigEpoch(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, setConfigEpoch);
}

export function clusterSetslot(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, setSlot);
}

export function clusterShards(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, shards);
}

export function clusterSlaves(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, replicas);
}

export function clusterSlots(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, slots);
}

export function readonly(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, readonlyHere);
}

export function readwrite(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, readwriteHere);
}

export function asking(client: Client, argv: string[], engine: Engine): void {
  inClusterMode(client, argv, engine, askingHere);
}
