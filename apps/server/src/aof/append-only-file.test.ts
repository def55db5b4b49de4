import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RcServer } from '../server.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { LoadingClient, replayCommands } from './command-file.js';

type Logged = Array<[string, string]>;

const servers: RcServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(
  dir: string,
  config: Array<[string, string]> = [],
): Promise<{ server: RcServer; client: RawClient; logged: Logged }> {
  const logged: Logged = [];
  const server = new RcServer({
    config: [['dir', dir], ['appendonly', 'yes'], ['save', ''], ...config],
    log: (level, message) => logged.push([level, message]),
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { server, client: await RawClient.open(port), logged };
}

async function stop(server: RcServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

async function reply(client: RawClient, ...argv: string[]): Promise<string> {
  return (await client.command(...argv))?.toString('latin1') ?? '(none)';
}

function aofDir(dir: string): string {
  return join(dir, 'appendonlydir');
}

describe('replaying AOF commands', () => {
  it('reports the last complete command of a truncated file, before an unfinished MULTI', async () => {
    const server = new RcServer();
    servers.push(server);
    const client = new LoadingClient(server.engine);
    const complete = Buffer.from(
      encodeCommand(['SET', 'a', '1']).toString('latin1') +
        encodeCommand(['MULTI']).toString('latin1') +
        encodeCommand(['SET', 'b', '2']).toString('latin1'),
      'latin1',
    );
    const prefix = encodeCommand(['SET', 'a', '1']).length;
    const outcome = await replayCommands(
      server.engine,
      client,
      complete.subarray(0, complete.length - 3),
    );
    expect(outcome).toEqual({
      kind: 'truncated',
      commands: 3 - 1,
      validBytes: prefix,
      unfinishedMulti: false,
    });
    // Whole commands but no EXEC: Redis reverts the transaction (its "Revert incomplete MULTI").
    expect(await replayCommands(server.engine, new LoadingClient(server.engine), complete)).toEqual(
      {
        kind: 'truncated',
        commands: 3,
        validBytes: prefix,
        unfinishedMulti: true,
      },
    );
    expect(server.engine.db(0).lookup('a')).toBe('1');
    expect(server.engine.db(0).lookup('b')).toBeUndefined();
  });

  it('skips annotations and rejects garbage', async () => {
    const server = new RcServer();
    servers.push(server);
    const client = new LoadingClient(server.engine);
    const text = `#TS:1700000000\r\n${encodeCommand(['SET', 'x', 'y']).toString('latin1')}`;
    expect((await replayCommands(server.engine, client, Buffer.from(text, 'latin1'))).kind).toBe(
      'ok',
    );
    expect((await replayCommands(server.engine, client, Buffer.from('hello\r\n'))).kind).toBe(
      'format-error',
    );
    expect(await replayCommands(server.engine, client, encodeCommand(['NOSUCHCOMMAND']))).toEqual({
      kind: 'unknown-command',
      name: 'NOSUCHCOMMAND',
    });
  });
});

describe('append-only file', () => {
  it('lays out base, increment and manifest as Redis 7.0 and restores every write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const first = await start(dir);
    await reply(first.client, 'SET', 'a', '1');
    await reply(first.client, 'SELECT', '3');
    await reply(first.client, 'RPUSH', 'list', 'x', 'y');
    await reply(first.client, 'SET', 'ttl', 'v', 'EX', '1000');
    await reply(first.client, 'MULTI');
    await reply(first.client, 'INCR', 'n');
    await reply(first.client, 'INCRBYFLOAT', 'f', '0.5');
    await reply(first.client, 'EXEC');
    first.client.close();
    await stop(first.server);
    expect(readdirSync(aofDir(dir)).sort()).toEqual([
      'appendonly.aof.1.base.rdb',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.manifest',
    ]);
    expect(readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    const second = await start(dir);
    expect(await reply(second.client, 'GET', 'a')).toBe('$1\r\n1\r\n');
    await reply(second.client, 'SELECT', '3');
    expect(await reply(second.client, 'LRANGE', 'list', '0', '-1')).toBe(
      '*2\r\n$1\r\nx\r\n$1\r\ny\r\n',
    );
    expect(await reply(second.client, 'MGET', 'n', 'f')).toBe('*2\r\n$1\r\n1\r\n$3\r\n0.5\r\n');
    const ttl = Number((await reply(second.client, 'TTL', 'ttl')).slice(1));
    expect(ttl).toBeGreaterThan(990);
    expect(second.logged.some(([, line]) => line.includes('Opening AOF incr file'))).toBe(true);
    second.client.close();
  });

  it('does not read dump.rdb or create the directory while appendonly is no', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const { client } = await start(dir, [['appendonly', 'no']]);
    await reply(client, 'SET', 'a', '1');
    expect(existsSync(aofDir(dir))).toBe(false);
    client.close();
  });

  it('loads the valid prefix of a truncated increment, with a warning, and truncates the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const first = await start(dir);
    await reply(first.client, 'SET', 'a', '1');
    await reply(first.client, 'SET', 'b', '2');
    first.client.close();
    await stop(first.server);
    const incr = join(aofDir(dir), 'appendonly.aof.1.incr.aof');
    const whole = readFileSync(incr);
    writeFileSync(incr, whole.subarray(0, whole.length - 4));
    const second = await start(dir);
    expect(await reply(second.client, 'MGET', 'a', 'b')).toBe('*2\r\n$1\r\n1\r\n$-1\r\n');
    expect(second.logged).toContainEqual([
      'warning',
      '!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
    ]);
    expect(statSync(incr).size).toBe(whole.length - encodeCommand(['SET', 'b', '2']).length);
    second.client.close();
  });

  it('refuses to start on a truncated file with aof-load-truncated no', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const first = await start(dir);
    await reply(first.client, 'SET', 'a', '1');
    first.client.close();
    await stop(first.server);
    const incr = join(aofDir(dir), 'appendonly.aof.1.incr.aof');
    const whole = readFileSync(incr);
    writeFileSync(incr, whole.subarray(0, whole.length - 1));
    const server = new RcServer({
      config: [
        ['dir', dir],
        ['appendonly', 'yes'],
        ['aof-load-truncated', 'no'],
      ],
    });
    await expect(server.listen(0, '127.0.0.1')).rejects.toThrow(/Unexpected end of file/);
  });

  // Two daemon starts and a rewrite of many keys: over a minute on a loaded machine.
  it('BGREWRITEAOF writes a new base and increment, keeps writes made meanwhile, and deletes the old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const first = await start(dir);
    // Enough keys that the snapshot spans several event-loop turns.
    const fill: Buffer[] = [];
    for (let i = 0; i < 200_000; i++) fill.push(encodeCommand(['SET', `key:${i}`, `value:${i}`]));
    first.client.write(Buffer.concat(fill));
    for (let i = 0; i < 200_000; i++) await first.client.readReply();
    await reply(first.client, 'SET', 'counter', '0');
    expect(await reply(first.client, 'BGREWRITEAOF')).toBe(
      '+Background append only file rewriting started\r\n',
    );
    expect(await reply(first.client, 'BGREWRITEAOF')).toBe(
      '-ERR Background append only file rewriting already in progress\r\n',
    );
    let increments = 0;
    while (first.server.aof.rewriteInProgress) {
      await reply(first.client, 'INCR', 'counter');
      increments++;
    }
    await reply(first.client, 'INCR', 'counter');
    increments++;
    // Writes really did happen while the base was being written.
    expect(increments).toBeGreaterThan(2);
    expect(readdirSync(aofDir(dir)).sort()).toEqual([
      'appendonly.aof.2.base.rdb',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.manifest',
    ]);
    expect(readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    const info = await reply(first.client, 'INFO', 'persistence');
    expect(info).toContain('aof_rewrites:1\r\n');
    expect(info).toContain('aof_last_bgrewrite_status:ok\r\n');
    first.client.close();
    await stop(first.server);
    const second = await start(dir);
    expect(await reply(second.client, 'GET', 'counter')).toBe(
      `$${String(increments).length}\r\n${increments}\r\n`,
    );
    expect(await reply(second.client, 'DBSIZE')).toBe(':200001\r\n');
    second.client.close();
  }, 180_000);

  it('CONFIG SET appendonly yes creates the directory and base; no stops appending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-'));
    const first = await start(dir, [['appendonly', 'no']]);
    await reply(first.client, 'SET', 'before', '1');
    expect(await reply(first.client, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK\r\n');
    await reply(first.client, 'SET', 'after', '2');
    while (first.server.aof.rewriteInProgress) await new Promise((r) => setTimeout(r, 5));
    await reply(first.client, 'SET', 'later', '3');
    expect(readdirSync(aofDir(dir)).sort()).toEqual([
      'appendonly.aof.1.base.rdb',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.manifest',
    ]);
    expect(await reply(first.client, 'CONFIG', 'SET', 'appendonly', 'no')).toBe('+OK\r\n');
    await reply(first.client, 'SET', 'ignored', '4');
    first.client.close();
    await stop(first.server);
    const second = await start(dir);
    expect(await reply(second.client, 'MGET', 'before', 'after', 'later', 'ignored')).toBe(
      '*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n',
    );
    second.client.close();
  });
});
