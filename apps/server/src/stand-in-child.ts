import { constants } from 'node:os';
import {
  SpareStandInProcess,
  spawnStandInProcess,
  type StandInProcess,
} from './stand-in-process.js';

/**
 * The process a background save or AOF rewrite shows as its child. Redis forks one and writes
 * the file in it; rc writes it from a point-in-time snapshot in the server process (DESIGN.md,
 * "Snapshots without fork"), but what is observable of the child stays: a process whose pid
 * names the job (its log line, `temp-rewriteaof-bg-<pid>.aof`), found with `pgrep -P`, and
 * whose death by a signal fails the job. It only waits on a pipe from the server, so it ends
 * with the server even if that one is killed. A job takes the spare started ahead off the event
 * loop (see stand-in-process.ts), or starts one itself when there is none.
 */
export class StandInChild {
  /** Children not yet released: Redis's hasActiveChildProcess() is `active !== 0`. */
  static active = 0;
  /** Called with each job's child's pid (oom-score-adj gives it the background class's score). */
  static onSpawn: ((pid: number) => void) | null = null;
  /** The pids of the children jobs hold. */
  private static readonly pids = new Set<number>();
  private static readonly spare = new SpareStandInProcess(() => Math.max(0, ...StandInChild.pids));

  /** A spare for the first job, started on this thread while the heap is small (a daemon's start). */
  static prepareFirst(): void {
    StandInChild.spare.prepareHere();
  }

  private readonly process: StandInProcess | null;
  private readonly controller = new AbortController();
  private released = false;
  private killed: ((signal: number) => void) | null = null;

  constructor() {
    this.process = this.spawnChild();
    StandInChild.active++;
  }

  private spawnChild(): StandInProcess | null {
    const child = StandInChild.spare.take() ?? spawnStandInProcess();
    // Started after this job's child, so that the job's has the lower pid: `pgrep -P` lists it
    // first, and the suite's get_child_pid takes the first. Only here: a spare started between
    // jobs could fork in the thread just as the next job forks its own here, and come first.
    // The spawner thread itself starts when the first job ends (release): a Node worker's start
    // is tens of milliseconds of CPU, which on two cores the job (a replica's first full sync)
    // would wait for.
    if (StandInChild.spare.threadStarted) StandInChild.spare.prepare();
    if (child === null) return null;
    StandInChild.pids.add(child.pid);
    StandInChild.onSpawn?.(child.pid);
    child.onExit = (signal) => {
      if (this.released || signal === null) return;
      this.killed?.(constants.signals[signal] ?? 0);
      this.controller.abort();
    };
    return child;
  }

  /** The child's pid (the server's own when no child could be started). */
  get pid(): number {
    return this.process?.pid ?? process.pid;
  }

  /** Aborted when the child is killed: the job stops writing. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onKilled(listener: (signal: number) => void): void {
    this.killed = listener;
  }

  /** Redis's killRDBChild (SIGUSR1): the job stops now, told so as if by that signal. */
  kill(): void {
    if (this.released) return;
    this.killed?.(constants.signals.SIGUSR1);
    this.controller.abort();
    this.release();
  }

  /** The job is over: the child ends (its pipe closes) and its exit no longer matters. */
  release(): void {
    if (this.released) return;
    this.released = true;
    StandInChild.active--;
    if (this.process !== null) StandInChild.pids.delete(this.process.pid);
    this.process?.end();
    StandInChild.spare.startThread();
  }
}
