import type { LuaValue } from './value.js';

/**
 * A Lua error on its way up the stack: `error(value)`, a runtime error of compiled code, or a
 * library function's complaint. `level` says which Lua function's position still has to be
 * put in front of a string message ("user_script:3: "): 1 is the innermost Lua function the
 * error passes through, 0 means no position (or already added). Compiled functions add it as
 * the error leaves them, and record where the error was raised (`source`, `line`).
 */
export class LuaError extends Error {
  value: LuaValue;
  level: number;
  source: string | undefined;
  line: number | undefined;

  constructor(value: LuaValue, level = 1) {
    super(typeof value === 'string' ? value : 'Lua error');
    this.value = value;
    this.level = typeof value === 'string' ? level : 0;
  }
}

/** A library function's argument error, worded as Lua 5.1's luaL_argerror. */
export function argumentError(position: number, functionName: string, problem: string): LuaError {
  return new LuaError(`bad argument #${position} to '${functionName}' (${problem})`);
}
