import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'async' }) => Promise<void>;

let collect: Collect | null = null;
let running = false;

/**
 * Starts a full garbage collection on the next turn of the event loop, unless one is under way:
 * an atomic one (its pause about 40 ms with 100 MB of 1 KB strings live). What eviction deletes
 * is garbage until such a collection runs, and V8 left to itself lets garbage grow to several
 * times the live data first.
 */
export function collectGarbageSoon(): void {
  if (running) return;
  if (collect === null) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  running = true;
  void collect({ type: 'major', execution: 'async' }).finally(() => {
    running = false;
  });
}

/**
 * Whether V8's young generation may grow. Under a stream of writes it grows to two 16 MB
 * semi-spaces, 30 MB of RSS beyond the 2 MB it starts with: a third of a 100 MB maxmemory. Its
 * sizes are fixed when the process starts, but V8 reads the growth factor each time it would
 * grow it, so with a limit set the young generation keeps the size it has (2 MB from a fresh
 * start): under 1 KB SETs at a 100 MB limit, peak RSS 232 -> 188 MB.
 */
export function letYoungGenerationGrow(grow: boolean): void {
  setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
}

/** Cron ticks (100 ms) without a command before the first collection after a change. */
const FIRST_IDLE_TICKS = 10;
/**
 * Ticks before the second: V8 shrinks its young generation at a full collection only when
 * little was allocated over its last 5 s of measurements, which then span idle time alone.
 */
const SECOND_IDLE_TICKS = 75;
/** How much the dataset's estimate must have moved since the last such collections. */
const CHANGED_BYTES = 8 * 1024 * 1024;

/**
 * Full collections once the server goes idle after the dataset changed by several MB. A load (a
 * pipe of writes, a restore) leaves behind about as much garbage as data: the requests it parsed
 * and the tables its maps outgrew, which V8 collects only when it next needs room. The first
 * collection, after a second without commands, returns that; the second, 6.5 s later, lets V8
 * give back its young generation, which grows to two 16 MB semi-spaces under load. A load of
 * 1M keys held 40 MB and then 27 MB more without them. Called from the 100 ms cron with the
 * number of commands run so far.
 */
export class IdleCollection {
  private commands = -1;
  private idleTicks = 0;
  private collectedAt = 0;
  private secondPending = false;

  constructor(private readonly collect: () => void = collectGarbageSoon) {}

  tick(commands: number, datasetBytes: number): void {
    if (commands !== this.commands) {
      this.commands = commands;
      this.idleTicks = 0;
      return;
    }
    const ticks = ++this.idleTicks;
    if (ticks === FIRST_IDLE_TICKS && Math.abs(datasetBytes - this.collectedAt) >= CHANGED_BYTES) {
      this.collectedAt = datasetBytes;
      this.secondPending = true;
      this.collect();
    } else if (ticks === SECOND_IDLE_TICKS && this.secondPending) {
      this.secondPending = false;
      this.collect();
    }
  }
}
