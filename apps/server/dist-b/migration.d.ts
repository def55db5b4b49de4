import type { MigrationConnection, MigrationHost } from '@rc/engine';
/**
 * The daemon's MIGRATE connections. Redis talks to the target with blocking socket calls while
 * the whole server waits; Node has no blocking sockets, so a worker thread owns them and the
 * main thread waits for each answer (Atomics.wait), which gives the same: nothing else runs
 * while MIGRATE waits for its target.
 */
export declare class SocketMigration implements MigrationHost {
    private worker;
    private port;
    private readonly signal;
    private nextRequest;
    private nextConnection;
    connect(host: string, port: number, timeoutMs: number): MigrationConnection | null;
    /** Stops the worker (and with it every connection). */
    close(): void;
    /** Sends a request to the worker and waits, blocking this thread, for its answer. */
    private call;
    private start;
}
//# sourceMappingURL=migration.d.ts.map