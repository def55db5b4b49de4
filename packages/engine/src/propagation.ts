/** Where a propagated operation goes: nowhere, the append-only file, replicas, or both (bits). */
export const PropagationTarget = { None: 0, Aof: 1, Replication: 2, All: 3 } as const;
export type PropagationTarget = (typeof PropagationTarget)[keyof typeof PropagationTarget];

/** One effective write: the database it applies to and the command that reproduces it. */
export interface PropagatedOp {
  readonly db: number;
  readonly argv: readonly string[];
  readonly target: PropagationTarget;
}

/**
 * Receives the ops of one execution unit (a command, an EXEC, one served blocked client, one
 * active expire cycle), already wrapped in MULTI/EXEC when Redis would wrap them.
 */
export type PropagationListener = (batch: readonly PropagatedOp[]) => void;

const MULTI: readonly string[] = ['MULTI'];
const EXEC: readonly string[] = ['EXEC'];

/** The current command asked for something other than "propagate argv if it changed data". */
export const CallPropagation = {
  Default: 0,
  /** Propagate `replacement` instead of the command's own argv (when it changed data). */
  Replaced: 1,
  /** Propagate nothing for the command itself (its effects went out through `also`). */
  Prevented: 2,
} as const;
export type CallPropagation = (typeof CallPropagation)[keyof typeof CallPropagation];

/**
 * The stream of effective writes, as Redis's `alsoPropagate` / `propagatePendingCommands`:
 * ops accumulate during one top-level execution and go to the listeners once at its end, in
 * MULTI/EXEC when there is more than one. Commands rewrite what they propagate through
 * `replaceCurrent` (SET EX → SET PXAT) or `preventCurrent` plus `also` (SPOP → SREMs).
 *
 * With no listener every method returns at once and builds nothing.
 */
export class Propagation {
  private listeners: PropagationListener[] = [];
  /** True while somebody listens: the engine skips all bookkeeping otherwise. */
  active = false;
  private pending: PropagatedOp[] = [];
  private unitDepth = 0;
  /** The running command's choice; saved and restored around nested calls (EXEC). */
  mode: CallPropagation = CallPropagation.Default as CallPropagation;
  replacement: readonly string[] | null = null;
  /** The running command propagates even when it changed nothing (FLUSHALL, SWAPDB). */
  forced = false;
  private forcedTarget: PropagationTarget = PropagationTarget.All as PropagationTarget;
  /** Loading an AOF or applying a master's stream: nothing is propagated. */
  private suspended = 0;

  addListener(listener: PropagationListener): void {
    this.listeners.push(listener);
    this.active = this.suspended === 0;
  }

  removeListener(listener: PropagationListener): void {
    this.listeners = this.listeners.filter((each) => each !== listener);
    this.active = this.listeners.length !== 0 && this.suspended === 0;
  }

  /** Stops propagation (AOF loading); calls nest. */
  suspend(): void {
    this.suspended++;
    this.active = false;
  }

  resume(): void {
    if (this.suspended > 0) this.suspended--;
    this.active = this.suspended === 0 && this.listeners.length !== 0;
  }

  /** The running command propagates `argv` instead of what the client sent. */
  replaceCurrent(argv: readonly string[]): void {
    if (!this.active) return;
    this.mode = CallPropagation.Replaced;
    this.replacement = argv;
  }

  /** The running command propagates nothing itself. */
  preventCurrent(): void {
    if (this.active) this.mode = CallPropagation.Prevented;
  }

  /** The running command propagates even if it changed nothing (Redis's forceCommandPropagation). */
  forceCurrent(target: PropagationTarget = PropagationTarget.All): void {
    if (!this.active) return;
    this.forced = true;
    this.forcedTarget = target;
  }

  /** Clears the per-command choices before a handler runs. */
  resetCommand(): void {
    this.mode = CallPropagation.Default;
    this.replacement = null;
    this.forced = false;
  }

  /** Adds an op to the current unit, or sends it at once outside any unit. */
  also(
    db: number,
    argv: readonly string[],
    target: PropagationTarget = PropagationTarget.All,
  ): void {
    if (!this.active) return;
    this.pending.push({ db, argv, target });
    if (this.unitDepth === 0) this.emit(true);
  }

  /**
   * Called by the engine after a handler: queues what the command propagates, given whether it
   * changed the data set, to the targets `allowed` (a script's redis.set_repl). Resets the
   * per-command state for the next command.
   */
  commandDone(
    db: number,
    argv: readonly string[],
    dirty: boolean,
    allowed: PropagationTarget = PropagationTarget.All,
  ): void {
    const mode = this.mode;
    const target = ((dirty ? PropagationTarget.All : this.forcedTarget) &
      allowed) as PropagationTarget;
    if (mode !== CallPropagation.Prevented && (dirty || this.forced) && target !== 0) {
      this.pending.push({
        db,
        argv:
          mode === CallPropagation.Replaced && this.replacement !== null ? this.replacement : argv,
        target,
      });
    }
    this.resetCommand();
    if (this.unitDepth === 0 && this.pending.length !== 0) this.emit(true);
  }

  /**
   * Takes the ops the current unit gathered so far: a script that gives the event loop back
   * mid-run keeps its effects aside and puts them back (`restorePending`) when it continues,
   * so they still go out as one unit when it ends.
   */
  takePending(): PropagatedOp[] {
    const ops = this.pending;
    this.pending = [];
    return ops;
  }

  restorePending(ops: readonly PropagatedOp[]): void {
    if (this.active) this.pending.unshift(...ops);
  }

  beginUnit(): void {
    this.unitDepth++;
  }

  /** Ends an execution unit; the outermost sends what it accumulated. */
  endUnit(wrapInTransaction = true): void {
    if (--this.unitDepth === 0 && this.pending.length !== 0) this.emit(wrapInTransaction);
  }

  private emit(wrapInTransaction: boolean): void {
    let batch = this.pending;
    this.pending = [];
    if (wrapInTransaction && batch.length > 1) {
      batch = [
        { db: batch[0].db, argv: MULTI, target: PropagationTarget.All },
        ...batch,
        { db: batch[batch.length - 1].db, argv: EXEC, target: PropagationTarget.All },
      ];
    }
    for (const listener of this.listeners) listener(batch);
  }
}
