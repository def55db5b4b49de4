import type { BlockedState } from './blocking.js';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { HostReply } from './persistence-host.js';

/** SHUTDOWN's saving choice: `default` saves when save points are configured. */
export type ShutdownSave = 'default' | 'save' | 'nosave';

/** SHUTDOWN's options (also what shutdown-on-sigterm and shutdown-on-sigint configure). */
export interface ShutdownFlags {
  readonly save: ShutdownSave;
  /** Do not wait for lagging replicas. */
  readonly now: boolean;
  /** Exit even when the final save (or the first AOF rewrite) fails. */
  readonly force: boolean;
}

const DEFAULT_SHUTDOWN: ShutdownFlags = { save: 'default', now: false, force: false };

/** The signals that ask for a shutdown, as the daemon receives them. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

const SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';

/**
 * Redis's shutdown sequence (prepareForShutdown, finishShutdown, abortShutdown): SHUTDOWN or a
 * signal first lets lagging replicas catch up for up to shutdown-timeout seconds, writes paused
 * and the SHUTDOWN callers blocked; then the final save, and the host exits. A failed save (or
 * SHUTDOWN ABORT) cancels it all: the callers get an error and the server keeps serving.
 */
export class Shutdown {
  /** shutdown_mstime: until when lagging replicas are waited for; 0 while not shutting down. */
  private deadline = 0;
  private flags: ShutdownFlags = DEFAULT_SHUTDOWN;
  /** A signal asked for a shutdown the cron has not begun yet (Redis's shutdown_asap). */
  private signalled: ShutdownSignal | null = null;
  private readonly callers = new Map<Client, BlockedState>();
  private cron: NodeJS.Timeout | null = null;
  /** The final steps (the save) are running. */
  private finishing = false;

  constructor(private readonly engine: Engine) {}

  /** INFO's shutdown_in_milliseconds, while waiting for replicas. */
  get remainingMs(): number | null {
    return this.deadline === 0 ? null : Math.max(0, this.deadline - Date.now());
  }

  /** A signal was received (or the shutdown it began is under way). */
  get requestedBySignal(): boolean {
    return this.signalled !== null;
  }

  /** SHUTDOWN without ABORT: the caller stays blocked until the shutdown fails or is aborted. */
  command(client: Client, flags: ShutdownFlags): void {
    const state: BlockedState = {
      db: client.db,
      kind: null,
      keys: [],
      tryServe: () => false,
      replyOnTimeout: () => undefined,
      timer: null,
    };
    this.engine.blocking.block(client, state, 0);
    this.callers.set(client, state);
    this.prepare(flags);
  }

  /** The daemon received SIGTERM or SIGINT: the shutdown begins at the next cron run. */
  signal(signal: ShutdownSignal): void {
    this.signalled = signal;
    this.scheduleCron();
  }

  /** SHUTDOWN ABORT; false when no shutdown was under way or asked for. */
  abort(): boolean {
    if (this.deadline !== 0) this.cancel();
    else if (this.signalled !== null) this.signalled = null;
    else return false;
    this.engine.log('notice', 'Shutdown manually aborted.');
    return true;
  }

  /** Redis's prepareForShutdown: waits for lagging replicas, or finishes at once. */
  private prepare(flags: ShutdownFlags): void {
    if (this.deadline !== 0 || this.finishing) return;
    // Saving while loading would overwrite the file with half of it.
    this.flags = this.engine.loading ? { ...flags, save: 'nosave' } : flags;
    this.engine.log('warning', 'User requested shutdown...');
    const timeout = this.engine.config.getNumber('shutdown-timeout');
    const replication = this.engine.replication;
    if (!flags.now && timeout !== 0 && replication !== undefined && !replication.replicasInSync) {
      this.deadline = Date.now() + timeout * 1000;
      if (this.engine.clientPause.current === null) replication.sendGetack();
      this.engine.clientPause.pause('write', Infinity, 'shutdown');
      this.engine.log('notice', 'Waiting for replicas before shutting down.');
      this.scheduleCron();
      return;
    }
    void this.finish();
  }

  /**
   * Redis's finishShutdown: the report on replicas, the final save, then the host exits. Redis
   * saves with its event loop stopped; here every client is paused while the file is written
   * (a signal can still end the process then, as Redis's second SIGINT does).
   */
  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    this.stopCron();
    this.engine.replication?.logShutdownReport();
    const exit = this.engine.onShutdown;
    let finished: HostReply = { error: 'ERR no host to exit' };
    if (exit !== undefined) {
      this.engine.clientPause.pause('all', Infinity, 'shutdown');
      finished = (await this.engine.persistence?.finishShutdown(
        this.flags.save,
        this.flags.force,
      )) ?? { status: 'OK' };
    }
    this.finishing = false;
    if ('error' in finished || exit === undefined) {
      this.engine.log(
        'warning',
        'Errors trying to shut down the server. Check the logs for more information.',
      );
      this.cancel();
      return;
    }
    exit();
  }

  /** Redis's cancelShutdown: the callers get an error, writes resume. */
  private cancel(): void {
    this.deadline = 0;
    this.signalled = null;
    this.flags = DEFAULT_SHUTDOWN;
    this.stopCron();
    for (const [client, state] of this.callers) {
      if (client.blocked !== state || client.closed) continue;
      this.engine.blocking.unblock(client);
      client.out.error(SHUTDOWN_FAILED);
      client.connection.resume();
    }
    this.callers.clear();
    this.engine.clientPause.unpause('shutdown');
  }

  /** The part of Redis's serverCron that drives a shutdown, at hz. */
  private scheduleCron(): void {
    if (this.cron !== null) return;
    const hz = Math.max(1, this.engine.config.getNumber('hz'));
    this.cron = setTimeout(() => {
      this.cron = null;
      this.tick();
    }, 1000 / hz);
  }

  private stopCron(): void {
    if (this.cron !== null) clearTimeout(this.cron);
    this.cron = null;
  }

  private tick(): void {
    if (this.engine.cronPaused) {
      this.scheduleCron();
      return;
    }
    if (this.deadline === 0 && this.signalled !== null) {
      this.prepare(this.signalFlags(this.signalled));
    } else if (this.deadline !== 0) {
      const replication = this.engine.replication;
      if (Date.now() >= this.deadline || replication === undefined || replication.replicasInSync) {
        void this.finish();
      }
    }
    if (this.deadline !== 0 && !this.finishing) this.scheduleCron();
  }

  /** shutdown-on-sigterm / shutdown-on-sigint: `default` or any of save, nosave, now, force. */
  private signalFlags(signal: ShutdownSignal): ShutdownFlags {
    const words = this.engine.config
      .get(signal === 'SIGTERM' ? 'shutdown-on-sigterm' : 'shutdown-on-sigint')
      .toLowerCase()
      .split(/\s+/);
    const save = words.includes('nosave') ? 'nosave' : words.includes('save') ? 'save' : 'default';
    return { save, now: words.includes('now'), force: words.includes('force') };
  }
}
