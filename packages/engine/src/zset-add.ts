import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { createZsetFor, encodingLimits, zsetBeforeAdd } from './encodings.js';
import { EventClass } from './keyspace-events.js';
import { lookupTyped, WRONG_TYPE } from './typed-lookup.js';
import { RedisZset } from './values.js';

const NAN_SCORE = 'ERR resulting score is not a number (NaN)';

/** ZADD's options (GEOADD takes NX, XX and CH; ZINCRBY is INCR). */
export interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

/** No option given: shared by every such call, so never written (copy it to set one). */
export const NO_ZADD_FLAGS: Readonly<ZaddFlags> = Object.freeze({
  nx: false,
  xx: false,
  gt: false,
  lt: false,
  ch: false,
  incr: false,
});

/**
 * ZADD's core (zaddGenericCommand after the arguments), shared with ZINCRBY and GEOADD: adds or
 * updates members under NX/XX/GT/LT/CH/INCR and replies.
 */
export function addToZset(
  client: Client,
  engine: Engine,
  key: string,
  scores: number[],
  members: string[],
  flags: Readonly<ZaddFlags>,
): void {
  let zset = lookupTyped(client, key, RedisZset);
  if (zset === WRONG_TYPE) return;
  const limits = encodingLimits(engine.config);
  if (zset === undefined) {
    if (flags.xx) {
      if (flags.incr) client.out.nullBulk();
      else client.out.integer(0);
      return;
    }
    zset = createZsetFor(members[0], limits);
    client.db.add(key, zset);
  }
  let added = 0;
  let updated = 0;
  let incremented: number | null = null;
  for (let i = 0; i < members.length; i++) {
    zsetBeforeAdd(zset, limits, members[i], flags.xx);
    // A listpack member given its own score again (without INCR) changes nothing: asked first,
    // from the entry `add` would find again, no result object is made (redis-benchmark's ZADD
    // re-adds one member at score 0 every time).
    if (!flags.incr && zset.isListpack && zset.score(members[i]) === scores[i]) continue;
    const result = zset.add(members[i], scores[i], flags);
    if (result.outcome === 'nan') {
      if (zset.size === 0) client.db.delete(key);
      client.out.error(NAN_SCORE);
      return;
    }
    if (result.outcome === 'added') added++;
    else if (result.outcome === 'updated') updated++;
    if (result.outcome !== 'skipped') incremented = result.score;
    const changed = result.outcome === 'added' || result.outcome === 'updated';
    if (changed && Object.is(result.score, -0)) storeNegativeZero(zset, members[i]);
  }
  if (zset.size === 0) client.db.delete(key);
  engine.countChanges(added + updated);
  if (added + updated > 0) {
    client.db.touch(key);
    engine.notify(client.db, EventClass.zset, flags.incr ? 'zincr' : 'zadd', key);
  }
  if (flags.incr) {
    if (incremented === null) client.out.nullBulk();
    else client.out.double(incremented);
  } else client.out.integer(flags.ch ? added + updated : added);
}

/**
 * A member just given the score -0: Redis's listpack stores whole scores as integers
 * (double2ll), so a listpack-encoded set keeps 0 while a skiplist keeps -0. The reply still
 * shows the -0 computed.
 */
function storeNegativeZero(zset: RedisZset, member: string): void {
  if (!zset.isListpack) return;
  zset.remove(member);
  zset.add(member, 0);
}
