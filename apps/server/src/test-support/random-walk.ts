import type { NormalizedStep } from './differential.js';
import { sortedElements } from './reply-masks.js';
import { seeded } from './seeded.js';

/**
 * Random walks: seeded sequences of valid-looking commands of one family on a few shared keys,
 * run on both servers. Where the sweeps check each command from a fixed state, a walk lets
 * states build up (growing, emptying, changing type, crossing encodings) and compares every
 * reply along the way, so a command that leaves a wrong state shows in a later reply.
 *
 * A template is words separated by spaces. A word names a pool (below) or is itself, `a|b`
 * picks one, commas join words into a group, and a group ends with `?` (maybe), `+` (one to
 * three times) or `*` (zero to three times).
 */
const POOLS: Readonly<Record<string, readonly string[]>> = {
  /** A member: words and integers, so sets cross from intset to hash table and back. */
  M: ['a', 'b', 'c', 'd', 'e', 'f', '1', '2', '10', '-3', '007', 'a b'],
  /** A string value, some of them numbers. */
  V: ['a', 'bb', '1', '12', '-5', '3.5', '', 'hello world', '9223372036854775807', '0x10'],
  /** An index or integer, negative ones included. */
  N: ['0', '1', '2', '3', '-1', '-2', '-3', '5', '10', '-10', '100'],
  /** A count. */
  C: ['0', '1', '2', '3', '5'],
  /** A float as ZADD and INCRBYFLOAT take them. */
  F: ['0', '1', '1.5', '-2.5', '1e3', '3', '0.1', '-0', 'inf', '-inf', '+inf', '10'],
  /** A score bound. */
  S: ['-inf', '+inf', '0', '(1', '1', '2', '(3', '5', '-1', '(0', '1.5'],
  /** A lex bound. */
  L: ['-', '+', '[a', '(b', '[c', '(e', '[1', '(a'],
  /** A stream id, explicit so both servers make the same ones. */
  I: ['1', '1-1', '2', '2-5', '3-0', '4', '5-5', '7-1', '10', '0-1', '12-0'],
  G: ['g1', 'g2'],
  Q: ['c1', 'c2'],
  /** A longitude and a latitude, some out of range. */
  LON: ['13.361389', '15.087269', '-122.27652', '0', '180', '-180', '181', '2.35'],
  LAT: ['38.115556', '37.502669', '37.80574', '0', '85.05112878', '-85.06', '90', '48.85'],
  /** A radius or box side. */
  R: ['0', '1', '100', '500', '1000', '5000', '-1', '20000'],
  U: ['m', 'km', 'mi', 'ft'],
  /** A BITFIELD type. */
  T: ['u8', 'i8', 'u1', 'i5', 'u16', 'i64', 'u63', 'u64', 'i0'],
};

/** Templates by family; every family's keys include `x`, so a walk also meets other types. */
export interface Family {
  readonly keys: readonly string[];
  readonly templates: readonly string[];
  /** Commands whose multi-element reply is in hash-table order: compared sorted, not in MULTI. */
  readonly unordered?: readonly string[];
  /** Pools this family draws from instead of the shared ones. */
  readonly pools?: Readonly<Record<string, readonly string[]>>;
  /** Commands per walk, when the default is too short for the family's values to grow. */
  readonly length?: number;
}

export const FAMILIES: Readonly<Record<string, Family>> = {
  strings: {
    keys: ['s1', 's2', 'x'],
    templates: [
      'SET K V',
      'SET K V NX|XX|GET|KEEPTTL?',
      'SET K V GET NX|XX?',
      'GET K',
      'GETSET K V',
      'GETDEL K',
      'GETEX K PERSIST?',
      'MGET K+',
      'MSET K,V+',
      'MSETNX K,V+',
      'SETNX K V',
      'APPEND K V',
      'STRLEN K',
      'GETRANGE K N N',
      'SETRANGE K C|N V',
      'INCR K',
      'DECR K',
      'INCRBY K N',
      'DECRBY K N',
      'INCRBYFLOAT K F',
      'SETBIT K C|N 0|1',
      'GETBIT K C',
      'BITCOUNT K N,N?',
      'BITCOUNT K N N BYTE|BIT',
      'BITPOS K 0|1 N? N?',
      'BITOP AND|OR|XOR K K K',
      'BITOP NOT K K',
      'LCS K K LEN|IDX?',
      'BITFIELD K GET,T,C|N',
      'BITFIELD K SET,T,C,N GET,T,C',
      'BITFIELD K OVERFLOW,WRAP|SAT|FAIL? INCRBY,T,C|#1,N+',
      'BITFIELD_RO K GET,T,C+',
      'EXISTS K+',
      'DEL K+',
      'TYPE K',
      'RPUSH x V',
    ],
  },
  lists: {
    keys: ['l1', 'l2', 'x'],
    templates: [
      'LPUSH K M+',
      'RPUSH K M+',
      'LPUSHX K M+',
      'RPUSHX K M+',
      'LPOP K C?',
      'RPOP K C?',
      'LLEN K',
      'LRANGE K N N',
      'LINDEX K N',
      'LSET K N M',
      'LINSERT K BEFORE|AFTER M M',
      'LREM K N M',
      'LTRIM K N N',
      'LPOS K M RANK,N? COUNT,C? MAXLEN,C?',
      'LMOVE K K LEFT|RIGHT LEFT|RIGHT',
      'RPOPLPUSH K K',
      'LMPOP 1 K LEFT|RIGHT COUNT,C?',
      'LMPOP 2 K K LEFT|RIGHT COUNT,C?',
      'BLPOP K K 0.01',
      'BRPOP K 0.01',
      'BLMOVE K K LEFT|RIGHT LEFT|RIGHT 0.01',
      'SORT K ALPHA? DESC? LIMIT,N,C?',
      'OBJECT ENCODING K',
      'DEL K',
      'SET x V',
    ],
  },
  biglists: {
    // Hundreds of elements, pushed and popped at both ends: lists past the packed string's
    // limits, held in the QuickList's byte nodes.
    keys: ['b1', 'b2'],
    pools: {
      M: Array.from({ length: 40 }, (_, i) => `e${i}`),
      N: ['0', '1', '-1', '5', '-5', '100', '130', '-130', '250', '-250', '400'],
    },
    templates: [
      ...Array.from({ length: 4 }, () => 'RPUSH K M M M M M M M M M M M M M M M M M M M M'),
      'LPUSH K M M M M M M M M M M',
      'LINSERT K BEFORE|AFTER M M',
      'LSET K N M',
      'LREM K -2|0|2 M',
      'LINDEX K N',
      'LRANGE K N N',
      'LPOS K M RANK,N? COUNT,C? MAXLEN,N?',
      'LTRIM K -300|0|5 -1|280|-5',
      'LPOP K C?',
      'RPOP K C?',
      'LMOVE K K LEFT|RIGHT LEFT|RIGHT',
      'LLEN K',
    ],
  },
  hashes: {
    keys: ['h1', 'h2', 'x'],
    templates: [
      'HSET K M,V+',
      'HMSET K M,V+',
      'HSETNX K M V',
      'HGET K M',
      'HMGET K M+',
      'HDEL K M+',
      'HLEN K',
      'HEXISTS K M',
      'HKEYS K',
      'HVALS K',
      'HGETALL K',
      'HINCRBY K M N',
      'HINCRBYFLOAT K M F',
      'HSTRLEN K M',
      'HSCAN K 0 MATCH,a*|?? COUNT,C?',
      'OBJECT ENCODING K',
      'COPY K K REPLACE?',
      'DEL K',
      'SADD x M',
    ],
  },
  sets: {
    keys: ['t1', 't2', 'x'],
    templates: [
      'SADD K M+',
      'SREM K M+',
      'SMEMBERS K',
      'SISMEMBER K M',
      'SMISMEMBER K M+',
      'SCARD K',
      'SMOVE K K M',
      'SINTER K+',
      'SUNION K+',
      'SDIFF K+',
      'SINTERSTORE K K+',
      'SUNIONSTORE K K+',
      'SDIFFSTORE K K+',
      'SINTERCARD 1 K LIMIT,C?',
      'SINTERCARD 2 K K LIMIT,C?',
      'SORT K LIMIT,N,C?',
      'SORT K ALPHA DESC?',
      'DEL K',
      'ZADD x 1 M',
    ],
    unordered: ['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF'],
  },
  zsets: {
    keys: ['z1', 'z2', 'x'],
    templates: [
      'ZADD K NX|XX|GT|LT|CH|INCR* F,M+',
      'ZADD K F,M+',
      'ZINCRBY K F M',
      'ZREM K M+',
      'ZCARD K',
      'ZSCORE K M',
      'ZMSCORE K M+',
      'ZRANK K M',
      'ZREVRANK K M',
      'ZCOUNT K S S',
      'ZLEXCOUNT K L L',
      'ZRANGE K N N WITHSCORES?',
      'ZRANGE K S S BYSCORE REV? LIMIT,N,C? WITHSCORES?',
      'ZRANGE K L L BYLEX REV? LIMIT,N,C?',
      'ZRANGEBYSCORE K S S WITHSCORES? LIMIT,N,C?',
      'ZREVRANGEBYSCORE K S S WITHSCORES?',
      'ZRANGEBYLEX K L L LIMIT,N,C?',
      'ZREVRANGEBYLEX K L L',
      'ZREVRANGE K N N WITHSCORES?',
      'ZREMRANGEBYRANK K N N',
      'ZREMRANGEBYSCORE K S S',
      'ZREMRANGEBYLEX K L L',
      'ZPOPMIN K C?',
      'ZPOPMAX K C?',
      'ZUNIONSTORE K 2 K K WEIGHTS,F,F? AGGREGATE,SUM|MIN|MAX?',
      'ZINTERSTORE K 2 K K WEIGHTS,F,F? AGGREGATE,SUM|MIN|MAX?',
      'ZUNION 2 K K WITHSCORES?',
      'ZINTER 2 K K AGGREGATE,MIN|MAX? WITHSCORES?',
      'ZDIFF 2 K K WITHSCORES?',
      'ZDIFFSTORE K 2 K K',
      'ZRANGESTORE K K N N',
      'ZRANGESTORE K K S S BYSCORE LIMIT,N,C?',
      'ZMPOP 1 K MIN|MAX COUNT,C?',
      'ZINTERCARD 2 K K',
      'ZSCAN K 0 MATCH,a*|?? COUNT,C?',
      'OBJECT ENCODING K',
      'BZPOPMIN K 0.01',
      // Not SORT: Redis converts a listpack sorted set it sorts to a skiplist for good, and rc
      // derives encodings from the value as it is (the engine README's "Encodings").
      'DEL K',
      'LPUSH x M',
    ],
  },
  bigzsets: {
    // Past zset-max-listpack-entries (128): skiplists. No lex ranges: over differing scores, a
    // skiplist's answer depends on its random levels.
    keys: ['y1', 'y2'],
    // No -0 either: a listpack stores it as 0, and which encoding a set that shrank has is the
    // same difference as OBJECT ENCODING's below.
    pools: {
      M: Array.from({ length: 300 }, (_, i) => `m${i}`),
      F: ['0', '1', '1.5', '-2.5', '1e3', '3', '0.1', 'inf', '-inf', '10', '-7'],
    },
    templates: [
      // Six times: growth must outrun the pops and removals.
      ...Array.from({ length: 6 }, () => 'ZADD K F M F M F M F M F M F M F M F M F M F M'),
      'ZADD K GT|LT|CH? F,M+',
      'ZINCRBY K F M',
      'ZREM K M+',
      'ZCARD K',
      'ZSCORE K M',
      'ZRANK K M',
      'ZREVRANK K M',
      'ZCOUNT K S S',
      'ZRANGE K N N WITHSCORES?',
      'ZRANGE K S S BYSCORE REV? LIMIT,N,C? WITHSCORES?',
      'ZREMRANGEBYRANK K 0|-1|5 5|-5|-1',
      'ZPOPMIN K C?',
      'ZPOPMAX K C?',
      'ZUNIONSTORE K 2 K K WEIGHTS,F,F? AGGREGATE,SUM|MIN|MAX?',
      'ZRANGE K 0 -1 WITHSCORES',
      // Not OBJECT ENCODING: Redis keeps a skiplist that shrank, rc derives the encoding from
      // the value as it is (the engine README's "Encodings").
    ],
  },
  streams: {
    keys: ['x1', 'x2', 'x'],
    templates: [
      'XADD K I M,V+',
      'XADD K NOMKSTREAM? MAXLEN|MINID,C|I I M,V',
      'XADD K MAXLEN|MINID =|~ C|I I M,V',
      'XLEN K',
      'XRANGE K -|I +|I COUNT,C?',
      'XREVRANGE K +|I -|I COUNT,C?',
      'XDEL K I+',
      'XTRIM K MAXLEN|MINID =|~? C|I',
      'XREAD COUNT,C? STREAMS K I|0',
      'XREAD STREAMS K K I I',
      'XSETID K I',
      'XGROUP CREATE K G I|$|0 MKSTREAM?',
      'XGROUP DESTROY K G',
      'XGROUP CREATECONSUMER K G Q',
      'XGROUP DELCONSUMER K G Q',
      'XGROUP SETID K G I|$',
      'XREADGROUP GROUP G Q COUNT,C? NOACK? STREAMS K >|0|I',
      'XACK K G I+',
      'XPENDING K G',
      'XCLAIM K G Q 0 I+ JUSTID',
      'XCLAIM K G Q 0 I',
      'XAUTOCLAIM K G Q 0 0 COUNT,C? JUSTID?',
      'XINFO STREAM K',
      'XINFO GROUPS K',
      'DEL K',
      'SET x V',
    ],
  },
  bigstreams: {
    // Past stream-node-max-entries (100): approximate trims and XINFO's radix-tree figures
    // depend on how entries are split into nodes.
    keys: ['w1', 'w2'],
    length: 600,
    pools: {
      /** A MAXLEN threshold. */
      L: ['90', '99', '100', '101', '150', '200', '250'],
      /** A MINID threshold, low: the ids made grow to about 350. */
      N: ['0', '1', '5', '10', '30', '50'],
      I: ['1-1', '5-1', '50-1', '99-1', '100-1', '101-1', '120-1', '200-1', '250-1'],
    },
    templates: [
      ...Array.from({ length: 12 }, () => 'XADD K NEXT f v'),
      'XADD K MAXLEN ~|= L NEXT f v',
      'XADD K MINID ~|= N NEXT f v',
      'XADD K MAXLEN ~ L LIMIT C|N NEXT f v',
      'XTRIM K MAXLEN ~|=? L',
      'XTRIM K MINID ~ N LIMIT N',
      'XDEL K I+',
      'XLEN K',
      'XRANGE K -|I +|I COUNT,C?',
      'XREVRANGE K +|I -|I COUNT,C?',
      'XINFO STREAM K',
      'XINFO STREAM K FULL COUNT,C?',
    ],
  },
  geo: {
    keys: ['g1', 'g2', 'x'],
    templates: [
      'GEOADD K NX|XX|CH? LON,LAT,M+',
      'GEOADD K LON LAT M',
      'GEOPOS K M+',
      'GEODIST K M M U?',
      'GEOHASH K M+',
      'GEOSEARCH K FROMMEMBER M BYRADIUS R U ASC|DESC? COUNT,C,ANY? WITHCOORD? WITHDIST? WITHHASH?',
      'GEOSEARCH K FROMLONLAT LON LAT BYBOX R R U ASC|DESC COUNT,C? WITHDIST?',
      'GEOSEARCHSTORE K K FROMMEMBER M BYRADIUS R U STOREDIST? ASC|DESC?',
      'GEORADIUS K LON LAT R U WITHDIST? ASC|DESC COUNT,C?',
      'GEORADIUSBYMEMBER K M R U WITHCOORD? ASC|DESC',
      'GEORADIUS_RO K LON LAT R U ASC',
      'ZREM K M',
      'ZRANGE K 0 -1 WITHSCORES',
      'DEL K',
      'SET x V',
    ],
  },
  hyperloglog: {
    keys: ['p1', 'p2', 'x'],
    templates: [
      'PFADD K M*',
      'PFADD K M+',
      'PFCOUNT K+',
      'PFMERGE K K*',
      'GET K',
      'STRLEN K',
      'APPEND K V',
      'DEL K',
      'SET x V',
    ],
  },
  keys: {
    keys: ['a', 'b', 'c'],
    templates: [
      'SET K V',
      'RPUSH K M+',
      'SADD K M+',
      'ZADD K F M',
      'HSET K M V',
      'XADD K I M V',
      'RENAME K K',
      'RENAMENX K K',
      'COPY K K REPLACE?',
      'COPY K K DB 1 REPLACE?',
      'MOVE K 1',
      'SWAPDB 0 1',
      'DEL K+',
      'UNLINK K+',
      'EXISTS K+',
      'TOUCH K+',
      'TYPE K',
      'KEYS *|a*|?|[ab]',
      'DBSIZE',
      'OBJECT ENCODING K',
      // Not GT or LT: two expiries set in the same millisecond would compare equal.
      'EXPIRE K 100 NX|XX?',
      'PEXPIRE K 200000 NX|XX?',
      'EXPIRE K -1',
      'PERSIST K',
      'WATCH K+',
      'UNWATCH',
      'FLUSHDB',
    ],
    unordered: ['KEYS'],
  },
};

/** What a walk keeps between commands: the last id `NEXT` made. */
export interface WalkState {
  lastId: number;
}

/** One command from a template, its words drawn with `random`. */
export function expand(
  template: string,
  family: Family,
  random: () => number,
  state: WalkState,
): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const word = (choices: string): string => {
    const choice = pick(choices.split('|'));
    if (choice === 'K') return pick(family.keys);
    // Ever-growing stream ids, so a stream can grow without the clock's `*`.
    if (choice === 'NEXT') return `${++state.lastId}-1`;
    const pool = family.pools?.[choice] ?? POOLS[choice];
    return pool === undefined ? choice : pick(pool);
  };
  const argv: string[] = [];
  for (const group of template.split(' ')) {
    const suffix = /[?+*]$/.test(group) ? group.at(-1) : '';
    const words = (suffix === '' ? group : group.slice(0, -1)).split(',');
    const times =
      suffix === '?'
        ? Math.floor(random() * 2)
        : suffix === '+'
          ? 1 + Math.floor(random() * 3)
          : suffix === '*'
            ? Math.floor(random() * 4)
            : 1;
    for (let i = 0; i < times; i++) for (const choices of words) argv.push(word(choices));
  }
  return argv;
}

/** A walk of `length` commands; now and then a few of them go through MULTI/EXEC. */
export function walk(
  family: Family,
  seed: number,
  length: number,
): Array<string[] | NormalizedStep> {
  const random = seeded(seed);
  const state: WalkState = { lastId: 0 };
  const unordered = new Set(family.unordered ?? []);
  const steps: Array<string[] | NormalizedStep> = [];
  let queued = -1;
  const total = family.length ?? length;
  while (steps.length < total) {
    if (queued === -1 && random() < 0.05) {
      steps.push(['MULTI']);
      queued = 1 + Math.floor(random() * 4);
    }
    const template = family.templates[Math.floor(random() * family.templates.length)];
    const command = expand(template, family, random, state);
    const isUnordered = unordered.has(command[0]);
    // Blocking commands run as their non-blocking forms inside MULTI: both servers do that.
    if (isUnordered && queued !== -1) continue;
    steps.push(isUnordered ? { command, normalize: sortedElements } : command);
    if (queued !== -1 && --queued === 0) {
      steps.push(['EXEC']);
      queued = -1;
    }
  }
  if (queued !== -1) steps.push(['EXEC']);
  return steps;
}

/** A walk's commands alone, for tests that compare what they cause rather than their replies. */
export function walkCommands(family: Family, seed: number, length: number): string[][] {
  return walk(family, seed, length).map((step) => ('command' in step ? step.command : step));
}
