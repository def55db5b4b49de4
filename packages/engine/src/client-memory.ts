import type { Client } from './client.js';

/** Redis's sizeof(robj*): multi-mem counts one per argument of each queued command. */
const POINTER_BYTES = 8;
/** Roughly Redis's sizeof(client) and its fixed allocations. */
const CLIENT_BYTES = 1800;
/** A watched key's list node and record (Redis's multiStateMemOverhead). */
const WATCHED_KEY_BYTES = 56;
/** A subscription's dictionary entry (Redis's pubsubMemOverhead). */
const SUBSCRIPTION_BYTES = 24;
/** A tracking prefix's radix tree node, per byte (an underestimate, as Redis's). */
const PREFIX_NODE_BYTES = 32;

export function argumentBytes(argv: readonly string[]): number {
  let bytes = 0;
  for (const arg of argv) bytes += arg.length;
  return bytes;
}

/** The queued commands of a transaction: their arguments and a pointer each (multi-mem). */
export function transactionBytes(client: Client): number {
  let bytes = 0;
  if (client.transaction === null) return bytes;
  for (const queued of client.transaction) {
    bytes += argumentBytes(queued) + POINTER_BYTES * queued.length;
  }
  return bytes;
}

/**
 * What a client holds, as Redis's getClientMemoryUsage counts it (CLIENT LIST's tot-mem,
 * maxmemory-clients): its structure and reply buffer, query buffer, the arguments of the command
 * it runs (`argvBytes`), queued commands, watched keys, subscriptions, tracking prefixes and the
 * output not sent yet beyond the reply buffer (`outputBytes`: a replica's is its share of the
 * replication buffer).
 */
export function clientMemoryUsage(
  client: Client,
  argvBytes: number,
  outputBytes = queuedOutputBytes(client),
): number {
  const connection = client.connection;
  const query =
    (connection.queryBufferLength ?? 0) +
    (connection.queryBufferFree ?? 0) +
    (connection.partialArgumentBytes ?? 0);
  // Counted after every command under maxmemory: nothing is walked (or allocated) for a
  // client that watches nothing and tracks no prefixes.
  let watched = 0;
  if (client.watched.size !== 0) for (const keys of client.watched.values()) watched += keys.size;
  let prefixes = 0;
  const tracked = client.tracking?.prefixes;
  if (tracked !== undefined && tracked.size !== 0) {
    for (const prefix of tracked) prefixes += prefix.length + 1;
  }
  const subscriptions = client.channels.size + client.patterns.size + client.shardChannels.size;
  const replyBuffer = client.out.capacity;
  return (
    CLIENT_BYTES +
    replyBuffer +
    query +
    argvBytes +
    transactionBytes(client) +
    watched * WATCHED_KEY_BYTES +
    subscriptions * SUBSCRIPTION_BYTES +
    prefixes * PREFIX_NODE_BYTES +
    outputBytes
  );
}

/** Replies not sent yet beyond the reply buffer (Redis's reply list). */
export function queuedOutputBytes(client: Client): number {
  const pending = client.out.length + client.connection.pendingOutputBytes;
  return Math.max(0, pending - client.out.capacity);
}
