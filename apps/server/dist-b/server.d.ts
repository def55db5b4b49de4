import { Engine, type Clock, type EngineCrash } from '@rc/engine';
import { Replication } from '@rc/replication';
import { KeyspaceAccess } from './keyspace-access.js';
import type { Log } from './log.js';
import { ServerPersistence } from './persistence/host.js';
import { AppendOnlyFile } from './aof/append-only-file.js';
import { TlsListener } from './tls-listener.js';
import { ClusterBus } from './cluster-bus.js';
export interface ServerOptions {
    /** Configuration name → value pairs, as from the command line or a config file. */
    config?: Array<[string, string]>;
    /** Called after SHUTDOWN closed the server (the daemon exits here). */
    onShutdown?: () => void;
    /** Where log lines go; silent when left out (embedded servers, tests). */
    log?: Log;
    /**
     * DEBUG SEGFAULT/PANIC and other crashes: the daemon writes a crash report and dies; left
     * out, the engine closes every connection instead.
     */
    onCrash?: (crash: EngineCrash) => void;
    /** The config file the daemon started from, for CONFIG REWRITE. */
    configFile?: string | null;
    /** ACL users declared by `user` lines: name, then rules. */
    users?: ReadonlyArray<readonly string[]>;
    /** `rename-command` lines, already checked: a command's name, then its new one. */
    renames?: ReadonlyArray<readonly [string, string]>;
}
/** RcServer.start's options: a server for tests, in memory and on a free port by default. */
export interface StartOptions extends ServerOptions {
    /** The TCP port; 0 (the default) takes a free one. */
    port?: number;
    /** The address to listen on: 127.0.0.1 by default. */
    host?: string;
}
/**
 * The daemon: a TCP listener feeding connections into one engine. Everything Redis-specific
 * lives in the engine; this is transport only.
 */
export declare class RcServer {
    readonly engine: Engine;
    /** The TCP listeners, one per `bind` address. */
    private listeners;
    private unixListener;
    /** `tls-port` and the TLS contexts. */
    readonly tls: TlsListener;
    private readonly connections;
    /** Sockets accepted while a load serves no events, with their unix socket address. */
    private waiting;
    private readonly log;
    /** The TCP port listened on, once bound. */
    port: number;
    readonly persistence: ServerPersistence;
    readonly replication: Replication;
    /** MIGRATE's connections to other servers. */
    private readonly migration;
    /** The cluster bus and nodes.conf, with cluster-enabled yes. */
    cluster: ClusterBus | null;
    /** The append-only file: loading, appending, BGREWRITEAOF and its INFO fields. */
    readonly aof: AppendOnlyFile;
    private readonly users;
    private readonly clientLimits;
    private clientsCron;
    /** The address start() listens on. */
    host: string;
    /** The data, without a client: seeding and assertions in tests. */
    readonly data: KeyspaceAccess;
    /** start()'s temporary `dir`, removed by stop(). */
    private temporaryDir;
    /**
     * A server for tests, listening once the promise resolves: on a free port of 127.0.0.1, in
     * memory (no save points, no AOF, `dir` a temporary folder that stop() removes) unless
     * `config` says otherwise.
     */
    static start(options?: StartOptions): Promise<RcServer>;
    /** close(), then removes start()'s temporary folder. */
    stop(): Promise<void>;
    /** `redis://host:port`, for clients that take a URL. */
    get url(): string;
    /**
     * The time of the data: freeze(), advance(ms), set(ms), real(). Expiry (lazy and active),
     * TTL/PTTL, TIME, `*` stream IDs, OBJECT IDLETIME, CLIENT LIST's idle times, blocking timeouts
     * and CLIENT PAUSE deadlines follow it.
     */
    get time(): Clock;
    /** Empties every database, as FLUSHALL. */
    flushAll(): void;
    constructor(options?: ServerOptions);
    /**
     * Listens on the configured port and bind addresses (`host` instead, when given), loads the
     * data files, then starts background work; resolves with the actual port once loaded. A
     * corrupt data file rejects: serving an empty dataset would lose it.
     */
    listen(port?: number, host?: string): Promise<number>;
    /**
     * Opens the listeners, as Redis's initServer: TCP on the port at each bind address (`host`
     * becomes the only one), tls-port alike, and `unixsocket` when set. Resolves with the actual
     * TCP port; rejects, with Redis's fatal log line as message, when an address cannot be
     * listened on (the reasons are logged) or nothing listens at all.
     */
    bind(port?: number, host?: string): Promise<number>;
    /**
     * Loads the data files, then starts background work. Clients that connect meanwhile wait, as
     * Redis serves no events while it loads a small file; once `loading-process-events-interval-
     * bytes` were read they are let in and get LOADING until the load is done.
     */
    load(): Promise<void>;
    /**
     * CONFIG SET port, as Redis's changeListenPort: the old listeners close (their clients stay),
     * then every bind address is listened on at the new port; port 0 listens nowhere. On failure
     * nothing listens until CONFIG SET restores the previous value and applies it.
     */
    private relisten;
    /** CONFIG SET bind, as Redis's changeBindAddr: TCP and TLS listen anew, or neither does. */
    private rebind;
    /** Plain TCP listeners on every bind address, or null when one failed (see listeners.ts). */
    private listenTcp;
    private createListener;
    private accept;
    private adopt;
    /** A connection turned away: one error line if any, then the socket closes. */
    private refuse;
    private admitWaiting;
    /** Redis's clientsCron: each connection's periodic upkeep, unless DEBUG PAUSE-CRON. */
    private visitClients;
    /** Stops accepting, drops every client, stops background work and lets a BGSAVE finish. */
    close(): Promise<void>;
}
//# sourceMappingURL=server.d.ts.map