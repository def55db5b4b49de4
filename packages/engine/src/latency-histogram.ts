/** Redis tracks 1 ns to 1 s; longer calls count as 1 s. */
const MAX_NANOSECONDS = 1_000_000_000;
/** Values below this are counted exactly; above, with 128 steps per power of two. */
const EXACT_BELOW = 256;
const HALF = 128;
/** 1 s is below 2^30: 256 exact slots, then 22 powers of two of 128 slots each. */
const SLOTS = EXACT_BELOW + 22 * HALF;

/**
 * A command's latency distribution for INFO latencystats, as Redis's hdr_histogram configured
 * with 2 significant figures between 1 ns and 1 s: recording is a few integer operations.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(SLOTS);
  private total = 0;

  record(nanoseconds: number): void {
    const value = Math.min(MAX_NANOSECONDS, Math.max(1, Math.trunc(nanoseconds)));
    this.counts[slotOf(value)]++;
    this.total++;
  }

  /**
   * The highest value equivalent to the one at `percentile` (0..100), as hdr_histogram's
   * hdr_value_at_percentile reports it.
   */
  valueAtPercentile(percentile: number): number {
    const wanted = Math.max(1, Math.round((Math.min(percentile, 100) / 100) * this.total));
    let seen = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      seen += this.counts[slot];
      if (seen >= wanted) return highestOf(slot);
    }
    return 0;
  }

  /** Calls recorded. */
  get calls(): number {
    return this.total;
  }

  /**
   * LATENCY HISTOGRAM's buckets: for each power of two from 1024 ns, the calls up to the end of
   * the slot holding that power (cumulative), listed only where the count grew, and labelled
   * with that slot's highest value in whole microseconds, as hdr_histogram's logarithmic
   * iteration reports them.
   */
  cumulativeBuckets(): Array<[microseconds: number, calls: number]> {
    const buckets: Array<[number, number]> = [];
    let slot = 0;
    let cumulative = 0;
    let reported = 0;
    for (let level = 1024; cumulative < this.total; level *= 2) {
      const last = level > MAX_SLOT_VALUE ? SLOTS - 1 : slotOf(level);
      for (; slot <= last; slot++) cumulative += this.counts[slot];
      if (cumulative > reported) {
        buckets.push([Math.floor(highestOf(last) / 1000), cumulative]);
        reported = cumulative;
      }
    }
    return buckets;
  }
}

/** The highest value the last slot holds: the powers of two past it have no slot. */
const MAX_SLOT_VALUE = 2 ** 30 - 1;

function slotOf(value: number): number {
  if (value < EXACT_BELOW) return value;
  const shift = 31 - Math.clz32(value) - 7;
  return EXACT_BELOW + (shift - 1) * HALF + ((value >>> shift) - HALF);
}

function highestOf(slot: number): number {
  if (slot < EXACT_BELOW) return slot;
  const shift = Math.floor((slot - EXACT_BELOW) / HALF) + 1;
  const lowest = (HALF + ((slot - EXACT_BELOW) % HALF)) << shift;
  return lowest + (1 << shift) - 1;
}
