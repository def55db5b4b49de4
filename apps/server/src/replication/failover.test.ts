import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { describeDataset } from '../test-support/dataset.js';
import { requireRedisOrSkip } from '../test-support/servers.js';
import {
  RedisProcess,
  connectTo,
  info,
  linkUp,
  seedDataTypes,
  until,
  type RcProcess,
} from './test-support/harness.js';

const withRedis = requireRedisOrSkip('FAILOVER between rc and redis-server');

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

type Kind = 'rc' | 'redis';
type Node = { port: number; kind: Kind; log(): string };

/** rc in this process, its log lines kept (startRc's, with a log). */
async function rc(config: Array<[string, string]> = []): Promise<RcProcess & Node> {
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rc-failover-'));
  const server = new RcServer({
    config: [['save', ''], ['dir', dir], ...config],
    log: (_level, message) => lines.push(message),
  });
  const port = await server.listen(0, '127.0.0.1');
  server.engine.config.set('port', String(port));
  const node = { port, server, kind: 'rc' as const, stop: () => server.close() };
  running.push(node);
  return { ...node, log: () => lines.join('\n') };
}

async function redis(args: string[] = []): Promise<RedisProcess & Node> {
  const server = await RedisProcess.start(['--repl-diskless-sync-delay', '0', ...args]);
  running.push(server);
  return Object.assign(server, { kind: 'redis' as const });
}

async function start(kind: Kind): Promise<Node> {
  return kind === 'rc'
    ? rc([['enable-debug-command', 'yes']])
    : redis(['--enable-debug-command', 'yes']);
}

async function failoverState(port: number): Promise<string> {
  return (await info(port)).master_failover_state;
}

/** Every reply, errors as their text. */
async function replies(port: number, commands: string[][]): Promise<unknown[]> {
  const client = connectTo(port);
  const out: unknown[] = [];
  for (const argv of commands) {
    out.push(await client.call(argv[0], ...argv.slice(1)).catch((error: Error) => error.message));
  }
  client.disconnect();
  return out;
}

/** The invalid forms: before and after a replica is attached, on the master and the replica. */
async function errorScenario(kind: Kind): Promise<unknown[]> {
  const master = await start(kind);
  const replica = await start(kind);
  const target = ['127.0.0.1', String(replica.port)];
  const alone = await replies(master.port, [
    ['FAILOVER', 'TO', ...target],
    ['FAILOVER', 'ABORT'],
    ['FAILOVER', 'TIMEOUT', '0'],
    ['FAILOVER', 'TIMEOUT', 'x'],
    ['FAILOVER', 'TIMEOUT', '10', 'TIMEOUT', '10'],
    ['FAILOVER', 'TO', '127.0.0.1', 'port'],
    ['FAILOVER', 'FORCE', 'FORCE'],
    ['FAILOVER', 'ABORT', 'TIMEOUT', '10'],
    ['FAILOVER', 'TO', '127.0.0.1'],
  ]);
  await replies(replica.port, [['REPLICAOF', '127.0.0.1', String(master.port)]]);
  await linkUp(replica.port);
  const attached = await replies(master.port, [
    ['FAILOVER', 'TO', 'invalidhost', String(replica.port)],
    ['FAILOVER', 'TO', '127.0.0.1', 'invalidport'],
    ['FAILOVER', 'FORCE', 'TIMEOUT', '100'],
    ['FAILOVER', 'TO', ...target, 'FORCE'],
    ['FAILOVER', 'TO', ...target, 'FORCE', 'TIMEOUT', '0'],
  ]);
  const onReplica = await replies(replica.port, [
    ['FAILOVER', 'TO', ...target],
    ['FAILOVER', 'ABORT'],
    ['PSYNC', '0123456789012345678901234567890123456789', '1', 'FAILOVER'],
  ]);
  return [...alone, ...attached, ...onReplica, await failoverState(master.port)];
}

/**
 * The master fails over to its replica: the replica becomes the master by a PSYNC FAILOVER it
 * accepts as a partial resynchronization, the old master continues as its replica.
 */
async function failoverTo(masterKind: Kind, replicaKind: Kind): Promise<void> {
  const master = await start(masterKind);
  const replica = await start(replicaKind);
  const client = connectTo(master.port);
  await seedDataTypes(client, 'a');
  await replies(replica.port, [['REPLICAOF', '127.0.0.1', String(master.port)]]);
  await linkUp(replica.port);
  await client.set('last', 'before failover');
  expect(await client.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port))).toBe('OK');
  await until(async () => (await failoverState(master.port)) === 'no-failover', 'failover');
  await linkUp(master.port);
  expect(((await client.call('ROLE')) as unknown[])[0]).toBe('slave');
  const promoted = connectTo(replica.port);
  expect(((await promoted.call('ROLE')) as unknown[])[0]).toBe('master');
  const stats = await info(replica.port, 'stats');
  expect([stats.sync_full, stats.sync_partial_ok]).toEqual(['0', '1']);
  await promoted.set('last', 'after failover');
  expect(await promoted.wait(1, 5000)).toBe(1);
  expect(await describeDataset(master.port)).toEqual(await describeDataset(replica.port));
  expect(master.log()).toMatch(/Failover target 127\.0\.0\.1:\d+ is synced, failing over\./);
  expect(replica.log()).toMatch(/MASTER MODE enabled \(failover request from 'id=/);
  promoted.disconnect();
  client.disconnect();
}

/**
 * A replica that is no server: it announces `listeningPort`, takes the snapshot and
 * acknowledges what it is told to. Its port answers the handshake, PSYNC with `psyncReply`.
 */
async function fakeReplica(
  masterPort: number,
  psyncReply: string,
): Promise<{
  listeningPort: number;
  psyncs: string[];
  ack(offset: number): void;
  stop(): Promise<void>;
}> {
  const psyncs: string[] = [];
  const sockets: Socket[] = [];
  const listener: Server = createServer((socket) => {
    sockets.push(socket);
    // Whole commands per chunk (the handshake sends its REPLCONFs in one write).
    socket.on('data', (chunk) => {
      const parts = chunk.toString('latin1').split('\r\n');
      for (let at = 0; parts[at]?.startsWith('*');) {
        const count = Number(parts[at].slice(1));
        const argv = Array.from({ length: count }, (_, i) => parts[at + 2 + 2 * i]);
        at += 1 + 2 * count;
        const name = (argv[0] ?? '').toUpperCase();
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'REPLCONF') socket.write('+OK\r\n');
        else if (name === 'PSYNC') {
          psyncs.push(argv.join(' '));
          socket.write(`${psyncReply}\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const listeningPort = (listener.address() as { port: number }).port;
  const link = connect({ host: '127.0.0.1', port: masterPort });
  link.resume();
  link.write(`REPLCONF listening-port ${listeningPort}\r\nPSYNC ? -1\r\n`);
  const fake = {
    listeningPort,
    psyncs,
    ack: (offset: number) => link.write(`REPLCONF ACK ${offset}\r\n`),
    stop: async () => {
      link.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
  running.push(fake);
  await until(async () => /state=online/.test((await info(masterPort)).slave0 ?? ''), 'online');
  return fake;
}

/**
 * A replica whose id no longer matches (DEBUG CHANGE-REPL-ID) refuses PSYNC FAILOVER: the
 * failover is aborted, and the replica still continues its master's history (Redis's cached
 * master keeps the master's id).
 */
async function refusedScenario(kind: Kind): Promise<unknown[]> {
  const master = await start(kind);
  const replica = await start(kind);
  await replies(replica.port, [['REPLICAOF', '127.0.0.1', String(master.port)]]);
  await linkUp(replica.port);
  const client = connectTo(master.port);
  await client.set('k', 'v');
  expect(await client.wait(1, 5000)).toBe(1);
  await replies(replica.port, [['DEBUG', 'CHANGE-REPL-ID']]);
  expect(await client.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port))).toBe('OK');
  await until(async () => (await failoverState(master.port)) === 'no-failover', 'aborted');
  await until(async () => (await info(master.port)).role === 'master', 'master again');
  await linkUp(replica.port);
  const stats = await info(master.port, 'stats');
  client.disconnect();
  expect(master.log()).toMatch(
    /FAILOVER to 127\.0\.0\.1:\d+ aborted: Failover target rejected psync request/,
  );
  return [stats.sync_full, stats.sync_partial_ok, (await info(replica.port)).role];
}

describe.runIf(withRedis)('FAILOVER compared with redis-server', () => {
  it('is aborted when the target refuses PSYNC FAILOVER, as on Redis', async () => {
    expect(await refusedScenario('rc')).toEqual(await refusedScenario('redis'));
  });

  it('refuses what Redis refuses, with its errors', async () => {
    expect(await errorScenario('rc')).toEqual(await errorScenario('redis'));
  });

  it('rc master to a redis-server replica', async () => {
    await failoverTo('rc', 'redis');
  });

  it('redis-server master to an rc replica', async () => {
    await failoverTo('redis', 'rc');
  });
});

describe('FAILOVER', () => {
  it('rc master to rc replica', async () => {
    await failoverTo('rc', 'rc');
  });

  it('fails the commands blocked on the old master, as Redis when it turns replica', async () => {
    const master = await start('rc');
    const replica = await start('rc');
    await replies(replica.port, [['REPLICAOF', '127.0.0.1', String(master.port)]]);
    await linkUp(replica.port);
    const blocked = connectTo(master.port);
    const popped = blocked.blpop('list', 0).catch((error: Error) => error.message);
    const client = connectTo(master.port);
    await until(async () => (await info(master.port, 'clients')).blocked_clients === '1', 'blpop');
    expect(await client.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port))).toBe('OK');
    expect(await popped).toBe(
      'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
    );
    await until(async () => (await failoverState(master.port)) === 'no-failover', 'failover');
    const promoted = connectTo(replica.port);
    await promoted.rpush('list', 'a');
    expect(await promoted.wait(1, 5000)).toBe(1);
    expect(await client.lrange('list', 0, -1)).toEqual(['a']);
    promoted.disconnect();
    blocked.disconnect();
    client.disconnect();
  });

  it('holds writes back while waiting, gives up at the timeout and runs them as master', async () => {
    const master = await rc();
    const fake = await fakeReplica(master.port, '+CONTINUE');
    const client = connectTo(master.port);
    const writer = connectTo(master.port);
    // The fake acknowledges nothing: it must not be caught up from the start.
    await client.set('x', '1');
    expect(
      await client.call(
        'FAILOVER',
        'TO',
        '127.0.0.1',
        String(fake.listeningPort),
        'TIMEOUT',
        '300',
      ),
    ).toBe('OK');
    expect(await failoverState(master.port)).toBe('waiting-for-sync');
    expect(
      await client.call('FAILOVER', 'TIMEOUT', '10').catch((error: Error) => error.message),
    ).toBe('ERR FAILOVER already in progress.');
    expect(await client.call('REPLICAOF', 'NO', 'ONE').catch((error: Error) => error.message)).toBe(
      'ERR REPLICAOF not allowed while failing over.',
    );
    const held = writer.set('k', 'v');
    expect(await client.get('k')).toBeNull();
    expect(await held).toBe('OK');
    expect(await failoverState(master.port)).toBe('no-failover');
    expect(master.log()).toMatch(
      /FAILOVER to 127\.0\.0\.1:\d+ aborted: Replica never caught up before timeout/,
    );
    expect(((await client.call('ROLE')) as unknown[])[0]).toBe('master');
    expect(fake.psyncs).toEqual([]);
    writer.disconnect();
    client.disconnect();
  });

  it('sends PSYNC <replid> <offset+1> FAILOVER; a refusal aborts and makes it a master again', async () => {
    const master = await rc();
    const fake = await fakeReplica(master.port, '-NOPERM no psync for you');
    const client = connectTo(master.port);
    const before = await info(master.port);
    fake.ack(Number(before.master_repl_offset));
    expect(await client.call('FAILOVER')).toBe('OK');
    await until(async () => fake.psyncs.length === 1, 'psync');
    await until(async () => (await failoverState(master.port)) === 'no-failover', 'aborted');
    expect(fake.psyncs[0]).toBe(
      `PSYNC ${before.master_replid} ${Number(before.master_repl_offset) + 1} FAILOVER`,
    );
    expect(master.log()).toMatch(
      /Failover target 127\.0\.0\.1:\d+ is synced, failing over\.[^]*FAILOVER to 127\.0\.0\.1:\d+ aborted: Failover target rejected psync request/,
    );
    const after = await info(master.port);
    expect([after.role, after.master_replid2]).toEqual(['master', before.master_replid]);
    expect(await client.set('k', 'v')).toBe('OK');
    client.disconnect();
  });
});
