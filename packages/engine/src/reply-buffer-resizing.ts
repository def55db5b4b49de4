import type { ReplyWriter } from '@rc/resp';

/** Redis's PROTO_REPLY_MIN_BYTES: a reply buffer never shrinks below this. */
const MIN_BYTES = 1024;
/** Redis's PROTO_REPLY_CHUNK_BYTES: a reply buffer never grows past this. */
const CHUNK_BYTES = 16 * 1024;
/** Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME, in milliseconds. */
export const DEFAULT_PEAK_RESET_TIME = 5000;

/**
 * Each client's reply buffer follows its use, as Redis's clientsCronResizeOutputBuffer: it
 * halves toward what the client's replies needed since the peak was last reset, or doubles
 * while they fill it. The buffer resized is the client's real one (its ReplyWriter's storage).
 */
export class ReplyBufferResizing {
  /** DEBUG REPLYBUFFER PEAK-RESET-TIME: how often each peak restarts (ms), -1 for never. */
  peakResetTime = DEFAULT_PEAK_RESET_TIME;
  /** DEBUG REPLYBUFFER RESIZING. */
  enabled = true;
  /** INFO's reply_buffer_shrinks and reply_buffer_expands. */
  shrinks = 0;
  expands = 0;
  /** When each buffer's peak was last reset (ms); a buffer not seen yet starts now. */
  private readonly peakResetAt = new WeakMap<ReplyWriter, number>();

  /**
   * The clients cron's visit to a client's reply buffer (its `out`): resized if its peak says
   * so, and its peak reset every peakResetTime.
   */
  visit(out: ReplyWriter, nowMs: number): void {
    if (!this.enabled) return;
    const capacity = out.capacity;
    const peak = out.peak;
    const shrinkTo = Math.floor(capacity / 2);
    const expandTo = capacity * 2;
    let size = 0;
    if (shrinkTo >= MIN_BYTES && peak < shrinkTo) {
      size = Math.max(MIN_BYTES, peak + 1);
      this.shrinks++;
    } else if (expandTo < CHUNK_BYTES * 2 && peak === capacity) {
      size = Math.min(CHUNK_BYTES, expandTo);
      this.expands++;
    }
    const resetAt = this.peakResetAt.get(out);
    if (resetAt === undefined) this.peakResetAt.set(out, nowMs);
    else if (this.peakResetTime >= 0 && nowMs - resetAt >= this.peakResetTime) {
      out.resetPeak();
      this.peakResetAt.set(out, nowMs);
    }
    if (size !== 0) out.resize(size);
  }

  resetStats(): void {
    this.shrinks = 0;
    this.expands = 0;
  }
}
