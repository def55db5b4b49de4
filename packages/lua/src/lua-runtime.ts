import { installBaseLibrary } from './base-library.js';
import { CompiledChunks, type ChunkFactory } from './compiled-chunks.js';
import { compile } from './compiler.js';
import { installCoroutineLibrary } from './coroutine-library.js';
import { LuaError, namedByCallSite } from './error.js';
import {
  PAUSE,
  YIELD_ACROSS_NATIVE,
  makeHelpers,
  type Body,
  type CallSites,
  type CompiledCodeHost,
  type CompiledFunction,
} from './helpers.js';
import type { LibraryHost } from './host.js';
import { installMath } from './lib/math.js';
import { RedisRandom } from './lib/random.js';
import { installString } from './lib/string.js';
import { installTable } from './lib/table.js';
import { formatNumber } from './number.js';
import { parse } from './parser.js';
import { Operations } from './runtime.js';
import { LuaTable } from './table.js';
import { LuaUserdata, NO_VALUES, typeName, type LuaFunction, type LuaValue } from './value.js';

export interface LuaRuntimeOptions {
  /** Where `print` writes each line (without its newline). Default: nowhere. */
  print?: (line: string) => void;
  /**
   * Installs string (with the string metatable), table and math, as Redis loads them.
   * Default: true. The host adds the rest (bit, struct, cjson, cmsgpack, redis).
   */
  standardLibraries?: boolean;
}

export interface LoadOptions {
  /** Compiles generator variants too, so `start` can pause the chunk (see `start`). */
  resumable?: boolean;
  /**
   * With `resumable`: compiles only the generator variants, about a third of the code, so
   * loading is faster; `call` and callbacks from natives then step the generators (slower on
   * call-heavy code). For chunks that mostly run with `start`. A chunk with no loop and no
   * function of its own compiles as a plain function instead: it cannot run long, so it never
   * pauses.
   */
  resumableOnly?: boolean;
}

/** A call in progress that pauses when the interrupt handler asks (see `LuaRuntime.start`). */
export interface LuaRun {
  /** Goes on: the results once the call ends, or undefined when it paused again. */
  resume(): LuaValue[] | undefined;
  /**
   * Goes on by raising `error` where the run paused, as if the paused statement raised it (a
   * debugger aborting the script): pcall can catch it.
   */
  raise(error: LuaError): LuaValue[] | undefined;
  /** Abandons a paused run (its pending `finally` blocks run). */
  cancel(): void;
}

/**
 * Called before each statement of a chunk loaded while a debug hook is set; returning true
 * pauses a resumable run (see `start`) before that statement, so a debugger can wait for its
 * client (Redis's LDB) and resume the run afterwards.
 */
export type DebugHook = (line: number, locals: () => [string, LuaValue][]) => boolean | void;

/** The accessors of a loaded chunk's globals table (setfenv/getfenv on the chunk). */
interface ChunkEnvironment {
  get(): LuaTable;
  set(table: LuaTable): void;
}

/** A run `LuaRuntime.start` made: the body's generator, stepped by the host. */
class GeneratorRun implements LuaRun {
  constructor(
    private readonly body: Body,
    private readonly operations: Operations,
  ) {}

  resume(): LuaValue[] | undefined {
    return this.drive(undefined);
  }

  raise(error: LuaError): LuaValue[] | undefined {
    return this.drive(error);
  }

  cancel(): void {
    this.body.return(NO_VALUES);
  }

  /** Runs until the body ends (its results) or pauses (undefined); `error` is raised first. */
  private drive(error: LuaError | undefined): LuaValue[] | undefined {
    const operations = this.operations;
    const body = this.body;
    // Each slice runs as a call from the host, as `call` does.
    operations.enterNative(0);
    try {
      let step = error === undefined ? body.next() : body.throw(error);
      for (;;) {
        if (step.done) return step.value;
        if (step.value === PAUSE) return undefined;
        step = body.throw(new LuaError(YIELD_ACROSS_NATIVE, 0));
      }
    } finally {
      operations.nativeDepth--;
    }
  }
}

/**
 * A run of a function with no generator form (a native, a chunk with no loop or function of
 * its own): it never pauses, so it runs to its end on the first resume.
 */
class CallRun implements LuaRun {
  constructor(
    private readonly runtime: LuaRuntime,
    private readonly f: LuaFunction,
    private readonly args: LuaValue[],
  ) {}

  resume(): LuaValue[] {
    return this.runtime.call(this.f, ...this.args);
  }

  /** Never paused: raising where it paused is raising before it starts, as a generator does. */
  raise(error: LuaError): never {
    throw error;
  }

  cancel(): void {}
}

/** Compiled chunks are shared by every runtime of the process. */
const COMPILED = new CompiledChunks();

/** V8's message for a stack overflow (a plain string: testing it must not call much). */
const STACK_OVERFLOW = 'Maximum call stack size exceeded';
const STRING_TOO_LONG = 'Invalid string length';

/** An error raised by the language's operations inside a native keeps its message bare. */
function raisedInNative(error: unknown): unknown {
  if (error instanceof LuaError && error.line === undefined && error.level === 1) error.level = 0;
  return error;
}

/**
 * A Lua 5.1 state: globals with the base and coroutine libraries, the string metatable, the
 * compiler, and the hooks a host needs (interrupts, a debugger).
 */
export class LuaRuntime implements LibraryHost, CompiledCodeHost {
  readonly operations = new Operations();
  readonly globals = new LuaTable();
  budget = Infinity;
  readonly yieldFunction: LuaFunction;
  print: (line: string) => void;

  private interruptInterval = Infinity;
  private interruptHandler: (() => boolean | void) | undefined = undefined;
  private debugHook: DebugHook | undefined = undefined;
  private readonly helpers: ReturnType<typeof makeHelpers>;
  private readonly environments = new WeakMap<LuaFunction, ChunkEnvironment>();
  private readonly addresses = new WeakMap<object, string>();
  private nextAddress = 0;

  constructor(options: LuaRuntimeOptions = {}) {
    this.print = options.print ?? (() => {});
    this.yieldFunction = installCoroutineLibrary(this);
    this.helpers = makeHelpers(this);
    installBaseLibrary(this);
    if (options.standardLibraries ?? true) this.installStandardLibraries();
  }

  private installStandardLibraries(): void {
    const string = installString(this);
    this.globals.set('string', string);
    this.stringMetatable.set('__index', string);
    this.globals.set('table', installTable(this));
    this.globals.set('math', installMath(new RedisRandom()));
  }

  get stringMetatable(): LuaTable {
    return this.operations.stringMetatable;
  }

  /**
   * Compiles a chunk; `chunkName` is how messages name it ("user_script" gives
   * "user_script:1: ..."). Throws a LuaError with the syntax error's message. A `resumable`
   * chunk can also run with `start`, pausing when the interrupt handler asks.
   */
  load(
    source: string,
    chunkName: string,
    env: LuaTable = this.globals,
    options: LoadOptions = {},
  ): LuaFunction {
    const compileOptions = {
      chunkName,
      debug: this.debugHook !== undefined,
      coroutines: options.resumable === true || source.includes('coroutine'),
      generatorsOnly: options.resumable === true && options.resumableOnly === true,
    };
    // The chunk name's length keeps the key unambiguous (a name may hold any byte).
    const flags = `${+compileOptions.debug}${+compileOptions.coroutines}${+compileOptions.generatorsOnly}`;
    const key = `${flags}${chunkName.length}:${chunkName}${source}`;
    let instantiate = COMPILED.get(key);
    if (instantiate === undefined) {
      const javascript = compile(parse(source, chunkName), compileOptions);
      instantiate = new Function('$h', '$env', javascript) as ChunkFactory;
      COMPILED.set(key, instantiate);
    }
    const [main, set, get] = instantiate(this.helpers, env);
    this.environments.set(main, { get, set });
    return main;
  }

  /**
   * Starts calling `f` as a run the host steps with `resume()`: in a chunk loaded
   * `resumable`, each time the interrupt handler returns true the run pauses (resume returns
   * undefined) so the host can serve others, then goes on where it stopped on the next
   * resume. Pauses happen in Lua code, pcall and coroutines; not inside other natives'
   * callbacks (sort comparators, gsub functions, metamethods), which run to their end.
   */
  start(f: LuaFunction, ...args: LuaValue[]): LuaRun {
    // A run starts from no native call (one left unfinished by an abandoned run is forgotten).
    this.operations.nativeDepth = 0;
    const generator = (f as CompiledFunction).generator;
    if (generator === undefined) return new CallRun(this, f, args);
    return new GeneratorRun(generator(...args), this.operations);
  }

  /**
   * Whether a run of `f` (see `start`) can pause: a compiled function with a generator form
   * can; a native, or a chunk compiled plain, cannot.
   */
  canPause(f: LuaFunction): boolean {
    return (f as CompiledFunction).generator !== undefined;
  }

  /**
   * What `start(f).resume()` does for a function that cannot pause (see `canPause`), without
   * making a run: calls it from no native call, to its end.
   */
  callFromTop(f: LuaFunction): LuaValue[] {
    const operations = this.operations;
    operations.nativeDepth = 0;
    operations.enterNative(0);
    try {
      return f();
    } finally {
      operations.nativeDepth--;
    }
  }

  /** The globals table of a loaded chunk (getfenv), or undefined for other functions. */
  environmentOf(f: LuaFunction): LuaTable | undefined {
    return this.environments.get(f)?.get();
  }

  /** Replaces a loaded chunk's globals table (setfenv); false for other functions. */
  setEnvironment(f: LuaFunction, table: LuaTable): boolean {
    const environment = this.environments.get(f);
    if (environment === undefined) return false;
    environment.set(table);
    return true;
  }

  call(f: LuaValue, ...args: LuaValue[]): LuaValue[] {
    const operations = this.operations;
    operations.enterNative(0);
    try {
      return operations.callable(f)(...args);
    } finally {
      operations.nativeDepth--;
    }
  }

  // The LibraryHost operations below run inside a native: an error they raise themselves gets
  // no position, as 5.1's luaG_runerror adds none when the running function is a C function.

  index(value: LuaValue, key: LuaValue): LuaValue {
    try {
      return this.operations.index(value, key);
    } catch (error) {
      throw raisedInNative(error);
    }
  }

  lessThan(a: LuaValue, b: LuaValue): boolean {
    try {
      return this.operations.lessThan(a, b);
    } catch (error) {
      throw raisedInNative(error);
    }
  }

  setIndex(value: LuaValue, key: LuaValue, newValue: LuaValue): void {
    this.operations.setIndex(value, key, newValue);
  }

  /** `tostring(value)`: __tostring, numbers as 5.1 prints them, `table: 0x...`. */
  tostring(value: LuaValue): string {
    const result = this.tostringValue(value);
    if (typeof result !== 'string') throw new LuaError("'__tostring' must return a string");
    return result;
  }

  /** What the base library's tostring returns (__tostring may return any value). */
  tostringValue(value: LuaValue): LuaValue {
    switch (typeof value) {
      case 'undefined':
        return 'nil';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        return formatNumber(value);
      case 'string':
        return value;
    }
    const handler = this.operations.metamethod(value, '__tostring');
    if (handler !== undefined) return this.call(handler, value)[0];
    if (value instanceof LuaUserdata) {
      return `userdata: ${value.address === 0 ? '(nil)' : '0x' + value.address.toString(16)}`;
    }
    return `${typeName(value)}: ${this.addressOf(value)}`;
  }

  private addressOf(value: object): string {
    let address = this.addresses.get(value);
    if (address === undefined) {
      address = '0x' + (0x55d0c0a00000 + this.nextAddress++ * 0x40).toString(16);
      this.addresses.set(value, address);
    }
    return address;
  }

  /**
   * Calls `handler` every `interval` function entries and loop iterations (a budget counted
   * down by compiled code); the handler may throw to abort the running script, or return
   * true to pause a run made with `start`.
   */
  setInterruptHandler(handler: (() => boolean | void) | undefined, interval = 100_000): void {
    this.interruptHandler = handler;
    this.interruptInterval = handler === undefined ? Infinity : interval;
    this.budget = this.interruptInterval;
  }

  interrupt(): boolean {
    this.budget = this.interruptInterval;
    return this.interruptHandler?.() === true;
  }

  /** With a hook set, chunks loaded afterwards call it before each statement. */
  setDebugHook(hook: DebugHook | undefined): void {
    this.debugHook = hook;
  }

  debugStep(line: number, locals: () => [string, LuaValue][]): boolean {
    return this.debugHook?.(line, locals) === true;
  }

  fault(error: unknown, line: number, chunkName: string, sites?: CallSites): unknown {
    let luaError: LuaError;
    if (error instanceof LuaError) luaError = error;
    else if (error instanceof RangeError && error.message === STACK_OVERFLOW)
      luaError = new LuaError('stack overflow');
    // A string past V8's length limit: Lua's memory error, which has no position.
    else if (error instanceof RangeError && error.message === STRING_TOO_LONG)
      luaError = new LuaError('not enough memory', 0);
    else return error;
    if (luaError.line === undefined) {
      luaError.source = chunkName;
      luaError.line = line;
    }
    if (luaError.level === 1) {
      const bare =
        sites === undefined
          ? (luaError.value as string)
          : namedByCallSite(luaError.value as string, sites[line]);
      const message = `${chunkName}:${line}: ${bare}`;
      luaError.value = message;
      luaError.message = message;
      luaError.level = 0;
    } else if (luaError.level > 1) {
      luaError.level--;
    }
    return luaError;
  }
}
