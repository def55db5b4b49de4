import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { EventClass } from './keyspace-events.js';
import type { RedisValue } from './values.js';

/**
 * The ending of commands that store a result (SINTERSTORE, ZUNIONSTORE, BITOP...): a non-empty
 * result replaces the destination as Redis's setKey does (a "new" event only when there was no
 * key, any TTL dropped) and fires `event`; an empty one deletes it, with a "del" event if it was
 * there.
 */
export function storeResult(
  client: Client,
  engine: Engine,
  key: string,
  result: RedisValue | null,
  eventClass: number,
  event: string,
): void {
  if (result !== null) {
    client.db.set(key, result);
    engine.notify(client.db, eventClass, event, key);
  } else if (client.db.delete(key)) {
    engine.notify(client.db, EventClass.generic, 'del', key);
  }
}
