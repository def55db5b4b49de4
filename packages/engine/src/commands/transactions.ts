import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { ok } from '../replies.js';

export function multi(client: Client, _argv: string[]): void {
  if (client.transaction !== null) {
    client.out.error(Errors.multiNested);
    return;
  }
  client.transaction = [];
  client.transactionFailed = false;
  ok(client);
}

export function exec(client: Client, _argv: string[], engine: Engine): void {
  // EXEC itself is never propagated: its commands are, wrapped in MULTI/EXEC when several.
  engine.propagation.preventCurrent();
  const queue = client.transaction;
  if (queue === null) {
    client.out.error(Errors.execWithoutMulti);
    return;
  }
  const failed = client.transactionFailed;
  const invalidated = client.watchInvalidated || engine.watchedKeyExpired(client);
  engine.unwatchAll(client);
  if (failed) {
    endTransaction(client);
    client.out.error(Errors.execAbort);
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

export function discard(client: Client, _argv: string[], engine: Engine): void {
  if (client.transaction === null) {
    client.out.error(Errors.discardWithoutMulti);
    return;
  }
  endTransaction(client);
  engine.unwatchAll(client);
  ok(client);
}

export function watch(client: Client, argv: string[], engine: Engine): void {
  if (client.transaction !== null) {
    client.out.error(Errors.watchInMulti);
    return;
  }
  for (let i = 1; i < argv.length; i++) engine.watch(client, argv[i]);
  ok(client);
}

export function unwatch(client: Client, _argv: string[], engine: Engine): void {
  engine.unwatchAll(client);
  ok(client);
}
