import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdbWriter, crc64 } from '@rc/rdb';
import { Redis } from 'ioredis';
import { until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons } from '../test-support/daemon.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { freePort, startRc } from '../test-support/servers.js';

function temporaryDir(): string {
  return mkdtempSync(join(tmpdir(), 'rc-persistence-'));
}

function connect(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1' });
}

async function infoField(client: Redis, name: string): Promise<string> {
  const info = await client.info('persistence');
  return new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info)?.[1] ?? '';
}

afterEach(stopDaemons);

describe('RDB persistence', () => {
  it('SAVE writes dump.rdb and a restart loads every type with its TTL', async () => {
    const dir = temporaryDir();
    const first = await startRc([['dir', dir]]);
    const client = connect(first.port);
    await client.set('s', 'v', 'EX', 1000);
    await client.rpush('l', 'a', 'b');
    await client.sadd('set', 'x', 'y');
    await client.hset('h', 'f', 'v');
    await client.zadd('z', 1.5, 'm');
    await client.xadd('x', '1-1', 'f', 'v');
    await client.select(7);
    await client.set('seven', '7');
    expect(await client.save()).toBe('OK');
    expect(await client.lastsave()).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 2);
    expect(await infoField(client, 'rdb_changes_since_last_save')).toBe('0');
    client.disconnect();
    await first.stop();

    const second = await startRc([['dir', dir]]);
    const reader = connect(second.port);
    expect(await reader.get('s')).toBe('v');
    expect(await reader.ttl('s')).toBeGreaterThan(990);
    expect(await reader.lrange('l', 0, -1)).toEqual(['a', 'b']);
    expect((await reader.smembers('set')).sort()).toEqual(['x', 'y']);
    expect(await reader.hgetall('h')).toEqual({ f: 'v' });
    expect(await reader.zscore('z', 'm')).toBe('1.5');
    expect(await reader.xrange('x', '-', '+')).toEqual([['1-1', ['f', 'v']]]);
    await reader.select(7);
    expect(await reader.get('seven')).toBe('7');
    expect(await infoField(reader, 'rdb_last_load_keys_loaded')).toBe('7');
    reader.disconnect();
    await second.stop();
  });

  it('BGSAVE writes the dataset as it was when it started while clients keep writing', async () => {
    const dir = temporaryDir();
    const rc = await startRc([['dir', dir]]);
    const client = connect(rc.port);
    const keys = 100_000;
    for (let start = 0; start < keys; start += 10_000) {
      const pipeline = client.pipeline();
      for (let i = start; i < start + 10_000; i++) pipeline.set(`key:${i}`, `old ${i}`);
      await pipeline.exec();
    }
    expect(await client.bgsave()).toBe('Background saving started');
    // Overwrite and delete while the snapshot is being written.
    const writes = client.pipeline();
    for (let i = 0; i < keys; i += 3) writes.set(`key:${i}`, 'new');
    for (let i = 1; i < keys; i += 3) writes.del(`key:${i}`);
    writes.set('created-later', 'x');
    await writes.exec();
    await until(
      async () => (await infoField(client, 'rdb_bgsave_in_progress')) === '0',
      'BGSAVE to end',
    );
    expect(await infoField(client, 'rdb_last_bgsave_status')).toBe('ok');
    expect(Number(await infoField(client, 'rdb_changes_since_last_save'))).toBeGreaterThan(0);
    client.disconnect();
    await rc.stop();

    const restarted = await startRc([['dir', dir]]);
    const reader = connect(restarted.port);
    expect(await reader.dbsize()).toBe(keys);
    expect(await reader.exists('created-later')).toBe(0);
    const sample = await reader.mget(['key:0', 'key:1', 'key:2', 'key:99999']);
    expect(sample).toEqual(['old 0', 'old 1', 'old 2', 'old 99999']);
    reader.disconnect();
    await restarted.stop();
  }, 60_000);

  it('answers a second BGSAVE and a SAVE during a BGSAVE with Redis errors', async () => {
    const rc = await startRc();
    const client = connect(rc.port);
    const pipeline = client.pipeline();
    for (let i = 0; i < 50_000; i++) pipeline.set(`k${i}`, 'v'.repeat(100));
    await pipeline.exec();
    const replies = await client
      .pipeline()
      .bgsave()
      .bgsave()
      .save()
      .bgsave('SCHEDULE' as never)
      .call('BGSAVE', 'NOW')
      .exec();
    expect(replies?.map(([error, value]) => error?.message ?? value)).toEqual([
      'Background saving started',
      'ERR Background save already in progress',
      'ERR Background save already in progress',
      'ERR Background save already in progress',
      'ERR syntax error',
    ]);
    await until(
      async () => (await infoField(client, 'rdb_bgsave_in_progress')) === '0',
      'BGSAVE to end',
    );
    expect(await infoField(client, 'rdb_saves')).toBe('1');
    client.disconnect();
    await rc.stop();
  });

  it('saves in the background when a save point is reached', async () => {
    const dir = temporaryDir();
    const rc = await startRc([['dir', dir]]);
    const client = connect(rc.port);
    await client.config('SET', 'save', '1 2');
    await client.set('a', '1');
    await client.set('b', '2');
    await until(async () => existsSync(join(dir, 'dump.rdb')), 'dump.rdb');
    await until(
      async () => (await infoField(client, 'rdb_changes_since_last_save')) === '0',
      'changes saved',
    );
    client.disconnect();
    await rc.stop();
  });

  it('a failed save is reported and, with save points, refuses writes with MISCONF', async () => {
    const dir = temporaryDir();
    const rc = await startRc([['dir', dir]]);
    // A directory where the file should go makes the final rename fail, even for root.
    mkdirSync(join(dir, 'dump.rdb'));
    const client = connect(rc.port);
    await expect(client.save()).rejects.toThrow(/^ERR$/);
    expect(await client.bgsave()).toBe('Background saving started');
    await until(
      async () => (await infoField(client, 'rdb_bgsave_in_progress')) === '0',
      'BGSAVE to end',
    );
    expect(await infoField(client, 'rdb_last_bgsave_status')).toBe('err');
    expect(await client.set('allowed', 'without save points')).toBe('OK');
    await client.config('SET', 'save', '3600 1');
    await expect(client.set('refused', 'x')).rejects.toThrow(
      /^MISCONF Redis is configured to save RDB snapshots/,
    );
    await expect(client.ping()).rejects.toThrow(/^MISCONF/);
    expect(await client.get('allowed')).toBe('without save points');
    await client.config('SET', 'stop-writes-on-bgsave-error', 'no');
    expect(await client.set('accepted', 'again')).toBe('OK');
    client.disconnect();
    await rc.stop();
  });

  // Four daemon starts: over 30 s on a loaded machine.
  it('the daemon saves on SIGTERM and SHUTDOWN, not on SHUTDOWN NOSAVE', async () => {
    const dir = temporaryDir();
    const port = await freePort();
    const args = ['--port', String(port), '--dir', dir];
    let server = await startDaemon(args);
    let client = connect(port);
    await client.set('kept', 'through SIGTERM');
    client.disconnect();
    process.kill((await findPid(port)) ?? 0, 'SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('DB saved on disk');

    server = await startDaemon(args);
    client = connect(port);
    expect(await client.get('kept')).toBe('through SIGTERM');
    await client.set('kept', 'through SHUTDOWN');
    client.disconnect();
    await shutdown(port);
    expect(await server.exited).toBe(0);

    server = await startDaemon(args);
    client = connect(port);
    expect(await client.get('kept')).toBe('through SHUTDOWN');
    await client.set('kept', 'lost');
    client.disconnect();
    await shutdown(port, 'NOSAVE');
    expect(await server.exited).toBe(0);

    server = await startDaemon(args);
    client = connect(port);
    expect(await client.get('kept')).toBe('through SHUTDOWN');
    client.disconnect();
    await shutdown(port, 'NOSAVE');
    await server.exited;
  }, 180_000);

  it('SHUTDOWN stops a running BGSAVE, removing its file; a failed final save keeps serving', async () => {
    const dir = temporaryDir();
    const port = await freePort();
    const server = await startDaemon(['--port', String(port), '--dir', dir, '--save', '3600 1']);
    const client = connect(port);
    for (let i = 0; i < 20; i++) await client.set(`k${i}`, 'v');
    await client.config('SET', 'rdb-key-save-delay', '100000');
    expect(await client.bgsave()).toBe('Background saving started');
    // Redis's name for a BGSAVE's file: temp-<pid of its child>.rdb.
    const temporary = (): string[] =>
      readdirSync(dir).filter((name) => /^temp-\d+\.rdb$/.test(name));
    await until(() => temporary().length === 1, 'the BGSAVE file');
    await client.config('SET', 'rdb-key-save-delay', '0');
    // The final save cannot rename its file over a directory.
    mkdirSync(join(dir, 'dump.rdb'));
    await expect(client.shutdown()).rejects.toThrow('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(temporary()).toEqual([]);
    expect(server.output()).toContain('There is a child saving an .rdb. Killing it!');
    expect(server.output()).toContain("Error trying to save the DB, can't exit.");
    // Unlike a failed BGSAVE, a failed SAVE refuses no writes.
    expect(await client.set('still', 'serving')).toBe('OK');
    client.disconnect();
    await shutdown(port, 'NOSAVE');
    expect(await server.exited).toBe(0);
  });

  it('a master drops keys that expired on disk; a replica keeps them for its master', async () => {
    const dir = temporaryDir();
    const writer = new RdbWriter();
    writer.header();
    writer.selectDb(0, 2, 1);
    writer.key('expired', { type: 'string', value: 'x' }, Date.now() - 60_000);
    writer.key('live', { type: 'string', value: 'y' }, null);
    writer.end();
    writeFileSync(join(dir, 'dump.rdb'), writer.take());

    const master = await startRc([['dir', dir]]);
    let client = connect(master.port);
    expect(await client.dbsize()).toBe(1);
    expect(await infoField(client, 'rdb_last_load_keys_expired')).toBe('1');
    client.disconnect();
    await master.stop();

    // The master it names is not there: the replica keeps retrying and serves what it loaded.
    const replica = await startRc([
      ['dir', dir],
      ['replicaof', `127.0.0.1 ${await freePort()}`],
    ]);
    client = connect(replica.port);
    expect(await client.dbsize()).toBe(2);
    expect(await client.get('expired')).toBeNull();
    expect(await client.get('live')).toBe('y');
    client.disconnect();
    await replica.stop();
  });

  it('answers LOADING and reports loading progress in INFO while dump.rdb loads', async () => {
    const dir = temporaryDir();
    const keys = 1_000_000;
    const writer = new RdbWriter();
    writer.header();
    writer.selectDb(0, keys, 0);
    for (let i = 0; i < keys; i++) writer.key(`key:${i}`, { type: 'string', value: `v${i}` }, null);
    writer.end();
    writeFileSync(join(dir, 'dump.rdb'), writer.take());
    const port = await freePort();
    const started = startDaemon(['--port', String(port), '--dir', dir]);
    let client: RawClient | undefined;
    while (client === undefined) {
      client = await RawClient.open(port).catch(() => undefined);
    }
    // Answered while loading, however slowly a loaded machine answers (not within 5 s).
    client.write(encodeCommand(['PING']));
    expect((await client.readReply(30_000))?.toString()).toBe(
      '-LOADING Redis is loading the dataset in memory\r\n',
    );
    client.write(encodeCommand(['INFO', 'persistence']));
    const info = (await client.readReply(30_000))?.toString() ?? '';
    expect(info).toContain('loading:1\r\n');
    expect(info).toMatch(/loading_loaded_perc:\d+\.\d\d\r\n/);
    expect(info).toMatch(/loading_total_bytes:[1-9]\d*\r\n/);
    const server = await started;
    expect((await client.command('PING'))?.toString()).toBe('+PONG\r\n');
    expect((await client.command('DBSIZE'))?.toString()).toBe(`:${keys}\r\n`);
    expect((await client.command('INFO', 'persistence'))?.toString()).toContain('loading:0\r\n');
    client.close();
    await shutdown(port, 'NOSAVE');
    await server.exited;
  }, 60_000);

  it('the daemon refuses to start on a corrupt or truncated dump.rdb', async () => {
    const dir = temporaryDir();
    const rc = await startRc([['dir', dir]]);
    const client = connect(rc.port);
    await client.set('key', 'value'.repeat(100));
    await client.save();
    client.disconnect();
    await rc.stop();
    const file = join(dir, 'dump.rdb');
    const good = readFileSync(file);
    const port = await freePort();

    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 20] ^= 0xff;
    writeFileSync(file, corrupt);
    let server = await startDaemon(['--port', String(port), '--dir', dir]);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('RDB CRC error');

    writeFileSync(file, good.subarray(0, good.length - 30));
    server = await startDaemon(['--port', String(port), '--dir', dir]);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
    );
  }, 30_000);

  it('reports a corrupt value and its check before it stops, as Redis', async () => {
    const dir = temporaryDir();
    // A set whose intset says 2-byte members but holds 3 bytes.
    const intset = [2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0];
    writeFileSync(join(dir, 'dump.rdb'), rdbFile([0xfe, 0, 11, 1, 0x73, intset.length, ...intset]));
    const server = await startDaemon(['--port', String(await freePort()), '--dir', dir]);
    expect(await server.exited).toBe(1);
    const output = server.output();
    expect(output).toContain('Intset integrity check failed.');
    expect(output).toContain('--- RDB ERROR DETECTED ---');
    expect(output).toContain('Terminating server after rdb file reading failure.');
  }, 30_000);

  it('skips empty collections, naming the first ten and counting them all', async () => {
    const dir = temporaryDir();
    const emptySets = Array.from({ length: 11 }, (_, i) => [2, 2, 0x73, 0x30 + i, 0]).flat();
    writeFileSync(join(dir, 'dump.rdb'), rdbFile([0xfe, 0, 0, 1, 0x6b, 1, 0x76, ...emptySets]));
    const port = await freePort();
    const server = await startDaemon(['--port', String(port), '--dir', dir]);
    await until(() => server.output().includes('Ready to accept connections'), 'the server');
    const output = server.output();
    expect(output).toContain('rdbLoadObject skipping empty key: s0');
    expect(output).toContain('rdbLoadObject skipping empty key: s9');
    expect(output).not.toContain('rdbLoadObject skipping empty key: s:');
    expect(output).toContain(
      'Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 11.',
    );
    const client = connect(port);
    expect(await client.dbsize()).toBe(1);
    client.disconnect();
    await shutdown(port, 'NOSAVE');
    await server.exited;
  }, 30_000);
});

/** An RDB version 10 file of the given records, ended and checksummed. */
function rdbFile(records: number[]): Buffer {
  const body = Buffer.concat([Buffer.from('REDIS0010', 'latin1'), Buffer.from([...records, 0xff])]);
  const checksum = Buffer.alloc(8);
  checksum.writeBigUInt64LE(crc64(0, body));
  return Buffer.concat([body, checksum]);
}

/** SHUTDOWN closes the connection instead of replying, so send it without waiting. */
async function shutdown(port: number, ...options: string[]): Promise<void> {
  const client = await RawClient.open(port);
  client.write(encodeCommand(['SHUTDOWN', ...options]));
}

/** The pid of the server listening on `port`, from INFO server. */
async function findPid(port: number): Promise<number | undefined> {
  const client = connect(port);
  const info = await client.info('server');
  client.disconnect();
  const pid = /^process_id:(\d+)/m.exec(info)?.[1];
  return pid === undefined ? undefined : Number(pid);
}
