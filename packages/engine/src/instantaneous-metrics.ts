import type { EngineStats } from './engine.js';

/** Redis's STATS_METRIC_SAMPLES, taken every 100 ms by serverCron. */
const SAMPLES = 16;
const SAMPLE_PERIOD_MS = 100;

/** One instantaneous_* figure: a per-second rate averaged over the last 16 samples. */
class Rate {
  private readonly samples = new Float64Array(SAMPLES);
  private next = 0;
  private lastTime = Date.now();
  private lastReading = 0;

  sample(reading: number, now: number): void {
    const elapsed = now - this.lastTime;
    // Integer arithmetic, as Redis's trackInstantaneousMetric.
    this.samples[this.next] =
      elapsed > 0 ? Math.trunc(((reading - this.lastReading) * 1000) / elapsed) : 0;
    this.next = (this.next + 1) % SAMPLES;
    this.lastTime = now;
    this.lastReading = reading;
  }

  /** Per second, as Redis's getInstantaneousMetric. */
  get value(): number {
    let sum = 0;
    for (const each of this.samples) sum += each;
    return Math.trunc(sum / SAMPLES);
  }

  reset(now: number): void {
    this.samples.fill(0);
    this.next = 0;
    this.lastTime = now;
    this.lastReading = 0;
  }
}

/** INFO stats' instantaneous_ops_per_sec and instantaneous_*_kbps, sampled on a timer. */
export class InstantaneousMetrics {
  readonly commands = new Rate();
  readonly netInput = new Rate();
  readonly netOutput = new Rate();
  readonly replicationInput = new Rate();
  readonly replicationOutput = new Rate();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly stats: EngineStats) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sample(), SAMPLE_PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** CONFIG RESETSTAT: the counters restart from zero, so do the rates. */
  reset(): void {
    const now = Date.now();
    for (const rate of this.rates()) rate.reset(now);
  }

  private sample(): void {
    const now = Date.now();
    const stats = this.stats;
    this.commands.sample(stats.totalCommands, now);
    this.netInput.sample(stats.netInputBytes, now);
    this.netOutput.sample(stats.netOutputBytes, now);
    this.replicationInput.sample(stats.netReplicationInputBytes, now);
    this.replicationOutput.sample(stats.netReplicationOutputBytes, now);
  }

  private rates(): Rate[] {
    return [
      this.commands,
      this.netInput,
      this.netOutput,
      this.replicationInput,
      this.replicationOutput,
    ];
  }
}
