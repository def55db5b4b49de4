import type { Client } from './client.js';

/** WRITE holds back commands that may change data or feed replicas; ALL holds back all. */
export type PauseType = 'write' | 'all';

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
  private deadline = 0;
  private timer: NodeJS.Timeout | null = null;
  private postponed: Postponed[] = [];

  /**
   * `rerun` executes a held-back command again once the pause is over, outside the command
   * that ended it.
   */
  constructor(private readonly rerun: (client: Client, argv: string[]) => void) {}

  /** The pause in force, after ending one whose deadline passed. */
  get current(): PauseType | null {
    this.endIfDue();
    return this.type;
  }

  private endIfDue(): void {
    if (this.type !== null && this.deadline < Date.now()) this.unpause();
  }

  /**
   * Pauses until `deadline` (ms since the epoch). A pause already in force keeps the stricter
   * type and the later deadline, as Redis does.
   */
  pause(type: PauseType, deadline: number): void {
    this.type = this.type === 'all' ? 'all' : type;
    this.deadline = Math.max(this.deadline, deadline);
    this.armTimer();
  }

  /**
   * Ends the pause at its deadline. A timer may fire a little early by the wall clock, and Node's
   * timers cannot wait longer than 2^31 - 1 ms: either way it is set again for what is left.
   */
  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const wait = Math.min(0x7fffffff, Math.max(0, this.deadline - Date.now() + 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.endIfDue();
      if (this.type !== null) this.armTimer();
    }, wait);
    this.timer.unref();
  }

  unpause(): void {
    this.type = null;
    this.deadline = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.postponed;
    this.postponed = [];
    // After the command that ended the pause, as Redis reprocesses them before sleeping.
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
