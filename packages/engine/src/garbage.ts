import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'async' }) => Promise<void>;

let collect: Collect | null = null;
let running = false;

/**
 * Starts a full garbage collection that V8 runs alongside (concurrent marking, a short final
 * pause), unless one is under way. What eviction deletes is garbage until such a collection
 * runs, and V8 left to itself lets garbage grow to several times the live data first.
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
