import { describe, expect, it } from 'vitest';
import { randomBlockingSteps, runBlockingSteps } from '../test-support/blocking-walk.js';
import { useDifferential } from '../test-support/differential.js';
import { FAMILIES, walkCommands } from '../test-support/random-walk.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** Runs commands on one connection and returns every notification a PSUBSCRIBE * client got. */
async function notifications(port: number, flags: string, steps: string[][]): Promise<string[]> {
  const writer = await RawClient.open(port);
  const subscriber = await RawClient.open(port);
  await writer.command('FLUSHALL');
  await writer.command('CONFIG', 'SET', 'notify-keyspace-events', flags);
  await subscriber.command('PSUBSCRIBE', '*');
  for (const step of steps) await writer.command(...step);
  await writer.command('CONFIG', 'SET', 'notify-keyspace-events', '');
  const received = await subscriber.readUntilQuiet();
  writer.close();
  subscriber.close();
  return received;
}

describe.runIf(requireRedisOrSkip('keyspace notifications differential'))(
  'keyspace notifications, compared with redis-server',
  () => {
    const servers = useDifferential();

    const scenarios: Array<[string, string, string[][]]> = [
      [
        'strings and generic events',
        'KEA',
        [
          ['SET', 'a', '1'],
          ['SET', 'a', '2', 'EX', '100'],
          ['INCR', 'a'],
          ['INCRBYFLOAT', 'a', '1.5'],
          ['APPEND', 'a', 'x'],
          ['SETRANGE', 'a', '0', 'z'],
          ['MSET', 'b', '1', 'c', '2'],
          ['GETDEL', 'b'],
          ['EXPIRE', 'c', '100'],
          ['PERSIST', 'c'],
          ['RENAME', 'c', 'd'],
          ['COPY', 'd', 'e'],
          ['MOVE', 'e', '3'],
          ['DEL', 'a', 'd', 'none'],
          ['SETBIT', 'bits', '3', '1'],
          ['EXPIRE', 'bits', '-1'],
        ],
      ],
      [
        'list events',
        'KEA',
        [
          ['RPUSH', 'l', 'a', 'b', 'c'],
          ['LPUSH', 'l', 'z'],
          ['LPOP', 'l'],
          ['RPOP', 'l', '1'],
          ['LSET', 'l', '0', 'x'],
          ['LINSERT', 'l', 'BEFORE', 'x', 'w'],
          ['LREM', 'l', '0', 'w'],
          ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
          ['LTRIM', 'm', '5', '10'],
          ['SORT', 'l', 'STORE', 's'],
        ],
      ],
      [
        'hash and set events',
        'KEAn',
        [
          ['HSET', 'h', 'a', '1'],
          ['HINCRBY', 'h', 'a', '2'],
          ['HINCRBYFLOAT', 'h', 'a', '1.5'],
          ['HDEL', 'h', 'a'],
          ['SADD', 's', 'a', 'b'],
          ['SADD', 's', 'a'],
          ['SREM', 's', 'x'],
          ['SMOVE', 's', 't', 'a'],
          ['SADD', 't', 'b'],
          ['SMOVE', 's', 't', 'b'],
          ['SINTERSTORE', 'u', 't', 't'],
          // Overwritten, the destination is no new key.
          ['SUNIONSTORE', 'u', 't', 't'],
          ['SDIFFSTORE', 'u', 't', 't'],
        ],
      ],
      [
        // A member given its own score again changes nothing: no event, whatever the options.
        'sorted set re-adds',
        'KEAn',
        [
          ['ZADD', 'z', '0', 'm', '1.5', 'n'],
          ['ZADD', 'z', '0', 'm'],
          ['ZADD', 'z', 'XX', 'CH', '0', 'm'],
          ['ZADD', 'z', 'NX', '0', 'm'],
          ['ZADD', 'z', 'GT', '1.5', 'n'],
          ['ZADD', 'z', 'LT', 'CH', '-0', 'm'],
          ['ZADD', 'z', 'INCR', '0', 'm'],
          ['ZINCRBY', 'z', '0', 'n'],
          ['ZADD', 'z', '0', 'm', '2', 'n'],
        ],
      ],
      [
        'new-key and masked events',
        'En',
        [
          ['SET', 'foo', 'bar'],
          ['SET', 'foo', 'baz'],
          ['LPUSH', 'l', 'x'],
        ],
      ],
      [
        'list class only',
        'KEl',
        [
          ['SET', 'foo', 'bar'],
          ['LPUSH', 'l', 'x'],
          // SORT ... STORE is a list event; a pop of 0 elements is none.
          ['SORT', 'l', 'ALPHA', 'STORE', 'sorted'],
          ['RPOP', 'l', '0'],
        ],
      ],
    ];

    // The random walks' commands (random-walk.ts), every event class and new-key events on.
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (let seed = 1; seed <= Number(process.env.NSEEDS ?? 2); seed++) {
        const steps = walkCommands(family, seed, 150);
        scenarios.push([`random walk: ${name}, seed ${seed}`, 'KEAn', steps]);
      }
    }

    for (const [name, flags, steps] of scenarios) {
      it(name, async () => {
        const ours = await notifications(servers.rcPort(), flags, steps);
        const theirs = await notifications(servers.redisPort(), flags, steps);
        expect(ours).toEqual(theirs);
      });
    }

    // Blocking walks: served waiters notify as their non-blocking forms, among the others' writes.
    for (let seed = 1; seed <= Number(process.env.NSEEDS ?? 2); seed++) {
      it(`blocking walk, seed ${seed}`, async () => {
        const ports = [servers.rcPort(), servers.redisPort()];
        const subscribers = await Promise.all(ports.map((port) => RawClient.open(port)));
        for (const subscriber of subscribers) {
          await subscriber.command('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
          await subscriber.command('PSUBSCRIBE', '*');
        }
        await runBlockingSteps(
          { rc: ports[0], redis: ports[1] },
          2,
          randomBlockingSteps(seed, 120),
        );
        const [ours, theirs] = await Promise.all(
          subscribers.map((subscriber) => subscriber.readUntilQuiet()),
        );
        for (const port of ports) {
          const client = await RawClient.open(port);
          await client.command('CONFIG', 'SET', 'notify-keyspace-events', '');
          client.close();
        }
        for (const subscriber of subscribers) subscriber.close();
        expect(ours.length).toBeGreaterThan(0);
        expect(ours).toEqual(theirs);
      });
    }

    it('CONFIG GET shows the flags as Redis spells them', () =>
      servers.compare([
        ['CONFIG', 'SET', 'notify-keyspace-events', 'gKE'],
        ['CONFIG', 'GET', 'notify-keyspace-events'],
        ['CONFIG', 'SET', 'notify-keyspace-events', '$lshzxeKE'],
        ['CONFIG', 'GET', 'notify-keyspace-events'],
        ['CONFIG', 'SET', 'notify-keyspace-events', 'KA'],
        ['CONFIG', 'GET', 'notify-keyspace-events'],
        ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'],
        ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ]));
  },
);
