import type { Client } from '../client.js';
import type { CommandFlag } from '../command-table.js';
import type { Engine } from '../engine.js';
import { NO_KEYS, commandGroup, container, type CommandRow } from './define.js';

/**
 * rc runs as a standalone server, like Redis with cluster-enabled no: the cluster commands
 * exist (COMMAND lists them, arity and unknown subcommands are checked first) and every one
 * replies that cluster support is disabled, as Redis's do.
 */
function disabled(client: Client, _argv: string[], engine: Engine): void {
  engine.replyError(client, 'ERR This instance has cluster support disabled');
}

/** CLUSTER's subcommands as Redis 7.0 declares them: name, arity, flags, summary, since. */
const SUBCOMMANDS: Array<[string, number, CommandFlag[], string, string]> = [
  [
    'addslots',
    -3,
    ['admin', 'stale', 'no_async_loading'],
    'Assign new hash slots to receiving node',
    '3.0.0',
  ],
  [
    'addslotsrange',
    -4,
    ['admin', 'stale', 'no_async_loading'],
    'Assign new hash slots to receiving node',
    '7.0.0',
  ],
  [
    'bumpepoch',
    2,
    ['admin', 'stale', 'no_async_loading'],
    'Advance the cluster config epoch',
    '3.0.0',
  ],
  [
    'count-failure-reports',
    3,
    ['admin', 'stale'],
    'Return the number of failure reports active for a given node',
    '3.0.0',
  ],
  [
    'countkeysinslot',
    3,
    ['stale'],
    'Return the number of local keys in the specified hash slot',
    '3.0.0',
  ],
  [
    'delslots',
    -3,
    ['admin', 'stale', 'no_async_loading'],
    'Set hash slots as unbound in receiving node',
    '3.0.0',
  ],
  [
    'delslotsrange',
    -4,
    ['admin', 'stale', 'no_async_loading'],
    'Set hash slots as unbound in receiving node',
    '7.0.0',
  ],
  [
    'failover',
    -2,
    ['admin', 'stale', 'no_async_loading'],
    'Forces a replica to perform a manual failover of its master.',
    '3.0.0',
  ],
  [
    'flushslots',
    2,
    ['admin', 'stale', 'no_async_loading'],
    "Delete a node's own slots information",
    '3.0.0',
  ],
  [
    'forget',
    3,
    ['admin', 'stale', 'no_async_loading'],
    'Remove a node from the nodes table',
    '3.0.0',
  ],
  ['getkeysinslot', 4, ['stale'], 'Return local key names in the specified hash slot', '3.0.0'],
  ['help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '5.0.0'],
  ['info', 2, ['stale'], 'Provides info about Redis Cluster node state', '3.0.0'],
  ['keyslot', 3, ['stale'], 'Returns the hash slot of the specified key', '3.0.0'],
  [
    'links',
    2,
    ['stale'],
    'Returns a list of all TCP links to and from peer nodes in cluster',
    '7.0.0',
  ],
  [
    'meet',
    -4,
    ['admin', 'stale', 'no_async_loading'],
    'Force a node cluster to handshake with another node',
    '3.0.0',
  ],
  ['myid', 2, ['stale'], 'Return the node id', '3.0.0'],
  ['nodes', 2, ['stale'], 'Get Cluster config for the node', '3.0.0'],
  ['replicas', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '5.0.0'],
  [
    'replicate',
    3,
    ['admin', 'stale', 'no_async_loading'],
    'Reconfigure a node as a replica of the specified master node',
    '3.0.0',
  ],
  ['reset', -2, ['admin', 'noscript', 'stale'], 'Reset a Redis Cluster node', '3.0.0'],
  [
    'saveconfig',
    2,
    ['admin', 'stale', 'no_async_loading'],
    'Forces the node to save cluster state on disk',
    '3.0.0',
  ],
  [
    'set-config-epoch',
    3,
    ['admin', 'stale', 'no_async_loading'],
    'Set the configuration epoch in a new node',
    '3.0.0',
  ],
  [
    'setslot',
    -4,
    ['admin', 'stale', 'no_async_loading'],
    'Bind a hash slot to a specific node',
    '3.0.0',
  ],
  ['shards', 2, ['stale'], 'Get array of cluster slots to node mappings', '7.0.0'],
  ['slaves', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '3.0.0'],
  ['slots', 2, ['stale'], 'Get array of Cluster slot to node mappings', '3.0.0'],
];

export const clusterCommands = [
  container(
    'cluster',
    'A container for cluster commands',
    '3.0.0',
    SUBCOMMANDS.map(([name, arity, flags, summary, since]): CommandRow => [
      name,
      arity,
      flags,
      NO_KEYS,
      disabled,
      summary,
      since,
    ]),
    'cluster',
  ),
  ...commandGroup('cluster', [
    [
      'readonly',
      1,
      ['loading', 'stale', 'fast'],
      NO_KEYS,
      disabled,
      'Enables read queries for a connection to a cluster replica node',
      '3.0.0',
    ],
    [
      'readwrite',
      1,
      ['loading', 'stale', 'fast'],
      NO_KEYS,
      disabled,
      'Disables read queries for a connection to a cluster replica node',
      '3.0.0',
    ],
    [
      'asking',
      1,
      ['fast'],
      NO_KEYS,
      disabled,
      'Sent by cluster clients after an -ASK redirect',
      '3.0.0',
    ],
  ]),
];
