import { createHash, randomBytes } from 'node:crypto';
import { encodeDumpPayload } from '@rc/rdb';
import { PackedList } from '@rc/datatypes/packed';
import type { BlockedState } from '../blocking.js';
import type { Client } from '../client.js';
import { BLOCKED, type CommandResult } from '../command-table.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import { describeErrno } from '../errno.js';
import { datasetDigest, valueDigest } from '../digest.js';
import type { Engine } from '../engine.js';
import { Errors, subcommandSyntaxError } from '../errors.js';
import { globMatch } from '../glob.js';
import type { Database } from '../keyspace.js';
import { parseMemory } from '../memory-units.js';
import { parseInteger } from '../numbers.js';
import { PropagationTarget } from '../propagation.js';
import { DEFAULT_PACKED_THRESHOLD, quicklistNodes } from '../quicklist-layout.js';
import { DEFAULT_PEAK_RESET_TIME } from '../reply-buffer-resizing.js';
import { toRdbValue } from '../persistence/rdb-values.js';
import {
  RedisHash,
  RedisSet,
  RedisZset,
  encodingOf,
  isSharedInteger,
  type RedisValue,
} from '../values.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { ok } from '../replies.js';
import { tableSize } from '../dict-sizing.js';
import { tableStats } from '../dict-stats.js';
import { setShape } from '../set-shapes.js';

/**
 * DEBUG, as Redis 7.0's debugCommand (debug.c): the subcommands the Redis test suite relies on,
 * each answering with Redis's replies and errors. Those about C internals (allocator, SDS
 * headers, hash table buckets) answer with what Redis would show for the same data.
 */

/** Where the state only DEBUG reads lives: per engine, beside it. */
interface DebugState {
  /** Redis's packed_threshold: list elements this long get a quicklist node of their own. */
  quicklistPackedThreshold: number;
  /** Pseudo addresses for DEBUG OBJECT's "Value at:" of container values. */
  readonly addresses: WeakMap<object, string>;
}

const states = new WeakMap<Engine, DebugState>();

function stateOf(engine: Engine): DebugState {
  let state = states.get(engine);
  if (state === undefined) {
    state = {
      quicklistPackedThreshold: DEFAULT_PACKED_THRESHOLD,
      addresses: new WeakMap(),
    };
    states.set(engine, state);
  }
  return state;
}

/** C's atoi: optional blanks and sign, then digits; anything else reads as 0. */
function atoi(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number.parseInt(match[1], 10) | 0;
}

/** getLongFromObjectOrReply: null after replying the error. */
function longArgument(client: Client, text: string): number | null {
  return integerArgument(client, text);
}

/** Redis's addReplyHelp around debugCommand's lines (a build without jemalloc: no MALLCTL). */
const HELP_LINES = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
  'HELP',
  '    Prints this help.',
];

function help(client: Client): void {
  client.out.array(HELP_LINES.length);
  for (const line of HELP_LINES) client.out.simple(line);
}

// Crashes: the host writes the report and exits (Engine.crash).

function segfault(_client: Client, _argv: string[], engine: Engine): void {
  engine.crash({ kind: 'segfault', message: 'Redis 7.0.15 crashed by signal: 11, si_code: 2' });
}

function panic(_client: Client, _argv: string[], engine: Engine): void {
  const seconds = Math.floor(Date.now() / 1000);
  engine.crash({ kind: 'panic', message: `DEBUG PANIC called at Unix time ${seconds}` });
}

function assert(_client: Client, _argv: string[], engine: Engine): void {
  engine.crash({
    kind: 'assertion',
    message: "=== ASSERTION FAILED ===\n==> '1 == 2' is not true",
  });
}

function oom(_client: Client, _argv: string[], engine: Engine): void {
  const bytes = 2n ** 63n - 1n;
  engine.crash({ kind: 'out-of-memory', message: `Out Of Memory allocating ${bytes} bytes!` });
}

function log(client: Client, argv: string[], engine: Engine): void {
  engine.log('warning', `DEBUG LOG: ${argv[2]}`);
  ok(client);
}

/** LEAK string: Redis duplicates the string and loses it; rc keeps nothing. */
function leak(client: Client): void {
  ok(client);
}

// Persistence: RELOAD and LOADAOF go through the host, which owns the files.

/** Redis's emptyData(-1): every database and the function libraries. */
function emptyData(engine: Engine): void {
  for (const db of engine.databases) db.clear();
  engine.scripting.libraries.flush();
  engine.tracking.flushed();
}

/** RELOAD [MERGE] [NOFLUSH] [NOSAVE] */
function reload(client: Client, argv: string[], engine: Engine): void {
  let merge = false;
  let flush = true;
  let save = true;
  for (let i = 2; i < argv.length; i++) {
    if (isKeyword(argv[i], 'merge')) merge = true;
    else if (isKeyword(argv[i], 'noflush')) flush = false;
    else if (isKeyword(argv[i], 'nosave')) save = false;
    else {
      client.out.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const host = engine.persistence;
  const dirtyBefore = engine.stats.dirty;
  // A BGSAVE running meanwhile keeps the dataset it began with, as a fork would.
  engine.finishSnapshots();
  if (save && host?.saveForReload() !== true) {
    client.out.error('ERR');
    return;
  }
  // A save resets the change counter; the reload itself changes nothing (and is not propagated).
  engine.countChanges(save ? -dirtyBefore : 0);
  if (flush) emptyData(engine);
  const failure = host === undefined ? 'no RDB file' : host.loadForReload(merge);
  if (failure !== null) {
    client.out.error('ERR Error trying to load the RDB dump');
    return;
  }
  engine.log('warning', 'DB reloaded by DEBUG RELOAD');
  ok(client);
}

/**
 * LOADAOF: the caller waits while the AOF loads (others get LOADING meanwhile, as Redis serves
 * events while it loads), then gets OK.
 */
function loadaof(client: Client, _argv: string[], engine: Engine): CommandResult {
  const host = engine.persistence;
  const dirtyBefore = engine.stats.dirty;
  engine.finishSnapshots();
  host?.flushAppendOnlyFile();
  emptyData(engine);
  if (host === undefined) {
    loadaofFailed(engine, 'no append only file');
    return;
  }
  const waiting: BlockedState = {
    db: client.db,
    kind: null,
    keys: [],
    tryServe: () => false,
    replyOnTimeout: () => undefined,
    timer: null,
  };
  engine.blocking.block(client, waiting, 0);
  // As Redis: neither the emptying nor the loaded writes are propagated or saved again.
  engine.countChanges(-dirtyBefore);
  void host.loadAppendOnlyFile().then((failure) => {
    if (failure !== null) {
      loadaofFailed(engine, failure);
      return;
    }
    engine.stats.dirty = 0;
    engine.log('warning', 'Append Only File loaded by DEBUG LOADAOF');
    if (client.blocked !== waiting || client.closed) return;
    engine.blocking.unblock(client);
    ok(client);
    client.connection.resume();
  });
  return BLOCKED;
}

/** Redis exits here: what it had is gone and the AOF cannot give it back. */
function loadaofFailed(engine: Engine, failure: string): void {
  engine.crash({ kind: 'aof-load', message: `DEBUG LOADAOF failed: ${failure}` });
}

/** Which bus messages a cluster node drops on receipt, to test a partitioned node. */
function dropClusterPacketFilter(client: Client, argv: string[], engine: Engine): void {
  const type = longArgument(client, argv[2]);
  if (type === null) return;
  if (engine.cluster !== undefined) engine.cluster.state.dropPacketFilter = type;
  ok(client);
}

// Looking at one value.

/** A key as Redis's dictFind sees it: no expiry, no access-time update. */
function findKey(client: Client, key: string): RedisValue | undefined {
  const value = client.db.data.get(key);
  if (value === undefined) client.out.error(Errors.noSuchKey);
  return value;
}

/** objectCommandLookupOrReply: as OBJECT does, a logically expired key is not there. */
function lookupKey(client: Client, key: string): RedisValue | undefined {
  const value = client.db.peek(key);
  if (value === undefined) client.out.error(Errors.noSuchKey);
  return value;
}

/** OBJ_SHARED_REFCOUNT, which Redis prints for its shared integers. */
const SHARED_REFCOUNT = 2147483647;

/**
 * %p of the value: a container's stays while it lives, as its address would; a string's is
 * the key's (rc's strings are immutable values), so that it stays across INCR as Redis's
 * in-place update keeps it.
 */
function addressOf(value: RedisValue, db: Database, key: string, engine: Engine): string {
  if (typeof value === 'string') {
    const digest = createHash('sha1').update(`${db.id}\0${key}`, 'latin1').digest('hex');
    return `0x7f${digest.slice(0, 10)}`;
  }
  const addresses = stateOf(engine).addresses;
  let address = addresses.get(value);
  if (address === undefined) {
    address = `0x7f${randomBytes(5).toString('hex')}`;
    addresses.set(value, address);
  }
  return address;
}

/** rdbSavedObjectLen: the value's RDB serialization, type byte, version and CRC excluded. */
function serializedLength(value: RedisValue, engine: Engine): number {
  const DUMP_OVERHEAD = 1 + 2 + 8;
  return encodeDumpPayload(toRdbValue(value, engine.config)).length - DUMP_OVERHEAD;
}

function quicklistFields(list: PackedList, engine: Engine): string {
  const fill = engine.config.getNumber('list-max-listpack-size');
  const nodes = quicklistNodes(list, fill, stateOf(engine).quicklistPackedThreshold);
  let bytes = 0;
  for (const node of nodes) bytes += node.bytes;
  const compressed = engine.config.getNumber('list-compress-depth') !== 0 ? 1 : 0;
  return (
    ` ql_nodes:${nodes.length} ql_avg_node:${(list.length / nodes.length).toFixed(2)}` +
    ` ql_listpack_max:${fill} ql_compressed:${compressed} ql_uncompressed_size:${bytes}`
  );
}

/** OBJECT key: Redis's one-line summary of the value behind a key. */
function object(client: Client, argv: string[], engine: Engine): void {
  const value = findKey(client, argv[2]);
  if (value === undefined) return;
  const idle = client.db.idleSeconds(argv[2]);
  const lru = (engine.lruClock - idle) & 0xffffff;
  const stringEncoding = client.db.stringEncoding(argv[2]);
  const refcount = isSharedInteger(value, stringEncoding) ? SHARED_REFCOUNT : 1;
  const extra = value instanceof PackedList ? quicklistFields(value, engine) : '';
  client.out.simple(
    `Value at:${addressOf(value, client.db, argv[2], engine)} refcount:${refcount} ` +
      `encoding:${encodingOf(value, engine.config, stringEncoding)} ` +
      `serializedlength:${serializedLength(value, engine)} ` +
      `lru:${lru} lru_seconds_idle:${idle}${extra}`,
  );
}

/** sdsReqType's header size for a string of `length` bytes (sdshdr5 holds no free space). */
function sdsHeaderSize(length: number): number {
  if (length < 32) return 1;
  if (length < 256) return 3;
  if (length < 65536) return 5;
  if (length < 2 ** 32) return 9;
  return 17;
}

/** jemalloc's size class for an allocation of `bytes`: four classes per doubling. */
function allocationSize(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return Math.ceil(bytes / 16) * 16;
  const step = 2 ** Math.floor(Math.log2(bytes - 1)) / 4;
  return Math.ceil(bytes / step) * step;
}

/**
 * An SDS made by sdsnewlen: its allocation's size class, and the free space that leaves (all
 * of the usable size is the string's, except in an sdshdr5).
 */
function sdsLayout(length: number): { allocation: number; available: number } {
  const header = sdsHeaderSize(length);
  const allocation = allocationSize(header + length + 1);
  return { allocation, available: header === 1 ? 0 : allocation - header - 1 - length };
}

/** The robj header an embedded string shares its allocation with. */
const OBJECT_HEADER_SIZE = 16;

/**
 * SDSLEN key: the key's and the value's SDS lengths, free space and allocation sizes. A value
 * stored by SET is an embedded string up to 44 bytes, else its own SDS, trimmed by
 * tryObjectEncoding when more than a tenth of it is free; one a command made raw (see
 * `Database.stringEncoding`) is an SDS as sdsnewlen allocates it, untrimmed. The spare room
 * APPEND and growing bit writes reserve (sdsMakeRoomFor's greedy growth) is not modelled.
 */
function sdslen(client: Client, argv: string[], engine: Engine): void {
  const value = findKey(client, argv[2]);
  if (value === undefined) return;
  const recorded = client.db.stringEncoding(argv[2]);
  const encoding = typeof value === 'string' ? encodingOf(value, engine.config, recorded) : null;
  if (typeof value !== 'string' || encoding === 'int') {
    client.out.error('ERR Not an sds encoded string.');
    return;
  }
  const key = sdsLayout(argv[2].length);
  let valueAllocation: number;
  let valueAvailable = 0;
  if (encoding === 'embstr') {
    // One allocation for the object header, an sdshdr8 and the bytes.
    valueAllocation =
      allocationSize(OBJECT_HEADER_SIZE + 3 + value.length + 1) - OBJECT_HEADER_SIZE;
  } else {
    const layout = sdsLayout(value.length);
    valueAllocation = layout.allocation;
    if (recorded !== undefined || layout.available <= Math.floor(value.length / 10)) {
      valueAvailable = layout.available;
    }
  }
  client.out.simple(
    `key_sds_len:${argv[2].length}, key_sds_avail:${key.available}, ` +
      `key_zmalloc: ${key.allocation}, val_sds_len:${value.length}, ` +
      `val_sds_avail:${valueAvailable}, val_zmalloc: ${valueAllocation}`,
  );
}

function listpack(client: Client, argv: string[], engine: Engine): void {
  const value = lookupKey(client, argv[2]);
  if (value === undefined) return;
  if (encodingOf(value, engine.config) !== 'listpack') {
    client.out.error('ERR Not a listpack encoded object.');
    return;
  }
  client.out.simple('Listpack structure printed on stdout');
}

function quicklist(client: Client, argv: string[]): void {
  const value = lookupKey(client, argv[2]);
  if (value === undefined) return;
  if (!(value instanceof PackedList)) {
    client.out.error('ERR Not a quicklist encoded object.');
    return;
  }
  client.out.simple('Quicklist structure printed on stdout');
}

/**
 * A non-negative long, as getPositiveLongFromObjectOrReply: anything else, a non-number
 * included, gets the one error. Null after replying.
 */
function nonNegativeArgument(client: Client, text: string): number | null {
  const value = parseInteger(text);
  if (value === null || value < 0) {
    client.out.error(Errors.countPositive);
    return null;
  }
  return Number(value);
}

/** Redis formats POPULATE's names into a 128-byte buffer. */
const POPULATE_NAME_LIMIT = 127;

/**
 * POPULATE count [prefix] [size]: keys prefix:0... holding "value:<n>" (padded with zero bytes
 * or cut to `size`); existing keys are left alone, nothing is propagated.
 */
function populate(client: Client, argv: string[], engine: Engine): void {
  const count = nonNegativeArgument(client, argv[2]);
  if (count === null) return;
  const size = argv.length === 5 ? nonNegativeArgument(client, argv[4]) : 0;
  if (size === null) return;
  const prefix = argv.length === 3 ? 'key' : argv[3];
  const db = client.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, POPULATE_NAME_LIMIT);
    if (db.find(key) !== undefined) continue;
    const text = `value:${j}`;
    const value = size === 0 ? text : text.slice(0, size).padEnd(size, '\0');
    db.add(key, value);
  }
  // dbAdd without server.dirty: not a change to save or propagate.
  engine.countChanges(0);
  ok(client);
}

function digest(client: Client, _argv: string[], engine: Engine): void {
  client.out.simple(datasetDigest(engine.databases));
}

/** DIGEST-VALUE key...: each value's digest (logically expired keys included), in the DB. */
function digestValue(client: Client, argv: string[]): void {
  client.out.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) client.out.simple(valueDigest(client.db, argv[j]));
}

const PROTOCOL_TYPES =
  'string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';

/** PROTOCOL type: one sample of each RESP3 type, downgraded for RESP2 clients as Redis does. */
function protocol(client: Client, argv: string[]): void {
  const out = client.out;
  const name = argv[2].toLowerCase();
  if (name === 'string') out.bulk('Hello World');
  else if (name === 'integer') out.integer(12345);
  else if (name === 'double') out.double(3.141);
  else if (name === 'bignum') out.bigNumber('1234567999999999999999999999999999999');
  else if (name === 'null') out.nullBulk();
  else if (name === 'array' || name === 'set') {
    if (name === 'array') out.array(3);
    else out.set(3);
    for (let j = 0; j < 3; j++) out.integer(j);
  } else if (name === 'map') {
    out.map(3);
    for (let j = 0; j < 3; j++) {
      out.integer(j);
      out.boolean(j === 1);
    }
  } else if (name === 'attrib') {
    if (client.protocol === 3) {
      out.attribute(1);
      out.bulk('key-popularity');
      out.array(2);
      out.bulk('key:123');
      out.integer(90);
    }
    out.bulk('Some real reply following the attribute');
  } else if (name === 'push') {
    if (client.protocol < 3) {
      client.out.error('ERR RESP2 is not supported by this command');
      return;
    }
    out.push(2);
    out.bulk('server-cpu-usage');
    out.integer(42);
    out.bulk('Some real reply following the push reply');
  } else if (name === 'true') out.boolean(true);
  else if (name === 'false') out.boolean(false);
  else if (name === 'verbatim') out.verbatim('txt', 'This is a verbatim\nstring');
  else {
    client.out.error(
      `ERR Wrong protocol type name. Please use one of the following: ${PROTOCOL_TYPES}`,
    );
  }
}

// Switches for tests.

/** SLEEP seconds: stalls the whole server, as Redis's nanosleep does. */
function sleep(client: Client, argv: string[]): void {
  // strtod without error checking, as Redis: what is not a number sleeps 0 seconds.
  const seconds = Number.parseFloat(argv[2]);
  // The whole server stalls, as Redis's usleep: this thread sleeps (no spinning) for at least
  // the time asked, measured with the clock command latencies are measured with.
  const until = performance.now() + (Number.isFinite(seconds) ? seconds * 1000 : 0);
  for (let left = until - performance.now(); left > 0; left = until - performance.now()) {
    Atomics.wait(SLEEPER, 0, 0, left);
  }
  ok(client);
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function setActiveExpire(client: Client, argv: string[], engine: Engine): void {
  engine.setActiveExpire(atoi(argv[2]) !== 0);
  ok(client);
}

/** quicklistisSetPackedThreshold's ceiling: just under 4GB. */
const MAX_PACKED_THRESHOLD = 2 ** 32 - 2 ** 20;

function quicklistPackedThreshold(client: Client, argv: string[], engine: Engine): void {
  const size = parseMemory(argv[2]);
  if (size === null || size < 0 || size > MAX_PACKED_THRESHOLD) {
    client.out.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    return;
  }
  stateOf(engine).quicklistPackedThreshold = size === 0 ? DEFAULT_PACKED_THRESHOLD : size;
  ok(client);
}

function setSkipChecksumValidation(client: Client, argv: string[], engine: Engine): void {
  engine.skipChecksumValidation = atoi(argv[2]) !== 0;
  ok(client);
}

/** AOF-FLUSH-SLEEP microseconds: rc's appends are written in one piece per turn, unslowed. */
function aofFlushSleep(client: Client): void {
  ok(client);
}

/** REPLICATE command...: sent to the replicas only, as if it had run here (data divergence tests). */
function replicate(client: Client, argv: string[], engine: Engine): void {
  engine.propagation.replaceCurrent(argv.slice(2));
  engine.propagation.forceCurrent(PropagationTarget.Replication);
  ok(client);
}

/**
 * ERROR text: the text as an error, newlines blanked, written as raw bytes and so not counted
 * as an error reply (Redis's addReplySds).
 */
function error(client: Client, argv: string[]): void {
  client.out.raw(Buffer.from(`-${argv[2].replace(/[\r\n]/g, ' ')}\r\n`, 'latin1'));
}

/** STRUCTSIZE: the sizes of Redis's core structures on a 64-bit build. */
function structsize(client: Client): void {
  client.out.bulk(
    'bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ',
  );
}

function htstats(client: Client, argv: string[], engine: Engine): void {
  const index = longArgument(client, argv[2]);
  if (index === null) return;
  if (index < 0 || index >= engine.databases.length) {
    client.out.error('ERR Out of range database');
    return;
  }
  const db: Database = engine.databases[index];
  client.out.verbatim(
    'txt',
    '[Dictionary HT]\n' +
      tableStats(0, db.data.keys(), db.data.size, db.dataTable.size) +
      '[Expires HT]\n' +
      tableStats(0, db.expires.keys(), db.expires.size, db.expiresTable.size),
  );
}

/** HTSTATS-KEY key: the statistics of a value Redis keeps in a dict (set, hash, zset). */
function htstatsKey(client: Client, argv: string[], engine: Engine): void {
  const value = lookupKey(client, argv[2]);
  if (value === undefined) return;
  const encoding = encodingOf(value, engine.config);
  let stats: string | null = null;
  if (value instanceof RedisZset && encoding === 'skiplist') {
    const members: string[] = [];
    for (const { member } of value) members.push(member);
    stats = tableStats(0, members, value.size, tableSize(value.size));
  } else if (value instanceof RedisSet && encoding === 'hashtable') {
    stats = setShape(value)!.stats(value, value.size);
  } else if (value instanceof RedisHash && encoding === 'hashtable') {
    stats = tableStats(0, value.keys(), value.size, tableSize(value.size));
  }
  if (stats === null) {
    client.out.error(
      'ERR The value stored at the specified key is not represented using an hash table',
    );
  } else client.out.verbatim('txt', stats);
}

function changeReplId(client: Client, _argv: string[], engine: Engine): void {
  engine.log('warning', 'Changing replication IDs after receiving DEBUG change-repl-id');
  engine.replication?.changeReplicationId?.();
  ok(client);
}

/** STRINGMATCH-TEST: random patterns against random strings; the matcher must not throw. */
function stringmatchTest(client: Client): void {
  const alphabet = '*?[]^-\\abc';
  const random = (length: number): string => {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
    return text;
  };
  for (let i = 0; i < 1000; i++) globMatch(random(Math.floor(Math.random() * 32)), random(32));
  client.out.simple('Apparently Redis did not crash: test passed');
}

function setDisableDenyScripts(client: Client, argv: string[], engine: Engine): void {
  engine.scriptDenyDisabled = atoi(argv[2]) !== 0;
  ok(client);
}

function pauseCron(client: Client, argv: string[], engine: Engine): void {
  engine.cronPaused = atoi(argv[2]) !== 0;
  ok(client);
}

/** REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1> */
function replybuffer(client: Client, argv: string[], engine: Engine): void {
  const resizing = engine.replyBuffers;
  if (isKeyword(argv[2], 'peak-reset-time')) {
    if (isKeyword(argv[3], 'never')) resizing.peakResetTime = -1;
    else if (isKeyword(argv[3], 'reset')) resizing.peakResetTime = DEFAULT_PEAK_RESET_TIME;
    else {
      const time = longArgument(client, argv[3]);
      if (time === null) return;
      resizing.peakResetTime = time;
    }
  } else if (isKeyword(argv[2], 'resizing')) {
    resizing.enabled = atoi(argv[3]) !== 0;
  } else {
    client.out.error(subcommandSyntaxError('debug', argv[1]));
    return;
  }
  ok(client);
}

function clusterlink(client: Client, argv: string[], engine: Engine): void {
  if (engine.config.get('cluster-enabled') !== 'yes') {
    client.out.error('ERR Debug option only available for cluster mode enabled setup!');
    return;
  }
  client.out.error(`ERR Unknown node ${argv[4]}`);
}

type Subcommand = (client: Client, argv: string[], engine: Engine) => CommandResult;
type Arguments = (argv: string[]) => boolean;

/** Argument counts, DEBUG and the subcommand's name included, as debugCommand tests argc. */
function exactly(count: number): Arguments {
  return (argv) => argv.length === count;
}

function atLeast(count: number): Arguments {
  return (argv) => argv.length >= count;
}

function between(min: number, max: number): Arguments {
  return (argv) => argv.length >= min && argv.length <= max;
}

/** name, which arguments it takes (the whole argv), handler: in debugCommand's order. */
/** CONFIG REWRITE writing every parameter, defaults included. */
function configRewriteForceAll(client: Client, _argv: string[], engine: Engine): void {
  try {
    rewriteConfigFile(engine.configFile ?? '', engine.config, engine.configUserLines(), true);
  } catch (error) {
    client.out.error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${describeErrno(error)}`);
    return;
  }
  ok(client);
}

const SUBCOMMANDS: ReadonlyArray<readonly [string, Arguments, Subcommand]> = [
  ['help', exactly(2), help],
  ['segfault', atLeast(2), segfault],
  ['panic', atLeast(2), panic],
  ['oom', atLeast(2), oom],
  ['assert', atLeast(2), assert],
  ['log', exactly(3), log],
  ['leak', exactly(3), leak],
  ['reload', atLeast(2), reload],
  ['loadaof', atLeast(2), loadaof],
  ['drop-cluster-packet-filter', exactly(3), dropClusterPacketFilter],
  ['object', exactly(3), object],
  ['sdslen', exactly(3), sdslen],
  ['listpack', exactly(3), listpack],
  ['quicklist', between(3, 4), quicklist],
  ['populate', between(3, 5), populate],
  ['digest', exactly(2), digest],
  ['digest-value', atLeast(2), digestValue],
  ['protocol', exactly(3), protocol],
  ['sleep', exactly(3), sleep],
  ['set-active-expire', exactly(3), setActiveExpire],
  ['quicklist-packed-threshold', exactly(3), quicklistPackedThreshold],
  ['set-skip-checksum-validation', exactly(3), setSkipChecksumValidation],
  ['aof-flush-sleep', exactly(3), aofFlushSleep],
  ['replicate', atLeast(3), replicate],
  ['error', exactly(3), error],
  ['structsize', exactly(2), structsize],
  ['htstats', exactly(3), htstats],
  ['htstats-key', exactly(3), htstatsKey],
  ['change-repl-id', exactly(2), changeReplId],
  ['stringmatch-test', exactly(2), stringmatchTest],
  ['set-disable-deny-scripts', exactly(3), setDisableDenyScripts],
  ['pause-cron', exactly(3), pauseCron],
  ['config-rewrite-force-all', exactly(2), configRewriteForceAll],
  ['replybuffer', exactly(4), replybuffer],
  ['clusterlink', (argv) => argv.length === 5 && isKeyword(argv[2], 'kill'), clusterlink],
];

/** DEBUG subcommand [argument...]: an unknown one, or one with the wrong arguments, errs. */
export function debug(client: Client, argv: string[], engine: Engine): CommandResult {
  for (const [name, accepts, run] of SUBCOMMANDS) {
    if (!isKeyword(argv[1], name) || !accepts(argv)) continue;
    return run(client, argv, engine);
  }
  client.out.error(subcommandSyntaxError('debug', argv[1]));
}
