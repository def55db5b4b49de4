import type { CommandResult } from '../command-table.js';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { parseInteger } from '../numbers.js';
import { replyHost, ok } from '../replies.js';
import { integerArgument, isKeyword } from '../arguments.js';

/** REPLCONF option value [option value ...]: replicas describe themselves and acknowledge. */
export function replconf(client: Client, argv: string[], engine: Engine): void {
  if (argv.length % 2 === 0) {
    client.out.error(Errors.syntax);
    return;
  }
  const host = engine.replication;
  if (host === undefined) {
    ok(client);
    return;
  }
  const reply = host.replconf(client, argv);
  if (reply !== null) replyHost(client, reply);
}

/** PSYNC replid offset */
export function psync(client: Client, argv: string[], engine: Engine): void {
  if (engine.replication === undefined) {
    client.out.error('ERR replication is not available in this server');
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
export function sync(client: Client, _argv: string[], engine: Engine): void {
  if (engine.replication === undefined) {
    client.out.error('ERR replication is not available in this server');
    return;
  }
  engine.replication.sync(client, null, null);
}

/** WAIT numreplicas timeout (milliseconds, 0 = forever). */
export function wait(client: Client, argv: string[], engine: Engine): CommandResult {
  const replicas = integerArgument(client, argv[1]);
  if (replicas === null) return;
  const timeout = parseInteger(argv[2]);
  if (timeout === null) {
    client.out.error(Errors.timeoutNotInteger);
    return;
  }
  if (timeout < 0) {
    client.out.error(Errors.timeoutNegative);
    return;
  }
  if (engine.replication === undefined) {
    client.out.integer(0);
    return;
  }
  return engine.replication.wait(client, replicas, Number(timeout));
}

export function role(client: Client, _argv: string[], engine: Engine): void {
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
export function replicaof(client: Client, argv: string[], engine: Engine): void {
  // A cluster node replicates the master CLUSTER REPLICATE names.
  if (engine.cluster !== undefined) {
    client.out.error('ERR REPLICAOF not allowed in cluster mode.');
    return;
  }
  const host = engine.replication;
  if (host === undefined) {
    client.out.error('ERR replication is not available in this server');
    return;
  }
  if (isKeyword(argv[1], 'no') && isKeyword(argv[2], 'one')) {
    replyHost(client, host.replicaof(client, null, 0));
    return;
  }
  const port = /^-?\d+$/.test(argv[2]) ? Number(argv[2]) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    client.out.error('ERR Invalid master port');
    return;
  }
  replyHost(client, host.replicaof(client, argv[1], port));
}

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: Redis's failoverCommand. Arguments
 * are read in order, each option once; the state checks are the host's.
 */
export function failover(client: Client, argv: string[], engine: Engine): void {
  if (engine.config.get('cluster-enabled') === 'yes') {
    client.out.error(
      'ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.',
    );
    return;
  }
  const host = engine.replication;
  if (argv.length === 2 && isKeyword(argv[1], 'abort')) {
    replyHost(client, host?.abortFailover() ?? { error: 'ERR No failover in progress.' });
    return;
  }
  let timeoutMs = 0;
  let force = false;
  let target: { host: string; port: number } | null = null;
  for (let i = 1; i < argv.length; i++) {
    if (isKeyword(argv[i], 'timeout') && i + 1 < argv.length && timeoutMs === 0) {
      const timeout = integerArgument(client, argv[i + 1]);
      if (timeout === null) return;
      if (timeout <= 0) {
        client.out.error('ERR FAILOVER timeout must be greater than 0');
        return;
      }
      timeoutMs = timeout;
      i++;
    } else if (isKeyword(argv[i], 'to') && i + 2 < argv.length && target === null) {
      const port = integerArgument(client, argv[i + 2]);
      if (port === null) return;
      target = { host: argv[i + 1], port };
      i += 2;
    } else if (isKeyword(argv[i], 'force') && !force) {
      force = true;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  if (host === undefined) {
    client.out.error('ERR FAILOVER requires connected replicas.');
    return;
  }
  replyHost(client, host.failover(client, { target, force, timeoutMs }));
}

export function slaveof(client: Client, argv: string[], engine: Engine): void {
  replicaof(client, argv, engine);
}
