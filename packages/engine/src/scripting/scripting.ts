import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { keyHashSlot } from '@rc/cluster';
import { formatDouble } from '@rc/resp';
import {
  LuaError,
  LuaTable,
  RedisRandom,
  formatNumber,
  parseNumber,
  type LuaFunction,
  type LuaRun,
  type LuaRuntime,
  type LuaValue,
} from '@rc/lua';
import type { DenialKind } from '../acl/selector.js';
import type { BlockedState } from '../blocking.js';
import { Client } from '../client.js';
import { scriptClusterRefusal } from '../cluster-mode.js';
import { BLOCKED, type CommandEntry, type CommandResult } from '../command-table.js';
import { detachedConnection } from '../detached-connection.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { parseIndex } from '../numbers.js';
import { PropagationTarget } from '../propagation.js';
import { ReplyReader, errorTable, writeLuaValue } from './conversions.js';
import { LuaDebugger, type DebuggerHost } from './debugger.js';
import { FunctionLibraries } from './function-libraries.js';
import { LibraryLoader } from './library-loader.js';
import { ScriptMemory } from './memory-return.js';
import { ScriptRun } from './script-run.js';
import { createLuaState, raiseError, scriptErrorReply, setRedisConstants } from './lua-state.js';
import { setSealed } from './sandbox.js';
import { parseShebang, type ScriptFlags } from './script-flags.js';

/** Redis checks for timeouts and kills every 100k Lua instructions. */
const HOOK_INSTRUCTIONS = 100_000;
/**
 * What a command called from a script counts for in the interrupt budget, in loop turns: a
 * script that mostly calls commands still checks its time every hundred calls or so.
 */
const COMMAND_BUDGET_COST = 1000;
/** Once timed out, a script gives the event loop a turn after each slice this long. */
const BUSY_SLICE_MILLISECONDS = 1;

const KILLED = 'Script killed by user with SCRIPT KILL...';

/** Something a client can run: an EVAL script or a function. */
export interface Runnable {
  /** The SHA1 of a script, the name of a function: in errors, logs and FUNCTION STATS. */
  readonly name: string;
  /** The compiled chunk (a script) or the registered callback (a function). */
  readonly callback: LuaFunction;
  /** null for a script without shebang: Redis's EVAL compatibility mode. */
  readonly flags: ScriptFlags | null;
}

export interface Script extends Runnable {
  readonly body: string;
}

export interface RunningScript {
  readonly name: string;
  readonly argv: readonly string[];
  readonly milliseconds: number;
  readonly isEval: boolean;
}

/**
 * Lua scripting as Redis 7.0: EVAL and friends, the script cache, the `redis` API, conversions
 * between replies and Lua values, and the script timeout. Scripts run on @rc/lua with an
 * interrupt check; a script that may pause runs as a resumable run, and once it has run longer
 * than busy-reply-threshold it pauses between slices so the server can answer other clients
 * (-BUSY, SCRIPT KILL, SHUTDOWN NOSAVE) while the caller stays blocked until the script ends.
 */
export class Scripting {
  /** EVAL's state; SCRIPT FLUSH starts a new one. */
  private evalState: LuaRuntime | null = null;
  /** Functions have a state of their own, as in Redis, with its own globals. */
  private functionState: LuaRuntime | null = null;
  private loader: LibraryLoader | null = null;
  /** Redis's math.random state: one per server, shared by both states, never reseeded. */
  private readonly random = new RedisRandom();
  private readonly replyReader = new ReplyReader();
  private readonly memory = new ScriptMemory();
  private readonly scripts = new Map<string, Script>();
  private readonly byBody = new Map<string, Script>();
  /**
   * The script EVAL or EVALSHA ran last: a client calling the same one again finds it by
   * comparing strings, without hashing a fresh argument (about 70 ns for a SHA1 here).
   */
  private lastRun: Script | null = null;
  /** The KEYS and ARGV tables of the last EVAL, which the next one refills (see evalKeys). */
  private keysTable: LuaTable | null = null;
  private argumentsTable: LuaTable | null = null;
  /** The globals holding keysTable and argumentsTable as KEYS and ARGV; null once either is new. */
  private tablesSetIn: LuaTable | null = null;
  /** The client commands called from scripts run as (Redis's lua client). */
  private scriptClient: Client | null = null;
  current: ScriptRun | null = null;
  /** The object of the last run that ended at once, for the next one (see ScriptRun). */
  private spareRun: ScriptRun | null = null;
  /** The client whose script the debugger stopped: its commands go to the debugger. */
  debugClient: Client | null = null;
  /** Where redis.log lines go; the server sets it to its log. */
  log: (level: number, message: string) => void = () => undefined;

  readonly libraries: FunctionLibraries;

  constructor(private readonly engine: Engine) {
    this.libraries = this.detachedLibraries();
  }

  /** An empty set of libraries compiled by this engine, not (yet) the ones FCALL sees. */
  detachedLibraries(): FunctionLibraries {
    return new FunctionLibraries(() => this.libraryLoader());
  }

  get scriptCount(): number {
    return this.scripts.size;
  }

  /** Bytes of script bodies in the cache, for INFO's used_memory_scripts_eval. */
  get cachedBytes(): number {
    let total = 0;
    for (const script of this.scripts.values()) total += script.body.length + 40;
    return total;
  }

  // EVAL / EVALSHA / SCRIPT

  eval(client: Client, argv: string[], bySha: boolean, readOnlyCommand: boolean): CommandResult {
    if (bySha && argv[1].length !== 40) {
      client.out.error(Errors.noScript);
      return;
    }
    if (client.luaDebug !== null && !client.executing) {
      if (!bySha) return this.debugEval(client, argv, readOnlyCommand);
      client.out.error('ERR Please use EVAL instead of EVALSHA for debugging');
      return;
    }
    const numkeys = this.evalKeyCount(argv);
    if (typeof numkeys === 'string') {
      client.out.error(numkeys);
      return;
    }
    const script = this.evalScript(argv, bySha);
    if (typeof script === 'string') {
      client.out.error(script);
      return;
    }
    const runtime = this.evalLuaState();
    return this.run(client, argv, script, runtime, true, numkeys, readOnlyCommand, null);
  }

  /** EVAL's and EVALSHA's number of keys, or the error to reply. */
  private evalKeyCount(argv: string[]): number | string {
    const numkeys = parseIndex(argv[2]);
    if (numkeys === null) return Errors.notInteger;
    return this.numkeysError(argv, numkeys) ?? numkeys;
  }

  /** The script an EVAL or EVALSHA runs (compiled and cached by EVAL), or the error to reply. */
  private evalScript(argv: string[], bySha: boolean): Script | string {
    const last = this.lastRun;
    let script: Script | string | undefined;
    if (bySha) {
      const sha = argv[1];
      if (last !== null && last.name === sha) return last;
      // The cache is by lower-case SHA1, as clients send it: no lower-cased copy to hash.
      script = this.scripts.get(sha) ?? this.scripts.get(sha.toLowerCase()) ?? Errors.noScript;
    } else {
      const body = argv[1];
      if (last !== null && last.body === body) return last;
      script = this.byBody.get(body) ?? this.create(body);
    }
    if (typeof script !== 'string') this.lastRun = script;
    return script;
  }

  /**
   * EVAL under the Lua debugger (Redis's evalGenericCommandWithDebugging): the script runs
   * compiled with a stop check before each statement, in a Lua state of its own; while it is
   * stopped, the client's commands go to the debugger, and the other clients wait. The
   * session ends with the script: "<endsession>", the EVAL reply, and the connection closes.
   */
  private debugEval(client: Client, argv: string[], readOnlyCommand: boolean): CommandResult {
    this.log(3, 'Redis synchronous debugging eval session started');
    const numkeys = this.evalKeyCount(argv);
    if (typeof numkeys === 'string') return this.refuseDebugged(client, null, numkeys);
    const script = this.evalScript(argv, false);
    if (typeof script === 'string') return this.refuseDebugged(client, null, script);
    const runtime = createLuaState(this.redisTable(), this.random);
    const debug = new LuaDebugger(script.body, this.debuggerHost(runtime));
    runtime.setDebugHook((line, locals) => debug.shouldStop(line, locals));
    const compiled = { ...script, callback: this.compile(runtime, script.body, script.flags) };
    this.engine.clientPause.pause('all', Infinity, 'debugger');
    return this.run(client, argv, compiled, runtime, true, numkeys, readOnlyCommand, debug);
  }

  /** What the debugger uses of the script's Lua state and of the server. */
  private debuggerHost(runtime: LuaRuntime): DebuggerHost {
    return {
      evaluate: (code) => {
        let chunk: LuaFunction;
        try {
          chunk = runtime.load(`return ${code}`, 'ldb_eval');
        } catch {
          try {
            chunk = runtime.load(code, 'ldb_eval');
          } catch (error) {
            return { error: errorText(error) };
          }
        }
        try {
          return { value: runtime.call(chunk)[0] };
        } catch (error) {
          return { error: errorText(error) };
        }
      },
      redisCall: (argv) => {
        try {
          this.command(true)(...argv);
        } catch (error) {
          if (!(error instanceof LuaError)) throw error;
        }
      },
      global: (name) => runtime.globals.get(name),
      address: (value) => runtime.tostring(value).replace(/^[a-z]+: /, ''),
      timeLimit: () => this.engine.config.getNumber('busy-reply-threshold') || 5000,
    };
  }

  /** FCALL and FCALL_RO. */
  fcall(client: Client, argv: string[], readOnlyCommand: boolean): CommandResult {
    const fn = this.libraries.functionNamed(argv[1]);
    if (fn === undefined) {
      client.out.error('ERR Function not found');
      return;
    }
    const numkeys = parseIndex(argv[2]);
    if (numkeys === null) {
      client.out.error('ERR Bad number of keys provided');
      return;
    }
    const numkeysError = this.numkeysError(argv, numkeys);
    if (numkeysError !== null) {
      client.out.error(numkeysError);
      return;
    }
    const state = this.functionState as LuaRuntime;
    return this.run(client, argv, fn, state, false, numkeys, readOnlyCommand, null);
  }

  private numkeysError(argv: string[], numkeys: number): string | null {
    if (numkeys > argv.length - 3) return "ERR Number of keys can't be greater than number of args";
    if (numkeys < 0) return "ERR Number of keys can't be negative";
    return null;
  }

  /**
   * Why a script may not run now, as Redis's scriptPrepareForRun and the checks processCommand
   * makes with the command flags a script's own flags imply (scriptFlagsToCmdFlags).
   */
  private refusal(
    caller: Client,
    flags: ScriptFlags | null,
    readOnlyCommand: boolean,
  ): string | null {
    const engine = this.engine;
    const stale = engine.replication?.servesStaleData === false;
    if (flags === null) return stale ? Errors.masterDown : null;
    if (flags.has('no-cluster') && engine.cluster !== undefined) {
      return "ERR Can not run script on cluster, 'no-cluster' flag is set.";
    }
    if (!flags.has('no-writes') && !caller.obeysAll) {
      const diskRefusal = engine.persistence?.writeRefusal() ?? null;
      if (diskRefusal !== null) return diskRefusal;
      const replication = engine.replication;
      if (replication !== undefined && !replication.enoughGoodReplicas) return Errors.noReplicas;
      if (replication?.readOnly === true) return Errors.readOnlyReplica;
    }
    if (stale && !flags.has('allow-stale')) return Errors.masterDown;
    if (!flags.has('no-writes') && readOnlyCommand) {
      return 'ERR Can not execute a script with write flag using *_ro command.';
    }
    return null;
  }

  /**
   * The flags the script of an EVAL, EVALSHA or FCALL call (or their _RO forms) declares, as
   * Redis's evalGetCommandFlags reads them before running anything: null when it declares none
   * (no shebang, a bad one, an unknown script), and the command's own flags then apply.
   */
  declaredFlags(argv: readonly string[], kind: 'eval' | 'evalsha' | 'fcall'): ScriptFlags | null {
    if (kind === 'fcall') return this.libraries.functionNamed(argv[1])?.flags ?? null;
    if (kind === 'evalsha') return this.scripts.get(argv[1].toLowerCase())?.flags ?? null;
    const cached = this.byBody.get(argv[1]);
    if (cached !== undefined) return cached.flags;
    const shebang = parseShebang(argv[1]);
    return 'error' in shebang ? null : shebang.flags;
  }

  /** SCRIPT LOAD: compiles and caches, replying the SHA1. */
  load(client: Client, body: string): void {
    const script = this.byBody.get(body) ?? this.create(body);
    if (typeof script === 'string') client.out.error(script);
    else client.out.bulk(script.name);
  }

  exists(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state, as Redis does. */
  flush(): void {
    this.scripts.clear();
    this.byBody.clear();
    this.lastRun = null;
    this.evalState = null;
  }

  /** The -BUSY error while a script has timed out: it names the command that can kill it. */
  get busyError(): string {
    return this.current === null || this.current.isEval ? Errors.busyScript : Errors.busyFunction;
  }

  /** The script running now (one that timed out), for FUNCTION STATS. */
  get runningScript(): RunningScript | null {
    const run = this.current;
    if (run === null) return null;
    const milliseconds = Math.floor(performance.now() - run.started);
    return { name: run.runnable.name, argv: run.argv, milliseconds, isEval: run.isEval };
  }

  /** SCRIPT KILL (isEval) and FUNCTION KILL, as Redis's scriptKill. */
  kill(client: Client, isEval: boolean): void {
    const run = this.current;
    if (run === null) {
      client.out.error('NOTBUSY No scripts in execution right now.');
      return;
    }
    if (run.caller.obeysAll) {
      client.out.error(
        'UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.',
      );
      return;
    }
    if (run.dirty) {
      client.out.error(Errors.unkillableScript);
      return;
    }
    if (isEval !== run.isEval) {
      client.out.error(run.isEval ? Errors.busyScript : Errors.busyFunction);
      return;
    }
    run.killed = true;
    client.out.simple('OK');
  }

  /** Compiles and caches a script; or the error to reply. */
  private create(body: string): Script | string {
    const shebang = parseShebang(body);
    if ('error' in shebang) return shebang.error;
    let callback: LuaFunction;
    try {
      callback = this.compile(this.evalLuaState(), body, shebang.flags);
    } catch (error) {
      if (!(error instanceof LuaError)) throw error;
      return `ERR Error compiling script (new function): ${String(error.value)}`;
    }
    const sha = createHash('sha1').update(body, 'latin1').digest('hex');
    const script: Script = { name: sha, body, callback, flags: shebang.flags };
    this.scripts.set(sha, script);
    this.byBody.set(body, script);
    return script;
  }

  /** An EVAL body as a resumable chunk; its shebang line stays out, its newline counts. */
  private compile(runtime: LuaRuntime, body: string, flags: ScriptFlags | null): LuaFunction {
    const code = flags === null ? body : body.slice(body.indexOf('\n'));
    return runtime.load(code, 'user_script', runtime.globals, {
      resumable: true,
      resumableOnly: true,
    });
  }

  // Running

  /**
   * EVAL's KEYS (`argv[start..end)`): the last run's table, refilled, if no script is running
   * (a nested EVAL's caller still reads its own) and the last one left it a plain array. No
   * script can hold it past its run: every table it could store it in is read-only.
   */
  private evalKeys(argv: string[], start: number, end: number): LuaTable {
    const spare = this.keysTable;
    if (this.current === null && spare?.refillWithStrings(argv, start, end) === true) return spare;
    this.tablesSetIn = null;
    return (this.keysTable = LuaTable.fromArray(argv.slice(start, end)));
  }

  /** EVAL's ARGV (`argv[start..]`), as `evalKeys`. */
  private evalArguments(argv: string[], start: number): LuaTable {
    const spare = this.argumentsTable;
    if (this.current === null && spare?.refillWithStrings(argv, start, argv.length) === true)
      return spare;
    this.tablesSetIn = null;
    return (this.argumentsTable = LuaTable.fromArray(argv.slice(start)));
  }

  private run(
    caller: Client,
    argv: string[],
    runnable: Runnable,
    runtime: LuaRuntime,
    isEval: boolean,
    numkeys: number,
    readOnlyCommand: boolean,
    debug: LuaDebugger | null,
  ): CommandResult {
    const refusal = this.refusal(caller, runnable.flags, readOnlyCommand);
    if (refusal !== null) {
      if (debug !== null) this.refuseDebugged(caller, debug, refusal);
      else caller.out.error(refusal);
      return;
    }
    // The script itself is never propagated: the writes it makes are (effects replication).
    this.engine.propagation.preventCurrent();
    const scriptClient = this.client();
    scriptClient.db = caller.db;
    scriptClient.out.protocol = 2;
    const callback = runnable.callback;
    let lua: LuaRun | null = null;
    if (isEval) {
      // EVAL passes keys and arguments as globals, functions as their two arguments.
      const keys = this.evalKeys(argv, 3, 3 + numkeys);
      const args = this.evalArguments(argv, 3 + numkeys);
      // Tables refilled in place are there already, unless another state had them last.
      const globals = runtime.globals;
      if (this.tablesSetIn !== globals) {
        setSealed(globals, 'KEYS', keys);
        setSealed(globals, 'ARGV', args);
        this.tablesSetIn = globals;
      }
      // A chunk that cannot pause (no loop, no function of its own) is called, not started.
      if (runtime.canPause(callback)) lua = runtime.start(callback);
    } else {
      const keys = LuaTable.fromArray(argv.slice(3, 3 + numkeys));
      const args = LuaTable.fromArray(argv.slice(3 + numkeys));
      lua = runtime.start(callback, keys, args);
    }
    const flags = runnable.flags;
    // The object of the last run that ended at once; never one a run still uses (nested EVAL).
    const run = this.spareRun ?? new ScriptRun();
    this.spareRun = null;
    run.begin(
      runnable,
      runtime,
      lua,
      isEval,
      caller,
      argv,
      // The clock read as the EVAL's call began: a read costs about 100 ns on the VM.
      this.engine.callStartedAt,
      readOnlyCommand || (flags !== null && flags.has('no-writes')),
      !caller.executing && caller.kind !== 'master',
      flags === null || flags.has('allow-cross-slot-keys'),
      this.engine.cluster !== undefined && numkeys > 0 ? keyHashSlot(argv[3]!) : -1,
      debug,
    );
    this.current = run;
    runtime.setInterruptHandler(this.interrupt, HOOK_INSTRUCTIONS);
    // Keys expire as of the script's start, not in its middle (Redis's scriptTimeSnapshot).
    const froze = this.engine.freezeTime();
    let ended: boolean;
    try {
      ended = this.settle(run, undefined);
    } finally {
      if (froze) this.engine.thawTime();
    }
    // Ended at once: nothing was scheduled for it, so the next run can take its object.
    if (ended && debug === null) this.spareRun = run;
    // A script that may not pause (inside EXEC, from a master) is never asked to (interrupt).
    if (ended || !run.yieldable) return;
    run.held = this.engine.propagation.takePending();
    if (debug !== null) {
      // Stopped by the debugger: the client's next commands are the debugger's.
      this.debugClient = caller;
      caller.out.raw(debug.takeLogs());
      return;
    }
    // Timed out: the caller waits (its pipeline too) while others get -BUSY between slices.
    const blocked: BlockedState = {
      db: caller.db,
      kind: null,
      keys: [],
      tryServe: () => false,
      replyOnTimeout: () => undefined,
      timer: null,
    };
    this.engine.blocking.block(caller, blocked, 0);
    setImmediate(() => this.continueRun(run));
    return BLOCKED;
  }

  /**
   * Runs a slice of the script (raising `error` where it paused, if given); false when it
   * paused. Once it ended, its result (or error) is the caller's reply and the run is over.
   */
  private settle(run: ScriptRun, error: LuaError | undefined): boolean {
    let results: LuaValue[] | undefined;
    try {
      const lua = run.lua;
      // A run that cannot pause never paused: it has no error to raise where it stopped.
      if (lua === null) results = run.runtime.callFromTop(run.runnable.callback);
      else results = error === undefined ? lua.resume() : lua.raise(error);
      if (results === undefined) return false;
    } catch (error) {
      this.end(run);
      const luaError = asLuaError(error);
      if (luaError === null) throw error;
      const [message, counted] = scriptErrorReply(luaError, run.runnable.name);
      if (counted) run.caller.out.error(message);
      else run.caller.out.errorCountedBefore(message);
      if (run.debugger !== null) run.caller.connection.close();
      return true;
    }
    this.end(run);
    // One value is returned, as Redis calls the function for a single result.
    writeLuaValue(results[0], run.caller.out, this.client().out.protocol);
    if (run.debugger !== null) run.caller.connection.close();
    return true;
  }

  private end(run: ScriptRun): void {
    this.current = null;
    this.engine.scriptTimedOut = false;
    run.runtime.setInterruptHandler(undefined);
    this.memory.ended();
    if (run.debugger !== null) this.endDebugSession(run.caller, run.debugger);
  }

  /**
   * Ends a debugging session (Redis's ldbEndSession): "<endsession>" goes out before the EVAL
   * reply, the other clients go on, and the connection closes once the reply is written.
   */
  private endDebugSession(client: Client, debug: LuaDebugger | null): void {
    if (debug === null) client.out.raw(Buffer.from('*1\r\n+<endsession>\r\n', 'latin1'));
    else {
      debug.log('<endsession>');
      client.out.raw(debug.takeLogs());
    }
    client.luaDebug = null;
    if (this.debugClient === client) this.debugClient = null;
    this.engine.clientPause.unpause('debugger');
    this.log(3, 'Redis synchronous debugging eval session ended');
  }

  /** A debugged EVAL refused before its script ran: the session ends with the error. */
  private refuseDebugged(client: Client, debug: LuaDebugger | null, error: string): void {
    this.endDebugSession(client, debug);
    client.out.error(error);
    client.connection.close();
  }

  /**
   * A command of the client whose script the debugger stopped (Redis's ldbRepl): answered
   * with the debugger's log, or the script goes on until it stops again or ends.
   */
  debuggerCommand(argv: string[]): void {
    const run = this.current as ScriptRun;
    const debug = run.debugger as LuaDebugger;
    // Redis's debugger reads its commands itself, with limits of its own.
    if (argv.length > 1024 || argv.some((arg) => arg.length === 0 || arg.length > 1024)) {
      this.debuggerSlice(run, new LuaError(errorTable('protocol error')));
      return;
    }
    const step = debug.command(argv);
    if (step === 'stay') {
      run.caller.out.raw(debug.takeLogs());
      return;
    }
    debug.resumed();
    if (step === 'resume') this.debuggerSlice(run, undefined);
    else this.debuggerSlice(run, new LuaError(errorTable('script aborted for user request')));
  }

  /** Runs the debugged script until it stops again (its log goes out) or ends. */
  private debuggerSlice(run: ScriptRun, error: LuaError | undefined): void {
    if (!this.sliceInUnit(run, error)) run.caller.out.raw((run.debugger as LuaDebugger).takeLogs());
  }

  /**
   * The debugging client went away while its script was stopped: as Redis, the script runs
   * on to its end without stopping (a long one as any busy script).
   */
  clientClosed(client: Client): void {
    if (this.debugClient !== client) return;
    const run = this.current as ScriptRun;
    (run.debugger as LuaDebugger).detached = true;
    this.debugClient = null;
    setImmediate(() => this.continueRun(run));
  }

  /**
   * Runs a slice of a script that spans several turns, its writes held until it ends so they
   * go out as one unit (as the EVAL's own writes would). True when the script ended.
   */
  private sliceInUnit(run: ScriptRun, error: LuaError | undefined): boolean {
    const propagation = this.engine.propagation;
    const propagating = propagation.active;
    if (propagating) {
      propagation.beginUnit();
      if (run.held !== null) propagation.restorePending(run.held);
    }
    run.held = null;
    const done = this.settle(run, error);
    if (propagating) {
      if (!done) run.held = propagation.takePending();
      propagation.endUnit();
    }
    return done;
  }

  /** Runs the next slice of a timed-out script. */
  private continueRun(run: ScriptRun): void {
    if (this.current !== run) return;
    const engine = this.engine;
    run.sliceStarted = performance.now();
    if (!this.sliceInUnit(run, undefined)) {
      setImmediate(() => this.continueRun(run));
      return;
    }
    const caller = run.caller;
    engine.blocking.unblock(caller);
    if (engine.replication !== undefined) caller.replicationOffset = engine.replication.offset;
    if (engine.blocking.hasReadyKeys) engine.blocking.serveReadyKeys();
    caller.connection.resume();
  }

  /**
   * The interrupt check compiled code makes every 100k function entries and loop turns: kills,
   * detects the timeout, and asks a timed-out run to pause once its slice is over.
   */
  private readonly interrupt = (): boolean => {
    const run = this.current;
    if (run === null) return false;
    this.memory.observe();
    if (run.killed) {
      // Every check raises again, so a script can't catch the kill with pcall and go on.
      run.runtime.setInterruptHandler(this.interrupt, 0);
      throw new LuaError(errorTable(KILLED));
    }
    // The debugger stops a script that runs too long itself.
    if (run.debugger !== null && !run.debugger.detached) return false;
    const now = performance.now();
    if (!run.timedOut) {
      const threshold = this.engine.config.getNumber('busy-reply-threshold');
      if (!(threshold > 0) || now - run.started < threshold) return false;
      if (!run.yieldable) return false;
      run.timedOut = true;
      this.engine.scriptTimedOut = true;
      this.log(
        3,
        `Slow script detected: still in execution after ${Math.round(now - run.started)} milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: ${run.runnable.name}.`,
      );
      return true;
    }
    return now - run.sliceStarted >= BUSY_SLICE_MILLISECONDS;
  };

  // redis.call and friends

  private client(): Client {
    return this.scriptClient ?? this.newScriptClient();
  }

  /** Made once, at the first script: the databases do not exist yet when Scripting is made. */
  private newScriptClient(): Client {
    const client = new Client(
      0,
      this.engine.databases[0],
      detachedConnection('lua'),
      this.engine.stats,
    );
    // Blocking commands act as their non-blocking forms (Redis's CLIENT_DENY_BLOCKING).
    client.executing = true;
    client.fromScript = true;
    this.scriptClient = client;
    return client;
  }

  /** redis.call (raise) and redis.pcall. */
  private command(raise: boolean): LuaFunction {
    return (...args) => {
      const run = this.current;
      if (run === null)
        raiseError('redis.call/pcall can only be called inside a script invocation');
      const argv = argumentsOf(args);
      if (typeof argv === 'string') {
        const error = errorTable(argv);
        if (raise) throw new LuaError(error);
        return [error];
      }
      run.runtime.budget -= COMMAND_BUDGET_COST;
      const client = this.client();
      const debug = run.debugger?.tracing === true ? run.debugger : null;
      if (debug !== null) return [this.tracedCommand(run, client, argv, debug, raise)];
      this.runCommand(run, client, argv);
      const reader = this.replyReader;
      const value = reader.readFrom(client.out);
      if (raise && reader.wasError) throw new LuaError(value);
      return [value];
    };
  }

  /** A command called while the debugger traces them: logged with its reply. */
  private tracedCommand(
    run: ScriptRun,
    client: Client,
    argv: string[],
    debug: LuaDebugger,
    raise: boolean,
  ): LuaValue {
    debug.logCommand(argv);
    const refused = this.runCommand(run, client, argv);
    const reply = client.out.take();
    if (refused) debug.log(`<error> ${reply.toString('latin1', 1).trimEnd().replace(/^ERR /, '')}`);
    else debug.logReply(reply);
    const value = this.replyReader.read(reply);
    if (raise && reply[0] === 45 /* - */) throw new LuaError(value);
    return value;
  }

  /**
   * Redis's scriptCall: the checks for commands called from scripts, then the command. True
   * when a check refused it (the reply is that refusal).
   */
  private runCommand(run: ScriptRun, client: Client, argv: string[]): boolean {
    const engine = this.engine;
    let entry: CommandEntry | undefined = engine.commands.lookup(argv[0]);
    if (entry !== undefined && entry.subcommands !== null && argv.length >= 2) {
      entry = entry.subcommands.get(argv[1].toLowerCase());
    }
    if (entry === undefined) {
      client.out.error('ERR Unknown Redis command called from script');
      return true;
    }
    const arity = entry.spec.arity;
    let refusal: string | null;
    if (arity > 0 ? argv.length !== arity : argv.length < -arity) {
      refusal = 'ERR Wrong number of args calling Redis command from script';
    } else if (entry.deniedToScripts && !engine.scriptDenyDisabled) {
      refusal = 'ERR This Redis command is not allowed from script';
    } else if (
      engine.replication?.servesStaleData === false &&
      !entry.spec.flags.includes('stale')
    ) {
      // A script allowed to run on a stale replica (allow-stale) still only calls stale commands.
      refusal = 'ERR Can not execute the command on a stale replica';
    } else {
      refusal = this.permissionRefusal(run.caller, entry, argv) ?? this.writeRefusal(run, entry);
    }
    // As Redis's scriptVerifyOOM, last: over maxmemory when the script began, a script refuses
    // its first command that may grow memory, unless it declared allow-oom.
    if (
      refusal === null &&
      engine.outOfMemory &&
      entry.spec.flags.includes('denyoom') &&
      !run.dirty &&
      !run.caller.obeysAll &&
      run.runnable.flags?.has('allow-oom') !== true
    ) {
      refusal = Errors.outOfMemory;
    }
    const cluster = engine.cluster;
    if (refusal === null && cluster !== undefined && !run.caller.obeysAll) {
      if (entry.isWrite) run.dirty = true;
      refusal = scriptClusterRefusal(engine, cluster.state, run.caller, entry, argv, run);
    }
    if (refusal !== null) {
      client.out.error(refusal);
      engine.callRefused(entry);
      return true;
    }
    if (entry.isWrite) run.dirty = true;
    // Commands run with the caller's permissions (SORT's BY and GET check them).
    client.user = run.caller.user;
    engine.call(client, entry, argv);
    return false;
  }

  /** Redis's scriptVerifyACL: the caller's permissions apply to what its script calls. */
  private permissionRefusal(caller: Client, entry: CommandEntry, argv: string[]): string | null {
    const user = caller.user;
    if (user === null || user.unrestricted) return null;
    const denial = user.check(entry, argv);
    if (denial === null) return null;
    this.engine.logDenial(caller, denial, 'lua', entry, argv);
    return `ERR The user executing the script ${SCRIPT_DENIALS[denial.kind]}`;
  }

  /** Whether a write may run now: read-only scripts, replicas, failed saves, min-replicas. */
  private writeRefusal(run: ScriptRun, entry: CommandEntry): string | null {
    if (run.readOnly && (entry.isWrite || entry.spec.flags.includes('may_replicate'))) {
      return 'ERR Write commands are not allowed from read-only scripts.';
    }
    if (!entry.isWrite || run.dirty || run.caller.obeysAll) return null;
    const engine = this.engine;
    const replication = engine.replication;
    if (replication?.readOnly === true) return Errors.readOnlyReplica;
    const refusal = engine.persistence?.writeRefusal() ?? null;
    if (refusal !== null) return refusal;
    // Reached by EVAL scripts without flags only: others were refused before running.
    if (replication !== undefined && !replication.enoughGoodReplicas) return Errors.noReplicas;
    return null;
  }

  // The Lua state

  private evalLuaState(): LuaRuntime {
    if (this.evalState === null) this.evalState = createLuaState(this.redisTable(), this.random);
    return this.evalState;
  }

  private libraryLoader(): LibraryLoader {
    if (this.loader === null) {
      const runtime = createLuaState(this.redisTable(), this.random);
      this.loader = new LibraryLoader(runtime, this.redisLog);
      this.functionState = runtime;
    }
    return this.loader;
  }

  /** The `redis` table scripts and functions see. */
  private redisTable(): LuaTable {
    const redis = new LuaTable();
    const natives: Array<[string, LuaFunction]> = [
      ['call', this.command(true)],
      ['pcall', this.command(false)],
      ['log', this.redisLog],
      ['setresp', (...args) => this.setResp(args)],
      ['sha1hex', sha1hex],
      ['error_reply', (...args) => singleFieldReply(args, true)],
      ['status_reply', (...args) => singleFieldReply(args, false)],
      ['set_repl', (...args) => this.setRepl(args)],
      ['replicate_commands', () => [true]],
      ['breakpoint', () => this.breakpoint()],
      ['debug', (...args) => this.debugLog(args)],
      ['acl_check_cmd', (...args) => this.aclCheck(args)],
    ];
    for (const [name, fn] of natives) redis.set(name, fn);
    setRedisConstants(redis, [
      ['REPL_NONE', 0],
      ['REPL_AOF', 1],
      ['REPL_SLAVE', 2],
      ['REPL_REPLICA', 2],
      ['REPL_ALL', 3],
    ]);
    return redis;
  }

  /** redis.breakpoint(): under the debugger, stop at the next line. */
  private breakpoint(): LuaValue[] {
    const debug = this.current?.debugger;
    if (debug === undefined || debug === null || debug.detached) return [false];
    debug.breakNext();
    return [true];
  }

  /** redis.debug(...): a line in the debugger's log; nothing outside a debugging session. */
  private debugLog(args: LuaValue[]): LuaValue[] {
    const debug = this.current?.debugger;
    if (debug !== undefined && debug !== null && !debug.detached) debug.debugLog(args);
    return [];
  }

  /** Raises (never returns) when no script is running: the function was kept and called later. */
  private requireRun(name: string): ScriptRun {
    const run = this.current;
    if (run === null) raiseError(`${name} can only be called inside a script invocation`);
    return run;
  }

  private readonly redisLog: LuaFunction = (...args) => {
    if (args.length < 2) raiseError('redis.log() requires two arguments or more.');
    const levelNumber = toNumber(args[0]);
    if (levelNumber === undefined) raiseError('First argument must be a number (log level).');
    const level = Math.trunc(levelNumber);
    if (level < 0 || level > 3) raiseError('Invalid debug level.');
    const parts: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const value = args[i];
      if (typeof value === 'string') parts.push(value);
      else if (typeof value === 'number') parts.push(formatNumber(value));
    }
    this.log(level, parts.join(' '));
    return [];
  };

  private setResp(args: LuaValue[]): LuaValue[] {
    this.requireRun('redis.setresp');
    if (args.length !== 1) raiseError('redis.setresp() requires one argument.');
    const resp = Math.trunc(toNumber(args[0]) ?? 0);
    if (resp !== 2 && resp !== 3) raiseError('RESP version must be 2 or 3.');
    this.client().out.protocol = resp;
    return [];
  }

  /** redis.set_repl: the commands the script calls next go to the AOF, replicas, both or none. */
  private setRepl(args: LuaValue[]): LuaValue[] {
    const run = this.requireRun('redis.set_repl');
    if (args.length !== 1) raiseError('redis.set_repl() requires two arguments.');
    const flags = Math.trunc(toNumber(args[0]) ?? 0);
    if ((flags & ~3) !== 0) {
      raiseError('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    }
    run.replicateTo = flags as PropagationTarget;
    return [];
  }

  /** Where the writes of the command a script calls now go (Redis's script repl_flags). */
  get replicationTarget(): PropagationTarget {
    return this.current?.replicateTo ?? PropagationTarget.All;
  }

  /** redis.acl_check_cmd: whether the script's caller may run the call. */
  private aclCheck(args: LuaValue[]): LuaValue[] {
    const run = this.requireRun('redis.acl_check_cmd');
    const argv = argumentsOf(args);
    if (typeof argv === 'string') raiseError(argv);
    const entry = this.engine.lookupCall(argv);
    if (entry === undefined) raiseError('Invalid command passed to redis.acl_check_cmd()');
    const user = run.caller.user;
    return [user === null || user.check(entry, argv) === null];
  }
}

/** How a refused call reads after "The user executing the script " (getAclErrorMessage). */
const SCRIPT_DENIALS: Record<DenialKind, string> = {
  command: "can't run this command or subcommand",
  key: "can't access at least one of the keys mentioned in the command arguments",
  channel: "can't publish to the channel mentioned in the command",
};

/**
 * Arguments of a redis.call as strings (numbers as "%.17g"), or the error to raise. Converted
 * in place: `args` is the native's rest array, its own.
 */
function argumentsOf(args: LuaValue[]): string[] | string {
  const argc = args.length;
  if (argc === 0) return 'Please specify at least one argument for this redis lib call';
  for (let j = 0; j < argc; j++) {
    const value = args[j];
    if (typeof value === 'number') args[j] = formatDouble(value);
    else if (typeof value !== 'string')
      return 'Lua redis lib command arguments must be strings or integers';
  }
  return args as string[];
}

/** Lua's lua_tonumber: numbers, and strings that read as one. */
function toNumber(value: LuaValue): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseNumber(value) : undefined;
}

/** redis.sha1hex(s): the lower-case hex SHA1 of a string. */
function sha1hex(...args: LuaValue[]): LuaValue[] {
  if (args.length !== 1) raiseError('wrong number of arguments');
  const value = args[0];
  const text =
    typeof value === 'number' ? formatNumber(value) : typeof value === 'string' ? value : '';
  return [createHash('sha1').update(text, 'latin1').digest('hex')];
}

/** redis.error_reply / redis.status_reply: {err=...} (with an error code) or {ok=...}. */
function singleFieldReply(args: LuaValue[], isError: boolean): LuaValue[] {
  const text = args[0];
  if (args.length !== 1 || typeof text !== 'string') {
    return [errorTable('wrong number or type of arguments')];
  }
  if (isError) return [errorTable(text.startsWith('-') ? text : `-${text}`)];
  const table = new LuaTable();
  table.set('ok', text);
  return [table];
}

/** An error a script's run ended with, as a Lua error; null for a fault of rc itself. */
function asLuaError(error: unknown): LuaError | null {
  if (error instanceof LuaError) return error;
  if (error instanceof RangeError && error.message === 'Maximum call stack size exceeded') {
    return new LuaError('stack overflow', 0);
  }
  return null;
}

/** An error of the debugger's `eval` as Redis logs it: Lua's message (tables have none). */
function errorText(error: unknown): string {
  const luaError = asLuaError(error);
  if (luaError === null) throw error;
  const value = luaError.value;
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? formatNumber(value) : '(null)';
}
