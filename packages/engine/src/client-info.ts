import type { Client } from './client.js';
import { REPLY_BUFFER_BYTES } from './output-limits.js';
import { argumentBytes, clientMemoryUsage, transactionBytes } from './client-memory.js';
import type { Engine } from './engine.js';

export type ClientType = 'normal' | 'replica' | 'pubsub' | 'master';

/** Redis's getClientType: what CLIENT LIST TYPE and CLIENT KILL TYPE filter on. */
export function clientType(client: Client): ClientType {
  if (client.kind === 'master') return 'master';
  if (client.kind === 'replica') return 'replica';
  return client.isSubscriber ? 'pubsub' : 'normal';
}

/** Redis's getClientTypeByName, or null for an unknown name. */
export function clientTypeByName(name: string): ClientType | null {
  const type = name.toLowerCase();
  if (type === 'normal' || type === 'replica' || type === 'pubsub' || type === 'master') {
    return type;
  }
  return type === 'slave' ? 'replica' : null;
}

/** Redis's flag letters, in catClientInfoString's order. */
function flags(client: Client, engine: Engine): string {
  let text = '';
  if (engine.monitors.clients.has(client)) text += 'O';
  else if (client.kind === 'replica') text += 'S';
  if (client.kind === 'master') text += 'M';
  if (client.isSubscriber) text += 'P';
  if (client.transaction !== null) text += 'x';
  if (client.blocked !== null) text += 'b';
  if (client.tracking !== null) {
    text += 't';
    if (client.tracking.brokenRedirect) text += 'R';
    if (client.tracking.broadcast) text += 'B';
  }
  if (client.watchInvalidated) text += 'd';
  if (client.noEvict) text += 'e';
  return text === '' ? 'N' : text;
}

/**
 * One CLIENT LIST / CLIENT INFO line, with the fields Redis 7.0 prints, in its order. `running`
 * is the command being run when `client` is the one asking: Redis still holds its arguments
 * (argv-mem) and, inside EXEC, the arguments of EXEC itself.
 */
export function formatClientInfo(
  client: Client,
  engine: Engine,
  running: readonly string[] | null,
): string {
  const now = engine.clock.now();
  const queryBuffer = client.connection.queryBufferLength ?? 0;
  const queryFree = client.connection.queryBufferFree ?? 0;
  const argvBytes =
    running === null ? 0 : client.executing ? 'exec'.length : argumentBytes(running);
  const multiBytes = transactionBytes(client);
  // A replica's output is its share of the replication buffer; its reply buffer stays empty.
  const replication = engine.replication;
  const replicaOutput =
    client.kind === 'replica' && replication !== undefined
      ? replication.replicaOutputBytes(client)
      : null;
  // Replies not yet sent fill the reply buffer first, then a list of 16 KB blocks.
  const pending =
    replicaOutput !== null ? 0 : client.out.length + client.connection.pendingOutputBytes;
  const inBuffer = Math.min(pending, client.out.capacity);
  const inList = pending - inBuffer;
  const totalBytes = clientMemoryUsage(client, argvBytes, replicaOutput ?? inList);
  const fields: Array<[string, string | number]> = [
    ['id', client.id],
    ['addr', client.connection.remoteAddress],
    ['laddr', client.connection.localAddress],
    // The socket's descriptor is not exposed by Node; Redis's first client gets 8.
    ['fd', 8],
    ['name', client.name],
    ['age', Math.floor((now - client.createdAt) / 1000)],
    ['idle', Math.floor((now - client.lastInteraction) / 1000)],
    ['flags', flags(client, engine)],
    ['db', client.db.id],
    ['sub', client.channels.size],
    ['psub', client.patterns.size],
    ['ssub', client.shardChannels.size],
    ['multi', client.transaction === null ? -1 : client.transaction.length],
    ['qbuf', queryBuffer],
    ['qbuf-free', queryFree],
    ['argv-mem', argvBytes],
    ['multi-mem', multiBytes],
    ['rbs', client.out.capacity],
    ['rbp', client.out.peak],
    ['obl', inBuffer],
    ['oll', Math.ceil(inList / REPLY_BUFFER_BYTES)],
    ['omem', replicaOutput ?? inList],
    ['tot-mem', totalBytes],
    ['events', client.connection.pendingOutputBytes > 0 ? 'rw' : 'r'],
    ['cmd', client.lastCommand],
    ['user', client.user?.name ?? '(superuser)'],
    ['redir', client.tracking?.redirect ?? -1],
    ['resp', client.protocol],
  ];
  let line = '';
  for (const [name, value] of fields) line += `${line === '' ? '' : ' '}${name}=${value}`;
  return line;
}
