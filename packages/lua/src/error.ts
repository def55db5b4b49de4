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

const ARGUMENT_PREFIX = 'bad argument #';

/**
 * The parts of "bad argument #n to 'name' (problem)", or undefined for another message. No
 * regular expression: this runs while a stack overflow unwinds, where V8 cannot compile one.
 */
function argumentErrorParts(message: string): [string, string, string] | undefined {
  if (!message.startsWith(ARGUMENT_PREFIX) || !message.endsWith(')')) return undefined;
  const to = message.indexOf(" to '", ARGUMENT_PREFIX.length);
  if (to === -1) return undefined;
  const position = message.slice(ARGUMENT_PREFIX.length, to);
  if (position === '' || [...position].some((c) => c < '0' || c > '9')) return undefined;
  const nameEnd = message.indexOf("' (", to + 5);
  if (nameEnd === -1) return undefined;
  const name = message.slice(to + 5, nameEnd);
  if (name.includes("'")) return undefined;
  return [position, name, message.slice(nameEnd + 3, -1)];
}

/**
 * A native's argument error named as 5.1 names it, from the call site (5.1 reads the calling
 * instruction): the local, global or upvalue called (`local f = string.rep; f()` says 'f'),
 * '?' for a call of no name, and for a method (`s:rep()`) `self` is not counted ("calling
 * 'rep' on bad self" when it is self that is wrong). The call is known when the line makes
 * only that call, or for a method when the line calls one function of the native's name.
 */
export function namedByCallSite(message: string, sites: string[] | undefined): string {
  if (sites === undefined) return message;
  const parts = argumentErrorParts(message);
  if (parts === undefined) return message;
  const [position, name, problem] = parts;
  const calls = sites.filter((site) => site.slice(1) === name || site === name);
  if (calls.length === 1 && calls[0] === `:${name}`) {
    const argument = Number(position) - 1;
    if (argument === 0) return `calling '${name}' on bad self (${problem})`;
    return `bad argument #${argument} to '${name}' (${problem})`;
  }
  const only = sites.length === 1 ? sites[0]! : undefined;
  if (only === undefined || only.startsWith(':') || only.startsWith('.') || name === '?') {
    return message;
  }
  return `bad argument #${position} to '${only}' (${problem})`;
}

/** An argument error of a native called by a native (pcall): 5.1 cannot name the function. */
export function namedByNative(message: LuaValue): LuaValue {
  if (typeof message !== 'string') return message;
  const parts = argumentErrorParts(message);
  return parts === undefined ? message : `bad argument #${parts[0]} to '?' (${parts[2]})`;
}
