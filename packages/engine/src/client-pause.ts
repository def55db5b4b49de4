import type { Client } from './client.js';
import type { Clock, ClockTimer } from './clock.js';

/** WRITE holds back commands that may change data or feed replicas; ALL holds back all. */
export type PauseType = 'write' | 'all';

/**
 * Who paused: CLIENT PAUSE, a FAILOVER, a SHUTDOWN waiting for replicas, or a synchronous Lua
 * debugging session (the server serves its client alone). Each purpose has its own pause; the
 * one in force is the strictest, as Redis's pause_purpose.
 */
export type PausePurpose = 'command' | 'failover' | 'shutdown' | 'debugger';

/** What a held-back command needs when the pause ends: the client and its command. */
interface Postponed {
  readonly client: Client;
  readonly argv: string[];
}

/**
 * CLIENT PAUSE: until a deadline (or CLIENT UNPAUSE), commands the pause covers are not run;
 * their clients wait, counted as blocked, and each command runs from the start once the pause
 * ends (it may be refused or held back again then), in the order they arrived. While paused the
 * dataset stays as it is: keys past their TTL read as missing but are not deleted.
 */
export class ClientPause {
  private type: PauseType | null = null;
  private readonly pauses = new Map<PausePurpose, { type: PauseType; deadline: number }>();
  private timer: ClockTimer | null = null;
  private postponed: Postponed[] = [];

  /**
   * `rerun` executes a held-back command again once the pause is over, outside the command
   * that ended it. Deadlines are times of `clock`, the data's clock: a test that advances it
   * ends a pause as it expires keys.
   */
  constructor(
    private readonly rerun: (client: Client, argv: string[]) => void,
    private readonly clock: Clock,
  ) {}

  /** The pause in force, after ending those whose deadline passed. */
  get current(): PauseType | null {
    if (this.type !== null) this.update();
    return this.type;
  }

  /**
   * Pauses until `deadline` (ms since the epoch; Infinity for no deadline). A pause already in
   * force for the same purpose keeps the stricter type and the later deadline, as Redis does.
   */
  pause(type: PauseType, deadline: number, purpose: PausePurpose = 'command'): void {
    const previous = this.pauses.get(purpose);
    this.pauses.set(
      purpose,
      previous === undefined
        ? { type, deadline }
        : {
            type: previous.type === 'all' ? 'all' : type,
            deadline: Math.max(previous.deadline, deadline),
          },
    );
    this.update();
  }

  unpause(purpose: PausePurpose = 'command'): void {
    this.pauses.delete(purpose);
    this.update();
  }

  /**
   * Redis's updateClientPauseTypeAndEndTime: drops the pauses past their deadline and takes the
   * strictest left; when that is less strict than before, the held-back commands run again
   * (those still covered are held back anew).
   */
  private update(): void {
    const now = this.clock.now();
    const before = this.type;
    let type: PauseType | null = null;
    let nextDeadline = Infinity;
    for (const [purpose, pause] of this.pauses) {
      if (pause.deadline < now) {
        this.pauses.delete(purpose);
        continue;
      }
      if (type !== 'all') type = pause.type;
      nextDeadline = Math.min(nextDeadline, pause.deadline);
    }
    this.type = type;
    this.armTimer(nextDeadline);
    if (before !== null && (type === null || (before === 'all' && type === 'write'))) {
      this.release();
    }
  }

  /** Checks again once the clock passes the next deadline. */
  private armTimer(deadline: number): void {
    this.timer?.cancel();
    this.timer = null;
    if (deadline === Infinity) return;
    this.timer = this.clock.after(deadline - this.clock.now() + 1, () => {
      this.timer = null;
      this.update();
    });
  }

  /** Runs the held-back commands again, after the command that ended the pause. */
  private release(): void {
    const waiting = this.postponed;
    this.postponed = [];
    // As Redis reprocesses them before sleeping.
    if (waiting.length !== 0) {
      queueMicrotask(() => {
        for (const { client, argv } of waiting) if (!client.closed) this.rerun(client, argv);
      });
    }
  }

  postpone(client: Client, argv: string[]): void {
    this.postponed.push({ client, argv });
  }

  isPostponed(client: Client): boolean {
    return this.postponed.some((each) => each.client === client);
  }

  /** A held-back client went away. */
  forget(client: Client): void {
    this.postponed = this.postponed.filter((each) => each.client !== client);
  }
}
