import { createHash } from 'node:crypto';
import type { DenialKind } from '../acl/selector.js';
import { performance } from 'node:perf_hooks';
import { formatDouble } from '@rc/resp';
import type { BlockedState } from '../blocking.js';
import { Client } from '../client.js';
import { BLOCKED, type CommandEntry, type CommandResult } from '../command-table.js';
import { detachedConnection } from '../detached-connection.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { PropagationTarget, type PropagatedOp } from '../propagation.js';
import {
  FIELD,
  pushErrorTable,
  pushReply,
  writeLuaValue,
  type ReplyTarget,
} from './conversions.js';
import { openBit } from './bit-library.js';
import { openCjson } from './cjson-library.js';
import { openCmsgpack } from './cmsgpack-library.js';
import { FunctionLibraries } from './function-libraries.js';
import { LibraryLoader, setRedisConstants } from './library-loader.js';
import {
  allowHooksAfterError,
  bytesLatin1,
  compile,
  fengari,
  formatLuaNumber,
  latin1Bytes,
  lua51Wording,
  newLuaState,
  type LuaState,
} from './lua.js';
import { protectGlobals, runChunk } from './protection.js';
import { parseShebang, type ScriptFlags } from './script-flags.js';

const { lua, lauxlib, lualib } = fengari;

/** Redis checks for timeouts and kills every 100k Lua instructions. */
const HOOK_INSTRUCTIONS = 100_000;
/** Once timed out, a slice between event-loop turns is this many instructions (about 1 ms). */
const BUSY_HOOK_INSTRUCTIONS = 10_000;

const KEYS = fengari.to_luastring('KEYS');
const ARGV = fengari.to_luastring('ARGV');
const CHUNK_NAME = fengari.to_luastring('@user_script');
const INFO_WHAT = fengari.to_luastring('Sl');

/**
 * What Lua 5.1 had that 5.3 dropped or renamed, for scripts written against Redis. Redis's Lua
 * refuses precompiled (binary) chunks, so loading text only is the one mode here too.
 */
const COMPATIBILITY = `
unpack = table.unpack
local loadText = load
load = function(chunk, name) return loadText(chunk, name, 't') end
loadstring = load
table.getn = function(t) return #t end
table.maxn = function(t) local n = 0 for k in pairs(t) do if type(k) == 'number' and k > n then n = k end end return n end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
gcinfo = function() return collectgarbage('count') end
string.gfind = string.gmatch
print = nil
dofile = nil
loadfile = nil
rawlen = nil
`;

/** Something a client can run: an EVAL script or a function. */
export interface Runnable {
  /** The SHA1 of a script, the name of a function: in errors, logs and FUNCTION STATS. */
  readonly name: string;
  /** Registry reference of the compiled Lua function, in its state. */
  readonly ref: number;
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

/** A Lua state with the coroutine that finished cleanly last, reused by the next run. */
interface ScriptState {
  readonly L: LuaState;
  spare: LuaState | null;
}

/** One script execution, from EVAL to its reply; it may span several event-loop turns. */
interface ScriptRun {
  readonly runnable: Runnable;
  readonly state: ScriptState;
  /** EVAL (SCRIPT KILL stops it) or FCALL (FUNCTION KILL does). */
  readonly isEval: boolean;
  readonly caller: Client;
  /** The caller's command, for FUNCTION STATS. */
  readonly argv: readonly string[];
  readonly thread: LuaState;
  readonly started: number;
  readonly readOnly: boolean;
  /** May give the event loop back once timed out (not inside EXEC, not for a master). */
  readonly yieldable: boolean;
  /** Redis's SCRIPT_WRITE_DIRTY: a write command ran, so SCRIPT KILL refuses. */
  dirty: boolean;
  killed: boolean;
  timedOut: boolean;
  /** Effects of a run that yielded, held until it ends to go out as one unit. */
  held: PropagatedOp[] | null;
  /** redis.set_repl: where the writes of the commands it calls go (both unless told). */
  replicateTo: PropagationTarget;
}

/**
 * Lua scripting as Redis 7.0: EVAL and friends, the script cache, the `redis` API, conversions
 * between replies and Lua values, and the script timeout. Scripts run in a coroutine with a
 * count hook; once a script has run longer than busy-reply-threshold, the hook yields between
 * slices so the server can answer other clients (-BUSY, SCRIPT KILL, SHUTDOWN NOSAVE) while the
 * caller stays blocked until the script ends.
 */
export class Scripting {
  /** EVAL's state; SCRIPT FLUSH starts a new one. */
  private evalState: ScriptState | null = null;
  /** Functions have a state of their own, as in Redis, with its own globals. */
  private functionState: ScriptState | null = null;
  private loader: LibraryLoader | null = null;
  private readonly scripts = new Map<string, Script>();
  private readonly byBody = new Map<string, Script>();
  /** The client commands called from scripts run as (Redis's lua client). */
  private scriptClient: Client | null = null;
  current: ScriptRun | null = null;
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
    const engine = this.engine;
    if (bySha && argv[1].length !== 40) {
      engine.replyError(client, Errors.noScript);
      return;
    }
    const numkeysText = argv[2];
    const numkeys = /^-?\d{1,18}$/.test(numkeysText) ? Number(numkeysText) : NaN;
    if (!Number.isSafeInteger(numkeys)) {
      engine.replyError(client, Errors.notInteger);
      return;
    }
    if (!this.checkNumkeys(client, argv, numkeys)) return;
    let script: Script | undefined;
    if (bySha) {
      script = this.scripts.get(argv[1].toLowerCase());
      if (script === undefined) {
        engine.replyError(client, Errors.noScript);
        return;
      }
    } else {
      script = this.byBody.get(argv[1]) ?? this.create(client, argv[1]);
      if (script === undefined) return;
    }
    return this.run(client, argv, script, this.evalLuaState(), true, numkeys, readOnlyCommand);
  }

  /** FCALL and FCALL_RO. */
  fcall(client: Client, argv: string[], readOnlyCommand: boolean): CommandResult {
    const engine = this.engine;
    const fn = this.libraries.functionNamed(argv[1]);
    if (fn === undefined) {
      engine.replyError(client, 'ERR Function not found');
      return;
    }
    const numkeys = parseLongLong(argv[2]);
    if (numkeys === null) {
      engine.replyError(client, 'ERR Bad number of keys provided');
      return;
    }
    if (!this.checkNumkeys(client, argv, numkeys)) return;
    const state = this.functionState as ScriptState;
    return this.run(client, argv, fn, state, false, numkeys, readOnlyCommand);
  }

  private checkNumkeys(client: Client, argv: string[], numkeys: number): boolean {
    if (numkeys > argv.length - 3) {
      this.engine.replyError(client, "ERR Number of keys can't be greater than number of args");
      return false;
    }
    if (numkeys < 0) {
      this.engine.replyError(client, "ERR Number of keys can't be negative");
      return false;
    }
    return true;
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
    const script = this.byBody.get(body) ?? this.create(client, body);
    if (script !== undefined) client.out.bulk(script.name);
  }

  exists(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state, as Redis does. */
  flush(): void {
    this.scripts.clear();
    this.byBody.clear();
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
    const engine = this.engine;
    const run = this.current;
    if (run === null) {
      engine.replyError(client, 'NOTBUSY No scripts in execution right now.');
      return;
    }
    if (run.caller.obeysAll) {
      engine.replyError(
        client,
        'UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.',
      );
      return;
    }
    if (run.dirty) {
      engine.replyError(client, Errors.unkillableScript);
      return;
    }
    if (isEval !== run.isEval) {
      engine.replyError(client, run.isEval ? Errors.busyScript : Errors.busyFunction);
      return;
    }
    run.killed = true;
    client.out.simple('OK');
  }

  private create(client: Client, body: string): Script | undefined {
    const engine = this.engine;
    const shebang = parseShebang(body);
    if ('error' in shebang) {
      engine.replyError(client, shebang.error);
      return undefined;
    }
    const { flags, length: shebangLength } = shebang;
    const L = this.evalLuaState().L;
    const code = latin1Bytes(shebangLength === 0 ? body : body.slice(shebangLength));
    const error = compile(L, code, CHUNK_NAME);
    if (error !== null) {
      engine.replyError(client, `ERR Error compiling script (new function): ${error}`);
      return undefined;
    }
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const sha = createHash('sha1').update(body, 'latin1').digest('hex');
    const script: Script = { name: sha, body, ref, flags };
    this.scripts.set(sha, script);
    this.byBody.set(body, script);
    return script;
  }

  // Running

  private run(
    caller: Client,
    argv: string[],
    runnable: Runnable,
    state: ScriptState,
    isEval: boolean,
    numkeys: number,
    readOnlyCommand: boolean,
  ): CommandResult {
    const refusal = this.refusal(caller, runnable.flags, readOnlyCommand);
    if (refusal !== null) {
      this.engine.replyError(caller, refusal);
      return;
    }
    // The script itself is never propagated: the writes it makes are (effects replication).
    this.engine.propagation.preventCurrent();
    // Keys expire as of the script's start, not in its middle (Redis's scriptTimeSnapshot).
    this.engine.freezeTime();
    const L = state.L;
    const scriptClient = this.client();
    scriptClient.db = caller.db;
    scriptClient.out.protocol = 2;
    let thread = state.spare;
    state.spare = null;
    if (thread === null) {
      thread = lua.lua_newthread(L);
      lua.lua_pop(L, 1);
    }
    lua.lua_sethook(thread, this.hook, lua.LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, runnable.ref);
    let nargs = 0;
    if (isEval) {
      // EVAL passes keys and arguments as globals, functions as their two arguments.
      setGlobalArray(L, KEYS, argv, 3, 3 + numkeys);
      setGlobalArray(L, ARGV, argv, 3 + numkeys, argv.length);
    } else {
      pushArray(L, argv, 3, 3 + numkeys);
      pushArray(L, argv, 3 + numkeys, argv.length);
      nargs = 2;
    }
    lua.lua_xmove(L, thread, nargs + 1);
    const flags = runnable.flags;
    const run: ScriptRun = {
      runnable,
      state,
      isEval,
      caller,
      argv,
      thread,
      started: performance.now(),
      readOnly: readOnlyCommand || (flags !== null && flags.has('no-writes')),
      yieldable: !caller.executing && !caller.obeysAll,
      dirty: false,
      killed: false,
      timedOut: false,
      held: null,
      replicateTo: PropagationTarget.All,
    };
    this.current = run;
    const status = lua.lua_resume(thread, L, nargs);
    if (status !== lua.LUA_YIELD) {
      this.finish(run, status);
      return;
    }
    // Timed out: the caller waits (its pipeline too) while others get -BUSY between slices.
    run.held = this.engine.propagation.takePending();
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

  /** Runs the next slice of a timed-out script. */
  private continueRun(run: ScriptRun): void {
    if (this.current !== run) return;
    const engine = this.engine;
    const propagation = engine.propagation;
    const propagating = propagation.active;
    if (propagating) {
      propagation.beginUnit();
      if (run.held !== null) propagation.restorePending(run.held);
    }
    run.held = null;
    const status = lua.lua_resume(run.thread, run.state.L, 0);
    if (status === lua.LUA_YIELD) {
      if (propagating) {
        run.held = propagation.takePending();
        propagation.endUnit();
      }
      setImmediate(() => this.continueRun(run));
      return;
    }
    this.finish(run, status);
    if (propagating) propagation.endUnit();
    const caller = run.caller;
    engine.blocking.unblock(caller);
    if (engine.replication !== undefined) caller.replicationOffset = engine.replication.offset;
    if (engine.blocking.hasReadyKeys) engine.blocking.serveReadyKeys();
    caller.connection.resume();
  }

  /** Writes the script's result (or error) to its caller and ends the run. */
  private finish(run: ScriptRun, status: number): void {
    const thread = run.thread;
    const caller = run.caller;
    const engine = this.engine;
    const target: ReplyTarget = {
      out: caller.out,
      error: (message, counted) => {
        if (counted) engine.replyError(caller, message);
        else engine.replyUncountedError(caller, message);
      },
    };
    this.current = null;
    engine.scriptTimedOut = false;
    if (status === lua.LUA_OK) {
      // One value is returned, as Redis calls the function for a single result.
      lua.lua_settop(thread, 1);
      writeLuaValue(thread, target, this.client().out.protocol);
      lua.lua_settop(thread, 0);
      lua.lua_sethook(thread, null, 0, 0);
      run.state.spare = thread;
      return;
    }
    const [message, counted] = this.errorMessage(run);
    target.error(message, counted);
  }

  /**
   * The reply for a script that raised, as Redis's error handler builds it: the error table's
   * `err` (or "ERR " and the error text), then where it happened in the script.
   */
  private errorMessage(run: ScriptRun): [string, boolean] {
    const thread = run.thread;
    // The dead coroutine keeps its frames (where the error happened) but has no stack room
    // left: the error value is read on the main state.
    const L = run.state.L;
    lua.lua_xmove(thread, L, 1);
    let message: string;
    let counted = true;
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, FIELD.err);
      message = lua.lua_isstring(L, -1) ? luaText(L, -1) : 'ERR unknown error';
      lua.lua_pop(L, 1);
      lua.lua_getfield(L, -1, FIELD.ignoreStats);
      counted = !lua.lua_toboolean(L, -1);
      lua.lua_pop(L, 1);
    } else {
      message = `ERR ${lua51Wording(luaText(L, -1))}`;
    }
    lua.lua_pop(L, 1);
    const ar = new lua.lua_Debug();
    let found = lua.lua_getstack(thread, 0, ar) === 1;
    if (found) {
      lua.lua_getinfo(thread, INFO_WHAT, ar);
      const what = ar.what;
      // A function not written in Lua (fengari says "J" where C Lua says "C"): its caller.
      if (what !== null && what.length === 1 && what[0] === 74 /* J */) {
        found = lua.lua_getstack(thread, 1, ar) === 1;
        if (found) lua.lua_getinfo(thread, INFO_WHAT, ar);
      }
    }
    if (found && ar.source !== null) {
      message += ` script: ${run.runnable.name}, on ${bytesLatin1(ar.source)}:${ar.currentline}.`;
    }
    return [message.replace(/[\r\n]/g, ' '), counted];
  }

  /** The count hook: kills, detects the timeout, and yields once timed out. */
  private readonly hook = (L: LuaState): void => {
    const run = this.current;
    if (run === null) return;
    if (run.killed) {
      // Every line raises again, so a script can't catch the kill with pcall and go on.
      lua.lua_sethook(L, this.hook, lua.LUA_MASKLINE, 0);
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(L);
    }
    if (!run.timedOut) {
      const threshold = this.engine.config.getNumber('busy-reply-threshold');
      if (!(threshold > 0) || performance.now() - run.started < threshold) return;
      if (!run.yieldable) return;
      run.timedOut = true;
      this.engine.scriptTimedOut = true;
      // Shorter slices from now on: a slice holds up every other client.
      lua.lua_sethook(L, this.hook, lua.LUA_MASKCOUNT, BUSY_HOOK_INSTRUCTIONS);
      this.log(
        3,
        `Slow script detected: still in execution after ${Math.round(performance.now() - run.started)} milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: ${run.runnable.name}.`,
      );
    }
    if (lua.lua_isyieldable(L)) lua.lua_yield(L, 0);
  };

  // redis.call and friends

  private client(): Client {
    if (this.scriptClient === null) {
      const client = new Client(0, this.engine.databases[0], detachedConnection('lua'));
      // Blocking commands act as their non-blocking forms (Redis's CLIENT_DENY_BLOCKING).
      client.executing = true;
      client.fromScript = true;
      this.scriptClient = client;
    }
    return this.scriptClient;
  }

  /** redis.call (raise) and redis.pcall. */
  private command(L: LuaState, raise: boolean): number {
    const run = this.current;
    if (run === null) {
      pushErrorTable(L, 'redis.call/pcall can only be called inside a script invocation');
      return lua.lua_error(L);
    }
    const argv = argumentsOf(L);
    if (typeof argv === 'string') {
      pushErrorTable(L, argv);
      return raise ? lua.lua_error(L) : 1;
    }
    const client = this.client();
    this.runCommand(run, client, argv);
    const reply = client.out.take();
    pushReply(L, reply, 0);
    if (raise && reply[0] === 45 /* - */) return lua.lua_error(L);
    return 1;
  }

  /** Redis's scriptCall: the checks for commands called from scripts, then the command. */
  private runCommand(run: ScriptRun, client: Client, argv: string[]): void {
    const engine = this.engine;
    let entry: CommandEntry | undefined = engine.commands.lookup(argv[0]);
    if (entry !== undefined && entry.subcommands !== null && argv.length >= 2) {
      entry = entry.subcommands.get(argv[1].toLowerCase());
    }
    if (entry === undefined) {
      engine.replyError(client, 'ERR Unknown Redis command called from script');
      return;
    }
    const arity = entry.spec.arity;
    let refusal: string | null;
    if (arity > 0 ? argv.length !== arity : argv.length < -arity) {
      refusal = 'ERR Wrong number of args calling Redis command from script';
    } else if (!engine.scriptDenyDisabled && entry.spec.flags.includes('noscript')) {
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
    if (refusal !== null) {
      engine.replyError(client, refusal);
      engine.callRefused(entry);
      return;
    }
    if (entry.isWrite) run.dirty = true;
    // Commands run with the caller's permissions (SORT's BY and GET check them).
    client.user = run.caller.user;
    engine.call(client, entry, argv);
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

  private evalLuaState(): ScriptState {
    if (this.evalState === null) {
      const L = this.newState();
      protectGlobals(L);
      this.evalState = { L, spare: null };
    }
    return this.evalState;
  }

  private libraryLoader(): LibraryLoader {
    if (this.loader === null) {
      const L = this.newState();
      protectGlobals(L);
      this.loader = new LibraryLoader(L, (L) => this.redisLog(L));
      this.functionState = { L, spare: null };
    }
    return this.loader;
  }

  /** A Lua state with the libraries and the `redis` API scripts see. */
  private newState(): LuaState {
    const L = newLuaState();
    const libraries: Array<[string, (L: LuaState) => number]> = [
      ['_G', lualib.luaopen_base],
      ['table', lualib.luaopen_table],
      ['string', lualib.luaopen_string],
      ['math', lualib.luaopen_math],
      ['coroutine', lualib.luaopen_coroutine],
    ];
    for (const [name, open] of libraries) {
      lauxlib.luaL_requiref(L, name, open, 1);
      lua.lua_pop(L, 1);
    }
    runChunk(L, COMPATIBILITY, 0);
    lua.lua_pushcfunction(L, this.pcall);
    lua.lua_setglobal(L, 'pcall');
    lua.lua_pushcfunction(L, tostring);
    lua.lua_setglobal(L, 'tostring');
    this.registerRedis(L);
    openBit(L);
    openCjson(L);
    openCmsgpack(L);
    return L;
  }

  /**
   * Redis's pcall: as Lua's, but an error table (what redis.call raises) is returned as its
   * `err` string, as scripts written for Redis 6 expect. Built on lua_pcallk so a timed-out
   * script can still yield inside it.
   */
  private readonly pcall = (L: LuaState): number => {
    const argc = lua.lua_gettop(L);
    lua.lua_pushboolean(L, true);
    lua.lua_insert(L, 1);
    const status = lua.lua_pcallk(L, argc - 1, lua.LUA_MULTRET, 0, 0, this.pcallDone);
    return this.pcallDone(L, status, 0);
  };

  private readonly pcallDone = (L: LuaState, status: number, _context: number): number => {
    if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
      allowHooksAfterError(L);
      lua.lua_remove(L, 1);
      if (lua.lua_istable(L, -1)) {
        lua.lua_getfield(L, -1, FIELD.err);
        if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
        else lua.lua_pop(L, 1);
      }
      lua.lua_pushboolean(L, false);
      lua.lua_insert(L, 1);
    }
    return lua.lua_gettop(L);
  };

  private registerRedis(L: LuaState): void {
    lua.lua_createtable(L, 0, 32);
    const functions: Array<[string, (L: LuaState) => number]> = [
      ['call', (L) => this.command(L, true)],
      ['pcall', (L) => this.command(L, false)],
      ['log', (L) => this.redisLog(L)],
      ['setresp', (L) => this.setResp(L)],
      ['sha1hex', sha1hex],
      ['error_reply', (L) => singleFieldReply(L, true)],
      ['status_reply', (L) => singleFieldReply(L, false)],
      ['set_repl', (L) => this.setRepl(L)],
      ['replicate_commands', (L) => pushTrue(L)],
      [
        'breakpoint',
        (L) => {
          lua.lua_pushboolean(L, false);
          return 1;
        },
      ],
      ['debug', () => 0],
      ['acl_check_cmd', (L) => this.aclCheck(L)],
    ];
    for (const [name, fn] of functions) {
      lua.lua_pushcfunction(L, fn);
      lua.lua_setfield(L, -2, name);
    }
    setRedisConstants(L, [
      ['REPL_NONE', 0],
      ['REPL_AOF', 1],
      ['REPL_SLAVE', 2],
      ['REPL_REPLICA', 2],
      ['REPL_ALL', 3],
    ]);
    lua.lua_setglobal(L, 'redis');
  }

  /** Raises (never returns) when no script is running: the function was kept and called later. */
  private requireRun(L: LuaState, name: string): void {
    if (this.current === null) {
      raiseError(L, `${name} can only be called inside a script invocation`);
    }
  }

  private redisLog(L: LuaState): number {
    const argc = lua.lua_gettop(L);
    if (argc < 2) return raiseError(L, 'redis.log() requires two arguments or more.');
    if (!lua.lua_isnumber(L, 1))
      return raiseError(L, 'First argument must be a number (log level).');
    const level = Math.trunc(lua.lua_tonumber(L, 1));
    if (level < 0 || level > 3) return raiseError(L, 'Invalid debug level.');
    const parts: string[] = [];
    for (let i = 2; i <= argc; i++) {
      const text = lua.lua_tolstring(L, i);
      if (text !== null) parts.push(bytesLatin1(text));
    }
    this.log(level, parts.join(' '));
    return 0;
  }

  private setResp(L: LuaState): number {
    this.requireRun(L, 'redis.setresp');
    if (lua.lua_gettop(L) !== 1) return raiseError(L, 'redis.setresp() requires one argument.');
    const resp = Math.trunc(lua.lua_tonumber(L, 1));
    if (resp !== 2 && resp !== 3) return raiseError(L, 'RESP version must be 2 or 3.');
    this.client().out.protocol = resp;
    return 0;
  }

  /** redis.set_repl: the commands the script calls next go to the AOF, replicas, both or none. */
  private setRepl(L: LuaState): number {
    this.requireRun(L, 'redis.set_repl');
    if (lua.lua_gettop(L) !== 1) return raiseError(L, 'redis.set_repl() requires two arguments.');
    const flags = Math.trunc(lua.lua_tonumber(L, -1));
    if ((flags & ~3) !== 0) {
      return raiseError(
        L,
        'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.',
      );
    }
    if (this.current !== null) this.current.replicateTo = flags as PropagationTarget;
    return 0;
  }

  /** Where the writes of the command a script calls now go (Redis's script repl_flags). */
  get replicationTarget(): PropagationTarget {
    return this.current?.replicateTo ?? PropagationTarget.All;
  }

  /** redis.acl_check_cmd: whether the script's caller may run the call. */
  private aclCheck(L: LuaState): number {
    this.requireRun(L, 'redis.acl_check_cmd');
    const argv = argumentsOf(L);
    if (typeof argv === 'string') return raiseError(L, argv);
    const entry = this.engine.lookupCall(argv);
    if (entry === undefined) {
      return raiseError(L, 'Invalid command passed to redis.acl_check_cmd()');
    }
    const user = this.current?.caller.user ?? null;
    lua.lua_pushboolean(L, user === null || user.check(entry, argv) === null);
    return 1;
  }
}

/** How a refused call reads after "The user executing the script " (getAclErrorMessage). */
const SCRIPT_DENIALS: Record<DenialKind, string> = {
  command: "can't run this command or subcommand",
  key: "can't access at least one of the keys mentioned in the command arguments",
  channel: "can't publish to the channel mentioned in the command",
};

/** Arguments of a redis.call as strings (numbers as "%.17g"), or the error to raise. */
function argumentsOf(L: LuaState): string[] | string {
  const argc = lua.lua_gettop(L);
  if (argc === 0) return 'Please specify at least one argument for this redis lib call';
  const argv = new Array<string>(argc);
  for (let j = 0; j < argc; j++) {
    const type = lua.lua_type(L, j + 1);
    if (type === lua.LUA_TNUMBER) argv[j] = formatDouble(lua.lua_tonumber(L, j + 1));
    else if (type === lua.LUA_TSTRING)
      argv[j] = bytesLatin1(lua.lua_tolstring(L, j + 1) as Uint8Array);
    else {
      lua.lua_settop(L, 0);
      return 'Lua redis lib command arguments must be strings or integers';
    }
  }
  lua.lua_settop(L, 0);
  return argv;
}

function raiseError(L: LuaState, message: string): number {
  pushErrorTable(L, message);
  return lua.lua_error(L);
}

function pushTrue(L: LuaState): number {
  lua.lua_pushboolean(L, true);
  return 1;
}

/** redis.sha1hex(s): the lower-case hex SHA1 of a string. */
function sha1hex(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1) return raiseError(L, 'wrong number of arguments');
  const bytes = lua.lua_tolstring(L, 1) ?? new Uint8Array();
  lua.lua_pushstring(L, createHash('sha1').update(bytes).digest('hex'));
  return 1;
}

/** redis.error_reply / redis.status_reply: {err=...} (with an error code) or {ok=...}. */
function singleFieldReply(L: LuaState, isError: boolean): number {
  if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
    pushErrorTable(L, 'wrong number or type of arguments');
    return 1;
  }
  if (isError) {
    const text = luaText(L, -1);
    pushErrorTable(L, text.startsWith('-') ? text : `-${text}`);
    return 1;
  }
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushvalue(L, -2);
  lua.lua_setfield(L, -2, FIELD.ok);
  return 1;
}

/** tostring with Lua 5.1's "%.14g" for numbers (1e+15 where 5.3 prints 1000000000000000). */
function tostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_type(L, 1) === lua.LUA_TNUMBER) {
    lua.lua_pushstring(L, formatLuaNumber(lua.lua_tonumber(L, 1)));
  } else {
    lauxlib.luaL_tolstring(L, 1);
  }
  return 1;
}

/** tostring() of any value, for error messages. */
function luaText(L: LuaState, index: number): string {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TSTRING:
      return bytesLatin1(lua.lua_tolstring(L, index) as Uint8Array);
    case lua.LUA_TNUMBER:
      return formatLuaNumber(lua.lua_tonumber(L, index));
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return 'nil';
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index) ? 'true' : 'false';
    default:
      return 'unknown';
  }
}

/** Pushes argv[from..to) as a Lua array. */
function pushArray(L: LuaState, argv: string[], from: number, to: number): void {
  lua.lua_createtable(L, to - from, 0);
  for (let i = from; i < to; i++) {
    lua.lua_pushstring(L, latin1Bytes(argv[i]));
    lua.lua_rawseti(L, -2, i - from + 1);
  }
}

/** Redis's string2ll: an optional minus sign and digits, no leading zeros, within 64 bits. */
function parseLongLong(text: string): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(text)) return null;
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return null;
  return Number(value);
}

/** Sets KEYS or ARGV, bypassing the globals protection as Redis does. */
function setGlobalArray(
  L: LuaState,
  name: Uint8Array,
  argv: string[],
  from: number,
  to: number,
): void {
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_pushstring(L, name);
  pushArray(L, argv, from, to);
  lua.lua_rawset(L, -3);
  lua.lua_pop(L, 1);
}
