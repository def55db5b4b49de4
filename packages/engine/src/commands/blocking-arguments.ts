import type { Client } from '../client.js';
import { BLOCKED, type CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { parseFloatStrict } from '../numbers.js';

/** A blocking timeout in seconds (float) as ms; 0 waits forever. Null after an error. */
export function timeoutArgument(client: Client, engine: Engine, text: string): number | null {
  const seconds = parseFloatStrict(text);
  if (seconds === null || !Number.isFinite(seconds)) {
    engine.replyError(client, Errors.timeoutNotFloat);
    return null;
  }
  if (seconds < 0) {
    engine.replyError(client, Errors.timeoutNegative);
    return null;
  }
  const ms = Math.ceil(seconds * 1000);
  if (ms > Number.MAX_SAFE_INTEGER) {
    engine.replyError(client, Errors.timeoutOutOfRange);
    return null;
  }
  return ms;
}

/**
 * Parks the client on keys; `serve` runs the non-blocking form once a key has data. `argv` is
 * the blocked command: serving it writes, so a running snapshot first keeps what it names.
 */
export function blockOnKeys(
  client: Client,
  engine: Engine,
  argv: readonly string[],
  keys: string[],
  timeoutMs: number,
  serve: (key: string) => boolean,
  replyOnTimeout: () => void,
): CommandResult {
  const entry = engine.commands.lookup(client.lastCommand);
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
    { db: client.db, keys, tryServe, replyOnTimeout, timer: null },
    timeoutMs,
  );
  return BLOCKED;
}
