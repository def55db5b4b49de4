import { Client, detachedConnection, rdbAuxFields, snapshotChunks, type Engine } from '@rc/engine';
import { decodeDumpPayload, encodeDumpPayload, type RdbValue } from '@rc/rdb';
import { NEED_MORE, ReplyError, ReplyParser, type RespValue } from '@rc/resp';
import { loadRdbBytes } from './persistence/rdb-file.js';

/** A command argument: text (sent as UTF-8) or bytes. */
export type Argument = string | number | Buffer;

/**
 * Direct access to an embedded server's data, for seeding and assertions in tests: no client,
 * no round trip, nothing in CLIENT LIST. Text goes in and comes out as UTF-8; the engine's own
 * strings are bytes (one latin1 char per byte), converted here.
 */
export class KeyspaceAccess {
  private readonly client: Client;
  private readonly parser = new ReplyParser();

  constructor(private readonly engine: Engine) {
    this.client = new Client(
      0,
      engine.databases[0],
      detachedConnection('rc-server-api'),
      engine.stats,
      engine.clock.now(),
    );
  }

  /**
   * Runs a command in database `db` and returns its reply (RESP2; bulk strings as UTF-8 text),
   * throwing error replies as ReplyError. Blocking commands that would wait throw instead.
   */
  call(argv: readonly Argument[], db = 0): RespValue {
    return fromBytes(this.run(argv, db));
  }

  /** A key's value, as DUMP sees it; undefined when there is no such key. */
  get(key: string, db = 0): RdbValue | undefined {
    const payload = this.run(['DUMP', key], db);
    if (!Buffer.isBuffer(payload)) return undefined;
    const value = decodeDumpPayload(payload);
    return value === null ? undefined : deepMapStrings(value, fromLatin1);
  }

  /** Milliseconds to live, as PTTL: -1 without an expiry, -2 without the key. */
  pttl(key: string, db = 0): number {
    return this.call(['PTTL', key], db) as number;
  }

  /** Stores a value of any type (a string value as text), replacing the key, for `ttlMs` ms. */
  set(key: string, value: string | RdbValue, options: { db?: number; ttlMs?: number } = {}): void {
    const rdbValue = typeof value === 'string' ? ({ type: 'string', value } as const) : value;
    const payload = encodeDumpPayload(deepMapStrings(rdbValue, toLatin1));
    this.call(['RESTORE', key, options.ttlMs ?? 0, payload, 'REPLACE'], options.db ?? 0);
  }

  /** call() with bulk strings left as Buffers (copies: the reply buffer is reused). */
  private run(argv: readonly Argument[], db: number): RespValue {
    const client = this.client;
    client.db = this.engine.databases[db];
    this.engine.execute(client, argv.map(toEngineString));
    if (client.blocked !== null) {
      this.engine.blocking.unblock(client);
      client.out.take();
      throw new Error(`call(): ${String(argv[0])} would block`);
    }
    this.parser.feed(Buffer.from(client.out.take()));
    const reply = this.parser.next();
    if (reply === NEED_MORE) throw new Error(`call(): ${String(argv[0])} sent no reply`);
    if (reply instanceof ReplyError) throw reply;
    return reply;
  }

  /** Every key of database `db` (expired ones left out). */
  keys(db = 0): string[] {
    return this.call(['KEYS', '*'], db) as string[];
  }

  /** Empties every database. */
  flushAll(): void {
    this.call(['FLUSHALL']);
  }

  /** Loads an RDB image into the running server, keys of the same names replaced. */
  loadRdb(image: Buffer): void {
    loadRdbBytes(this.engine, image, { allowDuplicates: true });
  }

  /** The dataset as an RDB image, as SAVE would write it. */
  dumpRdb(): Buffer {
    const chunks = snapshotChunks(this.engine, {
      aux: rdbAuxFields(),
      sliceMilliseconds: Infinity,
    });
    return Buffer.concat([...chunks]);
  }
}

function toLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function fromLatin1(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function toEngineString(argument: Argument): string {
  if (Buffer.isBuffer(argument)) return argument.toString('latin1');
  return typeof argument === 'number' ? String(argument) : toLatin1(argument);
}

/** Replies with their bulk strings as UTF-8 text. */
function fromBytes(reply: RespValue): RespValue {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(fromBytes);
  return reply;
}

/** `value` with every string mapped (type tags are ASCII: unchanged). */
function deepMapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => deepMapStrings(item, map)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Map)) {
    const mapped: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) mapped[name] = deepMapStrings(item, map);
    return mapped as T;
  }
  return value;
}
