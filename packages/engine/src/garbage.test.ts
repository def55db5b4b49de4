import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IdleCollection } from './garbage.js';

/** A step of the 100 ms cron: so many ticks, the commands run so far, the dataset in MB. */
type Step = [ticks: number, commands: number, megabytes: number];

/** Runs the steps and gives the number of collections asked for after each one. */
function collectionsAfter(steps: Step[]): number[] {
  let collections = 0;
  const collection = new IdleCollection(() => collections++);
  return steps.map(([ticks, commands, megabytes]) => {
    for (let i = 0; i < ticks; i++) collection.tick(commands, megabytes * 1024 * 1024);
    return collections;
  });
}

describe('IdleCollection', () => {
  it('collects twice once commands stop after the dataset moved by 8 MB, at 1 s and 7.5 s', () => {
    const steps: Step[] = [
      [10, 1000, 20],
      [1, 1000, 20],
      [64, 1000, 20],
      [1, 1000, 20],
      [200, 1000, 20],
    ];
    expect(collectionsAfter(steps)).toEqual([0, 1, 1, 2, 2]);
  });

  it('waits for a whole idle second, and for 8 MB of change since the last time', () => {
    const busy = Array.from({ length: 100 }, (_, commands): Step => [5, commands, 20]);
    const steps: Step[] = [...busy, [100, 100, 20], [101, 101, 27], [101, 102, 12]];
    expect(collectionsAfter(steps).slice(-4)).toEqual([0, 2, 2, 4]);
  });

  it('puts the second collection off until 7.5 s pass without a command', () => {
    const steps: Step[] = [
      [31, 1, 10],
      [75, 2, 10],
      [1, 2, 10],
    ];
    expect(collectionsAfter(steps)).toEqual([1, 1, 2]);
  });
});

describe('letYoungGenerationGrow', () => {
  it("keeps V8's young generation at its size while held, and lets it grow again", () => {
    // In a fresh process (the flag is process-wide, and this one's young generation has grown),
    // which takes the built module (tests run after the build).
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8';
      const { letYoungGenerationGrow } = await import(${JSON.stringify(new URL('../dist/garbage.js', import.meta.url).href)});
      const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
      // Survivors make V8 grow the young generation: 40 MB of strings, a tenth of them kept.
      const churn = () => { const kept = []; for (let i = 0; i < 400000; i++) { const s = 'x'.repeat(90) + i; if (i % 10 === 0) kept.push(s); } return kept.length; };
      letYoungGenerationGrow(false);
      churn();
      const start = young();
      churn();
      const held = young();
      letYoungGenerationGrow(true);
      churn();
      console.log(JSON.stringify({ start, held, grown: young() }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { start, held, grown } = JSON.parse(output) as Record<string, number>;
    expect(held).toBe(start);
    expect(grown).toBeGreaterThan(start);
  });
});

describe("an engine's maxmemory and the young generation", () => {
  it('lets it grow from its start without a limit, and holds it once one is set', () => {
    // As the daemon: held from the process's start until an engine reads maxmemory.
    const script = `
      import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
      setFlagsFromString('--semi-space-growth-factor=1');
      const { Engine } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
      const churn = () => { const kept = []; for (let i = 0; i < 400000; i++) { const s = 'x'.repeat(90) + i; if (i % 10 === 0) kept.push(s); } return kept.length; };
      churn();
      const start = young();
      const engine = new Engine();
      churn();
      const grown = young();
      engine.config.set('maxmemory', '100000000');
      churn();
      const afterLimit = young();
      churn();
      console.log(JSON.stringify({ start, grown, afterLimit, held: young() }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { start, grown, afterLimit, held } = JSON.parse(output) as Record<string, number>;
    expect(grown).toBeGreaterThan(start);
    expect(held).toBe(afterLimit);
  });
});
