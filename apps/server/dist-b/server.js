import { chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Engine, formatClientInfo, describeErrno } from '@rc/engine';
import { Replication } from '@rc/replication';
import { ClientLimits } from './client-limits.js';
import { Connection } from './connection.js';
import { embeddedConfig } from './embedded-config.js';
import { KeyspaceAccess } from './keyspace-access.js';
import { bindAddresses, closeListeners, listenOnAddresses, listeningPort } from './listeners.js';
import { PROTECTED_MODE_DENIAL, protectedModeRefuses } from './protected-mode.js';
import { SocketMigration } from './migration.js';
import { StandInChild } from './stand-in-child.js';
import { ServerPersistence } from './persistence/host.js';
import { AppendOnlyFile } from './aof/append-only-file.js';
import { TlsListener } from './tls-listener.js';
import { dialMaster } from './tls-dial.js';
import { loadStartupUsers } from './startup-users.js';
import { ClusterBus } from './cluster-bus.js';
const FAILED_TO_BIND = 'Failed to bind to specified addresses.';
/** How often the clients cron visits every connection (Redis's serverCron at its default hz). */
const CLIENTS_CRON_MS = 100;
/** How often a load checks whether it read enough to let waiting clients in. */
const LOADING_WATCH_MS = 10;
/**
 * The daemon: a TCP listener feeding connections into one engine. Everything Redis-specific
 * lives in the engine; this is transport only.
 */
export class RcServer {
    engine;
    /** The TCP listeners, one per `bind` address. */
    listeners = [];
    unixListener = null;
    /** `tls-port` and the TLS contexts. */
    tls;
    connections = new Set();
    /** Sockets accepted while a load serves no events, with their unix socket address. */
    waiting = null;
    log;
    /** The TCP port listened on, once bound. */
    port = 0;
    persistence;
    replication;
    /** MIGRATE's connections to other servers. */
    migration;
    /** The cluster bus and nodes.conf, with cluster-enabled yes. */
    cluster = null;
    /** The append-only file: loading, appending, BGREWRITEAOF and its INFO fields. */
    aof;
    users;
    clientLimits;
    clientsCron = null;
    /** The address start() listens on. */
    host = '127.0.0.1';
    /** The data, without a client: seeding and assertions in tests. */
    data;
    /** start()'s temporary `dir`, removed by stop(). */
    temporaryDir = null;
    /**
     * A server for tests, listening once the promise resolves: on a free port of 127.0.0.1, in
     * memory (no save points, no AOF, `dir` a temporary folder that stop() removes) unless
     * `config` says otherwise.
     */
    static async start(options = {}) {
        const { config, temporaryDir } = embeddedConfig(options.config ?? []);
        const server = new RcServer({ ...options, config });
        server.temporaryDir = temporaryDir;
        server.host = options.host ?? '127.0.0.1';
        try {
            await server.listen(options.port ?? 0, server.host);
        }
        catch (error) {
            await server.stop();
            throw error;
        }
        return server;
    }
    /** close(), then removes start()'s temporary folder. */
    async stop() {
        await this.close();
        if (this.temporaryDir !== null)
            rmSync(this.temporaryDir, { recursive: true, force: true });
        this.temporaryDir = null;
    }
    /** `redis://host:port`, for clients that take a URL. */
    get url() {
        const host = this.host.includes(':') ? `[${this.host}]` : this.host;
        return `redis://${host}:${this.port}`;
    }
    /**
     * The time of the data: freeze(), advance(ms), set(ms), real(). Expiry (lazy and active),
     * TTL/PTTL, TIME, `*` stream IDs, OBJECT IDLETIME, CLIENT LIST's idle times, blocking timeouts
     * and CLIENT PAUSE deadlines follow it.
     */
    get time() {
        return this.engine.clock;
    }
    /** Empties every database, as FLUSHALL. */
    flushAll() {
        this.data.flushAll();
    }
    constructor(options = {}) {
        const log = options.log ?? (() => undefined);
        this.log = log;
        this.users = options.users ?? [];
        this.engine = new Engine({
            config: options.config,
            onShutdown: () => void this.close().then(() => options.onShutdown?.()),
            log,
            onCrash: options.onCrash,
            configFile: options.configFile,
        });
        for (const [from, to] of options.renames ?? [])
            this.engine.commands.rename(from, to);
        this.clientLimits = new ClientLimits(this.engine.config);
        this.persistence = new ServerPersistence(this.engine, log);
        this.engine.persistence = this.persistence;
        this.tls = new TlsListener(this.engine.config, log, (socket) => this.accept(socket));
        this.replication = new Replication(this.engine, {
            log: options.log,
            dial: (host, port, localAddress) => dialMaster(host, port, this.engine.config, this.tls, localAddress),
            transferChild: () => new StandInChild(),
        });
        this.engine.replication = this.replication;
        if (options.log !== undefined) {
            const levels = ['debug', 'verbose', 'notice', 'warning'];
            this.engine.scripting.log = (level, message) => log(levels[level], message);
        }
        this.aof = new AppendOnlyFile(this.engine, log);
        this.migration = new SocketMigration();
        this.engine.migration = this.migration;
        this.persistence.aof = this.aof;
        this.engine.config.onApply('port', () => this.relisten() ? null : 'Unable to listen on this port. Check server logs.');
        this.engine.config.onApply('bind', () => (this.rebind() ? null : FAILED_TO_BIND));
        this.data = new KeyspaceAccess(this.engine);
    }
    /**
     * Listens on the configured port and bind addresses (`host` instead, when given), loads the
     * data files, then starts background work; resolves with the actual port once loaded. A
     * corrupt data file rejects: serving an empty dataset would lose it.
     */
    async listen(port, host) {
        const listening = await this.bind(port, host);
        await this.load();
        return listening;
    }
    /**
     * Opens the listeners, as Redis's initServer: TCP on the port at each bind address (`host`
     * becomes the only one), tls-port alike, and `unixsocket` when set. Resolves with the actual
     * TCP port; rejects, with Redis's fatal log line as message, when an address cannot be
     * listened on (the reasons are logged) or nothing listens at all.
     */
    async bind(port, host) {
        if (host !== undefined)
            this.engine.config.set('bind', host);
        this.tls.configureAtStartup();
        const tcpPort = port ?? this.engine.config.getNumber('port');
        // Configured with `port 0` and a TLS port, it listens on that one only, as Redis; a port 0
        // given here takes a free port.
        if (port !== undefined || tcpPort !== 0 || this.engine.config.getNumber('tls-port') === 0) {
            const listeners = this.listenTcp(tcpPort);
            if (listeners === null) {
                throw new Error(`Failed listening on port ${tcpPort} (TCP), aborting.`);
            }
            this.listeners = listeners;
            this.port = listeners.length > 0 ? listeningPort(listeners[0]) : tcpPort;
        }
        this.tls.listen();
        const path = this.engine.config.get('unixsocket');
        if (path !== '') {
            // A socket file left by a previous run would make listen fail, as Redis unlinks it first.
            rmSync(path, { force: true });
            this.unixListener = this.createListener(`${path}:0`);
            const unix = this.unixListener;
            await listenOn(unix, (done) => unix.listen(path, done)).catch((error) => {
                throw new Error(`Failed opening Unix socket: bind: ${describeErrno(error)}`);
            });
            const mode = Number.parseInt(this.engine.config.get('unixsocketperm'), 8);
            if (mode > 0)
                chmodSync(path, mode);
        }
        if (this.listeners.length === 0 && !this.tls.listening && path === '') {
            throw new Error('Configured to not listen anywhere, exiting.');
        }
        if (this.engine.config.get('cluster-enabled') === 'yes') {
            this.cluster = new ClusterBus(this.engine, this.replication, this.log);
            await this.cluster.start(this.port);
        }
        return this.port;
    }
    /**
     * Loads the data files, then starts background work. Clients that connect meanwhile wait, as
     * Redis serves no events while it loads a small file; once `loading-process-events-interval-
     * bytes` were read they are let in and get LOADING until the load is done.
     */
    async load() {
        const usersProblem = loadStartupUsers(this.engine, this.users, this.log);
        if (usersProblem !== null) {
            await this.close();
            throw new Error(usersProblem);
        }
        this.engine.loading = true;
        this.waiting = [];
        const interval = this.engine.config.getNumber('loading-process-events-interval-bytes');
        const watch = setInterval(() => {
            const loaded = this.aof.enabled ? this.aof.loadedBytes : this.persistence.loadedBytes;
            if (loaded >= interval)
                this.admitWaiting();
        }, LOADING_WATCH_MS);
        try {
            // As Redis 7.0: with appendonly yes the AOF is the only source (dump.rdb is ignored).
            if (this.aof.enabled)
                await this.aof.loadAtStartup();
            else
                await this.persistence.loadAtStartup();
        }
        catch (error) {
            await this.close();
            throw error;
        }
        finally {
            clearInterval(watch);
            this.engine.loading = false;
            this.admitWaiting();
        }
        this.engine.start();
        this.clientsCron = setInterval(() => this.visitClients(), CLIENTS_CRON_MS);
        this.clientsCron.unref();
        this.persistence.start();
        this.aof.start();
        // Replicas announce this port to their master (REPLCONF listening-port).
        this.replication.start(this.port);
        this.cluster?.startCron();
    }
    /**
     * CONFIG SET port, as Redis's changeListenPort: the old listeners close (their clients stay),
     * then every bind address is listened on at the new port; port 0 listens nowhere. On failure
     * nothing listens until CONFIG SET restores the previous value and applies it.
     */
    relisten() {
        void closeListeners(this.listeners);
        this.listeners = [];
        const port = this.engine.config.getNumber('port');
        this.port = port;
        if (port === 0)
            return true;
        const listeners = this.listenTcp(port);
        if (listeners === null)
            return false;
        this.listeners = listeners;
        return true;
    }
    /** CONFIG SET bind, as Redis's changeBindAddr: TCP and TLS listen anew, or neither does. */
    rebind() {
        this.tls.stopListening();
        if (this.relisten() && this.tls.rebind())
            return true;
        this.log('warning', 'Failed to bind');
        void closeListeners(this.listeners);
        this.listeners = [];
        this.tls.stopListening();
        return false;
    }
    /** Plain TCP listeners on every bind address, or null when one failed (see listeners.ts). */
    listenTcp(port) {
        return listenOnAddresses({
            port,
            addresses: bindAddresses(this.engine.config.get('bind')),
            backlog: this.engine.config.getNumber('tcp-backlog'),
            create: () => this.createListener(),
        }, this.log);
    }
    createListener(unixAddress) {
        return createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, unixAddress));
    }
    accept(socket, unixAddress) {
        if (this.waiting !== null)
            this.waiting.push([socket, unixAddress]);
        else
            this.adopt(socket, unixAddress);
    }
    adopt(socket, unixAddress) {
        this.log('verbose', unixAddress === undefined
            ? `Accepted ${socket.remoteAddress}:${socket.remotePort}`
            : `Accepted connection to ${this.engine.config.get('unixsocket')}`);
        // As Redis's acceptCommonHandler: past maxclients, one error line and the socket closes.
        if (this.connections.size >= this.engine.config.getNumber('maxclients')) {
            // Redis refuses a TLS client before its handshake: nothing is written, it just drops.
            this.refuse(socket, socket instanceof TLSSocket ? null : '-ERR max number of clients reached\r\n');
            return;
        }
        if (unixAddress === undefined && protectedModeRefuses(this.engine, socket.remoteAddress)) {
            this.refuse(socket, PROTECTED_MODE_DENIAL);
            return;
        }
        const connection = new Connection(socket, this.engine, this.clientLimits, (closed, byPeer) => {
            this.connections.delete(closed);
            if (byPeer) {
                const info = formatClientInfo(closed.client, this.engine, null);
                this.log('verbose', `Client closed connection ${info}`);
            }
        }, unixAddress);
        this.connections.add(connection);
    }
    /** A connection turned away: one error line if any, then the socket closes. */
    refuse(socket, error) {
        this.engine.stats.rejectedConnections++;
        if (error === null)
            socket.destroy();
        else
            socket.end(error, () => socket.destroy());
    }
    admitWaiting() {
        const waiting = this.waiting ?? [];
        this.waiting = null;
        for (const [socket, unixAddress] of waiting)
            this.adopt(socket, unixAddress);
    }
    /** Redis's clientsCron: each connection's periodic upkeep, unless DEBUG PAUSE-CRON. */
    visitClients() {
        if (this.engine.cronPaused)
            return;
        // Idle times are on the data's clock, as CLIENT LIST shows them.
        const now = this.engine.clock.now();
        const nowSeconds = Math.floor(now / 1000);
        for (const connection of this.connections) {
            connection.cron(nowSeconds);
            this.engine.replyBuffers.visit(connection.client.out, now);
        }
        this.engine.clientEviction.evict();
    }
    /** Stops accepting, drops every client, stops background work and lets a BGSAVE finish. */
    async close() {
        // The listeners close first, as Redis's closeListeningSockets: a client that sees its
        // connection dropped and connects again at once must be refused, not accepted then dropped.
        const unix = this.unixListener;
        const listenersClosed = Promise.all([
            closeListeners(this.listeners),
            unix === null ? undefined : new Promise((resolve) => unix.close(() => resolve())),
            this.tls.close(),
        ]);
        this.listeners = [];
        if (this.cluster !== null)
            await this.cluster.close();
        this.replication.stop();
        if (this.clientsCron !== null)
            clearInterval(this.clientsCron);
        this.engine.stop();
        for (const connection of this.connections)
            connection.destroy();
        this.connections.clear();
        for (const [socket] of this.waiting ?? [])
            socket.destroy();
        this.waiting = null;
        await listenersClosed;
        await this.persistence.stop();
        await this.aof.close();
        this.migration.close();
    }
}
/** Starts a listener, resolving once it listens and rejecting with its error. */
function listenOn(listener, start) {
    return new Promise((resolve, reject) => {
        listener.once('error', reject);
        start(() => {
            listener.off('error', reject);
            resolve();
        });
    });
}
//# sourceMappingURL=server.js.map