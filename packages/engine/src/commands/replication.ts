import type { CommandResult } from '../command-table.js';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { parseInteger } from '../numbers.js';
import { NO_KEYS, commandGroup, type CommandRow } from '../command-rows.js';
import { replyHost, ok } from '../replies.js';
import { integerArgument, isKeyword } from '../arguments.js';

/** REPLCONF option value [option value ...]: replicas describe themselves and acknowledge. */
function replconf(client: Client, argv: string[], engine: Engine): void {
  if (argv.length % 2 === 0) {
    engine.replyError(client, Errors.syntax);
    return;
  }
  const host = engine.replication;
  if (host === undefined) {
    ok(client);
    return;
  }
  const reply = host.replconf(client, argv);
  if (reply !== null) replyHost(client, engine, reply);
}

/** PSYNC replid offset */
function psync(client: Client, argv: string[], engine: Engine): void {
  if (engine.replication === undefined) {
    engine.replyError(client, 'ERR replication is not available in this server');
    return;
  }
  // Redis looks at the fourth argument only: the rest are ignored.
  engine.replication.sync(
    client,
    argv[1],
    argv[2],
    argv.length > 3 && isKeyword(argv[3], 'failover'),
  );
}

/** SYNC: the pre-PSYNC full synchronization. */
function sync(client: Client, _argv: string[], engine: Engine): void {
  if (engine.replication === undefined) {
    engine.replyError(client, 'ERR replication is not available in this server');
    return;
  }
  engine.replication.sync(client, null, null);
}

/** WAIT numreplicas timeout (milliseconds, 0 = forever). */
function wait(client: Client, argv: string[], engine: Engine): CommandResult {
  const replicas = integerArgument(client, engine, argv[1]);
  if (replicas === null) return;
  const timeout = parseInteger(argv[2]);
  if (timeout === null) {
    engine.replyError(client, Errors.timeoutNotInteger);
    return;
  }
  if (timeout < 0) {
    engine.replyError(client, Errors.timeoutNegative);
    return;
  }
  if (engine.replication === undefined) {
    client.out.integer(0);
    return;
  }
  return engine.replication.wait(client, replicas, Number(timeout));
}

function role(client: Client, _argv: string[], engine: Engine): void {
  if (engine.replication !== undefined) {
    engine.replication.role(client);
    return;
  }
  client.out.array(3);
  client.out.bulk('master');
  client.out.integer(0);
  client.out.array(0);
}

/** REPLICAOF host port | NO ONE (and its old name SLAVEOF). */
function replicaof(client: Client, argv: string[], engine: Engine): void {
  // A cluster node replicates the master CLUSTER REPLICATE names.
  if (engine.cluster !== undefined) {
    engine.replyError(client, 'ERR REPLICAOF not allowed in cluster mode.');
    return;
  }
  const host = engine.replication;
  if (host === undefined) {
    engine.replyError(client, 'ERR replication is not available in this server');
    return;
  }
  if (isKeyword(argv[1], 'no') && isKeyword(argv[2], 'one')) {
    replyHost(client, engine, host.replicaof(client, null, 0));
    return;
  }
  const port = /^-?\d+$/.test(argv[2]) ? Number(argv[2]) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    engine.replyError(client, 'ERR Invalid master port');
    return;
  }
  replyHost(client, engine, host.replicaof(client, argv[1], port));
}

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: Redis's failoverCommand. Arguments
 * are read in order, each option once; the state checks are the host's.
 */
function failover(client: Client, argv: string[], engine: Engine): void {
  if (engine.config.get('cluster-enabled') === 'yes') {
    engine.replyError(
      client,
      'ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.',
    );
    return;
  }
  const host = engine.replication;
  if (argv.length === 2 && isKeyword(argv[1], 'abort')) {
    replyHost(client, engine, host?.abortFailover() ?? { error: 'ERR No failover in progress.' });
    return;
  }
  let timeoutMs = 0;
  let force = false;
  let target: { host: string; port: number } | null = null;
  for (let i = 1; i < argv.length; i++) {
    if (isKeyword(argv[i], 'timeout') && i + 1 < argv.length && timeoutMs === 0) {
      const timeout = integerArgument(client, engine, argv[i + 1]);
      if (timeout === null) return;
      if (timeout <= 0) {
        engine.replyError(client, 'ERR FAILOVER timeout must be greater than 0');
        return;
      }
      timeoutMs = timeout;
      i++;
    } else if (isKeyword(argv[i], 'to') && i + 2 < argv.length && target === null) {
      const port = integerArgument(client, engine, argv[i + 2]);
      if (port === null) return;
      target = { host: argv[i + 1], port };
      i += 2;
    } else if (isKeyword(argv[i], 'force') && !force) {
      force = true;
    } else {
      engine.replyError(client, Errors.syntax);
      return;
    }
  }
  if (host === undefined) {
    engine.replyError(client, 'ERR FAILOVER requires connected replicas.');
    return;
  }
  replyHost(client, engine, host.failover(client, { target, force, timeoutMs }));
}

const REPLICAOF_FLAGS: CommandRow[2] = ['admin', 'noscript', 'stale', 'no_async_loading'];
const REPLICAOF_SUMMARY = 'Make the server a replica of another instance, or promote it as master.';

export const replicationCommands = commandGroup('server', [
  [
    'replconf',
    -1,
    ['admin', 'noscript', 'loading', 'stale', 'allow_busy'],
    NO_KEYS,
    replconf,
    'An internal command for configuring the replication stream',
    '3.0.0',
  ],
  [
    'psync',
    -3,
    ['admin', 'noscript', 'no_async_loading', 'no_multi'],
    NO_KEYS,
    psync,
    'Internal command used for replication',
    '2.8.0',
  ],
  [
    'sync',
    1,
    ['admin', 'noscript', 'no_async_loading', 'no_multi'],
    NO_KEYS,
    sync,
    'Internal command used for replication',
    '1.0.0',
  ],
  [
    'role',
    1,
    ['noscript', 'loading', 'stale', 'fast'],
    NO_KEYS,
    role,
    'Return the role of the instance in the context of replication',
    '2.8.12',
  ],
  [
    'failover',
    -1,
    ['admin', 'noscript', 'stale'],
    NO_KEYS,
    failover,
    'Start a coordinated failover between this server and one of its replicas.',
    '6.2.0',
  ],
  ['replicaof', 3, REPLICAOF_FLAGS, NO_KEYS, replicaof, REPLICAOF_SUMMARY, '5.0.0'],
  ['slaveof', 3, REPLICAOF_FLAGS, NO_KEYS, replicaof, REPLICAOF_SUMMARY, '1.0.0'],
]).concat(
  commandGroup('generic', [
    [
      'wait',
      3,
      ['noscript'],
      NO_KEYS,
      wait,
      'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
      '3.0.0',
    ],
  ]),
);
