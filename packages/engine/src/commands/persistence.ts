import {
  decodeDumpPayload,
  encodeDumpPayload,
  RdbError,
  RdbFaultError,
  type RdbValue,
} from '@rc/rdb';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import type { HostReply } from '../persistence-host.js';
import { encodingLimits } from '../encodings.js';
import { fromRdbValue, isEmptyValue, toRdbValue } from '../persistence/rdb-values.js';
import { streamLimits } from '../stream-limits.js';
import { UnreadableValue } from '../values.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { ok, replyHost } from '../replies.js';

/** What an engine without files answers: a Redis whose saves fail replies a bare ERR. */
const NO_HOST: HostReply = { error: 'ERR' };

export function save(client: Client, _argv: string[], engine: Engine): void {
  replyHost(client, engine.persistence?.save() ?? NO_HOST);
}

/** BGSAVE [SCHEDULE] */
export function bgsave(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 2 || (argv.length === 2 && !isKeyword(argv[1], 'schedule'))) {
    client.out.error(Errors.syntax);
    return;
  }
  const reply = engine.persistence?.bgsave(argv.length === 2, client.executing);
  replyHost(client, reply ?? NO_HOST);
}

export function bgrewriteaof(client: Client, _argv: string[], engine: Engine): void {
  replyHost(client, engine.persistence?.bgrewriteaof(client.executing) ?? NO_HOST);
}

/** DUMP key: the value in RDB encoding, with the RDB version and a CRC64. */
export function dump(client: Client, argv: string[], engine: Engine): void {
  const value = client.db.lookupWhole(argv[1]);
  if (value === undefined) client.out.nullBulk();
  else client.out.bulk(encodeDumpPayload(toRdbValue(value, engine.config)).toString('latin1'));
}

interface RestoreOptions {
  replace: boolean;
  absoluteTtl: boolean;
  /** IDLETIME s: how long ago the key was last accessed. */
  idleSeconds: number | null;
  frequency: number | null;
}

/** REPLACE, ABSTTL, IDLETIME s, FREQ n; null after replying the error. */
function restoreOptions(client: Client, argv: string[]): RestoreOptions | null {
  const options: RestoreOptions = {
    replace: false,
    absoluteTtl: false,
    idleSeconds: null,
    frequency: null,
  };
  for (let i = 4; i < argv.length; i++) {
    const more = i + 1 < argv.length;
    if (isKeyword(argv[i], 'replace')) options.replace = true;
    else if (isKeyword(argv[i], 'absttl')) options.absoluteTtl = true;
    else if (isKeyword(argv[i], 'idletime') && more && options.frequency === null) {
      const seconds = integerArgument(client, argv[++i]);
      if (seconds === null) return null;
      if (seconds < 0) {
        client.out.error('ERR Invalid IDLETIME value, must be >= 0');
        return null;
      }
      options.idleSeconds = seconds;
    } else if (isKeyword(argv[i], 'freq') && more && options.idleSeconds === null) {
      const count = integerArgument(client, argv[++i]);
      if (count === null) return null;
      if (count < 0 || count > 255) {
        client.out.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
        return null;
      }
      options.frequency = count;
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  return options;
}

/**
 * Whether RESTORE checks compact encodings deeply (Redis's sanitize-dump-payload): always,
 * never, or under `clients` for all but a master and users with skip-sanitize-payload.
 */
function sanitizes(client: Client, engine: Engine): boolean {
  switch (engine.config.get('sanitize-dump-payload')) {
    case 'yes':
      return true;
    case 'clients':
      return client.kind !== 'master' && client.user?.sanitizePayload !== 'skip';
    default:
      return false;
  }
}

/**
 * The payload's value, or null after replying Redis's error for a bad one, or after the crash
 * Redis would have reading it unchecked.
 */
function payloadValue(client: Client, engine: Engine, payload: string): RdbValue | null {
  let value: RdbValue | null;
  try {
    value = decodeDumpPayload(Buffer.from(payload, 'latin1'), {
      skipChecksum: engine.skipChecksumValidation,
      shallow: !sanitizes(client, engine),
    });
  } catch (error) {
    if (error instanceof RdbFaultError) {
      engine.faulted(error.fault);
      return null;
    }
    // As rdbReportError in a RESTORE: the corruption Redis names goes to the verbose log.
    if (error instanceof RdbError && error.report !== undefined) {
      engine.log('verbose', `Internal error in RDB reading offset 0 -> ${error.report}`);
    }
    client.out.error('ERR Bad data format');
    return null;
  }
  if (value === null) client.out.error('ERR DUMP payload version or checksum are wrong');
  return value;
}

/**
 * Redis converts a listpack hash or sorted set longer than its limit as it loads it, walking
 * it: an unreadable one then fails at once.
 */
function convertedOnLoad(value: UnreadableValue, engine: Engine): boolean {
  const limits = encodingLimits(engine.config);
  const { of, length } = value.source;
  if (of === 'hash') return length > limits.hashEntries;
  return of === 'zset' && length > limits.zsetEntries;
}

/** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n] */
export function restore(client: Client, argv: string[], engine: Engine): void {
  const options = restoreOptions(client, argv);
  if (options === null) return;
  const [, key, ttlText, payload] = argv;
  const db = client.db;
  if (!options.replace && db.has(key)) {
    client.out.error('BUSYKEY Target key name already exists.');
    return;
  }
  const ttl = integerArgument(client, ttlText);
  if (ttl === null) return;
  if (ttl < 0) {
    client.out.error('ERR Invalid TTL value, must be >= 0');
    return;
  }
  const decoded = payloadValue(client, engine, payload);
  if (decoded === null) return;
  const value = fromRdbValue(decoded, streamLimits(engine.config), engine.config);
  if (value instanceof UnreadableValue && convertedOnLoad(value, engine)) {
    engine.faulted(value.source.fault);
    return;
  }
  if (isEmptyValue(value)) {
    client.out.error('ERR Bad data format');
    return;
  }
  const deleted = options.replace && db.delete(key);
  const now = engine.clock.now();
  const expireAt = ttl !== 0 && !options.absoluteTtl ? ttl + now : ttl;
  if (expireAt !== 0 && expireAt <= now) {
    if (deleted) {
      engine.propagation.replaceCurrent(['DEL', key]);
      engine.notify(db, EventClass.generic, 'del', key);
    }
    ok(client);
    return;
  }
  db.add(key, value);
  // As Redis's objectSetLRUOrLFU: FREQ counts under an LFU policy, IDLETIME otherwise.
  if (engine.lfu !== null) {
    if (options.frequency !== null) db.setFrequency(key, options.frequency);
  } else if (options.idleSeconds !== null) db.setIdleSeconds(key, options.idleSeconds);
  if (expireAt !== 0) {
    db.setExpire(key, expireAt);
    // Replicas and the AOF get the absolute time, as Redis rewrites it.
    if (!options.absoluteTtl) {
      engine.propagation.replaceCurrent([
        ...argv.slice(0, 2),
        String(expireAt),
        ...argv.slice(3),
        'ABSTTL',
      ]);
    }
  }
  engine.notify(db, EventClass.generic, 'restore', key);
  ok(client);
}

export function restoreAsking(client: Client, argv: string[], engine: Engine): void {
  restore(client, argv, engine);
}
