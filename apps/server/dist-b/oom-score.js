import { describeErrno } from '@rc/engine';
import { readFileSync, writeFileSync } from 'node:fs';
import { StandInChild } from './stand-in-child.js';
const OOM_SCORE_ADJ = '/proc/self/oom_score_adj';
/** oom-score-adj-values' classes, in their order there (Redis's CONFIG_OOM_*). */
var OomClass;
(function (OomClass) {
    OomClass[OomClass["Master"] = 0] = "Master";
    OomClass[OomClass["Replica"] = 1] = "Replica";
    OomClass[OomClass["BackgroundChild"] = 2] = "BackgroundChild";
})(OomClass || (OomClass = {}));
/**
 * oom-score-adj: the Linux OOM killer's bias for this process, kept as Redis's setOOMScoreAdj
 * keeps it: the value for the process's class (master, replica) from oom-score-adj-values,
 * relative to the score the process had before rc first changed it (or absolute), and that
 * score back once the option is turned off. Re-applied when the role changes. A background
 * save's or rewrite's child gets the background class's score, as Redis's child sets its own.
 */
export function followOomScoreAdj(config, log) {
    let base = null;
    const scoreFor = (oomClass, from) => {
        const forClass = Number(config.get('oom-score-adj-values').split(' ')[oomClass]);
        const absolute = config.get('oom-score-adj') === 'absolute';
        return Math.min(1000, Math.max(-1000, absolute ? forClass : forClass + from));
    };
    const apply = () => {
        const mode = config.get('oom-score-adj');
        let score;
        if (mode !== 'no') {
            if (base === null) {
                try {
                    base = Number.parseInt(readFileSync(OOM_SCORE_ADJ, 'latin1'), 10);
                }
                catch (error) {
                    log('warning', `Unable to read oom_score_adj: ${describeErrno(error)}`);
                    return 'Failed to set current oom_score_adj. Check server logs.';
                }
            }
            score = scoreFor(config.get('replicaof') === '' ? OomClass.Master : OomClass.Replica, base);
        }
        else if (base !== null) {
            score = base;
            base = null;
        }
        else {
            return null;
        }
        try {
            writeFileSync(OOM_SCORE_ADJ, `${score}\n`);
            return null;
        }
        catch (error) {
            log('warning', `Unable to write oom_score_adj: ${describeErrno(error)}`);
            return 'Failed to set current oom_score_adj. Check server logs.';
        }
    };
    config.onApply('oom-score-adj', apply);
    config.onApply('oom-score-adj-values', apply);
    config.onChange('replicaof', () => void apply());
    StandInChild.onSpawn = (pid) => {
        const child = `/proc/${pid}/oom_score_adj`;
        if (base === null) {
            // A spare started ahead has the score this process had then; a fork has today's.
            try {
                writeFileSync(child, readFileSync(OOM_SCORE_ADJ, 'latin1'));
            }
            catch {
                // Gone already: its exit fails the job.
            }
            return;
        }
        try {
            writeFileSync(child, `${scoreFor(OomClass.BackgroundChild, base)}\n`);
        }
        catch (error) {
            log('warning', `Unable to write oom_score_adj: ${describeErrno(error)}`);
        }
    };
    apply();
}
//# sourceMappingURL=oom-score.js.map