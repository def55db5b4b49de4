import { PropagationEncoder, PropagationTarget } from '@rc/engine';
import { RequestParser } from '@rc/resp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBlockingSteps, runBlockingSteps } from '../test-support/blocking-walk.js';
import { FAMILIES, walkCommands } from '../test-support/random-walk.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { ReplicationStream, normalizeTimes, opLines } from '../test-support/replication-stream.js';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';
import type { RcServer } from '../server.js';

/**
 * A step: a command on connection 0 (reply awaited), a command sent on connection `on` without
 * waiting (a client that blocks), reading that connection's reply, or a pause.
 */
type Step =
  string[] | { on: number; send: string[] } | { on: number; read: true } | { sleep: number };

interface Scenario {
  steps: Step[];
  /** Replaces what differs by chance (SPOP's members) before comparing. */
  mask?: (line: string) => string;
}

const CONNECTIONS = 3;

/** DUMP's payload for the string "hello": RDB version 10 and its CRC64. */
const HELLO_PAYLOAD = Buffer.from('000568656c6c6f0a006372df766534200a', 'hex').toString('latin1');
let sentinel = 0;

/** Runs the steps and returns the writes they propagated, as normalized op lines. */
async function propagated(
  port: number,
  take: (until: string) => Promise<string[][]>,
  scenario: Scenario,
): Promise<string[]> {
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => RawClient.open(port)),
  );
  await clients[0].command('FLUSHALL');
  const origin = Date.now();
  try {
    for (const step of scenario.steps) {
      if (Array.isArray(step)) await clients[0].command(...atTimes(step, origin));
      else if ('send' in step) clients[step.on].write(encodeCommand(atTimes(step.send, origin)));
      else if ('read' in step) await clients[step.on].readReply(2000);
      else await new Promise((resolve) => setTimeout(resolve, step.sleep));
    }
    return await sentinelAndLines(clients[0], take, origin, scenario.mask);
  } finally {
    for (const client of clients) client.close();
  }
}

/** Writes a sentinel key and returns what was propagated before it, as normalized op lines. */
async function sentinelAndLines(
  client: RawClient,
  take: (until: string) => Promise<string[][]>,
  origin: number,
  mask: (line: string) => string = (line) => line,
): Promise<string[]> {
  const marker = `end-${++sentinel}`;
  await client.command('SET', '__sentinel__', marker);
  const { lines } = opLines(await take(marker));
  lines.pop();
  return lines.map((line) => mask(normalizeTimes(line, origin)));
}

function isSentinel(marker: string): (command: string[]) => boolean {
  return (command) => command[1] === '__sentinel__' && command[2] === marker;
}

/**
 * A time `seconds` from the start of a run, in seconds since the epoch: resolved by `atTimes`
 * as each server's run starts, so that both runs see it equally far from their own start (a
 * time taken when the file loads drifts towards a rounding edge while earlier tests run).
 */
const inSeconds = (seconds: number): string => `<start${seconds < 0 ? '' : '+'}${seconds}s>`;

function atTimes(args: string[], origin: number): string[] {
  return args.map((arg) =>
    arg.replace(/<start([+-]\d+)s>/g, (_, seconds: string) =>
      String(Math.floor(origin / 1000) + Number(seconds)),
    ),
  );
}

const scenarios: Record<string, Scenario> = {
  'strings: SET options, SETEX, GETEX, GETSET, GETDEL and float increments': {
    steps: [
      ['SET', 'a', '1'],
      ['SET', 'a', '2', 'NX'],
      ['SET', 'a', '3', 'XX', 'GET'],
      ['SET', 'b', 'v', 'EX', '100'],
      ['SET', 'c', 'v', 'PX', '100000', 'NX'],
      ['SET', 'd', 'v', 'EXAT', inSeconds(100)],
      ['SET', 'd', 'w', 'KEEPTTL', 'get'],
      ['SETEX', 'e', '100', 'v'],
      ['PSETEX', 'f', '100000', 'v'],
      ['GETSET', 'a', '9'],
      ['GETDEL', 'a'],
      ['GETDEL', 'a'],
      ['GETEX', 'b', 'EX', '200'],
      ['GETEX', 'b', 'PERSIST'],
      ['GETEX', 'b', 'PERSIST'],
      ['GETEX', 'c', 'PXAT', '1'],
      ['INCR', 'n'],
      ['INCRBY', 'n', '5'],
      ['DECR', 'n'],
      ['INCRBYFLOAT', 'fl', '1.5'],
      ['INCRBYFLOAT', 'fl', '3.0e3'],
      ['APPEND', 'ap', 'x'],
      ['SETRANGE', 'ap', '3', 'y'],
      ['SETRANGE', 'ap', '0', ''],
      ['MSET', 'm1', '1', 'm2', '2'],
      ['MSETNX', 'm1', '1', 'm3', '3'],
      ['SETNX', 'm4', '4'],
      ['SETNX', 'm4', '5'],
    ],
  },
  'keys: expiries as PEXPIREAT or DEL, RENAME, COPY, MOVE, SWAPDB, FLUSHDB': {
    steps: [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100'],
      ['PEXPIRE', 'k', '200000', 'XX'],
      ['EXPIREAT', 'k', inSeconds(300)],
      ['PEXPIREAT', 'k', `${inSeconds(400)}000`],
      ['EXPIRE', 'k', '10', 'GT'],
      ['EXPIRE', 'missing', '10'],
      ['PERSIST', 'k'],
      ['PERSIST', 'k'],
      ['RENAME', 'k', 'k2'],
      ['COPY', 'k2', 'k3'],
      ['COPY', 'k2', 'k3', 'DB', '2', 'REPLACE'],
      ['MOVE', 'k3', '1'],
      ['SWAPDB', '0', '1'],
      ['SELECT', '1'],
      ['DEL', 'k2', 'nothing'],
      ['UNLINK', 'k2'],
      ['SET', 'gone', 'v'],
      ['EXPIRE', 'gone', '-1'],
      ['FLUSHDB'],
      ['SELECT', '0'],
      ['FLUSHALL'],
    ],
  },
  'SWAPDB with expired keys: SWAPDB itself, then the DELs of the keys found expired': {
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'k', 'v', 'PX', '1'],
      ['SET', 'live', 'v'],
      ['SELECT', '1'],
      ['SET', 'other', 'v', 'PX', '1'],
      ['SELECT', '0'],
      { sleep: 10 },
      ['SWAPDB', '0', '1'],
      ['GET', 'other'],
      ['GET', 'k'],
      ['SELECT', '1'],
      ['GET', 'k'],
      ['SWAPDB', '1', '0'],
      ['SELECT', '0'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
  'SWAPDB brings an expired list to a waiter: SWAPDB, then its DEL when the waiter looks': {
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SELECT', '1'],
      ['RPUSH', 'l', 'a'],
      ['PEXPIRE', 'l', '1'],
      ['SELECT', '0'],
      { on: 1, send: ['BLPOP', 'l', '0'] },
      { sleep: 50 },
      ['SWAPDB', '0', '1'],
      ['RPUSH', 'l', 'b'],
      { on: 1, read: true },
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
  'lists: pops with counts, immediate blocking forms, no-op LTRIM': {
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '1'],
      ['LMPOP', '2', 'x', 'l', 'LEFT', 'COUNT', '10'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['BLPOP', 'x', 'l', '1'],
      ['BRPOP', 'l', '1'],
      ['BLMOVE', 'l', 'm', 'left', 'RIGHT', '1'],
      ['BRPOPLPUSH', 'l', 'm', '1'],
      ['BLMPOP', '1', '1', 'l', 'RIGHT', 'COUNT', '5'],
      ['LMPOP', '1', 'l', 'LEFT'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '0', '1'],
      ['LINSERT', 'l', 'BEFORE', 'a', 'z'],
      ['LINSERT', 'l', 'BEFORE', 'nope', 'z'],
      ['LSET', 'l', '0', 'y'],
      ['LREM', 'l', '0', 'nope'],
      ['LREM', 'l', '0', 'y'],
      ['LMOVE', 'm', 'm', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'm', 'l'],
      ['LPUSHX', 'none', 'a'],
    ],
  },
  'blocked clients served after the push, as their non-blocking forms': {
    steps: [
      { on: 1, send: ['BLPOP', 'q', '0'] },
      { on: 2, send: ['BLMOVE', 'q', 'dst', 'RIGHT', 'LEFT', '0'] },
      { sleep: 50 },
      ['RPUSH', 'q', 'a', 'b', 'c'],
      { on: 1, read: true },
      { on: 2, read: true },
      { on: 1, send: ['BRPOPLPUSH', 'q2', 'dst', '0'] },
      { on: 2, send: ['BLMPOP', '0', '2', 'q3', 'q2', 'LEFT', 'COUNT', '5'] },
      { sleep: 50 },
      ['RPUSH', 'q2', 'x', 'y'],
      { on: 1, read: true },
      { on: 2, read: true },
      { on: 1, send: ['BZPOPMIN', 'z', '0'] },
      { on: 2, send: ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '10'] },
      { sleep: 50 },
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      { on: 1, read: true },
      { on: 2, read: true },
      { on: 1, send: ['BLPOP', 'q4', '0'] },
      { sleep: 50 },
      ['MULTI'],
      ['RPUSH', 'q4', 'a'],
      ['SET', 'other', '1'],
      ['EXEC'],
      { on: 1, read: true },
    ],
  },
  'sets: SPOP as SREM, DEL for the whole set, SREMs in MULTI otherwise': {
    steps: [
      ['SADD', 's', 'a'],
      ['SADD', 's', 'a'],
      ['SPOP', 's'],
      ['SADD', 's', 'a', 'b', 'c'],
      ['SPOP', 's', '5'],
      ['SADD', 's', 'a', 'b', 'c', 'd'],
      ['SPOP', 's', '2'],
      ['SPOP', 's', '0'],
      ['SPOP', 'none', '1'],
      ['SADD', 't', '1', '2'],
      ['SREM', 't', '9'],
      ['SMOVE', 't', 'u', '1'],
      ['SINTERSTORE', 'v', 't', 'u'],
      ['SUNIONSTORE', 'v', 't', 'u'],
    ],
    mask: (line) => line.replace(/^(0: SREM s) [a-d]$/, '$1 <member>'),
  },
  'hashes and sorted sets: HINCRBYFLOAT as HSET, pops with counts, GEOADD as ZADD': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSET', 'h', 'a', '1'],
      ['HSETNX', 'h', 'a', '5'],
      ['HINCRBY', 'h', 'a', '3'],
      ['HINCRBYFLOAT', 'h', 'f', '2.5e2'],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'h', 'a'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZADD', 'z', 'NX', '9', 'a'],
      ['ZINCRBY', 'z', '2', 'a'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '1'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '10'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['BZPOPMAX', 'z', '1'],
      ['BZMPOP', '1', '1', 'z', 'MIN', 'COUNT', '3'],
      ['ZADD', 'y', '1', 'a', '2', 'b', '3', 'c'],
      ['ZREMRANGEBYSCORE', 'y', '5', '9'],
      ['ZREMRANGEBYSCORE', 'y', '1', '1'],
      ['ZUNIONSTORE', 'w', '1', 'y'],
      [
        'GEOADD',
        'g',
        'CH',
        '13.361389',
        '38.115556',
        'Palermo',
        '15.087269',
        '37.502669',
        'Catania',
      ],
    ],
  },
  'streams: XADD IDs and exact trims, consumer groups as XCLAIM and XGROUP SETID': {
    steps: [
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XADD', 's', '1-*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '1', '2-*', 'f', 'v'],
      ['XADD', 's', '*', 'f', 'v'],
      // Apart by more than a millisecond, so both servers generate IDs the same way.
      { sleep: 5 },
      ['XADD', 's', 'NOMKSTREAM', 'MAXLEN', '=', '3', '*', 'f', 'v'],
      ['XTRIM', 's', 'MAXLEN', '~', '0'],
      ['XTRIM', 's', 'MAXLEN', '10'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'NOACK', 'STREAMS', 's', '>'],
      // A history read with NOACK creates its consumer and announces it, delivering nothing.
      ['XREADGROUP', 'GROUP', 'g', 'h', 'NOACK', 'STREAMS', 's', '0'],
      ['XCLAIM', 's', 'g', 'c3', '0', '1-1', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'c3', '0', '1-2', 'RETRYCOUNT', '7', 'TIME', `${inSeconds(-20)}000`],
      ['XCLAIM', 's', 'g', 'c3', '0', '99-1', 'LASTID', '9-9'],
      ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', '1'],
      ['XDEL', 's', '1-2'],
      ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'JUSTID'],
      ['XACK', 's', 'g', '1-1', '77-7'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c9'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c9'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c9'],
      ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '3'],
      ['XGROUP', 'DESTROY', 's', 'g2'],
      ['XSETID', 's', '999-0'],
      ['XGROUP', 'CREATE', 'ms', 'g', '$', 'MKSTREAM'],
      { on: 1, send: ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'ms', '>'] },
      {
        on: 2,
        send: ['XREADGROUP', 'GROUP', 'g', 'n', 'NOACK', 'BLOCK', '0', 'STREAMS', 'ms', '>'],
      },
      { sleep: 50 },
      ['XADD', 'ms', '1-1', 'a', '1'],
      ['XADD', 'ms', '2-1', 'a', '2'],
      { on: 1, read: true },
      { on: 2, read: true },
      ['XADD', 'acks', '5-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 'acks', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'acks', '>'],
      ['XACK', 'acks', 'g', '5-1', '5-2'],
      ['XACK', 'acks', 'g', '5-1'],
    ],
  },
  'transactions: one write unwrapped, several in MULTI/EXEC across databases': {
    steps: [
      ['MULTI'],
      ['SET', 'a', '1'],
      ['GET', 'a'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'a', '2'],
      ['SELECT', '4'],
      ['INCRBYFLOAT', 'f', '1'],
      ['EXEC'],
      ['SELECT', '0'],
      ['MULTI'],
      ['GET', 'a'],
      ['EXEC'],
      ['WATCH', 'a'],
      ['SET', 'a', '3'],
      ['MULTI'],
      ['SET', 'a', '4'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'a', '5'],
      ['LPUSH', 'a', 'x'],
      ['SET', 'b', '6'],
      ['EXEC'],
      ['PUBLISH', 'channel', 'message'],
    ],
  },
  'RESTORE with relative and absolute TTLs, SORT STORE, ZRANGESTORE, SETBIT': {
    steps: [
      ['RESTORE', 'r1', '0', HELLO_PAYLOAD],
      ['RESTORE', 'r2', '100000', HELLO_PAYLOAD],
      ['RESTORE', 'r3', '4102444800000', HELLO_PAYLOAD, 'ABSTTL'],
      ['RESTORE', 'r1', '1', HELLO_PAYLOAD, 'ABSTTL', 'REPLACE'],
      ['RESTORE', 'r4', '1', HELLO_PAYLOAD, 'ABSTTL'],
      ['RPUSH', 'l', '3', '1', '2'],
      ['SORT', 'l', 'STORE', 'sorted'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZRANGESTORE', 'z2', 'z', '0', '-1'],
      ['ZRANGESTORE', 'z3', 'missing', '0', '-1'],
      ['SETBIT', 'bits', '7', '1'],
      ['SETBIT', 'bits', '7', '1'],
      ['SETBIT', 'bits', '7', '0'],
      ['SETBIT', 'bits', '100', '0'],
    ],
  },
  'scripts: their writes in MULTI/EXEC, only those redis.set_repl sends to replicas': {
    steps: [
      [
        'EVAL',
        "redis.call('set','a','1') redis.set_repl(redis.REPL_NONE) redis.call('set','b','2') redis.set_repl(redis.REPL_AOF) redis.call('set','c','3') redis.set_repl(redis.REPL_ALL) redis.call('set','d','4')",
        '0',
      ],
      ['EVAL', "redis.set_repl(redis.REPL_AOF) redis.call('incr','e')", '0'],
      ['EVAL', "redis.set_repl(redis.REPL_REPLICA) redis.call('incr','e')", '0'],
    ],
  },
  'expired keys: DEL on access, before the command that found them': {
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'a', '1', 'PX', '20'],
      ['SET', 'b', '1', 'PX', '20'],
      ['SET', 'c', '1', 'PX', '20'],
      ['RPUSH', 'l', 'x'],
      ['PEXPIRE', 'l', '20'],
      { sleep: 60 },
      ['GET', 'a'],
      ['SET', 'b', '2'],
      ['MULTI'],
      ['EXISTS', 'c'],
      ['SET', 'd', '1'],
      ['EXEC'],
      ['LPUSH', 'l', 'y'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
};

/**
 * The random walks' commands (random-walk.ts), a few seeds per family: whatever each command
 * propagates (rewritten or not) must match, in order, including inside MULTI/EXEC.
 */
for (const [name, family] of Object.entries(FAMILIES)) {
  for (let seed = 1; seed <= Number(process.env.NSEEDS ?? 3); seed++) {
    scenarios[`random walk: ${name}, seed ${seed}`] = {
      steps: walkCommands(family, seed, 150),
    };
  }
}

describe.runIf(requireRedisOrSkip('propagation differential'))(
  'propagated writes, compared with a real redis-server replication stream',
  () => {
    let rc: RunningServer & { server: RcServer };
    let redis: RunningServer;
    let replica: ReplicationStream;
    const rcCommands: string[][] = [];

    beforeAll(async () => {
      [rc, redis] = await Promise.all([
        startRc([['enable-debug-command', 'yes']]),
        startRedis(['--repl-diskless-sync', 'no', '--enable-debug-command', 'yes']),
      ]);
      replica = await ReplicationStream.open(redis.port);
      // rc's stream is encoded exactly as the AOF and replicas get it, then parsed back.
      const encoder = new PropagationEncoder(PropagationTarget.Replication);
      const parser = new RequestParser();
      rc.server.engine.propagation.addListener((batch) => {
        encoder.append(batch);
        parser.feed(encoder.take());
        for (let next = parser.next(); next !== null; next = parser.next()) {
          if (Array.isArray(next)) rcCommands.push(next);
        }
      });
    }, 30_000);

    afterAll(async () => {
      replica?.close();
      await Promise.all([rc?.stop(), redis?.stop()]);
    });

    const takeOurs = async (marker: string) => {
      const index = rcCommands.findIndex(isSentinel(marker));
      return rcCommands.splice(0, index + 1);
    };
    const takeTheirs = (marker: string) => replica.takeUntil(isSentinel(marker));

    for (const [name, scenario] of Object.entries(scenarios)) {
      it(name, async () => {
        const ours = await propagated(rc.port, takeOurs, scenario);
        const theirs = await propagated(redis.port, takeTheirs, scenario);
        expect(ours).toEqual(theirs);
      });
    }

    it('MIGRATE: the keys the target took, as one DEL; COPY and refused keys propagate nothing', async () => {
      const target = await startRedis();
      const admin = await RawClient.open(target.port);
      const migrate = (...rest: string[]) => ['MIGRATE', '127.0.0.1', String(target.port), ...rest];
      const scenario: Scenario = {
        steps: [
          ['MSET', 'a', '1', 'b', '2', 'c', '3'],
          migrate('a', '0', '5000', 'COPY'),
          migrate('', '0', '5000', 'KEYS', 'a', 'b', 'missing'),
          migrate('c', '0', '5000'),
          ['SET', 'a', 'again'],
          migrate('a', '0', '5000'),
          ['SET', 'd', '4'],
          migrate('d', '0', '5000'),
        ],
      };
      try {
        await admin.command('FLUSHALL');
        const ours = await propagated(rc.port, takeOurs, scenario);
        await admin.command('FLUSHALL');
        const theirs = await propagated(redis.port, takeTheirs, scenario);
        expect(ours).toEqual(theirs);
      } finally {
        admin.close();
        await target.stop();
      }
    });

    // Waiters served as their non-blocking forms, among pushes, renames and type changes: about
    // a hundred writes per walk, a fifth of them served waiters.
    for (let seed = 1; seed <= Number(process.env.NSEEDS ?? 3); seed++) {
      it(`blocking walk, seed ${seed}`, async () => {
        const origin = Date.now();
        const ports = { rc: rc.port, redis: redis.port };
        await runBlockingSteps(ports, 2, randomBlockingSteps(seed, 120));
        const [ourClient, theirClient] = await Promise.all([
          RawClient.open(rc.port),
          RawClient.open(redis.port),
        ]);
        try {
          const ours = await sentinelAndLines(ourClient, takeOurs, origin);
          const theirs = await sentinelAndLines(theirClient, takeTheirs, origin);
          expect(ours).toEqual(theirs);
        } finally {
          ourClient.close();
          theirClient.close();
        }
      });
    }
  },
);
