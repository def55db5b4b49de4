import { describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import { RawClient } from '../test-support/raw-client.js';
import { useDifferential, type Step } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** Absolute expire times far ahead, so both servers hold the same TTLs for the whole test. */
const EXPIRE_SECONDS = String(Math.floor(Date.now() / 1000) + 86_400);
const EXPIRE_MILLISECONDS = String(Date.now() + 86_400_000);

/** One value of every type and encoding, in three databases, some with a TTL. */
const DATASET: Step[] = [
  ['SET', 'string', 'hello world'],
  ['SET', 'shared-integer', '42'],
  ['SET', 'integer', '-1234567890123'],
  ['SET', 'raw', 'x'.repeat(100)],
  ['SET', 'binary', '\u0000\u00ff\r\n'],
  ['RPUSH', 'list', 'a', 'b', '1', '-2', 'c'.repeat(70)],
  ['HSET', 'hash', 'f1', 'v1', 'f2', '2', 'f3', ''],
  ['HSET', 'big-hash', 'long-value', 'v'.repeat(100)],
  ['SADD', 'intset', '1', '2', '-3', '9223372036854775807'],
  ['SADD', 'set', 'a', 'b', 'c', '1'],
  ['ZADD', 'zset', '1.5', 'a', '-inf', 'b', '+inf', 'c', '0.1', 'd', '3', '7', '1e300', 'e'],
  ['ZADD', 'zset', '-0.000001', 'f', '123456789.123456789', 'g'],
  ['ZADD', 'skiplist', '2.5', 'm'.repeat(100), '1', 'n'],
  [
    'ZADD',
    'odd-scores',
    '-0',
    'a',
    '0.30000000000000004',
    'b',
    '1e-7',
    'c',
    '1.7976931348623157e308',
    'd',
  ],
  ['ZADD', 'odd-scores', '123456789012345678', 'e', '-1.5e-300', 'f', '100', 'g', '0x10', 'h'],
  ['XADD', 'stream', '1-1', 'field', 'value'],
  ['XADD', 'stream', '2-0', 'a', '1', 'b', '2'],
  ['XADD', 'stream', '5-3', 'only', 'one'],
  ['XGROUP', 'CREATE', 'stream', 'group', '0'],
  ['XREADGROUP', 'GROUP', 'group', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['SET', 'with-ttl', 'v'],
  ['EXPIREAT', 'with-ttl', EXPIRE_SECONDS],
  ['RPUSH', 'list-with-ttl', 'x', 'y'],
  ['PEXPIREAT', 'list-with-ttl', EXPIRE_MILLISECONDS],
  ['SELECT', '3'],
  ['SET', 'string', 'in db 3'],
  ['HSET', 'hash', 'f', 'v'],
  ['PEXPIREAT', 'hash', EXPIRE_MILLISECONDS],
  ['SELECT', '15'],
  ['SADD', 'set', 'x'],
  ['SELECT', '0'],
];

/** Masks the pointer and LRU clock fields of DEBUG OBJECT, which differ by nature. */
function maskObject(reply: string): string {
  return reply
    .replace(/Value at:0x[0-9a-f]+/, 'Value at:<addr>')
    .replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:<clock>');
}

/** Keeps what rc can match in hash table statistics: sizes and counts, not bucket placement. */
function maskHashTableStats(reply: string): string {
  return reply
    .replace(/^[$=]\d+/, '<length>')
    .replace(/ different slots: \d+\n/g, '')
    .replace(/ max chain length: \d+\n/g, '')
    .replace(/ avg chain length \((counted|computed)\): [\d.]+\n/g, '')
    .replace(/ {3}\d+: \d+ \([\d.]+%\)\n/g, '');
}

/** The help lines of a jemalloc build (MALLCTL...), which a build like rc's does not list. */
function maskAllocatorHelp(reply: string): string {
  return reply
    .replace(/^\*\d+/, '*<count>')
    .replace(/\+MALLCTL(-STR)? <key> \[<val>\]\r\n\+ {4}Get or set a malloc tuning \w+\.\r\n/g, '');
}

describe.runIf(requireRedisOrSkip('DEBUG differential'))(
  'DEBUG, compared with redis-server',
  () => {
    const servers = useDifferential([['enable-debug-command', 'yes']]);

    it('DIGEST and DIGEST-VALUE hash every type, encoding, TTL and database as Redis', () =>
      servers.compare([
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'DIGEST-VALUE', 'missing'],
        ...DATASET,
        ['DEBUG', 'DIGEST'],
        [
          'DEBUG',
          'DIGEST-VALUE',
          'string',
          'shared-integer',
          'integer',
          'raw',
          'binary',
          'list',
          'hash',
          'big-hash',
          'intset',
          'set',
          'zset',
          'skiplist',
          'stream',
          'with-ttl',
          'list-with-ttl',
          'missing',
        ],
        ['DEBUG', 'DIGEST-VALUE'],
        ['SELECT', '3'],
        ['DEBUG', 'DIGEST-VALUE', 'string', 'hash'],
        ['SELECT', '0'],
        // The order of a list counts, the order of a set's members does not.
        ['DEL', 'list', 'set'],
        ['RPUSH', 'list', '-2', '1', 'b', 'a', 'c'.repeat(70)],
        ['SADD', 'set', '1', 'c', 'b', 'a'],
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'DIGEST-VALUE', 'list', 'set'],
        ['PERSIST', 'with-ttl'],
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'digest', 'extra'],
      ]));

    it('OBJECT shows encoding, refcount and serialized length as Redis', () =>
      servers.compare([
        ['SET', 'shared', '100'],
        ['SET', 'integer', '123456'],
        ['SET', 'embstr', 'hello'],
        ['SET', 'raw', 'y'.repeat(60)],
        ['HSET', 'hash', 'f', 'v'],
        ['SADD', 'intset', '1', '2', '3'],
        ['SADD', 'set', 'a', 'b'],
        ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
        ['RPUSH', 'list', 'a', 'b', 'c', '1', '2', '3'],
        // Several quicklist nodes, integers packed small, elements bigger than a node.
        ['RPUSH', 'long-list', ...Array.from({ length: 1000 }, (_, i) => `element-${i}`)],
        ['RPUSH', 'numbers', ...Array.from({ length: 3000 }, (_, i) => String(i * 37))],
        ['RPUSH', 'large-elements', 'x'.repeat(10000), 'y'.repeat(5000), 'z'],
        ['SADD', 'big-set', ...Array.from({ length: 600 }, (_, i) => `m${i}`)],
        ['SADD', 'big-intset', ...Array.from({ length: 400 }, (_, i) => String(i * 1000))],
        [
          'ZADD',
          'skiplist',
          ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat(),
        ],
        ['SET', 'int64', '9223372036854775807'],
        ['XADD', 'stream', '1-1', 'a', '1'],
        ...[
          'shared',
          'integer',
          'embstr',
          'raw',
          'hash',
          'intset',
          'set',
          'zset',
          'list',
          'long-list',
          'numbers',
          'large-elements',
          'big-set',
          'big-intset',
          'skiplist',
          'int64',
          'stream',
        ].map((key) => ({ command: ['DEBUG', 'OBJECT', key], normalize: maskObject })),
        ['DEBUG', 'OBJECT', 'missing'],
        ['DEBUG', 'OBJECT'],
        ['DEBUG', 'OBJECT', 'a', 'b'],
      ]));

    it('PROTOCOL replies every type, in RESP2 and RESP3, as Redis', () =>
      servers.compare([
        ...[
          'string',
          'integer',
          'double',
          'bignum',
          'null',
          'array',
          'set',
          'map',
          'attrib',
          'push',
          'verbatim',
          'true',
          'false',
          'STRING',
          'bogus',
        ].map((type) => ['DEBUG', 'PROTOCOL', type]),
        ['DEBUG', 'PROTOCOL'],
        ['PING'],
      ]));

    it('POPULATE names keys and values as Redis, leaving existing keys alone', () =>
      servers.compare([
        ['SET', 'key:3', 'mine'],
        ['DEBUG', 'POPULATE', '10'],
        ['DBSIZE'],
        ['GET', 'key:0'],
        ['GET', 'key:3'],
        ['GET', 'key:9'],
        ['DEBUG', 'POPULATE', '3', 'prefix'],
        ['MGET', 'prefix:0', 'prefix:2'],
        ['DEBUG', 'POPULATE', '3', 'short', '3'],
        ['DEBUG', 'POPULATE', '2', 'padded', '12'],
        ['MGET', 'short:1', 'padded:1'],
        ['DEBUG', 'POPULATE', '1', 'x'.repeat(200)],
        ['KEYS', 'xxx*'],
        ['DEBUG', 'POPULATE', '0'],
        ['DEBUG', 'POPULATE', '-1'],
        ['DEBUG', 'POPULATE', 'many'],
        ['DEBUG', 'POPULATE', '1', 'p', '-1'],
        ['DEBUG', 'POPULATE', '1', 'p', '1', 'extra'],
        ['DEBUG', 'DIGEST'],
      ]));

    it('a script sees keys expire as of its start (DEBUG SLEEP inside it), not in its middle', () =>
      servers.compare([
        ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1'],
        [
          'EVAL',
          "redis.call('SET', 'key', 'value', 'PX', '1') redis.call('DEBUG', 'SLEEP', 0.01) return redis.call('EXISTS', 'key')",
          '0',
        ],
        ['DEBUG', 'SLEEP', '0.01'],
        ['EXISTS', 'key'],
        ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
      ]));

    it('RELOAD saves and loads the dataset back, with NOSAVE, NOFLUSH and MERGE', () =>
      servers.compare([
        ...DATASET,
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'RELOAD'],
        ['DEBUG', 'DIGEST'],
        // The expiry times, not the TTLs: the two servers answer a moment apart.
        ['EXPIRETIME', 'with-ttl'],
        ['PEXPIRETIME', 'list-with-ttl'],
        ['SET', 'after-save', '1'],
        ['DEBUG', 'RELOAD', 'NOSAVE'],
        ['EXISTS', 'after-save'],
        ['SET', 'after-save', '1'],
        ['SET', 'string', 'changed'],
        ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'],
        ['EXISTS', 'after-save'],
        ['GET', 'string'],
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'RELOAD', 'nosave', 'bogus'],
        ['DBSIZE'],
      ]));

    it('RELOAD NOFLUSH fails on a function library already loaded, unless MERGE', () =>
      servers.compare([
        ['FUNCTION', 'FLUSH'],
        [
          'FUNCTION',
          'LOAD',
          "#!lua name=lib\nredis.register_function('f', function() return 1 end)",
        ],
        ['DEBUG', 'RELOAD'],
        ['FUNCTION', 'LIST'],
        ['DEBUG', 'RELOAD', 'NOFLUSH'],
        ['DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE'],
        ['FCALL', 'f', '0'],
        ['FUNCTION', 'FLUSH'],
        ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH'],
        ['FCALL', 'f', '0'],
        ['FUNCTION', 'FLUSH'],
      ]));

    it('answers the switches the test suite flips as Redis', () =>
      servers.compare([
        ['DEBUG', 'SLEEP', '0'],
        ['DEBUG', 'SLEEP', 'abc'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE'],
        ['DEBUG', 'PAUSE-CRON', '0'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100mb'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'abc'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
        ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'],
        ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'],
        ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
        ['DEBUG', 'AOF-FLUSH-SLEEP', '0'],
        ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', '100'],
        ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'never'],
        ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'reset'],
        ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'soon'],
        ['DEBUG', 'REPLYBUFFER', 'RESIZING', '0'],
        ['DEBUG', 'REPLYBUFFER', 'RESIZING', '1'],
        ['DEBUG', 'REPLYBUFFER', 'BOGUS', '1'],
        ['DEBUG', 'REPLYBUFFER', 'RESIZING'],
        ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', '-1'],
        ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', 'x'],
        ['DEBUG', 'CLUSTERLINK', 'KILL', 'all', 'abc'],
        ['DEBUG', 'LOG', 'a line for the log'],
        ['DEBUG', 'LEAK', 'bytes'],
        ['DEBUG', 'CHANGE-REPL-ID'],
        ['DEBUG', 'REPLICATE', 'fake-command-1'],
        ['DEBUG', 'REPLICATE'],
        ['DEBUG', 'STRUCTSIZE'],
        ['DEBUG', 'ERROR', 'MYERR something\r\nwent wrong'],
        ['DEBUG', 'ERROR'],
        ['DEBUG', 'NO-SUCH-SUBCOMMAND'],
        ['DEBUG', 'HELP', 'extra'],
        ['DEBUG'],
      ]));

    it('CHANGE-REPL-ID gives both servers a new replication ID and no secondary one', async () => {
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const client = await RawClient.open(port);
        const ids = async () => {
          const info = String(await client.command('INFO', 'replication'));
          return [/master_replid:(\w+)/, /master_replid2:(\w+)/].map(
            (field) => field.exec(info)?.[1],
          );
        };
        const [before] = await ids();
        expect(String(await client.command('DEBUG', 'CHANGE-REPL-ID'))).toBe('+OK\r\n');
        const [after, secondary] = await ids();
        expect(after).toMatch(/^[0-9a-f]{40}$/);
        expect(after).not.toBe(before);
        expect(secondary).toBe('0'.repeat(40));
        client.close();
      }
    });

    it('HTSTATS shows the keyspace table grown as Redis grows it, not while a child runs', async () => {
      const sizes: string[][] = [];
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const client = await RawClient.open(port);
        const tableSizes = async () =>
          String(await client.command('DEBUG', 'HTSTATS', '9')).match(/table size: \d+/g);
        const seen: string[] = [];
        await client.command('SELECT', '9');
        await client.command('DEBUG', 'POPULATE', '4096');
        seen.push(...((await tableSizes()) ?? []));
        await client.command('CONFIG', 'SET', 'rdb-key-save-delay', '1000000');
        await client.command('BGSAVE');
        await until(
          async () =>
            String(await client.command('INFO', 'persistence')).includes(
              'rdb_bgsave_in_progress:1',
            ),
          'the background save',
        );
        // Full, but a child runs: Redis does not grow the table (not 5 times over full).
        await client.command('MSET', 'k1', 'v1', 'k2', 'v2');
        seen.push(...((await tableSizes()) ?? []));
        await client.command('FLUSHALL'); // kills the save
        await client.command('CONFIG', 'SET', 'rdb-key-save-delay', '0');
        await until(
          async () =>
            String(await client.command('INFO', 'persistence')).includes(
              'rdb_bgsave_in_progress:0',
            ),
          'the save killed',
        );
        seen.push(String(await client.command('DEBUG', 'HTSTATS', '9')));
        sizes.push(seen);
        client.close();
      }
      expect(sizes[0]).toEqual(sizes[1]);
      expect(sizes[0].slice(0, 2)).toEqual(['table size: 4096', 'table size: 4096']);
    });

    it('HELP lists the subcommands of 7.0.15', () =>
      servers.compare([{ command: ['DEBUG', 'HELP'], normalize: maskAllocatorHelp }]));

    it('LISTPACK, QUICKLIST, SDSLEN and the hash table statistics check types as Redis', () =>
      servers.compare([
        ['HSET', 'hash', 'f', 'v'],
        ['RPUSH', 'list', 'a'],
        ['SET', 'string', 'text'],
        ['SET', 'number', '12'],
        ['SADD', 'set', 'a', 'b', 'c'],
        ['ZADD', 'skiplist', '1', 'z'.repeat(100)],
        ['DEBUG', 'LISTPACK', 'hash'],
        ['DEBUG', 'LISTPACK', 'list'],
        ['DEBUG', 'LISTPACK', 'missing'],
        ['DEBUG', 'QUICKLIST', 'list'],
        ['DEBUG', 'QUICKLIST', 'list', '1'],
        ['DEBUG', 'QUICKLIST', 'hash'],
        ...[10, 44, 45, 100, 300, 1000, 5000].flatMap((length) => [
          ['SET', `k${length}`, 'v'.repeat(length)],
          ['DEBUG', 'SDSLEN', `k${length}`],
        ]),
        ['SET', 'a-key-of-forty-bytes-for-an-sdshdr8-.....', 'v'],
        ['DEBUG', 'SDSLEN', 'a-key-of-forty-bytes-for-an-sdshdr8-.....'],
        ['SET', 'k'.repeat(300), 'v'],
        ['DEBUG', 'SDSLEN', 'k'.repeat(300)],
        ['DEBUG', 'SDSLEN', 'number'],
        ['DEBUG', 'SDSLEN', 'list'],
        ['DEBUG', 'SDSLEN', 'missing'],
        ['DEBUG', 'HTSTATS-KEY', 'hash'],
        ['DEBUG', 'HTSTATS-KEY', 'missing'],
        { command: ['DEBUG', 'HTSTATS-KEY', 'set'], normalize: maskHashTableStats },
        { command: ['DEBUG', 'HTSTATS-KEY', 'skiplist'], normalize: maskHashTableStats },
        { command: ['DEBUG', 'HTSTATS', '0'], normalize: maskHashTableStats },
        ['DEBUG', 'HTSTATS', '9'],
        ['DEBUG', 'HTSTATS', '16'],
        ['DEBUG', 'HTSTATS', '-1'],
        ['DEBUG', 'HTSTATS', 'x'],
      ]));
  },
);

describe.runIf(requireRedisOrSkip('DEBUG LOADAOF differential'))(
  'DEBUG LOADAOF, compared with redis-server',
  () => {
    const servers = useDifferential([
      ['enable-debug-command', 'yes'],
      ['appendonly', 'yes'],
    ]);

    it('loads back what the append-only file holds', () =>
      servers.compare([
        ...DATASET,
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'LOADAOF'],
        ['DEBUG', 'DIGEST'],
        ['LRANGE', 'list', '0', '-1'],
        ['XINFO', 'GROUPS', 'stream'],
        ['DBSIZE'],
      ]));
  },
);
