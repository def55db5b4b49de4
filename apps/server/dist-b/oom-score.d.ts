import type { Config } from '@rc/engine';
import type { Log } from './log.js';
/**
 * oom-score-adj: the Linux OOM killer's bias for this process, kept as Redis's setOOMScoreAdj
 * keeps it: the value for the process's class (master, replica) from oom-score-adj-values,
 * relative to the score the process had before rc first changed it (or absolute), and that
 * score back once the option is turned off. Re-applied when the role changes. A background
 * save's or rewrite's child gets the background class's score, as Redis's child sets its own.
 */
export declare function followOomScoreAdj(config: Config, log: Log): void;
//# sourceMappingURL=oom-score.d.ts.map