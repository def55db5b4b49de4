import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import {
  SpareStandInProcess,
  spawnStandInProcess,
  type StandInProcess,
} from './stand-in-process.js';

/** The parent pid /proc gives, as `pgrep -P` reads it. */
const parentOf = (pid: number) =>
  Number(/\nPPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1]);

/** This process's children, as the kernel lists them per thread. */
const childrenHere = () =>
  readdirSync('/proc/self/task').flatMap((thread) =>
    readFileSync(`/proc/self/task/${thread}/children`, 'latin1')
      .split(' ')
      .filter(Boolean)
      .map(Number),
  );

const exitOf = (child: StandInProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => (child.onExit = resolve));

const ready = (spares: SpareStandInProcess) =>
  until(() => spares.take() ?? undefined, 'the spare stand-in process', 45_000);

describe.runIf(process.platform === 'linux')('stand-in processes', () => {
  it('are children of the server started here or by the spawner thread', async () => {
    const here = spawnStandInProcess();
    expect(here).not.toBeNull();
    const spares = new SpareStandInProcess();
    spares.prepare();
    const spare = await ready(spares);
    for (const child of [here!, spare]) {
      expect(parentOf(child.pid)).toBe(process.pid);
      const exited = exitOf(child);
      child.end();
      expect(await exited).toBeNull();
    }
  });

  it('keeps one spare: taken once, started again only when asked', async () => {
    const spares = new SpareStandInProcess();
    spares.prepare();
    spares.prepare();
    const first = await ready(spares);
    expect(spares.take()).toBeNull();
    spares.prepare();
    const second = await ready(spares);
    expect(second.pid).not.toBe(first.pid);
    first.end();
    second.end();
  });

  it('starts one on this thread at once, and hands out none once it died', async () => {
    const spares = new SpareStandInProcess();
    spares.prepareHere();
    const first = spares.take();
    expect(first).not.toBeNull();
    expect(parentOf(first!.pid)).toBe(process.pid);
    first!.end();
    spares.prepareHere();
    const second = spares.take();
    expect(second!.pid).not.toBe(first!.pid);
    second!.end();
    const before = childrenHere();
    spares.prepareHere();
    const [third] = childrenHere().filter((pid) => !before.includes(pid));
    process.kill(third, 'SIGKILL');
    await until(() => !childrenHere().includes(third), 'the killed spare to be reaped');
    expect(spares.take()).toBeNull();
  });

  it('reports the signal that killed one', async () => {
    const spares = new SpareStandInProcess();
    spares.prepare();
    const taken = await ready(spares);
    const killed = exitOf(taken);
    process.kill(taken.pid, 'SIGKILL');
    expect(await killed).toBe('SIGKILL');
  });

  it('ends a spare that came before the child a job started, and keeps the next even so', async () => {
    const before = childrenHere();
    // Every spare comes before this job's pid; the second is kept, as after pid wrap-around.
    const spares = new SpareStandInProcess(() => Number.MAX_SAFE_INTEGER);
    spares.prepare();
    const kept = await ready(spares);
    await until(
      () => childrenHere().filter((pid) => !before.includes(pid)).length === 1,
      'the first spare to end',
    );
    expect(childrenHere()).toContain(kept.pid);
    kept.end();
  });
});
