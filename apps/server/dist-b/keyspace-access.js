import { Client, detachedConnection, rdbAuxFields, snapshotChunks } from '@rc/engine';
import { decodeDumpPayload, encodeDumpPayload } from '@rc/rdb';
import { NEED_MORE, ReplyError, ReplyParser } from '@rc/resp';
import { loadRdbBytes } from './persistence/rdb-file.js';
/**
 * Direct access to an embedded server's data, for seeding and assertions in tests: no client,
 * no round trip, nothing in CLIENT LIST. Text goes in and comes out as UTF-8; the engine's own
 * strings are bytes (one latin1 char per byte), converted here.
 */
export class KeyspaceAccess {
    engine;
    client;
    parser = new ReplyParser();
    constructor(engine) {
        this.engine = engine;
        this.client = new Client(0, engine.databases[0], detachedConnection('rc-server-api'), engine.stats, engine.clock.now());
    }
    /**
     * Runs a command in database `db` and returns its reply (RESP2; bulk strings as UTF-8 text),
     * throwing error replies as ReplyError. Blocking commands that would wait throw instead.
     */
    call(argv, db = 0) {
        return fromBytes(this.run(argv, db));
    }
    /** A key's value, as DUMP sees it; undefined when there is no such key. */
    get(key, db = 0) {
        const payload = this.run(['DUMP', key], db);
        if (!Buffer.isBuffer(payload))
            return undefined;
        const value = decodeDumpPayload(payload);
        return value === null ? undefined : deepMapStrings(value, fromLatin1);
    }
    /** Milliseconds to live, as PTTL: -1 without an expiry, -2 without the key. */
    pttl(key, db = 0) {
        return this.call(['PTTL', key], db);
    }
    /** Stores a value of any type (a string value as text), replacing the key, for `ttlMs` ms. */
    set(key, value, options = {}) {
        const rdbValue = typeof value === 'string' ? { type: 'string', value } : value;
        const payload = encodeDumpPayload(deepMapStrings(rdbValue, toLatin1));
        this.call(['RESTORE', key, options.ttlMs ?? 0, payload, 'REPLACE'], options.db ?? 0);
    }
    /** call() with bulk strings left as Buffers (copies: the reply buffer is reused). */
    run(argv, db) {
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
        if (reply === NEED_MORE)
            throw new Error(`call(): ${String(argv[0])} sent no reply`);
        if (reply instanceof ReplyError)
            throw reply;
        return reply;
    }
    /** Every key of database `db` (expired ones left out). */
    keys(db = 0) {
        return this.call(['KEYS', '*'], db);
    }
    /** Empties every database. */
    flushAll() {
        this.call(['FLUSHALL']);
    }
    /** Loads an RDB image into the running server, keys of the same names replaced. */
    loadRdb(image) {
        loadRdbBytes(this.engine, image, { allowDuplicates: true });
    }
    /** The dataset as an RDB image, as SAVE would write it. */
    dumpRdb() {
        const chunks = snapshotChunks(this.engine, {
            aux: rdbAuxFields(),
            sliceMilliseconds: Infinity,
        });
        return Buffer.concat([...chunks]);
    }
}
function toLatin1(text) {
    return Buffer.from(text, 'utf8').toString('latin1');
}
function fromLatin1(bytes) {
    return Buffer.from(bytes, 'latin1').toString('utf8');
}
function toEngineString(argument) {
    if (Buffer.isBuffer(argument))
        return argument.toString('latin1');
    return typeof argument === 'number' ? String(argument) : toLatin1(argument);
}
/** Replies with their bulk strings as UTF-8 text. */
function fromBytes(reply) {
    if (Buffer.isBuffer(reply))
        return reply.toString('utf8');
    if (Array.isArray(reply))
        return reply.map(fromBytes);
    return reply;
}
/** `value` with every string mapped (type tags are ASCII: unchanged). */
function deepMapStrings(value, map) {
    if (typeof value === 'string')
        return map(value);
    if (Array.isArray(value))
        return value.map((item) => deepMapStrings(item, map));
    if (value !== null && typeof value === 'object' && !(value instanceof Map)) {
        const mapped = {};
        for (const [name, item] of Object.entries(value))
            mapped[name] = deepMapStrings(item, map);
        return mapped;
    }
    return value;
}
//# sourceMappingURL=keyspace-access.js.map