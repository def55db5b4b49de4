import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { ALL_KEYS, NO_KEYS, commandGroup } from '../command-rows.js';
import { ok } from '../replies.js';

function multi(client: Client, _argv: string[], engine: Engine): void {
  if (client.transaction !== null) {
    engine.replyError(client, Errors.multiNested);
    return;
  }
  client.transaction = [];
  client.transactionFailed = false;
  ok(client);
}

function exec(client: Client, _argv: string[], engine: Engine): void {
  // EXEC itself is never propagated: its commands are, wrapped in MULTI/EXEC when several.
  engine.propagation.preventCurrent();
  const queue = client.transaction;
  if (queue === null) {
    engine.replyError(client, Errors.execWithoutMulti);
    return;
  }
  const failed = client.transactionFailed;
  const invalidated = client.watchInvalidated || engine.watchedKeyExpired(client);
  engine.unwatchAll(client);
  if (failed) {
    endTransaction(client);
    engine.replyError(client, Errors.execAbort);
    return;
  }
  if (invalidated) {
    endTransaction(client);
    client.out.nullArray();
    return;
  }
  client.out.array(queue.length);
  // The client is still in MULTI while its queue runs (CLIENT INFO shows it), as in Redis.
  engine.runTransaction(client, queue);
  endTransaction(client);
}

function endTransaction(client: Client): void {
  client.transaction = null;
  client.transactionFailed = false;
}

function discard(client: Client, _argv: string[], engine: Engine): void {
  if (client.transaction === null) {
    engine.replyError(client, Errors.discardWithoutMulti);
    return;
  }
  endTransaction(client);
  engine.unwatchAll(client);
  ok(client);
}

function watch(client: Client, argv: string[], engine: Engine): void {
  if (client.transaction !== null) {
    engine.replyError(client, Errors.watchInMulti);
    return;
  }
  for (let i = 1; i < argv.length; i++) engine.watch(client, argv[i]);
  ok(client);
}

function unwatch(client: Client, _argv: string[], engine: Engine): void {
  engine.unwatchAll(client);
  ok(client);
}

const FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const transactionCommands = commandGroup('transactions', [
  ['multi', 1, [...FLAGS], NO_KEYS, multi, 'Mark the start of a transaction block', '1.2.0'],
  [
    'exec',
    1,
    ['noscript', 'loading', 'stale', 'skip_slowlog'],
    NO_KEYS,
    exec,
    'Execute all commands issued after MULTI',
    '1.2.0',
  ],
  ['discard', 1, [...FLAGS], NO_KEYS, discard, 'Discard all commands issued after MULTI', '2.0.0'],
  [
    'watch',
    -2,
    [...FLAGS],
    ALL_KEYS,
    watch,
    'Watch the given keys to determine execution of the MULTI/EXEC block',
    '2.2.0',
  ],
  ['unwatch', 1, [...FLAGS], NO_KEYS, unwatch, 'Forget about all watched keys', '2.2.0'],
]);
