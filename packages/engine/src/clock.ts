/**
 * The time the dataset lives by: key expiry, TTLs, TIME, stream IDs, idle times (OBJECT IDLETIME,
 * CLIENT LIST), blocking timeouts and CLIENT PAUSE deadlines read it. It follows the real clock
 * unless a test moves it (frozen, shifted, set), as Go's miniredis lets tests FastForward or
 * SetTime. Budgets of work slices and latency measurements stay on the real clock: they are about
 * this process, not about the data.
 */

/** The longest delay a Node timer keeps (2^31 - 1 ms); longer waits re-arm. */
const MAX_TIMER_MS = 0x7fffffff;

/** A callback due at a clock time; cancel() before it fires and it never does. */
export interface ClockTimer {
  cancel(): void;
}

interface PendingTimer extends ClockTimer {
  readonly due: number;
  readonly fire: () => void;
  handle: NodeJS.Timeout | null;
}

export class Clock {
  /** Milliseconds added to the real clock while it runs. */
  private offset = 0;
  /** The time it stands at while frozen. */
  private frozenAt: number | null = null;
  private readonly pending = new Set<PendingTimer>();

  /** `onMove` hears of every move a test makes (the engine refreshes its LRU clock). */
  constructor(private readonly onMove: () => void = () => {}) {}

  /** Milliseconds since the epoch, as Date.now() but for any move a test made. */
  now(): number {
    return this.at(Date.now());
  }

  /** The time this clock read when the real clock read `realMs` (a reading cached per turn). */
  at(realMs: number): number {
    return this.frozenAt ?? realMs + this.offset;
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  /** Stops the clock (at `at`, else where it is) until it is moved or released. */
  freeze(at: number | Date = this.now()): void {
    this.frozenAt = Number(at);
    this.moved();
  }

  /** Moves the clock forward by `ms` (frozen or not): due timers fire now. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() takes a positive time');
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
    this.moved();
  }

  /** Sets the time (still running if it was): it may go back, as a real clock can. */
  set(at: number | Date): void {
    if (this.frozenAt !== null) this.frozenAt = Number(at);
    else this.offset = Number(at) - Date.now();
    this.moved();
  }

  /** Back to the real clock. */
  real(): void {
    this.frozenAt = null;
    this.offset = 0;
    this.moved();
  }

  /** Calls `fire` once the clock reaches now + ms, by real time passing or by a move. */
  after(ms: number, fire: () => void): ClockTimer {
    const timer: PendingTimer = {
      due: this.now() + ms,
      fire,
      handle: null,
      cancel: () => {
        if (timer.handle !== null) clearTimeout(timer.handle);
        this.pending.delete(timer);
      },
    };
    this.pending.add(timer);
    this.arm(timer);
    return timer;
  }

  private arm(timer: PendingTimer): void {
    if (timer.handle !== null) clearTimeout(timer.handle);
    timer.handle = null;
    const left = timer.due - this.now();
    if (left <= 0) {
      this.pending.delete(timer);
      timer.fire();
      return;
    }
    if (this.frozenAt !== null) return;
    // The data's deadlines never keep a process alive on their own: its sockets do.
    timer.handle = setTimeout(() => this.arm(timer), Math.min(left, MAX_TIMER_MS)).unref();
  }

  private moved(): void {
    this.onMove();
    for (const timer of [...this.pending]) if (this.pending.has(timer)) this.arm(timer);
  }
}
