import { type Engine } from '@rc/engine';
import { type RdbValue } from '@rc/rdb';
import { type RespValue } from '@rc/resp';
/** A command argument: text (sent as UTF-8) or bytes. */
export type Argument = string | number | Buffer;
/**
 * Direct access to an embedded server's data, for seeding and assertions in tests: no client,
 * no round trip, nothing in CLIENT LIST. Text goes in and comes out as UTF-8; the engine's own
 * strings are bytes (one latin1 char per byte), converted here.
 */
export declare class KeyspaceAccess {
    private readonly engine;
    private readonly client;
    private readonly parser;
    constructor(engine: Engine);
    /**
     * Runs a command in database `db` and returns its reply (RESP2; bulk strings as UTF-8 text),
     * throwing error replies as ReplyError. Blocking commands that would wait throw instead.
     */
    call(argv: readonly Argument[], db?: number): RespValue;
    /** A key's value, as DUMP sees it; undefined when there is no such key. */
    get(key: string, db?: number): RdbValue | undefined;
    /** Milliseconds to live, as PTTL: -1 without an expiry, -2 without the key. */
    pttl(key: string, db?: number): number;
    /** Stores a value of any type (a string value as text), replacing the key, for `ttlMs` ms. */
    set(key: string, value: string | RdbValue, options?: {
        db?: number;
        ttlMs?: number;
    }): void;
    /** call() with bulk strings left as Buffers (copies: the reply buffer is reused). */
    private run;
    /** Every key of database `db` (expired ones left out). */
    keys(db?: number): string[];
    /** Empties every database. */
    flushAll(): void;
    /** Loads an RDB image into the running server, keys of the same names replaced. */
    loadRdb(image: Buffer): void;
    /** The dataset as an RDB image, as SAVE would write it. */
    dumpRdb(): Buffer;
}
//# sourceMappingURL=keyspace-access.d.ts.map