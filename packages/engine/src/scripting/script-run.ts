import type { LuaRun, LuaRuntime } from '@rc/lua';
import type { Client } from '../client.js';
import { PropagationTarget, type PropagatedOp } from '../propagation.js';
import type { LuaDebugger } from './debugger.js';
import type { Runnable } from './scripting.js';

/**
 * One script execution, from EVAL to its reply; it may span several event-loop turns. The
 * object of a run that ended at once, without pausing, is taken again by a later run
 * (`begin`): one object less per call.
 */
export class ScriptRun {
  runnable!: Runnable;
  runtime!: LuaRuntime;
  /**
   * The call stepped slice by slice (one slice unless it pauses); null for an EVAL chunk that
   * cannot pause, called at once.
   */
  lua!: LuaRun | null;
  /** EVAL (SCRIPT KILL stops it) or FCALL (FUNCTION KILL does). */
  isEval!: boolean;
  caller!: Client;
  /** The caller's command, for FUNCTION STATS. */
  argv!: readonly string[];
  /** performance.now() as it started. */
  started!: number;
  readOnly!: boolean;
  /**
   * May give the event loop back once timed out: not inside EXEC, not for a master (whose
   * link applies its stream in one go); the AOF loader waits for the run to end.
   */
  yieldable!: boolean;
  /** Cluster mode: keys of several slots allowed (EVAL without a shebang, or the flag). */
  allowCrossSlot!: boolean;
  /** Cluster mode: the slot its keys are in (declared, else first touched), -1 until known. */
  slot!: number;
  /** When the script last got the event loop back (slices of a timed-out script). */
  sliceStarted!: number;
  /** Redis's SCRIPT_WRITE_DIRTY: a write command ran, so SCRIPT KILL refuses. */
  dirty!: boolean;
  killed!: boolean;
  timedOut!: boolean;
  /** Effects of a run that yielded, held until it ends to go out as one unit. */
  held!: PropagatedOp[] | null;
  /** redis.set_repl: where the writes of the commands it calls go (both unless told). */
  replicateTo!: PropagationTarget;
  /** The Lua debugger of a SCRIPT DEBUG session's EVAL. */
  debugger!: LuaDebugger | null;

  /** Sets every field for a new run. */
  begin(
    runnable: Runnable,
    runtime: LuaRuntime,
    lua: LuaRun | null,
    isEval: boolean,
    caller: Client,
    argv: readonly string[],
    started: number,
    readOnly: boolean,
    yieldable: boolean,
    allowCrossSlot: boolean,
    slot: number,
    debug: LuaDebugger | null,
  ): void {
    this.runnable = runnable;
    this.runtime = runtime;
    this.lua = lua;
    this.isEval = isEval;
    this.caller = caller;
    this.argv = argv;
    this.started = started;
    this.readOnly = readOnly;
    this.yieldable = yieldable;
    this.allowCrossSlot = allowCrossSlot;
    this.slot = slot;
    this.sliceStarted = started;
    this.dirty = false;
    this.killed = false;
    this.timedOut = false;
    this.held = null;
    this.replicateTo = PropagationTarget.All;
    this.debugger = debug;
  }
}
