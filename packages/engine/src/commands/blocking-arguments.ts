import type { WaitKind } from '../blocking.js';
import type { Client } from '../client.js';
import { BLOCKED, type CommandResult } from '../command-table.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { INFINITE, ceilThousandTimes, readLongDouble } from '../long-double.js';

/**
 * A blocking timeout in seconds as milliseconds; 0 waits forever. Null after an error. As
 * Redis: a long double, ceil(seconds * 1000) as a 64-bit integer, where infinities and numbers
 * past the int64 range turn into its lowest value, hence "negative".
 */
export function timeoutArgument(client: Client, engine: Engine, text: string): number | null {
  const seconds = readLongDouble(text);
  if (seconds === null) {
    engine.replyError(client, Errors.timeoutNotFloat);
    return null;
  }
  const ms = seconds === INFINITE ? -1n : ceilThousandTimes(seconds);
  if (ms < 0n) {
    engine.replyError(client, Errors.timeoutNegative);
    return null;
  }
  return Number(ms);
}

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
