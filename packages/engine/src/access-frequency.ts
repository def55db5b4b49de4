/**
 * Redis's LFU access counters (evict.c), kept where the LRU access time is kept otherwise: a
 * logarithmic 8-bit counter that grows slower the larger it is (lfu-log-factor) and loses one
 * per lfu-decay-time minutes without access. Packed as Redis packs them: the minute of the last
 * decrement (16 bits) above the counter (8 bits).
 */

/** A new key's counter, so that it is not evicted before it had a chance to be read. */
export const LFU_INITIAL_COUNTER = 5;

export interface LfuSettings {
  readonly logFactor: number;
  readonly decayMinutes: number;
}

/** Redis's LFUGetTimeInMinutes (minutes on a 16-bit wrapping clock), from the LRU clock. */
export function lfuMinutes(lruClockSeconds: number): number {
  return Math.floor(lruClockSeconds / 60) & 0xffff;
}

/** A fresh key's stamp. */
export function lfuInitial(minutes: number): number {
  return (minutes << 8) | LFU_INITIAL_COUNTER;
}

/** Redis's LFUDecrAndReturn: the counter once the minutes since its last decrement are applied. */
export function lfuCounter(stamp: number, minutes: number, settings: LfuSettings): number {
  const counter = stamp & 0xff;
  if (settings.decayMinutes === 0) return counter;
  const last = stamp >>> 8;
  const elapsed = minutes >= last ? minutes - last : 0xffff - last + minutes;
  const periods = Math.floor(elapsed / settings.decayMinutes);
  return periods > counter ? 0 : counter - periods;
}

/** Redis's updateLFU: decay, then a logarithmic increment (more likely for a small counter). */
export function lfuTouched(
  stamp: number,
  minutes: number,
  settings: LfuSettings,
  random: () => number = Math.random,
): number {
  let counter = lfuCounter(stamp, minutes, settings);
  if (counter < 255) {
    const base = Math.max(0, counter - LFU_INITIAL_COUNTER);
    if (random() < 1 / (base * settings.logFactor + 1)) counter++;
  }
  return (minutes << 8) | counter;
}

/** RESTORE ... FREQ: the counter as given, last decremented now. */
export function lfuWithCounter(counter: number, minutes: number): number {
  return (minutes << 8) | counter;
}
