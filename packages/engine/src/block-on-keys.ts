import type { WaitKind } from './blocking.js';
import type { Client } from './client.js';
import { BLOCKED, type CommandResult } from './command-table.js';
import type { Engine } from './engine.js';

/**
 * Parks the client on keys; `serve` runs the non-blocking form once a key has data. `argv` is
 * the blocked command: serving it writes, so a running snapshot first keeps what it names.
 */
export function blockOnKeys(
  client: Client,
  engine: Engine,
  argv: readonly string[],
  kind: WaitKind,
  keys: string[],
  timeoutMs: number,
  serve: (key: string) => boolean,
  replyOnTimeout: () => void,
): CommandResult {
  const entry = engine.commands.original(client.lastCommand);
  // A wait that ends in an error (NOGROUP, deleted stream) counts as a failed call, as in Redis.
  const tryServe = (key: string): boolean => {
    const errorsBefore = engine.stats.totalErrorReplies;
    const propagation = engine.propagation;
    const propagating = propagation.active;
    // Serving a waiter is its own execution unit, as Redis's afterCommand per served client:
    // what it propagates is what `serve` named with replaceCurrent (BLPOP → LPOP) or also.
    if (propagating) {
      propagation.beginUnit();
      propagation.resetCommand();
    }
    engine.beforeWrite(client.db, argv);
    const served = engine.countedAsCommand(() => serve(key));
    if (propagating) {
      if (served && propagation.replacement !== null) {
        propagation.also(client.db.id, propagation.replacement);
      }
      propagation.resetCommand();
      propagation.endUnit();
    }
    if (served && entry !== undefined && engine.stats.totalErrorReplies !== errorsBefore)
      entry.failedCalls++;
    return served;
  };
  engine.blocking.block(
    client,
    { db: client.db, kind, keys, tryServe, replyOnTimeout, timer: null },
    timeoutMs,
  );
  return BLOCKED;
}
