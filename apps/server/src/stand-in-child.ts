import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/**
 * The process a background save or AOF rewrite shows as its child. Redis forks one and writes
 * the file in it; rc writes it from a point-in-time snapshot in the server process (DESIGN.md,
 * "Snapshots without fork"), but what is observable of the child stays: a process whose pid
 * names the job (its log line, `temp-rewriteaof-bg-<pid>.aof`), found with `pgrep -P`, and
 * whose death by a signal fails the job. It only waits on a pipe from the server, so it ends
 * with the server even if that one is killed.
 */
export class StandInChild {
  /** Children not yet released: Redis's hasActiveChildProcess() is `active !== 0`. */
  static active = 0;
  /** Called with each new child's pid (oom-score-adj gives it the background class's score). */
  static onSpawn: ((pid: number) => void) | null = null;

  private readonly process: ChildProcess | null;
  private readonly controller = new AbortController();
  private released = false;
  private killed: ((signal: number) => void) | null = null;

  constructor() {
    this.process = this.spawnChild();
    StandInChild.active++;
  }

  private spawnChild(): ChildProcess | null {
    try {
      const child = spawn('/bin/sh', ['-c', 'read line'], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => undefined);
      child.stdin?.on('error', () => undefined);
      if (child.pid !== undefined) StandInChild.onSpawn?.(child.pid);
      child.once('exit', (_code, signal) => {
        if (this.released || signal === null) return;
        this.killed?.(constants.signals[signal] ?? 0);
        this.controller.abort();
      });
      return child;
    } catch {
      return null;
    }
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
    this.process?.stdin?.end();
  }
}
