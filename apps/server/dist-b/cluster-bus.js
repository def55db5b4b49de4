import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync, } from 'node:fs';
import { createServer, connect } from 'node:net';
import { resolve } from 'node:path';
import { BusFrameReader, ClusterState, formatNodesConfig, parseNodesConfig, } from '@rc/cluster';
import { describeErrno, redirectBlockedClients } from '@rc/engine';
/** Redis's clusterCron runs ten times a second. */
const CRON_MS = 100;
/** The configs that change what this node says about itself. */
const ANNOUNCED_CONFIGS = [
    'cluster-announce-hostname',
    'cluster-announce-port',
    'cluster-announce-bus-port',
    'cluster-replica-no-failover',
];
/** One bus connection over TCP. */
class SocketLink {
    socket;
    inbound;
    state;
    node;
    createdAt = Date.now();
    reader = new BusFrameReader();
    constructor(socket, node, inbound, state) {
        this.socket = socket;
        this.inbound = inbound;
        this.state = state;
        this.node = node;
        socket.setNoDelay(true);
        socket.on('data', (chunk) => {
            const { frames, error } = this.reader.push(chunk);
            for (const frame of frames) {
                if (socket.destroyed)
                    return;
                this.state().receive(this, frame);
            }
            if (error !== undefined)
                this.state().linkClosed(this);
        });
        const closed = () => this.state().linkClosed(this);
        socket.on('error', closed);
        socket.on('close', closed);
    }
    get events() {
        return this.socket.writableLength > 0 ? 'rw' : 'r';
    }
    get sendBufferAllocated() {
        return this.socket.writableLength;
    }
    get sendBufferUsed() {
        return this.socket.writableLength;
    }
    send(frame) {
        if (!this.socket.destroyed)
            this.socket.write(frame);
    }
    close() {
        this.socket.destroy();
    }
    peerAddress() {
        return stripMappedPrefix(this.socket.remoteAddress ?? '');
    }
    localAddress() {
        return stripMappedPrefix(this.socket.localAddress ?? '');
    }
}
/** Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d; Redis shows a.b.c.d. */
function stripMappedPrefix(address) {
    return address.startsWith('::ffff:') ? address.slice(7) : address;
}
/**
 * Cluster mode's transport (cluster-enabled yes): the bus listener on the cluster port, links
 * to the other nodes, the 100 ms cron, and nodes.conf in `dir`. The protocol itself is
 * @rc/cluster's ClusterState; the engine routes commands with it.
 */
export class ClusterBus {
    engine;
    replication;
    logTo;
    state;
    listener = null;
    cron = null;
    flushScheduled = false;
    /** Accepted sockets, closed with the bus even before their node is known. */
    accepted = new Set();
    clientPort = 0;
    constructor(engine, replication, logTo) {
        this.engine = engine;
        this.replication = replication;
        this.logTo = logTo;
    }
    /** nodes.conf's path: `cluster-config-file`, relative to `dir` as Redis (which chdirs there). */
    get configPath() {
        return resolve(this.engine.config.get('dir'), this.engine.config.get('cluster-config-file'));
    }
    /**
     * Loads nodes.conf or starts as a new node (writing one), then listens on the bus port.
     * Rejects with Redis's fatal line when the port cannot be listened on.
     */
    async start(clientPort) {
        this.clientPort = clientPort;
        const path = this.configPath;
        const text = existsSync(path) ? readFileSync(path, 'latin1') : '';
        if (text.length > 0) {
            this.state = parseNodesConfig(text, this);
        }
        else {
            this.state = new ClusterState(this);
            this.log('notice', `No cluster configuration found, I'm ${this.state.myself.name}`);
            const error = this.saveConfig(true);
            if (error !== null)
                throw new Error("Fatal: can't update cluster config file.");
        }
        this.engine.cluster = {
            state: this.state,
            saveConfig: () => this.saveConfig(true),
            replicationOffset: () => this.replicationOffset(),
        };
        this.engine.databases[0].indexSlots();
        // As Redis, a CONFIG SET of what we announce shows in our own CLUSTER SLOTS/NODES at once.
        for (const name of ANNOUNCED_CONFIGS) {
            this.engine.config.onChange(name, () => this.state.refreshMyself());
        }
        const busPort = this.settings.busPort;
        const listener = createServer((socket) => this.accept(socket));
        await new Promise((resolve, reject) => {
            listener.once('error', () => reject(new Error(`Failed listening on port ${busPort} (cluster), aborting.`)));
            listener.listen(busPort, () => resolve());
        });
        this.listener = listener;
    }
    /** The cron, once the data is loaded (Redis's serverCron runs clusterCron). */
    startCron() {
        this.cron = setInterval(() => {
            this.state.cron();
            this.flush();
            redirectBlockedClients(this.engine, this.state);
        }, CRON_MS);
        this.cron.unref();
    }
    async close() {
        if (this.cron !== null)
            clearInterval(this.cron);
        for (const link of this.state?.links() ?? [])
            link.close();
        for (const socket of this.accepted)
            socket.destroy();
        const listener = this.listener;
        this.listener = null;
        if (listener !== null)
            await new Promise((resolve) => listener.close(() => resolve()));
    }
    // ---- ClusterHost ----
    get settings() {
        const config = this.engine.config;
        const port = config.getNumber('cluster-announce-port') || this.clientPort;
        const busPort = config.getNumber('cluster-announce-bus-port') ||
            config.getNumber('cluster-port') ||
            this.clientPort + 10000;
        return {
            nodeTimeout: config.getNumber('cluster-node-timeout'),
            requireFullCoverage: config.get('cluster-require-full-coverage') === 'yes',
            linkSendBufferLimit: config.getNumber('cluster-link-sendbuf-limit'),
            allowReplicaMigration: config.get('cluster-allow-replica-migration') === 'yes',
            replicaValidityFactor: config.getNumber('cluster-replica-validity-factor'),
            replicaNoFailover: config.get('cluster-replica-no-failover') === 'yes',
            migrationBarrier: config.getNumber('cluster-migration-barrier'),
            replicaPingPeriod: config.getNumber('repl-ping-replica-period') * 1000,
            announceIp: config.get('cluster-announce-ip'),
            announceHostname: config.get('cluster-announce-hostname'),
            port,
            plaintextPort: 0,
            busPort,
        };
    }
    now() {
        return Date.now();
    }
    log(level, message) {
        this.logTo(level, message);
    }
    wake() {
        this.scheduleFlush();
    }
    connect(node) {
        const socket = connect({ host: node.ip, port: node.busPort });
        const link = new SocketLink(socket, node, false, () => this.state);
        socket.once('connect', () => {
            this.state.linkConnected(link);
            this.scheduleFlush();
        });
        return link;
    }
    replicationOffset() {
        return this.replication.announcedOffset();
    }
    masterDataAge() {
        return this.replication.masterDataAge();
    }
    pauseWrites(deadline) {
        this.engine.clientPause.pause('write', deadline, 'failover');
    }
    unpauseWrites() {
        this.engine.clientPause.unpause('failover');
    }
    keysInSlot(slot) {
        return this.engine.databases[0].countKeysInSlot(slot);
    }
    deleteKeysInSlot(slot) {
        const db = this.engine.databases[0];
        for (const key of db.keysInSlot(slot))
            db.delete(key);
    }
    replicate(ip, port) {
        this.replication.follow(ip, port);
    }
    stopReplicating() {
        this.replication.stopFollowing();
    }
    publish(channel, message, shard) {
        const pubsub = this.engine.pubsub;
        const deliver = (receiver) => this.engine.delivered(receiver);
        const name = channel.toString('latin1');
        const text = message.toString('latin1');
        if (shard)
            pubsub.spublish(name, text, deliver);
        else
            pubsub.publish(name, text, deliver);
    }
    shardSlotDropped(slot) {
        this.engine.pubsub.dropShardSlot(slot, (client) => this.engine.delivered(client));
    }
    // ---- transport ----
    /** An accepted link learns its node from its first message (ClusterState.receive). */
    accept(socket) {
        this.accepted.add(socket);
        socket.once('close', () => this.accepted.delete(socket));
        new SocketLink(socket, null, true, () => this.state);
    }
    /** After the bus or a command changed the state: Redis's clusterBeforeSleep, once per turn. */
    scheduleFlush() {
        if (this.flushScheduled)
            return;
        this.flushScheduled = true;
        setImmediate(() => {
            this.flushScheduled = false;
            this.flush();
        });
    }
    flush() {
        const { save, fsync } = this.state.beforeSleep();
        if (!save)
            return;
        if (this.saveConfig(fsync) !== null) {
            this.log('warning', "Fatal: can't update cluster config file.");
            process.exit(1);
        }
    }
    /**
     * Writes nodes.conf in place as Redis does (one write, padded with newlines if the old file
     * was longer, so that a crash leaves the old or the new content); the error's text on failure.
     */
    saveConfig(fsync) {
        const content = Buffer.from(formatNodesConfig(this.state), 'latin1');
        const path = this.configPath;
        let fd = null;
        try {
            fd = openSync(path, existsSync(path) ? 'r+' : 'w');
            const previous = fstatSync(fd).size;
            const padded = previous > content.length
                ? Buffer.concat([content, Buffer.alloc(previous - content.length, '\n')])
                : content;
            writeSync(fd, padded, 0, padded.length, 0);
            if (fsync)
                fsyncSync(fd);
            if (padded.length !== content.length)
                ftruncateSync(fd, content.length);
            return null;
        }
        catch (error) {
            return describeErrno(error);
        }
        finally {
            if (fd !== null)
                closeSync(fd);
        }
    }
}
//# sourceMappingURL=cluster-bus.js.map