import { Config } from '@rc/engine';
import { describe, expect, it } from 'vitest';
import type { LogLevel } from './log.js';
import { adjustOpenFilesLimit, followMaxclients, type OpenFilesLimit } from './open-files-limit.js';

/** A system whose limit can be set up to `ceiling` (the hard limit, without privileges). */
function system(soft: number, hard: number, ceiling = hard): OpenFilesLimit & { sets: number[] } {
  const sets: number[] = [];
  return {
    sets,
    read: () => ({ soft, hard }),
    set(limit) {
      sets.push(limit);
      return limit <= ceiling ? null : 'Operation not permitted';
    },
  };
}

function adjust(maxclients: number, limits: OpenFilesLimit) {
  const config = new Config();
  config.set('maxclients', String(maxclients));
  const lines: Array<[LogLevel, string]> = [];
  const ok = adjustOpenFilesLimit(config, (level, line) => lines.push([level, line]), limits);
  return { ok, lines, maxclients: config.getNumber('maxclients') };
}

describe('adjustOpenFilesLimit', () => {
  it('leaves a limit that covers maxclients and its reserve alone', () => {
    const limits = system(10032, 10032);
    expect(adjust(10000, limits)).toEqual({ ok: true, lines: [], maxclients: 10000 });
    expect(limits.sets).toEqual([]);
  });

  it('raises the limit when the system allows it', () => {
    expect(adjust(10000, system(1024, 65536))).toEqual({
      ok: true,
      lines: [
        [
          'notice',
          'Increased maximum number of open files to 10032 (it was originally set to 1024).',
        ],
      ],
      maxclients: 10000,
    });
  });

  it('settles on the highest step under the hard limit and reduces maxclients to fit', () => {
    const limits = system(1024, 20000);
    const outcome = adjust(50000, limits);
    expect(limits.sets).toEqual([50032, 20000]);
    expect(outcome.maxclients).toBe(19968);
    expect(outcome.lines).toEqual([
      [
        'warning',
        'You requested maxclients of 50000 requiring at least 50032 max file descriptors.',
      ],
      [
        'warning',
        "Server can't set maximum open files to 50032 because of OS error: Operation not permitted.",
      ],
      [
        'warning',
        "Current maximum open files is 20000. maxclients has been reduced to 19968 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
      ],
    ]);
  });

  it('keeps the current limit when no step above it fits under the hard limit', () => {
    const outcome = adjust(50000, system(1000, 1000));
    expect(outcome.maxclients).toBe(968);
    expect(outcome.lines[2][1]).toMatch(
      /^Current maximum open files is 1000\. maxclients has been reduced to 968 /,
    );
  });

  it('refuses to start when not even the reserved descriptors fit', () => {
    const outcome = adjust(100, system(20, 20));
    expect(outcome.ok).toBe(false);
    expect(outcome.lines).toEqual([
      [
        'warning',
        "Your current 'ulimit -n' of 20 is not enough for the server to start. Please increase your open file limit to at least 132. Exiting.",
      ],
    ]);
  });
});

describe('followMaxclients', () => {
  it('refuses a CONFIG SET maxclients the limit cannot hold, naming the value it can', () => {
    const config = new Config();
    followMaxclients(config, () => {}, system(20000, 20000));
    config.set('maxclients', '50000');
    expect(config.applyChanges(['maxclients'])).toEqual({
      name: 'maxclients',
      reason:
        'The operating system is not able to handle the specified number of clients, try with 19968',
    });
    config.set('maxclients', '19968');
    expect(config.applyChanges(['maxclients'])).toBeNull();
  });
});
