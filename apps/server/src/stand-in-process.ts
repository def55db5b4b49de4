import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** A stand-in child's process: it waits on a pipe from the server and exits when it closes. */
export interface StandInProcess {
  readonly pid: number;
  /** Called once, when it exits: with the signal that killed it, or null. */
  onExit: ((signal: NodeJS.Signals | null) => void) | null;
  /** Closes its pipe: it exits. */
  end(): void;
}

const COMMAND = '/bin/sh';
const ARGUMENTS = ['-c', 'read line'];

/**
 * Starts one on this thread. `spawn` forks the whole server, and waits for the fork to exec: with
 * a big heap that blocks the event loop for tens of milliseconds, so jobs take a spare instead.
 */
export function spawnStandInProcess(): StandInProcess | null {
  try {
    const child = spawn(COMMAND, ARGUMENTS, { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    if (child.pid === undefined) return null;
    const started: StandInProcess = { pid: child.pid, onExit: null, end: () => child.stdin?.end() };
    child.once('exit', (_code, signal) => started.onExit?.(signal));
    return started;
  } catch {
    return null;
  }
}

type SpawnerMessage =
  | { type: 'spawned'; pid: number | null }
  | { type: 'exit'; pid: number; signal: NodeJS.Signals | null };

/**
 * The spawner thread: it starts processes (a fork there blocks that thread, not the event loop
 * clients are served from), owns their pipes, and reports their exits.
 */
const SPAWNER_SOURCE = `
const { spawn } = require('node:child_process');
const { parentPort } = require('node:worker_threads');
const children = new Map();
parentPort.on('message', (message) => {
  if (message.type === 'end') {
    children.get(message.pid)?.stdin.end();
    return;
  }
  let child = null;
  try {
    child = spawn(${JSON.stringify(COMMAND)}, ${JSON.stringify(ARGUMENTS)}, { stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {}
  if (child === null || child.pid === undefined) {
    parentPort.postMessage({ type: 'spawned', pid: null });
    return;
  }
  const pid = child.pid;
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  children.set(pid, child);
  child.once('exit', (_code, signal) => {
    children.delete(pid);
    parentPort.postMessage({ type: 'exit', pid, signal });
  });
  parentPort.postMessage({ type: 'spawned', pid });
});
`;

/**
 * One stand-in process started ahead, by a worker thread, for the next job to take at once. The
 * thread starts with the first spare asked for and lives, unreferenced, as long as the server.
 */
export class SpareStandInProcess {
  private worker: Worker | null = null;
  private spare: StandInProcess | null = null;
  private spawning = false;
  /** Whether the spare on its way replaces one ended for its low pid (once, for pid wrap-around). */
  private retried = false;
  private readonly started = new Map<number, StandInProcess>();

  /**
   * `highestJobPid`: the highest pid of the children jobs hold now (0 for none). A spare must
   * come after them: `pgrep -P` lists the lowest pid first, and the suite's get_child_pid takes
   * that line for the running job's child.
   */
  constructor(private readonly highestJobPid: () => number = () => 0) {}

  /** The spare, if one is ready and still waits (its exit may not have been reported yet). */
  take(): StandInProcess | null {
    const spare = this.spare;
    this.spare = null;
    return spare !== null && waitsUnsignalled(spare.pid) ? spare : null;
  }

  /**
   * Starts a spare on this thread, unless one is ready or on its way: a daemon does it before
   * loading its data, while a fork of the process is still cheap, so that its first job takes a
   * spare without forking a big heap on the event loop (tens of ms) or starting the thread.
   */
  prepareHere(): void {
    if (this.spare !== null || this.spawning) return;
    const spare = spawnStandInProcess();
    if (spare === null) return;
    // Until a job takes it (and sets its own): a dead spare is not handed out.
    spare.onExit = () => {
      if (this.spare === spare) this.spare = null;
    };
    this.spare = spare;
  }

  /** Whether the spawner thread was started (by startThread or a first prepare). */
  get threadStarted(): boolean {
    return this.worker !== null;
  }

  /** Starts the spawner thread, without a spare yet. */
  startThread(): void {
    this.thread();
  }

  /** Starts a spare unless one is ready or on its way. */
  prepare(): void {
    if (this.spare !== null || this.spawning) return;
    const worker = this.thread();
    if (worker === null) return;
    this.spawning = true;
    worker.postMessage({ type: 'spawn' });
  }

  private thread(): Worker | null {
    if (this.worker !== null) return this.worker;
    try {
      const worker = new Worker(SPAWNER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', (message: SpawnerMessage) => this.received(worker, message));
      worker.on('error', () => undefined);
      this.worker = worker;
      return worker;
    } catch {
      return null;
    }
  }

  private received(worker: Worker, message: SpawnerMessage): void {
    if (message.type === 'spawned') {
      this.spawning = false;
      const { pid } = message;
      if (pid === null) return;
      // Started while a job started its own child here: it may have forked first.
      if (pid < this.highestJobPid() && !this.retried) {
        worker.postMessage({ type: 'end', pid });
        this.retried = true;
        this.prepare();
        return;
      }
      this.retried = false;
      const spare: StandInProcess = {
        pid,
        onExit: null,
        end: () => worker.postMessage({ type: 'end', pid }),
      };
      this.started.set(pid, spare);
      this.spare = spare;
      return;
    }
    const exited = this.started.get(message.pid);
    if (exited === undefined) return;
    this.started.delete(message.pid);
    // A spare killed before a job took it (kill -9 of the server's child) is not replaced
    // here: the next job starts its own.
    if (exited === this.spare) this.spare = null;
    exited.onExit?.(message.signal);
  }
}

/**
 * Whether the process lives with no signal pending: one just killed (kill -9 of the server's
 * child between jobs, as the suite does when Redis would have none) is dying or dead.
 */
function waitsUnsignalled(pid: number): boolean {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return false;
  }
  if (/\nState:\s+[ZX]/.test(status)) return false;
  return !/\n(SigPnd|ShdPnd):\s+0*[1-9a-f]/.test(status);
}
