/** Samples kept per event, as Redis's LATENCY_TS_LEN. */
const HISTORY_LENGTH = 160;

export interface LatencySample {
  /** Unix time in seconds. */
  readonly time: number;
  /** Milliseconds. */
  readonly latency: number;
}

/** One event class's history: a ring of per-second maxima, plus the all-time maximum. */
class EventHistory {
  readonly samples: Array<{ time: number; latency: number }> = [];
  /** Where the next new second's sample goes once the ring is full. */
  private next = 0;
  max = 0;

  add(time: number, latency: number): void {
    if (latency > this.max) this.max = latency;
    const last = this.last();
    // One sample per second: a later event in the same second only raises it.
    if (last !== undefined && last.time === time) {
      if (latency > last.latency) last.latency = latency;
      return;
    }
    if (this.samples.length < HISTORY_LENGTH) this.samples.push({ time, latency });
    else this.samples[this.next] = { time, latency };
    this.next = (this.next + 1) % HISTORY_LENGTH;
  }

  get latest(): LatencySample | undefined {
    return this.last();
  }

  private last(): { time: number; latency: number } | undefined {
    if (this.samples.length === 0) return undefined;
    return this.samples[(this.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH];
  }

  /** Oldest first. */
  ordered(): LatencySample[] {
    if (this.samples.length < HISTORY_LENGTH) return [...this.samples];
    return [...this.samples.slice(this.next), ...this.samples.slice(0, this.next)];
  }
}

/**
 * Redis's latency monitor (LATENCY LATEST / HISTORY / RESET): events that took at least
 * latency-monitor-threshold milliseconds ("command", "fast-command", "expire-cycle"...), each
 * with its last 160 seconds that had one. A threshold of 0 turns it off.
 */
export class LatencyMonitor {
  /** latency-monitor-threshold, in ms. */
  threshold = 0;
  private readonly events = new Map<string, EventHistory>();

  /** Records `milliseconds` for `event` when the monitor is on and it reaches the threshold. */
  addIfNeeded(event: string, milliseconds: number): void {
    if (this.threshold === 0 || milliseconds < this.threshold) return;
    let history = this.events.get(event);
    if (history === undefined) {
      history = new EventHistory();
      this.events.set(event, history);
    }
    history.add(Math.floor(Date.now() / 1000), milliseconds);
  }

  /** Every event's latest sample and all-time maximum. */
  latest(): Array<{ event: string; sample: LatencySample; max: number }> {
    const result = [];
    for (const [event, history] of this.events) {
      const sample = history.latest;
      if (sample !== undefined) result.push({ event, sample, max: history.max });
    }
    return result;
  }

  /** The event's all-time maximum (0 for an event never seen). */
  maxOf(event: string): number {
    return this.events.get(event)?.max ?? 0;
  }

  /** The event's samples, oldest first (none for an event never seen). */
  history(event: string): LatencySample[] {
    return this.events.get(event)?.ordered() ?? [];
  }

  /** Forgets the named events (case-insensitively), or all of them; returns how many went. */
  reset(events?: readonly string[]): number {
    let removed = 0;
    for (const event of [...this.events.keys()]) {
      const named =
        events === undefined || events.some((name) => name.toLowerCase() === event.toLowerCase());
      if (named) {
        this.events.delete(event);
        removed++;
      }
    }
    return removed;
  }
}
