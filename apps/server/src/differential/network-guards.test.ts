import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** Sent bytes, and how many replies they get before the next bytes go. */
type Exchange = [bytes: string, replies: number];

interface Outcome {
  replies: string[];
  /** Bytes that came after the replies without forming one. */
  unread: string;
  closed: boolean;
}

/**
 * Runs the exchanges on a new connection, then waits for the server to close it (a connection
 * that stays open is seen as `closed: false` once the wait ran out).
 */
async function untilClosed(
  port: number,
  exchanges: Exchange[],
  connection: { host?: string; localAddress?: string } = {},
): Promise<Outcome> {
  const client = await RawClient.open(port, connection);
  const replies = await run(client, exchanges);
  const closed = await client.waitClosed(5000);
  const outcome = { replies, unread: client.unread(), closed };
  client.close();
  return outcome;
}

/** Runs the exchanges on a new connection that stays open; resolves with the replies. */
async function replies(
  port: number,
  exchanges: Exchange[],
  connection: { localAddress?: string } = {},
): Promise<string[]> {
  const client = await RawClient.open(port, connection);
  const seen = await run(client, exchanges);
  client.close();
  return seen;
}

async function run(client: RawClient, exchanges: Exchange[]): Promise<string[]> {
  const seen: string[] = [];
  for (const [bytes, count] of exchanges) {
    client.write(bytes);
    for (let i = 0; i < count; i++) seen.push(String(await client.readReply(5000)));
  }
  return seen;
}

/** The connection counters of INFO stats, read over a connection of its own. */
async function connectionStats(port: number): Promise<[number, number]> {
  const client = await RawClient.open(port);
  const info = String(await client.command('INFO', 'stats'));
  client.close();
  const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
  return [field('total_connections_received'), field('rejected_connections')];
}

/** An address of this machine outside 127.0.0.0/8, if it has one (IPv4). */
function nonLoopbackAddress(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
}

/** 127.0.0.2 reaches a server bound to 127.0.0.1, but Redis counts only 127.0.0.1 as local. */
const OTHER_LOOPBACK = { localAddress: '127.0.0.2' };

describe.runIf(requireRedisOrSkip('protected mode and cross-protocol guard differential'))(
  'protected mode and the cross-protocol guard, compared with redis-server',
  () => {
    const servers = useDifferential();
    const both = (): number[] => [servers.rcPort(), servers.redisPort()];
    const configSet = async (name: string, value: string, password?: string): Promise<void> => {
      for (const port of both()) {
        const client = await RawClient.open(port);
        if (password !== undefined) await client.command('AUTH', password);
        expect(String(await client.command('CONFIG', 'SET', name, value))).toBe('+OK\r\n');
        client.close();
      }
    };

    it('denies a peer that is not 127.0.0.1 or ::1, counting it as rejected', async () => {
      const seen: Array<[Outcome, number, number]> = [];
      for (const port of both()) {
        const [connectionsBefore, rejectedBefore] = await connectionStats(port);
        const outcome = await untilClosed(port, [['PING\r\n', 1]], OTHER_LOOPBACK);
        const [connectionsAfter, rejectedAfter] = await connectionStats(port);
        // The second stats connection counts itself; the denied one is not counted.
        seen.push([outcome, connectionsAfter - connectionsBefore, rejectedAfter - rejectedBefore]);
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0][0].replies[0]).toMatch(/^-DENIED Redis is running in protected mode /);
      expect(seen[0][0].closed).toBe(true);
      expect(seen[0].slice(1)).toEqual([1, 1]);
    });

    it('lets such a peer in once protected mode is off, or the default user has a password', async () => {
      const seen: string[][] = [];
      await configSet('protected-mode', 'no');
      try {
        for (const port of both())
          seen.push(await replies(port, [['PING\r\n', 1]], OTHER_LOOPBACK));
      } finally {
        await configSet('protected-mode', 'yes');
      }
      await configSet('requirepass', 'secret');
      try {
        for (const port of both()) {
          const exchanges: Exchange[] = [
            ['PING\r\n', 1],
            ['AUTH secret\r\nPING\r\n', 2],
          ];
          seen.push(await replies(port, exchanges, OTHER_LOOPBACK));
        }
      } finally {
        await configSet('requirepass', '', 'secret');
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[2]).toEqual(seen[3]);
      expect(seen[0]).toEqual(['+PONG\r\n']);
      expect(seen[2][0]).toMatch(/^-NOAUTH /);
      expect(seen[2].slice(1)).toEqual(['+OK\r\n', '+PONG\r\n']);
    });

    const external = nonLoopbackAddress();
    if (external === undefined) {
      console.warn('SKIPPED: protected mode from a non-loopback address (this machine has none)');
    }
    it.runIf(external !== undefined)(
      'denies a peer on a non-loopback address of this machine, whatever bind says',
      async () => {
        const address = external ?? '';
        const seen: Outcome[] = [];
        await configSet('bind', `127.0.0.1 ${address}`);
        try {
          for (const port of both()) {
            seen.push(await untilClosed(port, [['PING\r\n', 1]], { host: address }));
          }
        } finally {
          await configSet('bind', '127.0.0.1');
        }
        expect(seen[0]).toEqual(seen[1]);
        expect(seen[0].replies[0]).toMatch(/^-DENIED /);
      },
    );

    it('shows an IPv6 peer in brackets, as anetFormatAddr', async () => {
      const seen: string[] = [];
      await configSet('bind', '127.0.0.1 ::1');
      try {
        for (const port of both()) {
          const client = await RawClient.open(port, { host: '::1' });
          const info = String(await client.command('CLIENT', 'INFO'));
          client.close();
          seen.push(info.replace(/\d+/g, 'N').replace(/ (?!addr|laddr)[\w-]+=\S*/g, ''));
        }
      } finally {
        await configSet('bind', '127.0.0.1');
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toContain('addr=[::N]:N laddr=[::N]:N');
    });

    it.each([
      ['an HTTP POST request', [['POST / HTTP/1.1\r\nHost: example.com\r\n\r\n', 0]]],
      ['a Host: header, as a multibulk', [['*2\r\n$5\r\nhost:\r\n$1\r\nx\r\n', 0]]],
      ['POST after a command in the same read (its reply is not sent)', [['PING\r\npost\r\n', 0]]],
      [
        'POST after a reply was sent',
        [
          ['PING\r\n', 1],
          ['Post /x\r\n', 0],
        ],
      ],
      [
        'POST queued in MULTI',
        [
          ['MULTI\r\n', 1],
          ['POST\r\n', 0],
        ],
      ],
    ] as Array<[string, Exchange[]]>)('closes the connection on %s', async (_name, exchanges) => {
      const seen: Outcome[] = [];
      for (const port of both()) seen.push(await untilClosed(port, exchanges));
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0].closed).toBe(true);
      expect(seen[0].unread).toBe('');
    });

    it('runs the commands before POST in the same read, and takes longer names as commands', async () => {
      const seen: string[][] = [];
      for (const port of both()) {
        await untilClosed(port, [['SET guarded yes\r\nPOST /\r\n', 0]]);
        seen.push(await replies(port, [['GET guarded\r\nPOSTED\r\nHOST\r\n', 3]]));
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0][0]).toBe('$3\r\nyes\r\n');
    });
  },
);

describe.runIf(requireRedisOrSkip('enable-*-command local differential'))(
  '`local` protected settings, compared with redis-server',
  () => {
    const servers = useDifferential([
      ['protected-mode', 'no'],
      ['enable-protected-configs', 'local'],
      ['enable-debug-command', 'local'],
    ]);

    it('count 127.0.0.1 as local, not 127.0.0.2', async () => {
      const seen: string[][] = [];
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        for (const localAddress of ['127.0.0.1', '127.0.0.2']) {
          const exchanges: Exchange[] = [
            ['CONFIG SET dir .\r\n', 1],
            ['DEBUG SLEEP 0\r\n', 1],
          ];
          seen.push(await replies(port, exchanges, { localAddress }));
        }
      }
      expect(seen.slice(0, 2)).toEqual(seen.slice(2));
      expect(seen[0]).toEqual(['+OK\r\n', '+OK\r\n']);
      expect(seen[1][0]).toMatch(/^-ERR CONFIG SET failed .*protected config/);
    });
  },
);
