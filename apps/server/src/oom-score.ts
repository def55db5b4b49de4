import { describeErrno } from '@rc/engine';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '@rc/engine';
import type { Log } from './log.js';

const OOM_SCORE_ADJ = '/proc/self/oom_score_adj';

/**
 * oom-score-adj: the Linux OOM killer's bias for this process, kept as Redis's setOOMScoreAdj
 * keeps it: the value for the process's class (master, replica) from oom-score-adj-values,
 * relative to the score the process had before rc first changed it (or absolute), and that
 * score back once the option is turned off. Re-applied when the role changes.
 */
export function followOomScoreAdj(config: Config, log: Log): void {
  let base: number | null = null;
  const apply = (): string | null => {
    const mode = config.get('oom-score-adj');
    let score: number;
    if (mode !== 'no') {
      if (base === null) {
        try {
          base = Number.parseInt(readFileSync(OOM_SCORE_ADJ, 'latin1'), 10);
        } catch (error) {
          log('warning', `Unable to read oom_score_adj: ${describeErrno(error)}`);
          return 'Failed to set current oom_score_adj. Check server logs.';
        }
      }
      const values = config.get('oom-score-adj-values').split(' ').map(Number);
      const forClass = values[config.get('replicaof') === '' ? 0 : 1];
      score = Math.min(1000, Math.max(-1000, mode === 'absolute' ? forClass : forClass + base));
    } else if (base !== null) {
      score = base;
      base = null;
    } else {
      return null;
    }
    try {
      writeFileSync(OOM_SCORE_ADJ, `${score}\n`);
      return null;
    } catch (error) {
      log('warning', `Unable to write oom_score_adj: ${describeErrno(error)}`);
      return 'Failed to set current oom_score_adj. Check server logs.';
    }
  };
  config.onApply('oom-score-adj', apply);
  config.onApply('oom-score-adj-values', apply);
  config.onChange('replicaof', () => void apply());
  apply();
}
