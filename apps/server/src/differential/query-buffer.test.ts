import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer, until, type RedisServerProcess } from '@rc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip, startRc } from '../test-support/servers.js';

const LIMITS: Array<[string, string]> = [['client-query-buffer-limit', '1mb']];

/** What a connection that sends a 3 MB SET gets: its replies, and whether it was closed. */
async function sendOverLimit(port: number): Promise<{ replies: string; closed: boolean }> {
  const client = await RawClient.open(port);
  expect(String(await client.command('PING'))).toBe('+PONG\r\n');
  client.write(encodeCommand(['SET', 'k', 'v'.repeat(3 * 1024 * 1024)]));
  const closed = await client.waitClosed(10000);
  return { replies: client.unread(), closed };
}

/** CLIENT LIST's qbuf of the client named `name`, seen from `observer`. */
async function qbuf(observer: RawClient, name: string): Promise<number> {
  const list = String(await observer.command('CLIENT', 'LIST'));
  const line = list.split('\n').find((entry) => entry.includes(` name=${name} `)) ?? '';
  return Number(/ qbuf=(\d+)/.exec(line)?.[1] ?? -1);
}

describe.runIf(requireRedisOrSkip('query buffer differential'))(
  'query buffer limits, compared with redis-server',
  () => {
    let rc: { port: number; server: RcServer; stop(): Promise<void> };
    const rcLog: string[] = [];
    let redis: RedisServerProcess;

    beforeAll(async () => {
      rc = await startRc(LIMITS);
      rc.server.engine.log = (_level, line) => rcLog.push(line);
      redis = await startRedisServer({
        args: LIMITS.flatMap(([name, value]) => [`--${name}`, value]).concat('--logfile', 'log'),
      });
    });
    afterAll(async () => {
      await rc?.stop();
      await redis?.stop();
    });

    it('closes a client whose input passes client-query-buffer-limit, with a warning', async () => {
      const outcomes = [await sendOverLimit(rc.port), await sendOverLimit(redis.port)];
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0]).toEqual({ replies: '', closed: true });
      const warning =
        /Closing client that reached max query buffer length: id=\d+ .* \(qbuf initial bytes: "v{64}"\)$/m;
      const redisLog = readFileSync(join(redis.dir, 'log'), 'latin1');
      expect(redisLog).toMatch(warning);
      expect(rcLog.join('\n')).toMatch(warning);
      // The server goes on serving the others.
      for (const port of [rc.port, redis.port]) {
        const client = await RawClient.open(port);
        expect(String(await client.command('EXISTS', 'k'))).toBe(':0\r\n');
        client.close();
      }
    });

    it('shows a bulk being received in qbuf, and a lower proto-max-bulk-len refuses the next', async () => {
      const seen: Array<[number, string, string, string]> = [];
      for (const port of [rc.port, redis.port]) {
        const observer = await RawClient.open(port);
        const sender = await RawClient.open(port);
        await sender.command('CLIENT', 'SETNAME', 'sender');
        sender.write(`*2\r\n$3\r\nGET\r\n$200000\r\n${'x'.repeat(150000)}`);
        await until(async () => (await qbuf(observer, 'sender')) === 150000, 'the bulk in qbuf');
        sender.write(`${'x'.repeat(50000)}\r\n`);
        const reply = String(await sender.readReply());
        const tooLow = String(
          await observer.command('CONFIG', 'SET', 'proto-max-bulk-len', '100000'),
        );
        await observer.command('CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
        sender.write(`*2\r\n$3\r\nGET\r\n$2000000\r\n`);
        const refused = String(await sender.readReply());
        await sender.waitClosed();
        await observer.command('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
        seen.push([await qbuf(observer, 'sender'), reply, tooLow, refused]);
        observer.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual([
        -1,
        '$-1\r\n',
        "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n",
        '-ERR Protocol error: invalid bulk length\r\n',
      ]);
    });
  },
);
