import { ClusterState, type BusLink, type ClusterHost, type ClusterNode, type ClusterSettings } from '@rc/cluster';
import { type Engine } from '@rc/engine';
import type { Replication } from '@rc/replication';
import type { Log } from './log.js';
/**
 * Cluster mode's transport (cluster-enabled yes): the bus listener on the cluster port, links
 * to the other nodes, the 100 ms cron, and nodes.conf in `dir`. The protocol itself is
 * @rc/cluster's ClusterState; the engine routes commands with it.
 */
export declare class ClusterBus implements ClusterHost {
    private readonly engine;
    private readonly replication;
    private readonly logTo;
    state: ClusterState;
    private listener;
    private cron;
    private flushScheduled;
    /** Accepted sockets, closed with the bus even before their node is known. */
    private readonly accepted;
    private clientPort;
    constructor(engine: Engine, replication: Replication, logTo: Log);
    /** nodes.conf's path: `cluster-config-file`, relative to `dir` as Redis (which chdirs there). */
    private get configPath();
    /**
     * Loads nodes.conf or starts as a new node (writing one), then listens on the bus port.
     * Rejects with Redis's fatal line when the port cannot be listened on.
     */
    start(clientPort: number): Promise<void>;
    /** The cron, once the data is loaded (Redis's serverCron runs clusterCron). */
    startCron(): void;
    close(): Promise<void>;
    get settings(): ClusterSettings;
    now(): number;
    log(level: 'debug' | 'verbose' | 'notice' | 'warning', message: string): void;
    wake(): void;
    connect(node: ClusterNode): BusLink;
    replicationOffset(): number;
    masterDataAge(): number;
    pauseWrites(deadline: number): void;
    unpauseWrites(): void;
    keysInSlot(slot: number): number;
    deleteKeysInSlot(slot: number): void;
    replicate(ip: string, port: number): void;
    stopReplicating(): void;
    publish(channel: Buffer, message: Buffer, shard: boolean): void;
    shardSlotDropped(slot: number): void;
    /** An accepted link learns its node from its first message (ClusterState.receive). */
    private accept;
    /** After the bus or a command changed the state: Redis's clusterBeforeSleep, once per turn. */
    private scheduleFlush;
    private flush;
    /**
     * Writes nodes.conf in place as Redis does (one write, padded with newlines if the old file
     * was longer, so that a crash leaves the old or the new content); the error's text on failure.
     */
    saveConfig(fsync: boolean): string | null;
}
//# sourceMappingURL=cluster-bus.d.ts.map