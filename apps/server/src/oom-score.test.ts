import { readFileSync } from 'node:fs';
import { Config } from '@rc/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { followOomScoreAdj } from './oom-score.js';
import { StandInChild } from './stand-in-child.js';

const scoreOf = (pid: number | 'self') =>
  Number.parseInt(readFileSync(`/proc/${pid}/oom_score_adj`, 'latin1'), 10);

const set = (config: Config, name: string, value: string) => {
  config.set(name, value);
  return config.applyChanges([name]);
};

describe.runIf(process.platform === 'linux')('oom-score-adj', () => {
  const children: StandInChild[] = [];
  let config: Config | null = null;
  afterEach(() => {
    for (const child of children.splice(0)) child.release();
    // Turning the option off puts back the score this process started with.
    if (config !== null) set(config, 'oom-score-adj', 'no');
    StandInChild.onSpawn = null;
  });

  it('gives the process its class score and a background child the background score', () => {
    const base = scoreOf('self');
    config = new Config();
    followOomScoreAdj(config, () => undefined);
    expect(set(config, 'oom-score-adj-values', '10 20 30')).toBeNull();
    expect(set(config, 'oom-score-adj', 'yes')).toBeNull();
    expect(scoreOf('self')).toBe(base + 10);

    const child = new StandInChild();
    children.push(child);
    expect(scoreOf(child.pid)).toBe(base + 30);
  });

  it('leaves a background child alone while the option is off', () => {
    config = new Config();
    followOomScoreAdj(config, () => undefined);
    const child = new StandInChild();
    children.push(child);
    expect(scoreOf(child.pid)).toBe(scoreOf('self'));
  });
});
