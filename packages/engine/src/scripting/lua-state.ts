import {
  LuaError,
  LuaRuntime,
  LuaTable,
  installBit,
  installCjson,
  installCmsgpack,
  installMath,
  installString,
  installStruct,
  installTable,
  mapResults,
  formatNumber,
  type LuaFunction,
  type LuaValue,
  type RedisRandom,
} from '@rc/lua';
import { SERVER_VERSION } from '../version.js';
import { errorTable } from './conversions.js';
import { sealRecursively, strictMetatable } from './sandbox.js';

/** The base library's functions Redis 7.0 leaves out (@rc/lua has no dofile or loadfile). */
const REMOVED_GLOBALS = ['print', 'getfenv', 'setfenv'];

/**
 * A Lua state as Redis 7.0 prepares one: the base, table, string, math and coroutine
 * libraries, bit, struct, cjson and cmsgpack, the `redis` table the caller built, Redis's
 * pcall, and then the whole of it sealed: the globals and every table reachable from them
 * are read-only, and reading a global that does not exist raises.
 */
export function createLuaState(redis: LuaTable, random: RedisRandom): LuaRuntime {
  const runtime = new LuaRuntime({ standardLibraries: false });
  const globals = runtime.globals;
  const string = installString(runtime);
  globals.set('string', string);
  runtime.stringMetatable.set('__index', string);
  globals.set('table', installTable(runtime));
  globals.set('math', installMath(random));
  globals.set('bit', installBit());
  globals.set('struct', installStruct());
  globals.set('cjson', installCjson());
  globals.set('cmsgpack', installCmsgpack());
  for (const name of REMOVED_GLOBALS) globals.set(name, undefined);
  globals.set('pcall', mapResults(globals.get('pcall') as LuaFunction, redisPcallResults));
  globals.set('redis', redis);
  globals.set('__redis__err__handler', errorHandler);
  globals.metatable = strictMetatable();
  sealRecursively(globals);
  sealRecursively(runtime.stringMetatable);
  return runtime;
}

/**
 * Redis's pcall: as Lua's, but an error table (what redis.call raises) comes back as its `err`
 * string, as scripts written for Redis 6 expect.
 */
function redisPcallResults(results: LuaValue[]): LuaValue[] {
  if (results[0] !== false || !(results[1] instanceof LuaTable)) return results;
  const message = results[1].get('err');
  return typeof message === 'string' ? [false, message] : results;
}

/** The global Redis's error handler leaves: an error as the `{err=...}` table replies carry. */
function errorHandler(error: LuaValue): LuaValue[] {
  if (error instanceof LuaTable) return [error];
  const table = new LuaTable();
  table.set('err', `ERR ${luaText(error)}`);
  return [table];
}

/**
 * The constants both `redis` tables carry (scripts' and the library loader's): the log levels,
 * `extra`, and the server version as a string and as REDIS_VERSION_NUM (0x00MMmmpp).
 */
export function setRedisConstants(
  redis: LuaTable,
  extra: ReadonlyArray<readonly [string, number]>,
): void {
  const [major, minor, patch] = SERVER_VERSION.split('.').map(Number);
  const numbers: Array<readonly [string, number]> = [
    ['LOG_DEBUG', 0],
    ['LOG_VERBOSE', 1],
    ['LOG_NOTICE', 2],
    ['LOG_WARNING', 3],
    ...extra,
    ['REDIS_VERSION_NUM', (major << 16) | (minor << 8) | patch],
  ];
  for (const [name, value] of numbers) redis.set(name, value);
  redis.set('REDIS_VERSION', SERVER_VERSION);
}

/** Raises Redis's error table for `message` ("ERR " unless it names its code with "-"). */
export function raiseError(message: string): never {
  throw new LuaError(errorTable(message));
}

/**
 * The reply text of an error a script raised, as Redis's error handler and luaCallFunction
 * build it: the error table's `err` (or "ERR " and the error text), then where in the script
 * it was raised. `counted` is false for a command error the command already counted.
 */
export function scriptErrorReply(error: LuaError, name: string): [string, boolean] {
  const value = error.value;
  let message: string;
  let counted = true;
  if (value instanceof LuaTable) {
    const err = value.get('err');
    message =
      typeof err === 'string' || typeof err === 'number' ? luaText(err) : 'ERR unknown error';
    counted = value.get('ignore_error_stats_update') !== true;
  } else {
    message = `ERR ${luaText(value)}`;
  }
  if (error.line !== undefined && error.source !== undefined) {
    message += ` script: ${name}, on @${error.source}:${error.line}.`;
  }
  return [message, counted];
}

/** tostring() of an error value, as the error handler's concatenation reads it. */
function luaText(value: LuaValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'nil';
    default:
      return 'unknown';
  }
}
