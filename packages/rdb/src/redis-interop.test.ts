/**
 * Differential tests against a real redis-server 7.0: Redis's own dump.rdb and DUMP payloads
 * read by this package, and this package's files and payloads loaded by Redis.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyError, type RespValue } from '@rc/resp';
import { crc64 } from './crc64.js';
import { decodeDumpPayload, encodeDumpPayload } from './dump-payload.js';
import { readRdb } from './reader.js';
import {
  checkRdb,
  type RedisClient,
  type RedisProcess,
  requireRedisOrSkip,
  startRedis,
} from './test-support/redis.js';
import type { RdbKey, RdbRecord, RdbStream, RdbValue } from './types.js';
import { defaultAuxFields, RdbWriter } from './writer.js';

const available = requireRedisOrSkip('@rc/rdb redis-interop');

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const EXPIRE_AT = Date.now() + 100_000_000;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Keys built with plain commands, and the value each must read back as. */
function plannedKeys(): RdbKey[] {
  const keys: RdbKey[] = [];
  const add = (db: number, key: string, value: RdbValue, expireAt: number | null = null): void => {
    keys.push({ db, key, value, expireAt });
  };
  // Strings: raw, int-encoded (8/16/32 bit), too big for int encoding, LZF, binary, empty.
  add(0, 'str:raw', { type: 'string', value: 'hello world' });
  add(0, 'str:int8', { type: 'string', value: '-7' });
  add(0, 'str:int16', { type: 'string', value: '12345' });
  add(0, 'str:int32', { type: 'string', value: '-2000000000' });
  add(0, 'str:int64', { type: 'string', value: '123456789012' });
  add(0, 'str:leading-zero', { type: 'string', value: '007' });
  add(0, 'str:lzf', { type: 'string', value: 'compressible '.repeat(500) });
  add(0, 'str:binary', { type: 'string', value: ALL_BYTES });
  add(0, `key:${ALL_BYTES}`, { type: 'string', value: '\r\n\0' });
  add(0, 'str:empty', { type: 'string', value: '' });
  add(0, 'str:expiring', { type: 'string', value: 'ttl' }, EXPIRE_AT);
  // Lists: listpack, quicklist of many nodes, with integers and long items.
  add(0, 'list:small', {
    type: 'list',
    items: ['a', 'b', '1', '-2', '007', ALL_BYTES.slice(0, 40)],
  });
  add(0, 'list:large', {
    type: 'list',
    items: range(3000).map((i) =>
      i % 3 === 0 ? String(i * 1000) : `item-${i}-${'x'.repeat(i % 50)}`,
    ),
  });
  add(
    0,
    'list:big-items',
    { type: 'list', items: range(20).map((i) => `${i}`.repeat(2000 + i)) },
    EXPIRE_AT + 1,
  );
  // Sets: intset, large intset turned hashtable, strings.
  add(0, 'set:intset', { type: 'set', members: ['1', '2', '3', '-100', '70000', '5000000000'] });
  add(0, 'set:ints-large', { type: 'set', members: range(600).map((i) => String(i * 7)) });
  add(0, 'set:strings', {
    type: 'set',
    members: ['a', 'b', ALL_BYTES, ...range(200).map((i) => `member:${i}`)],
  });
  // Hashes: listpack, hashtable by count, hashtable by value length.
  add(0, 'hash:small', {
    type: 'hash',
    entries: [
      ['f', 'v'],
      ['n', '12'],
      ['bin', ALL_BYTES.slice(0, 60)],
    ],
  });
  add(0, 'hash:large', {
    type: 'hash',
    entries: range(600).map((i): [string, string] => [`field:${i}`, `${i}`]),
  });
  add(0, 'hash:long-value', { type: 'hash', entries: [['f', 'long '.repeat(100)]] });
  // Sorted sets: listpack, skiplist; integer, decimal, tiny, huge and infinite scores.
  const scores = [1, 2.5, -3, 0.1, 1e-300, 1e300, Infinity, -Infinity, 123456789];
  add(0, 'zset:small', {
    type: 'zset',
    entries: scores.map((s, i): [string, number] => [`m${i}`, s]),
  });
  add(0, 'zset:large', {
    type: 'zset',
    entries: range(300).map((i): [string, number] => [`member:${i}`, i % 7 === 0 ? i / 3 : i]),
  });
  // Other dbs.
  add(1, 'db1:string', { type: 'string', value: 'in db 1' }, EXPIRE_AT + 2);
  add(1, 'db1:list', { type: 'list', items: ['x'] });
  add(7, 'db7:hash', { type: 'hash', entries: [['a', '1']] });
  return keys;
}

const scoreArgument = (score: number): string =>
  score === Infinity ? '+inf' : score === -Infinity ? '-inf' : String(score);

async function build(client: RedisClient, keys: RdbKey[]): Promise<void> {
  for (const { db, key, value, expireAt } of keys) {
    await client.command('SELECT', db);
    const batches = <T>(
      items: T[],
      each: (batch: T[]) => Promise<RespValue>,
    ): Promise<RespValue[]> => {
      const sent: Array<Promise<RespValue>> = [];
      for (let i = 0; i < items.length; i += 200) sent.push(each(items.slice(i, i + 200)));
      return Promise.all(sent);
    };
    switch (value.type) {
      case 'string':
        await client.command('SET', key, value.value);
        break;
      case 'list':
        await batches(value.items, (batch) => client.command('RPUSH', key, ...batch));
        break;
      case 'set':
        await batches(value.members, (batch) => client.command('SADD', key, ...batch));
        break;
      case 'hash':
        await batches(value.entries, (batch) => client.command('HSET', key, ...batch.flat()));
        break;
      case 'zset':
        await batches(value.entries, (batch) =>
          client.command(
            'ZADD',
            key,
            ...batch.flatMap(([member, score]) => [scoreArgument(score), member]),
          ),
        );
        break;
      case 'stream':
        throw new Error('streams are built by buildStreams');
    }
    if (expireAt !== null) expect(await client.command('PEXPIREAT', key, expireAt)).toBe(1);
  }
  await client.command('SELECT', 0);
}

/** Streams: many nodes, deleted entries (first one included), groups with PELs, an empty stream. */
async function buildStreams(client: RedisClient): Promise<void> {
  for (const i of range(250)) {
    const fields =
      i % 10 === 9
        ? ['other', `v${i}`, 'n', String(i)]
        : ['name', `entry ${i}`, 'n', String(i * 3)];
    await client.command(
      'XADD',
      'stream:large',
      `${1_700_000_000_000 + i * 1000}-${i % 3}`,
      ...fields,
    );
  }
  await client.command(
    'XADD',
    'stream:large',
    '1800000000000-18446744073709551615',
    'big',
    ALL_BYTES,
  );
  await client.command(
    'XDEL',
    'stream:large',
    '1700000000000-0',
    '1700000050000-2',
    '1700000051000-0',
  );
  await client.command('XGROUP', 'CREATE', 'stream:large', 'readers', '0');
  await client.command(
    'XREADGROUP',
    'GROUP',
    'readers',
    'alice',
    'COUNT',
    '10',
    'STREAMS',
    'stream:large',
    '>',
  );
  await client.command(
    'XREADGROUP',
    'GROUP',
    'readers',
    'bob',
    'COUNT',
    '5',
    'STREAMS',
    'stream:large',
    '>',
  );
  await client.command('XACK', 'stream:large', 'readers', '1700000003000-0', '1700000011000-2');
  await client.command('XGROUP', 'CREATE', 'stream:large', 'late', '$');
  await client.command('XGROUP', 'CREATECONSUMER', 'stream:large', 'late', 'carol');
  await client.command('XGROUP', 'CREATE', 'stream:large', 'middle', '1700000100000-1');
  await client.command('XADD', 'stream:small', '5-1', 'a', '1');
  await client.command('XGROUP', 'CREATE', 'stream:empty', 'g', '$', 'MKSTREAM');
  await client.command('XADD', 'stream:emptied', '9-9', 'gone', 'soon');
  await client.command('XDEL', 'stream:emptied', '9-9');
}

/** A comparable form of a value: unordered collections sorted. */
function normalize(value: RdbValue): unknown {
  switch (value.type) {
    case 'set':
      return { type: 'set', members: [...value.members].sort() };
    case 'hash':
      return { type: 'hash', entries: [...value.entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
    case 'zset':
      return { type: 'zset', entries: [...value.entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
    default:
      return value;
  }
}

type Pairs = Record<string, RespValue>;
const pairs = (reply: RespValue): Pairs => {
  const list = reply as RespValue[];
  const result: Pairs = {};
  for (let i = 0; i < list.length; i += 2) result[String(list[i])] = list[i + 1];
  return result;
};
const idText = (id: { ms: bigint; seq: bigint }): string => `${id.ms}-${id.seq}`;

/** XINFO STREAM FULL's view of a decoded stream (Redis 7.0 fields, radix-tree shape left out). */
function streamAsXinfo(stream: RdbStream): unknown {
  return {
    length: stream.length,
    'last-generated-id': idText(stream.lastId),
    'max-deleted-entry-id': idText(stream.maxDeletedId),
    'entries-added': Number(stream.entriesAdded),
    'recorded-first-entry-id': idText(stream.firstId),
    entries: stream.entries.map((entry) => [idText(entry.id), entry.fields]),
    groups: stream.groups.map((group) => ({
      name: group.name,
      'last-delivered-id': idText(group.lastId),
      'entries-read': group.entriesRead === null ? null : Number(group.entriesRead),
      'pel-count': group.pending.length,
      pending: group.pending.map((nack) => [
        idText(nack.id),
        nack.consumer,
        nack.deliveryTime,
        nack.deliveryCount,
      ]),
      consumers: group.consumers.map((consumer) => ({
        name: consumer.name,
        'seen-time': consumer.seenTime,
        'pel-count': group.pending.filter((nack) => nack.consumer === consumer.name).length,
        pending: group.pending
          .filter((nack) => nack.consumer === consumer.name)
          .map((nack) => [idText(nack.id), nack.deliveryTime, nack.deliveryCount]),
      })),
    })),
  };
}

async function xinfo(client: RedisClient, key: string): Promise<unknown> {
  const info = pairs(await client.command('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0'));
  return {
    length: info.length,
    'last-generated-id': info['last-generated-id'],
    'max-deleted-entry-id': info['max-deleted-entry-id'],
    'entries-added': info['entries-added'],
    'recorded-first-entry-id': info['recorded-first-entry-id'],
    entries: info.entries,
    groups: (info.groups as RespValue[]).map((raw) => {
      const group = pairs(raw);
      return {
        name: group.name,
        'last-delivered-id': group['last-delivered-id'],
        'entries-read': group['entries-read'],
        'pel-count': group['pel-count'],
        pending: group.pending,
        consumers: (group.consumers as RespValue[]).map((rawConsumer) => {
          const consumer = pairs(rawConsumer);
          return {
            name: consumer.name,
            'seen-time': consumer['seen-time'],
            'pel-count': consumer['pel-count'],
            pending: consumer.pending,
          };
        }),
      };
    }),
  };
}

/** Everything observable about one key, through commands. */
async function keyState(client: RedisClient, key: string): Promise<unknown> {
  const type = await client.command('TYPE', key);
  const expireTime = await client.command('PEXPIRETIME', key);
  switch (type) {
    case 'string':
      return { type, expireTime, value: await client.command('GET', key) };
    case 'list':
      return { type, expireTime, value: await client.command('LRANGE', key, 0, -1) };
    case 'set':
      return {
        type,
        expireTime,
        value: ((await client.command('SMEMBERS', key)) as string[]).sort(),
      };
    case 'hash': {
      const flat = (await client.command('HGETALL', key)) as string[];
      const entries = range(flat.length / 2).map((i) => [flat[2 * i], flat[2 * i + 1]]);
      return { type, expireTime, value: entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
    }
    case 'zset':
      return { type, expireTime, value: await client.command('ZRANGE', key, 0, -1, 'WITHSCORES') };
    case 'stream':
      return { type, expireTime, value: await xinfo(client, key) };
    default:
      throw new Error(`unexpected type ${String(type)} of ${key}`);
  }
}

async function keyspace(client: RedisClient): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const db of range(16)) {
    await client.command('SELECT', db);
    const keys = ((await client.command('KEYS', '*')) as string[]).sort();
    for (const key of keys) state[`${db}/${key}`] = await keyState(client, key);
  }
  await client.command('SELECT', 0);
  return state;
}

const keyRecords = (records: RdbRecord[]): RdbKey[] =>
  records.flatMap((r) =>
    r.kind === 'key' ? [{ db: r.db, key: r.key, value: r.value, expireAt: r.expireAt }] : [],
  );

describe.skipIf(!available)('interoperability with redis-server 7.0', () => {
  const planned = plannedKeys();
  let redis: RedisProcess;
  let ours: RedisProcess;
  let redisFile: Buffer;
  let records: RdbRecord[];
  let oursFile: Buffer;

  beforeAll(async () => {
    redis = await startRedis();
    await build(redis.client, planned);
    await buildStreams(redis.client);
    expect(await redis.client.command('SAVE')).toBe('OK');
    redisFile = readFileSync(join(redis.dir, 'dump.rdb'));
    records = readRdb(redisFile);
  });

  afterAll(async () => {
    await redis?.stop();
    await ours?.stop();
  });

  it('reads the aux fields Redis writes, and verifies its checksum', () => {
    const aux = Object.fromEntries(
      records.flatMap((r) => (r.kind === 'aux' ? [[r.name, r.value]] : [])),
    );
    expect(aux['redis-ver']).toMatch(/^7\.0\./);
    expect(aux['redis-bits']).toBe('64');
    expect(Object.keys(aux)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
    expect(records.at(-1)).toEqual({ kind: 'end', checksum: 'verified' });
  });

  it('reads SELECTDB and RESIZEDB for every non-empty db', () => {
    const dbs = records.filter((r) => r.kind === 'db' || r.kind === 'resize');
    expect(dbs).toEqual([
      { kind: 'db', db: 0 },
      { kind: 'resize', size: planned.filter((k) => k.db === 0).length + 4, expiresSize: 2 },
      { kind: 'db', db: 1 },
      { kind: 'resize', size: 2, expiresSize: 1 },
      { kind: 'db', db: 7 },
      { kind: 'resize', size: 1, expiresSize: 0 },
    ]);
  });

  it('reads every key Redis saved with the value and expiry it was given', () => {
    const read = new Map(keyRecords(records).map((k) => [`${k.db}/${k.key}`, k]));
    for (const key of planned) {
      const found = read.get(`${key.db}/${key.key}`);
      expect(found, key.key).toBeDefined();
      expect(normalize(found!.value), key.key).toEqual(normalize(key.value));
      expect(found!.expireAt, key.key).toBe(key.expireAt);
    }
    expect(read.size).toBe(planned.length + 4);
  });

  it('reads streams with deleted entries, consumer groups, PELs and consumers as XINFO shows them', async () => {
    const streams = keyRecords(records).filter((k) => k.value.type === 'stream');
    expect(streams.map((k) => k.key).sort()).toEqual([
      'stream:emptied',
      'stream:empty',
      'stream:large',
      'stream:small',
    ]);
    for (const { key, value } of streams) {
      if (value.type !== 'stream') throw new Error('not a stream');
      expect(streamAsXinfo(value.stream), key).toEqual(await xinfo(redis.client, key));
    }
    const large = streams.find((k) => k.key === 'stream:large')!.value;
    if (large.type !== 'stream') throw new Error('not a stream');
    expect(large.stream.entries).toHaveLength(248);
    expect(large.stream.groups.map((g) => g.name).sort()).toEqual(['late', 'middle', 'readers']);
  });

  it('writes a file redis-check-rdb accepts and redis-server loads with the same contents', async () => {
    const writer = new RdbWriter();
    writer.header(defaultAuxFields(1_000_000));
    const keys = keyRecords(records);
    for (const db of [...new Set(keys.map((k) => k.db))].sort((a, b) => a - b)) {
      const inDb = keys.filter((k) => k.db === db);
      writer.selectDb(db, inDb.length, inDb.filter((k) => k.expireAt !== null).length);
      for (const k of inDb) writer.key(k.key, k.value, k.expireAt);
    }
    writer.end();
    oursFile = writer.take();
    const dir = mkdtempSync(join(tmpdir(), 'rc-rdb-ours-'));
    writeFileSync(join(dir, 'dump.rdb'), oursFile);
    const check = checkRdb(join(dir, 'dump.rdb'));
    expect(check.ok, check.output).toBe(true);
    console.log(
      `redis-server dump.rdb: ${redisFile.length} bytes; RdbWriter: ${oursFile.length} bytes`,
    );

    ours = await startRedis(dir);
    expect(await keyspace(ours.client)).toEqual(await keyspace(redis.client));
  });

  it('decodes the DUMP payload of every key to the value in the RDB file', async () => {
    for (const { db, key, value } of keyRecords(records)) {
      await redis.client.command('SELECT', db);
      const payload = Buffer.from((await redis.client.command('DUMP', key)) as string, 'latin1');
      expect(normalize(decodeDumpPayload(payload)!), key).toEqual(normalize(value));
    }
    await redis.client.command('SELECT', 0);
  });

  it('produces DUMP payloads that RESTORE accepts, giving the same value', async () => {
    const client = (ours ?? redis).client;
    const source = redis.client;
    for (const { db, key, value } of keyRecords(records)) {
      await client.command('SELECT', 9);
      const restored = await client.command(
        'RESTORE',
        key,
        0,
        encodeDumpPayload(value).toString('latin1'),
      );
      expect(restored, key).toBe('OK');
      const state = (await keyState(client, key)) as { value: unknown };
      await source.command('SELECT', db);
      const original = (await keyState(source, key)) as { value: unknown };
      expect(state.value, key).toEqual(original.value);
    }
    await client.command('FLUSHDB');
    await client.command('SELECT', 0);
    await source.command('SELECT', 0);
  });

  it('agrees with Redis on payloads with a wrong checksum or a newer version', async () => {
    const good = encodeDumpPayload({ type: 'string', value: 'payload' });
    const flipped = Buffer.from(good);
    flipped[2] ^= 0x20;
    const newer = Buffer.from(good);
    newer[newer.length - 10] = 11;
    const body = newer.subarray(0, newer.length - 8);
    newer.writeBigUInt64LE(crc64(0, body), newer.length - 8);
    for (const bad of [flipped, newer, good.subarray(0, 5)]) {
      expect(decodeDumpPayload(bad)).toBeNull();
      const reply = await redis.client.command('RESTORE', 'bad-payload', 0, bad.toString('latin1'));
      expect(reply).toBeInstanceOf(ReplyError);
      expect((reply as ReplyError).message).toBe('ERR DUMP payload version or checksum are wrong');
    }
    expect(await redis.client.command('RESTORE', 'good-payload', 0, good.toString('latin1'))).toBe(
      'OK',
    );
    expect(await redis.client.command('GET', 'good-payload')).toBe('payload');
    await redis.client.command('DEL', 'good-payload');
  });

  it('reads Redis files pushed in small chunks exactly as whole', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'rc-rdb-copy-')), 'dump.rdb');
    copyFileSync(join(redis.dir, 'dump.rdb'), copy);
    expect(readRdb(readFileSync(copy))).toEqual(records);
  });
});
