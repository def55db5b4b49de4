import { until } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('lists differential'))(
  'lists, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`push, pop, range, index, set (RESP${protocol})`, () =>
        servers.compare(
          [
            ['RPUSH', 'l', 'a', 'b', 'c'],
            ['LPUSH', 'l', 'z'],
            ['LPUSHX', 'none', 'x'],
            ['RPUSHX', 'l', 'd'],
            ['LLEN', 'l'],
            ['LRANGE', 'l', '0', '-1'],
            ['LRANGE', 'l', '-100', '100'],
            ['LRANGE', 'l', '3', '1'],
            ['LRANGE', 'l', 'x', '1'],
            ['LINDEX', 'l', '-1'],
            ['LINDEX', 'l', '99'],
            ['LSET', 'l', '0', 'first'],
            ['LSET', 'l', '99', 'x'],
            ['LSET', 'none', '0', 'x'],
            ['LPOP', 'l'],
            ['RPOP', 'l', '2'],
            ['LPOP', 'l', '0'],
            ['LPOP', 'l', '-1'],
            ['LPOP', 'none'],
            ['LPOP', 'none', '2'],
            ['LPOP', 'l', '1', '2'],
            ['SET', 's', 'v'],
            ['LPUSH', 's', 'x'],
            ['LLEN', 's'],
            ['RPOP', 'l', '10'],
            ['EXISTS', 'l'],
          ],
          { protocol },
        ));
    }

    it('LRANGE of a list of several nodes, elements of every header width and one past a node', () => {
      // 3000 elements of 0 to 12 bytes (thousands to a node), 100-byte ones, one of 20000.
      const elements = Array.from({ length: 3000 }, (_, i) =>
        String.fromCharCode(97 + (i % 26)).repeat(i % 13),
      );
      const long = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, '\xff'));
      return servers.compare([
        ['RPUSH', 'l', ...elements],
        ['LPUSH', 'l', ...long],
        ['RPUSH', 'l', 'z'.repeat(20000), ...long],
        ['LRANGE', 'l', '0', '-1'],
        ['LRANGE', 'l', '40', '700'],
        ['LRANGE', 'l', '-80', '-1'],
        ['LRANGE', 'l', '2999', '3060'],
      ]);
    });

    it('LINSERT, LREM, LTRIM, LPOS', () =>
      servers.compare([
        ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'],
        ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
        ['LINSERT', 'l', 'AFTER', 'nope', 'x'],
        ['LINSERT', 'l', 'MIDDLE', 'b', 'x'],
        ['LINSERT', 'none', 'AFTER', 'b', 'x'],
        ['LPOS', 'l', 'a'],
        ['LPOS', 'l', 'a', 'RANK', '-1'],
        ['LPOS', 'l', 'a', 'COUNT', '0'],
        ['LPOS', 'l', 'a', 'RANK', '2', 'COUNT', '5'],
        ['LPOS', 'l', 'a', 'MAXLEN', '2', 'COUNT', '0'],
        ['LPOS', 'l', 'a', 'RANK', '0'],
        ['LPOS', 'l', 'a', 'COUNT', '-1'],
        ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
        ['LPOS', 'l', 'a', 'BOGUS', '1'],
        ['LPOS', 'l', 'zz'],
        ['LREM', 'l', '-1', 'a'],
        ['LRANGE', 'l', '0', '-1'],
        ['LREM', 'l', '0', 'a'],
        ['LRANGE', 'l', '0', '-1'],
        ['LTRIM', 'l', '1', '-1'],
        ['LRANGE', 'l', '0', '-1'],
        ['LTRIM', 'l', '5', '1'],
        ['EXISTS', 'l'],
      ]));

    it('LMOVE, RPOPLPUSH, LMPOP', () =>
      servers.compare([
        ['RPUSH', 'src', '1', '2', '3'],
        ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
        ['RPOPLPUSH', 'src', 'dst'],
        ['LMOVE', 'src', 'src', 'LEFT', 'RIGHT'],
        ['LRANGE', 'dst', '0', '-1'],
        ['LMOVE', 'src', 'dst', 'UP', 'RIGHT'],
        ['SET', 'str', 'x'],
        ['LMOVE', 'src', 'str', 'LEFT', 'LEFT'],
        ['LRANGE', 'src', '0', '-1'],
        ['LMOVE', 'none', 'dst', 'LEFT', 'LEFT'],
        ['LMPOP', '2', 'none', 'dst', 'LEFT', 'COUNT', '5'],
        ['LMPOP', '1', 'none', 'LEFT'],
        ['LMPOP', '0', 'x', 'LEFT'],
        ['LMPOP', '1', 'src', 'MIDDLE'],
        ['LMPOP', '1', 'src', 'LEFT', 'COUNT', '0'],
      ]));

    it('LMPOP RIGHT with COUNT, across keys, and its errors', () =>
      servers.compare([
        ['RPUSH', 'b', '1', '2', '3', '4'],
        ['LMPOP', '2', 'a', 'b', 'RIGHT'],
        ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'],
        ['LMPOP', '2', 'a', 'b', 'right', 'COUNT', '10'],
        ['EXISTS', 'b'],
        ['LMPOP', '2', 'a', 'b', 'RIGHT'],
        ['RPUSH', 'a', 'x'],
        ['LMPOP', '1', 'a', 'RIGHT', 'COUNT', '-1'],
        ['LMPOP', '1', 'a', 'RIGHT', 'COUNT'],
        ['LMPOP', '1', 'a', 'RIGHT', 'COUNT', '1', 'COUNT', '1'],
        ['LMPOP', '1', 'a', 'RIGHT', 'FOO'],
        ['LMPOP', '3', 'a', 'RIGHT'],
        ['LMPOP', '-1', 'a', 'RIGHT'],
        ['SET', 's', 'v'],
        ['LMPOP', '2', 's', 'a', 'RIGHT'],
        ['BLMPOP', '0.01', '2', 'none', 'a', 'RIGHT', 'COUNT', '3'],
      ]));

    it('blocking commands: errors, immediate data and MULTI', () =>
      servers.compare([
        ['BLPOP', 'l', '-1'],
        ['BLPOP', 'l', 'abc'],
        ['RPUSH', 'l', 'a', 'b'],
        ['BLPOP', 'none', 'l', '0'],
        ['BRPOP', 'l', '0.01'],
        ['BLPOP', 'l', '0.01'],
        ['MULTI'],
        ['BLPOP', 'l', '0'],
        ['BLMOVE', 'l', 'x', 'LEFT', 'LEFT', '0'],
        ['BLMPOP', '0', '1', 'l', 'LEFT'],
        ['EXEC'],
      ]));

    it('every blocking command timing out, in RESP2 and RESP3', () =>
      servers.compare([
        ['BLPOP', 'q', '0.01'],
        ['BRPOP', 'q', 'q2', '0.01'],
        ['BLMOVE', 'q', 'd', 'LEFT', 'RIGHT', '0.01'],
        ['BRPOPLPUSH', 'q', 'd', '0.01'],
        ['BLMPOP', '0.01', '1', 'q', 'LEFT'],
        ['BZPOPMIN', 'z', '0.01'],
        ['BZPOPMAX', 'z', '0.01'],
        ['BZMPOP', '0.01', '1', 'z', 'MIN'],
        ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'],
        ['EXISTS', 'd'],
      ]));

    async function blockedThenServed(port: number): Promise<string[]> {
      const waiter = await RawClient.open(port);
      const second = await RawClient.open(port);
      const pusher = await RawClient.open(port);
      await pusher.command('DEL', 'q', 'q2');
      waiter.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n');
      second.write('*4\r\n$5\r\nBLPOP\r\n$2\r\nq2\r\n$1\r\nq\r\n$1\r\n0\r\n');
      await until(
        async () => (await pusher.command('INFO', 'clients'))?.includes('blocked_clients:2\r\n'),
        'both BLPOPs to block',
      );
      const pushed = await pusher.command('RPUSH', 'q', 'one', 'two', 'three');
      const first = await waiter.readReply();
      const next = await second.readReply();
      const left = await pusher.command('LRANGE', 'q', '0', '-1');
      const timedOut = await pusher.command('BLPOP', 'empty', '0.05');
      for (const client of [waiter, second, pusher]) client.close();
      return [pushed, first, next, left, timedOut].map(
        (reply) => reply?.toString('latin1') ?? 'none',
      );
    }

    it('serves blocked clients first come first served, and times out', async () => {
      const ours = await blockedThenServed(servers.rcPort());
      const theirs = await blockedThenServed(servers.redisPort());
      expect(ours).toEqual(theirs);
    });

    /** Blocks a client in each blocking command, then CLIENT UNBLOCK releases it both ways. */
    async function unblocked(port: number): Promise<string[]> {
      const waiter = await RawClient.open(port);
      const other = await RawClient.open(port);
      const id = (await waiter.command('CLIENT', 'ID'))!.toString('latin1').slice(1, -2);
      await other.command('DEL', 'q', 'z', 's');
      await other.command('XADD', 's', '1-0', 'f', 'v');
      await other.command('XGROUP', 'CREATE', 's', 'g', '$');
      const replies: Array<Buffer | null> = [];
      const blockers = [
        ['BLPOP', 'q', '0'],
        ['BLMOVE', 'q', 'd', 'LEFT', 'RIGHT', '0'],
        ['BLMPOP', '0', '1', 'q', 'LEFT'],
        ['BZPOPMIN', 'z', '0'],
        ['BZMPOP', '0', '1', 'z', 'MAX'],
        ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
        ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
      ];
      for (const blocker of blockers) {
        for (const how of ['TIMEOUT', 'ERROR']) {
          waiter.write(encodeCommand(blocker));
          await new Promise((resolve) => setTimeout(resolve, 20));
          replies.push(await other.command('CLIENT', 'UNBLOCK', id, how));
          replies.push(await waiter.readReply());
        }
      }
      replies.push(await other.command('CLIENT', 'UNBLOCK', id));
      replies.push(await other.command('CLIENT', 'UNBLOCK', id, 'SOFTLY'));
      replies.push(await waiter.command('PING'));
      waiter.close();
      other.close();
      return replies.map((reply) => reply?.toString('latin1') ?? 'none');
    }

    it('CLIENT UNBLOCK with TIMEOUT and ERROR releases every kind of blocked client', async () => {
      const ours = await unblocked(servers.rcPort());
      const theirs = await unblocked(servers.redisPort());
      expect(ours).toEqual(theirs);
    });
  },
);
