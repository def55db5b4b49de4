import type { LuaRun, LuaRuntime } from '@rc/lua';
import type { Client } from '../client.js';
import { PropagationTarget, type PropagatedOp } from '../propagation.js';
import type { LuaDebugger } from './debugger.js';
import type { Runnable } from './scripting.js';

/** One script execution, from EVAL to its reply; it may span several event-loop turns. */
export class ScriptRun {
  /** When the script last got the event loop back (slices of a timed-out script). */
  sliceStarted: number;
  /** Redis's SCRIPT_WRITE_DIRTY: a write command ran, so SCRIPT KILL refuses. */
  dirty = false;
  killed = false;
  timedOut = false;
  /** Effects of a run that yielded, held until it ends to go out as one unit. */
  held: PropagatedOp[] | null = null;
  /** redis.set_repl: where the writes of the commands it calls go (both unless told). */
  replicateTo: PropagationTarget = PropagationTarget.All;
  /** The Lua debugger of a SCRIPT DEBUG session's EVAL. */
  readonly debugger: LuaDebugger | null;

  constructor(
    readonly runnable: Runnable,
    readonly runtime: LuaRuntime,
    /** The call stepped slice by slice (one slice unless it pauses). */
    readonly lua: LuaRun,
    /** EVAL (SCRIPT KILL stops it) or FCALL (FUNCTION KILL does). */
    readonly isEval: boolean,
    readonly caller: Client,
    /** The caller's command, for FUNCTION STATS. */
    readonly argv: readonly string[],
    /** performance.now() as it started. */
    readonly started: number,
    readonly readOnly: boolean,
    /**
     * May give the event loop back once timed out: not inside EXEC, not for a master (whose
     * link applies its stream in one go); the AOF loader waits for the run to end.
     */
    readonly yieldable: boolean,
    /** Cluster mode: keys of several slots allowed (EVAL without a shebang, or the flag). */
    readonly allowCrossSlot: boolean,
    /** Cluster mode: the slot its keys are in (declared, else first touched), -1 until known. */
    public slot: number,
    debug: LuaDebugger | null,
  ) {
    this.sliceStarted = started;
    this.debugger = debug;
  }
}
