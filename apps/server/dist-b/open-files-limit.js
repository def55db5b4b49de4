import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
/** Descriptors kept beyond one per client for listeners, files and children (Redis's 32). */
const RESERVED_FDS = 32;
/** How much Redis lowers its attempt after each refusal. */
const STEP = 16;
/**
 * Node has no setrlimit: this process's limit is read from /proc and set by prlimit(1), which
 * changes another process's limits by its pid.
 */
export const processOpenFilesLimit = {
    read() {
        const line = /^Max open files\s+(\d+)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
        if (line === null)
            throw new Error('no open files line in /proc/self/limits');
        const hard = line[2] === 'unlimited' ? Infinity : Number(line[2]);
        return { soft: Number(line[1]), hard };
    },
    set(limit) {
        const run = spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${limit}:${limit}`], {
            encoding: 'latin1',
        });
        if (run.error !== undefined)
            return run.error.message;
        // prlimit says `prlimit: failed to set the NOFILE resource limit: <strerror>`.
        return run.status === 0 ? null : (run.stderr.trim().split(': ').pop() ?? 'unknown error');
    },
};
/**
 * maxclients needs a descriptor per client: as Redis's adjustOpenFilesLimit at startup, the
 * open files limit is raised to cover them (as close as the system allows, lowering the attempt
 * by Redis's steps), and maxclients is reduced to what the limit can hold. Each outcome is logged
 * with Redis's words; false when not even the reserved descriptors fit (the server must exit).
 */
export function adjustOpenFilesLimit(config, log, limits = processOpenFilesLimit) {
    const maxclients = config.getNumber('maxclients');
    const wanted = maxclients + RESERVED_FDS;
    let current;
    try {
        current = limits.read();
    }
    catch (error) {
        log('warning', `Unable to obtain the current NOFILE limit (${error.message}), assuming 1024 and setting the max clients configuration accordingly.`);
        config.set('maxclients', String(1024 - RESERVED_FDS));
        return true;
    }
    const old = current.soft;
    if (old >= wanted)
        return true;
    let best = wanted;
    const refusal = limits.set(best);
    if (refusal !== null) {
        // Redis's descent by steps ends at the first attempt the system accepts; without the
        // privilege to raise the hard limit, that is the first one at or below it.
        const steps = Math.ceil((wanted - Math.min(current.hard, wanted)) / STEP);
        best = Math.max(wanted - steps * STEP, old);
        if (best > old && best < wanted && limits.set(best) !== null)
            best = old;
    }
    if (best >= wanted) {
        log('notice', `Increased maximum number of open files to ${wanted} (it was originally set to ${old}).`);
        return true;
    }
    if (best <= RESERVED_FDS) {
        log('warning', `Your current 'ulimit -n' of ${old} is not enough for the server to start. Please increase your open file limit to at least ${wanted}. Exiting.`);
        return false;
    }
    const reduced = best - RESERVED_FDS;
    config.set('maxclients', String(reduced));
    log('warning', `You requested maxclients of ${maxclients} requiring at least ${wanted} max file descriptors.`);
    log('warning', `Server can't set maximum open files to ${wanted} because of OS error: ${refusal ?? ''}.`);
    log('warning', `Current maximum open files is ${best}. maxclients has been reduced to ${reduced} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`);
    return true;
}
/**
 * Startup's adjustment, then again at each CONFIG SET maxclients (Redis's updateMaxclients): a
 * value the limit cannot hold is refused, naming the one it can. False when the server cannot
 * start.
 */
export function followMaxclients(config, log, limits = processOpenFilesLimit) {
    config.onApply('maxclients', () => {
        const wanted = config.getNumber('maxclients');
        // As Redis, which exits there too: the limit no longer holds even its reserve.
        if (!adjustOpenFilesLimit(config, log, limits))
            process.exit(1);
        const possible = config.getNumber('maxclients');
        return possible === wanted
            ? null
            : `The operating system is not able to handle the specified number of clients, try with ${possible}`;
    });
    return adjustOpenFilesLimit(config, log, limits);
}
//# sourceMappingURL=open-files-limit.js.map