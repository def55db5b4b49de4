import { performance } from 'node:perf_hooks';
import {
  LuaError,
  LuaTable,
  formatNumber,
  type LuaFunction,
  type LuaRuntime,
  type LuaValue,
} from '@rc/lua';
import { errorTable } from './conversions.js';
import { raiseError, setRedisConstants } from './lua-state.js';
import { sealRecursively, strictMetatable } from './sandbox.js';
import { scriptFlagNamed, type ScriptFlag, type ScriptFlags } from './script-flags.js';

const CHUNK_NAME = 'user_function';
/** Redis checks FUNCTION LOAD's timeout every 100k instructions too. */
const HOOK_INSTRUCTIONS = 100_000;

/** A function as redis.register_function declared it. */
export interface FunctionDefinition {
  readonly name: string;
  readonly description: string | null;
  readonly flags: ScriptFlags;
  readonly callback: LuaFunction;
}

export type LoadResult = { readonly functions: FunctionDefinition[] } | { readonly error: string };

export const INVALID_NAME =
  'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/** Redis's functionsVerifyName: [a-zA-Z0-9_]+, for library and function names alike. */
export function isValidName(name: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(name);
}

/**
 * Runs library code in the functions' Lua state, as Redis's luaEngineCreate. Library code sees
 * globals of its own: while it loads, only a `redis` table with register_function, log and the
 * version (anything else raises "nonexistent global variable"); once loaded, its functions see
 * the usual globals. Neither can create globals.
 */
export class LibraryLoader {
  /** The globals library code runs with: empty, reading through to `fallback.__index`. */
  private readonly globals = new LuaTable();
  private readonly fallback = new LuaTable();
  private readonly libraryApi: LuaTable;
  /** Functions registered by the library loading now; null when none is. */
  private registered: FunctionDefinition[] | null = null;
  private deadline = Infinity;

  constructor(
    private readonly runtime: LuaRuntime,
    log: LuaFunction,
  ) {
    this.libraryApi = this.createLibraryApi(log);
    this.fallback.set('__index', runtime.globals);
    this.fallback.set('__metatable', false);
    this.fallback.readonly = true;
    this.globals.metatable = this.fallback;
    this.globals.readonly = true;
  }

  /** Compiles and runs library code (without its shebang line), collecting its functions. */
  load(code: string, timeoutMilliseconds: number): LoadResult {
    const runtime = this.runtime;
    let chunk: LuaFunction;
    try {
      chunk = runtime.load(code, CHUNK_NAME, this.globals, {
        resumable: true,
        resumableOnly: true,
      });
    } catch (error) {
      if (!(error instanceof LuaError)) throw error;
      return { error: `Error compiling function: ${String(error.value)}` };
    }
    const registered: FunctionDefinition[] = [];
    this.registered = registered;
    this.deadline = timeoutMilliseconds > 0 ? performance.now() + timeoutMilliseconds : Infinity;
    this.setFallback(this.libraryApi);
    runtime.setInterruptHandler(this.timeoutCheck, HOOK_INSTRUCTIONS);
    try {
      runtime.call(chunk);
      return { functions: registered };
    } catch (error) {
      if (!(error instanceof LuaError)) throw error;
      return { error: `Error registering functions: ${errorText(error.value)}` };
    } finally {
      runtime.setInterruptHandler(undefined);
      this.registered = null;
      this.setFallback(runtime.globals);
    }
  }

  /** What library code's globals fall back to: the library API or the real globals. */
  private setFallback(table: LuaTable): void {
    this.fallback.readonly = false;
    this.fallback.set('__index', table);
    this.fallback.readonly = true;
  }

  /** The globals of library code while it loads: only `redis`, with what loading may use. */
  private createLibraryApi(log: LuaFunction): LuaTable {
    const redis = new LuaTable();
    redis.set('register_function', this.registerFunction);
    redis.set('log', log);
    setRedisConstants(redis, []);
    redis.metatable = strictMetatable();
    const api = new LuaTable();
    api.set('redis', redis);
    api.metatable = strictMetatable();
    sealRecursively(api);
    return api;
  }

  private readonly timeoutCheck = (): boolean => {
    if (performance.now() <= this.deadline) return false;
    // Every check raises again, so the library can't catch the timeout and go on.
    this.runtime.setInterruptHandler(this.timeoutCheck, 0);
    throw new LuaError(errorTable('FUNCTION LOAD timeout'));
  };

  /** redis.register_function(name, callback) or redis.register_function{...}. */
  private readonly registerFunction = (...args: LuaValue[]): LuaValue[] => {
    const registered = this.registered;
    if (registered === null) {
      raiseError('redis.register_function can only be called on FUNCTION LOAD command');
    }
    const definition = readRegistration(args);
    if (typeof definition === 'string') raiseError(definition);
    if (!isValidName(definition.name)) raiseError(INVALID_NAME);
    if (registered.some((fn) => fn.name === definition.name)) {
      raiseError('Function already exists in the library');
    }
    registered.push(definition);
    return [];
  };
}

/** The error a library raised as Redis's luaExtractErrorInformation reads it. */
function errorText(value: LuaValue): string {
  if (value instanceof LuaTable) {
    const err = value.get('err');
    return typeof err === 'string' ? err : 'ERR unknown error';
  }
  if (typeof value === 'string' || typeof value === 'number') return `ERR ${luaString(value)}`;
  return 'ERR unknown error';
}

/** The arguments of register_function, or the error to raise (luaRegisterFunctionReadArgs). */
function readRegistration(args: LuaValue[]): FunctionDefinition | string {
  if (args.length < 1 || args.length > 2) {
    return 'wrong number of arguments to redis.register_function';
  }
  if (args.length === 2) {
    const [name, callback] = args;
    if (typeof name !== 'string' && typeof name !== 'number') {
      return 'first argument to redis.register_function must be a string';
    }
    if (typeof callback !== 'function') {
      return 'second argument to redis.register_function must be a function';
    }
    return { name: luaString(name), description: null, flags: new Set(), callback };
  }
  const table = args[0];
  if (!(table instanceof LuaTable)) {
    return 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).';
  }
  let name: string | null = null;
  let description: string | null = null;
  let flags: ScriptFlags = new Set();
  let callback: LuaFunction | null = null;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    const [key, value] = entry;
    if (typeof key !== 'string' && typeof key !== 'number') {
      return 'named argument key given to redis.register_function is not a string';
    }
    const field = luaString(key).toLowerCase();
    if (field === 'function_name') {
      if (typeof value !== 'string' && typeof value !== 'number') {
        return 'function_name argument given to redis.register_function must be a string';
      }
      name = luaString(value);
    } else if (field === 'description') {
      if (typeof value !== 'string' && typeof value !== 'number') {
        return 'description argument given to redis.register_function must be a string';
      }
      description = luaString(value);
    } else if (field === 'callback') {
      if (typeof value !== 'function') {
        return 'callback argument given to redis.register_function must be a function';
      }
      callback = value;
    } else if (field === 'flags') {
      if (!(value instanceof LuaTable)) {
        return 'flags argument to redis.register_function must be a table representing function flags';
      }
      const read = readFlags(value);
      if (read === null) return 'unknown flag given';
      flags = read;
    } else {
      return 'unknown argument given to redis.register_function';
    }
  }
  if (name === null) return 'redis.register_function must get a function name argument';
  if (callback === null) return 'redis.register_function must get a callback argument';
  return { name, description, flags, callback };
}

/** A string or a number as Lua's tostring reads it for a string argument. */
function luaString(value: string | number): string {
  return typeof value === 'string' ? value : formatNumber(value);
}

/** A flags table (an array of flag names), or null for an unknown one. */
function readFlags(table: LuaTable): ScriptFlags | null {
  const flags = new Set<ScriptFlag>();
  for (let i = 1; ; i++) {
    const value = table.get(i);
    if (value === undefined) return flags;
    const flag = typeof value === 'string' ? scriptFlagNamed(value) : null;
    if (flag === null) return null;
    flags.add(flag);
  }
}
