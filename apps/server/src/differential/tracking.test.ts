import { until } from '@rc/test-support';
import { describe, expect, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { FAMILIES, walkCommands } from '../test-support/random-walk.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** A command whose reply is followed by `pushes` invalidation frames on the same connection. */
const withPushes = (pushes: number, ...command: string[]): Step => ({
  raw: encodeCommand(command).toString('latin1'),
  replies: 1 + pushes,
});

/** Only INFO's tracking_* lines: the rest differs by nature. */
const trackingInfo = (section: string): Step => ({
  command: ['INFO', section],
  normalize: (reply) =>
    reply
      .split('\r\n')
      .filter((line) => line.startsWith('tracking_'))
      .join('\n'),
});

describe.runIf(requireRedisOrSkip('client tracking differential'))(
  'CLIENT TRACKING (client-side caching), compared with redis-server',
  () => {
    const servers = useDifferential();

    it('options and their errors, CACHING, GETREDIR, TRACKINGINFO', () =>
      servers.compare([
        ['CLIENT', 'TRACKINGINFO'],
        ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'CACHING', 'YES'],
        ['CLIENT', 'TRACKING', 'maybe'],
        ['CLIENT', 'TRACKING', 'ON', 'bogus'],
        ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'],
        ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'],
        ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'],
        ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
        ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'NOLOOP'],
        ['CLIENT', 'TRACKINGINFO'],
        ['CLIENT', 'CACHING', 'NO'],
        ['CLIENT', 'CACHING', 'YES'],
        ['CLIENT', 'TRACKINGINFO'],
        ['CLIENT', 'CACHING', 'perhaps'],
        ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST'],
        ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'TRACKING', 'OFF'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b:', 'PREFIX', 'a:'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a:x'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'c:'],
        ['CLIENT', 'TRACKINGINFO'],
        trackingInfo('clients'),
        trackingInfo('stats'),
        ['CLIENT', 'TRACKING', 'OFF'],
        ['CLIENT', 'TRACKINGINFO'],
        trackingInfo('stats'),
      ]));

    it('RESP3: invalidations of keys read, after the reply of the command that changed them', () =>
      servers.compare(
        [
          ['CLIENT', 'TRACKING', 'ON'],
          ['SET', 'a', '1'],
          ['GET', 'a'],
          withPushes(1, 'SET', 'a', '2'),
          ['SET', 'a', '3'],
          ['MGET', 'a', 'b', 'c'],
          withPushes(1, 'DEL', 'a', 'b'),
          ['HGETALL', 'h'],
          ['MULTI'],
          ['HSET', 'h', 'f', 'v'],
          ['GET', 'c'],
          withPushes(1, 'EXEC'),
          ['GET', 'c'],
          trackingInfo('stats'),
          withPushes(1, 'FLUSHALL'),
          trackingInfo('stats'),
          ['GET', 'x'],
          ['SWAPDB', '0', '1'],
          ['CLIENT', 'TRACKING', 'ON', 'NOLOOP'],
          ['GET', 'y'],
          ['SET', 'y', '1'],
          ['PING'],
        ],
        { protocol: 3 },
      ));

    it('RESP3: OPTIN tracks after CACHING YES only, OPTOUT all but after CACHING NO', () =>
      servers.compare(
        [
          ['CLIENT', 'TRACKING', 'ON', 'OPTIN'],
          ['GET', 'a'],
          ['SET', 'a', '1'],
          ['CLIENT', 'CACHING', 'YES'],
          ['GET', 'a'],
          withPushes(1, 'SET', 'a', '2'),
          ['CLIENT', 'CACHING', 'YES'],
          ['CLIENT', 'TRACKINGINFO'],
          ['PING'],
          ['CLIENT', 'TRACKINGINFO'],
          ['GET', 'a'],
          ['SET', 'a', '3'],
          ['CLIENT', 'TRACKING', 'OFF'],
          ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'],
          ['CLIENT', 'CACHING', 'NO'],
          ['GET', 'b'],
          ['SET', 'b', '1'],
          ['GET', 'b'],
          withPushes(1, 'SET', 'b', '2'),
        ],
        { protocol: 3 },
      ));

    it('RESP2 without redirection: nothing is sent, the keys are still tracked', () =>
      servers.compare(
        [
          ['CLIENT', 'TRACKING', 'ON'],
          ['GET', 'a'],
          trackingInfo('stats'),
          ['SET', 'a', '1'],
          trackingInfo('stats'),
          ['PING'],
        ],
        { protocol: 2 },
      ));

    /**
     * Two connections: `tracker` reads keys with tracking on, redirected to `listener` (RESP2,
     * subscribed to __redis__:invalidate) or in BCAST mode; `writer` changes them. Returns
     * every frame the listener and tracker got.
     */
    async function redirected(port: number): Promise<string[]> {
      const listener = await RawClient.open(port);
      const tracker = await RawClient.open(port);
      const writer = await RawClient.open(port);
      await writer.command('FLUSHALL');
      const frames: Array<Buffer | null> = [];
      const id = (await listener.command('CLIENT', 'ID'))?.toString('latin1').slice(1, -2) ?? '';
      frames.push(await listener.command('SUBSCRIBE', '__redis__:invalidate'));
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id));
      frames.push(await tracker.command('MGET', 'k1', 'k2'));
      frames.push(await writer.command('MSET', 'k1', 'a', 'k2', 'b'));
      frames.push(await listener.readReply(), await listener.readReply());
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'p:'));
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'OFF'));
      frames.push(await tracker.command('HELLO', '3').then(() => Buffer.from('hello')));
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'p:'));
      frames.push(await writer.command('MSET', 'p:2', 'x', 'q:1', 'y', 'p:1', 'z'));
      frames.push(await tracker.readReply());
      frames.push(
        await tracker.command('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'q:', 'NOLOOP'),
      );
      frames.push(await tracker.command('SET', 'q:self', '1'));
      frames.push(await writer.command('SET', 'q:other', '1'));
      frames.push(await tracker.readReply());
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'OFF'));
      frames.push(await tracker.command('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id));
      frames.push(await tracker.command('GET', 'k1'));
      listener.close();
      await until(
        async () => !(await writer.command('CLIENT', 'LIST'))?.includes(`id=${id} `),
        'the server to drop the redirect client',
      );
      frames.push(await writer.command('SET', 'k1', 'c'));
      frames.push(await tracker.readReply());
      frames.push(await tracker.command('CLIENT', 'TRACKINGINFO'));
      for (const client of [tracker, writer]) client.close();
      // Client ids differ between the servers: the listener's is masked.
      return frames.map((frame) =>
        (frame?.toString('latin1') ?? 'none').replaceAll(`:${id}\r\n`, ':ID\r\n'),
      );
    }

    /**
     * A random walk (random-walk.ts) on a connection tracking what it reads, its invalidations
     * redirected to a RESP2 subscriber: which keys each command reads and changes decides what
     * the subscriber gets. Returns the messages it got.
     */
    async function walkInvalidations(port: number, steps: string[][]): Promise<string[]> {
      const listener = await RawClient.open(port);
      const tracker = await RawClient.open(port);
      await tracker.command('FLUSHALL');
      const id = (await listener.command('CLIENT', 'ID'))?.toString('latin1').slice(1, -2) ?? '';
      await listener.command('SUBSCRIBE', '__redis__:invalidate');
      await tracker.command('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
      for (const step of steps) await tracker.command(...step);
      const messages = await listener.readUntilQuiet();
      listener.close();
      tracker.close();
      return messages;
    }

    for (const [name, family] of Object.entries(FAMILIES)) {
      for (let seed = 1; seed <= Number(process.env.NSEEDS ?? 2); seed++) {
        it(`random walk: ${name}, seed ${seed}: invalidations redirected`, async () => {
          const steps = walkCommands(family, seed, 150);
          const ours = await walkInvalidations(servers.rcPort(), steps);
          const theirs = await walkInvalidations(servers.redisPort(), steps);
          expect(ours).toEqual(theirs);
        });
      }
    }

    it('redirection to a RESP2 subscriber, BCAST prefixes with NOLOOP, a broken redirect', async () => {
      const ours = await redirected(servers.rcPort());
      const theirs = await redirected(servers.redisPort());
      expect(ours).toEqual(theirs);
      // Not vacuous: SUBSCRIBE's reply, two messages, two BCAST pushes, the broken redirect.
      expect(theirs.filter((frame) => frame.includes('invalidate')).length).toBe(5);
      expect(theirs.some((frame) => frame.includes('tracking-redir-broken'))).toBe(true);
    });
  },
);
