import { performance } from 'node:perf_hooks';
import { SERVER_VERSION } from '../commands/connection.js';
import { FIELD, pushErrorTable } from './conversions.js';
import { bytesLatin1, compile, fengari, lua51Wording, type LuaState } from './lua.js';
import { pushStrictView, readonlyTable } from './protection.js';
import { scriptFlagNamed, type ScriptFlag, type ScriptFlags } from './script-flags.js';

const { lua, lauxlib } = fengari;

const CHUNK_NAME = fengari.to_luastring('@user_function');
/** Redis checks FUNCTION LOAD's timeout every 100k instructions too. */
const HOOK_INSTRUCTIONS = 100_000;

/** A function as redis.register_function declared it; `ref` is its registry reference. */
export interface FunctionDefinition {
  readonly name: string;
  readonly description: string | null;
  readonly flags: ScriptFlags;
  readonly ref: number;
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
  /** Registry references: the globals library code runs with, and its metatable. */
  private readonly globalsRef: number;
  private readonly globalsMetaRef: number;
  private readonly libraryApiRef: number;
  private readonly realGlobalsRef: number;
  /** Functions registered by the library loading now; null when none is. */
  private registered: FunctionDefinition[] | null = null;
  private deadline = Infinity;

  constructor(
    private readonly L: LuaState,
    log: (L: LuaState) => number,
  ) {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    this.realGlobalsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.libraryApiRef = this.createLibraryApi(log);
    lua.lua_createtable(L, 0, 0);
    lua.lua_createtable(L, 0, 3);
    lua.lua_pushcfunction(L, readonlyTable);
    lua.lua_setfield(L, -2, '__newindex');
    lua.lua_pushboolean(L, false);
    lua.lua_setfield(L, -2, '__metatable');
    lua.lua_pushvalue(L, -1);
    this.globalsMetaRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_setmetatable(L, -2);
    this.globalsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  /** Compiles and runs library code (without its shebang line), collecting its functions. */
  load(code: Uint8Array, timeoutMilliseconds: number): LoadResult {
    const L = this.L;
    const compileError = compile(L, code, CHUNK_NAME);
    if (compileError !== null) return { error: `Error compiling function: ${compileError}` };
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.globalsRef);
    lua.lua_setupvalue(L, -2, 1);
    this.setGlobalsFallback(this.libraryApiRef);
    const registered: FunctionDefinition[] = [];
    this.registered = registered;
    this.deadline = timeoutMilliseconds > 0 ? performance.now() + timeoutMilliseconds : Infinity;
    lua.lua_sethook(L, this.timeoutHook, lua.LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    const status = lua.lua_pcall(L, 0, 0, 0);
    lua.lua_sethook(L, null, 0, 0);
    this.registered = null;
    this.setGlobalsFallback(this.realGlobalsRef);
    if (status === lua.LUA_OK) return { functions: registered };
    const message = errorText(L);
    lua.lua_pop(L, 1);
    this.release(registered);
    return { error: `Error registering functions: ${message}` };
  }

  /** Frees the compiled functions of a library that is gone. */
  release(functions: Iterable<FunctionDefinition>): void {
    for (const fn of functions) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, fn.ref);
  }

  /** What library code's globals fall back to: the library API or the real globals. */
  private setGlobalsFallback(ref: number): void {
    const L = this.L;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.globalsMetaRef);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    lua.lua_setfield(L, -2, '__index');
    lua.lua_pop(L, 1);
  }

  /** The globals of library code while it loads: only `redis`, with what loading may use. */
  private createLibraryApi(log: (L: LuaState) => number): number {
    const L = this.L;
    lua.lua_createtable(L, 0, 1);
    lua.lua_createtable(L, 0, 8);
    lua.lua_pushcfunction(L, this.registerFunction);
    lua.lua_setfield(L, -2, 'register_function');
    lua.lua_pushcfunction(L, log);
    lua.lua_setfield(L, -2, 'log');
    setRedisConstants(L, []);
    pushStrictView(L);
    lua.lua_setfield(L, -2, 'redis');
    pushStrictView(L);
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  private readonly timeoutHook = (L: LuaState): void => {
    if (performance.now() <= this.deadline) return;
    // Every line raises again, so the library can't catch the timeout and go on.
    lua.lua_sethook(L, this.timeoutHook, lua.LUA_MASKLINE, 0);
    pushErrorTable(L, 'FUNCTION LOAD timeout');
    lua.lua_error(L);
  };

  /** redis.register_function(name, callback) or redis.register_function{...}. */
  private readonly registerFunction = (L: LuaState): number => {
    const registered = this.registered;
    if (registered === null) {
      return raise(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    }
    const definition = readRegistration(L);
    if (typeof definition === 'string') return raise(L, definition);
    let error: string | null = null;
    if (!isValidName(definition.name)) error = INVALID_NAME;
    else if (registered.some((fn) => fn.name === definition.name)) {
      error = 'Function already exists in the library';
    }
    if (error !== null) {
      this.release([definition]);
      return raise(L, error);
    }
    registered.push(definition);
    return 0;
  };
}

/**
 * Sets the constants both `redis` tables carry (scripts' and the library loader's) on the table
 * at the top of the stack: the log levels, `extra`, and the server version as a string and as
 * REDIS_VERSION_NUM (0x00MMmmpp).
 */
export function setRedisConstants(L: LuaState, extra: ReadonlyArray<[string, number]>): void {
  const [major, minor, patch] = SERVER_VERSION.split('.').map(Number);
  const numbers: Array<[string, number]> = [
    ['LOG_DEBUG', 0],
    ['LOG_VERBOSE', 1],
    ['LOG_NOTICE', 2],
    ['LOG_WARNING', 3],
    ...extra,
    ['REDIS_VERSION_NUM', (major << 16) | (minor << 8) | patch],
  ];
  for (const [name, value] of numbers) {
    lua.lua_pushnumber(L, value);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_pushstring(L, SERVER_VERSION);
  lua.lua_setfield(L, -2, 'REDIS_VERSION');
}

function raise(L: LuaState, message: string): number {
  pushErrorTable(L, message);
  return lua.lua_error(L);
}

/** The error on top of the stack as Redis's luaExtractErrorInformation reads it. */
function errorText(L: LuaState): string {
  let message = lua.lua_isstring(L, -1)
    ? `ERR ${lua51Wording(luaString(L, -1))}`
    : 'ERR unknown error';
  if (lua.lua_istable(L, -1)) {
    lua.lua_getfield(L, -1, FIELD.err);
    if (lua.lua_isstring(L, -1)) message = luaString(L, -1);
    lua.lua_pop(L, 1);
  }
  return message;
}

function luaString(L: LuaState, index: number): string {
  return bytesLatin1(lua.lua_tolstring(L, index) ?? new Uint8Array());
}

/** The arguments of register_function, or the error to raise (luaRegisterFunctionReadArgs). */
function readRegistration(L: LuaState): FunctionDefinition | string {
  const argc = lua.lua_gettop(L);
  if (argc < 1 || argc > 2) return 'wrong number of arguments to redis.register_function';
  if (argc === 2) {
    if (!lua.lua_isstring(L, 1))
      return 'first argument to redis.register_function must be a string';
    if (!lua.lua_isfunction(L, 2)) {
      return 'second argument to redis.register_function must be a function';
    }
    const name = luaString(L, 1);
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    return { name, description: null, flags: new Set(), ref };
  }
  if (!lua.lua_istable(L, 1)) {
    return 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).';
  }
  let name: string | null = null;
  let description: string | null = null;
  let flags: ScriptFlags = new Set();
  let ref: number | null = null;
  const fail = (message: string): string => {
    if (ref !== null) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
    return message;
  };
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    // The stack: table, key, value.
    if (!lua.lua_isstring(L, -2)) {
      return fail('named argument key given to redis.register_function is not a string');
    }
    const key = luaString(L, -2).toLowerCase();
    if (key === 'function_name') {
      if (!lua.lua_isstring(L, -1)) {
        return fail('function_name argument given to redis.register_function must be a string');
      }
      name = luaString(L, -1);
    } else if (key === 'description') {
      if (!lua.lua_isstring(L, -1)) {
        return fail('description argument given to redis.register_function must be a string');
      }
      description = luaString(L, -1);
    } else if (key === 'callback') {
      if (!lua.lua_isfunction(L, -1)) {
        return fail('callback argument given to redis.register_function must be a function');
      }
      if (ref !== null) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
      // luaL_ref pops the value, leaving the key for lua_next.
      ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
      continue;
    } else if (key === 'flags') {
      if (!lua.lua_istable(L, -1)) {
        return fail(
          'flags argument to redis.register_function must be a table representing function flags',
        );
      }
      const read = readFlags(L);
      if (read === null) return fail('unknown flag given');
      flags = read;
    } else {
      return fail('unknown argument given to redis.register_function');
    }
    lua.lua_pop(L, 1);
  }
  if (name === null) return fail('redis.register_function must get a function name argument');
  if (ref === null) return fail('redis.register_function must get a callback argument');
  return { name, description, flags, ref };
}

/** The flags table on top of the stack (an array of flag names), or null for an unknown one. */
function readFlags(L: LuaState): ScriptFlags | null {
  const flags = new Set<ScriptFlag>();
  for (let i = 1; ; i++) {
    lua.lua_rawgeti(L, -1, i);
    if (lua.lua_isnil(L, -1)) {
      lua.lua_pop(L, 1);
      return flags;
    }
    const flag = lua.lua_isstring(L, -1) ? scriptFlagNamed(luaString(L, -1)) : null;
    lua.lua_pop(L, 1);
    if (flag === null) return null;
    flags.add(flag);
  }
}
