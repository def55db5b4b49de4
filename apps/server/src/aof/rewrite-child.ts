import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/**
 * The process a background rewrite shows as its child. Redis forks one and writes the new
 * base in it; rc writes it from a point-in-time snapshot in the server process (DESIGN.md,
 * "Snapshots without fork"), but what is observable of the child stays: a process whose pid
 * names the rewrite (its log line, `temp-rewriteaof-bg-<pid>.aof`), found with `pgrep -P`, and
 * whose death by a signal fails the rewrite. It only waits on a pipe from the server, so it
 * ends with the server even if that one is killed.
 */
export class RewriteChild {
  private readonly process: ChildProcess | null;
  private readonly controller = new AbortController();
  private released = false;
  private killed: ((signal: number) => void) | null = null;

  constructor() {
    this.process = this.spawnChild();
  }

  private spawnChild(): ChildProcess | null {
    try {
      const child = spawn('/bin/sh', ['-c', 'read line'], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => undefined);
      child.stdin?.on('error', () => undefined);
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

  /** Aborted when the child is killed: the rewrite stops writing. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onKilled(listener: (signal: number) => void): void {
    this.killed = listener;
  }

  /** The rewrite is over: the child ends (its pipe closes) and its exit no longer matters. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.process?.stdin?.end();
  }
}
