import { argumentError } from '../error.js';
import { formatNumber, parseNumber } from '../number.js';
import { LuaTable } from '../table.js';
import { typeName, type LuaFunction, type LuaValue } from '../value.js';

/*
 * Argument checks worded as Lua 5.1's luaL_check* family. `args` is the arguments array a
 * native received; `position` is 1-based; a position past args.length is "no value".
 */

/** luaL_typerror: "bad argument #1 to 'f' (table expected, got nil)". */
export function argumentTypeError(
  args: LuaValue[],
  position: number,
  name: string,
  expected: string,
) {
  const got = position > args.length ? 'no value' : typeName(args[position - 1]);
  return argumentError(position, name, `${expected} expected, got ${got}`);
}

/** luaL_checklstring: a string, or a number converted as Lua prints it. */
export function checkString(args: LuaValue[], position: number, name: string): string {
  const value = args[position - 1];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  throw argumentTypeError(args, position, name, 'string');
}

export function optString(args: LuaValue[], position: number, name: string, fallback: string) {
  return args[position - 1] === undefined ? fallback : checkString(args, position, name);
}

/** luaL_checknumber: a number, or a string that reads as one. */
export function checkNumber(args: LuaValue[], position: number, name: string): number {
  const value = args[position - 1];
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = parseNumber(value);
    if (parsed !== undefined) return parsed;
  }
  throw argumentTypeError(args, position, name, 'number');
}

/**
 * luaL_checkinteger: the number truncated to a 64-bit integer as C's cast does on x86-64
 * (out of range and NaN give INT64_MIN). Kept as a double: callers compare it with lengths.
 */
export function checkInteger(args: LuaValue[], position: number, name: string): number {
  return toInteger(checkNumber(args, position, name));
}

export function optInteger(args: LuaValue[], position: number, name: string, fallback: number) {
  return args[position - 1] === undefined ? fallback : checkInteger(args, position, name);
}

/** luaL_checkint: luaL_checkinteger's 64-bit integer cast to a C int (its low 32 bits). */
export function checkInt(args: LuaValue[], position: number, name: string): number {
  return toInt(checkNumber(args, position, name));
}

export function optInt(args: LuaValue[], position: number, name: string, fallback: number) {
  return args[position - 1] === undefined ? fallback : checkInt(args, position, name);
}

const INT64_MIN = -9223372036854775808;

export function toInteger(n: number): number {
  const truncated = Math.trunc(n);
  return truncated >= INT64_MIN && truncated < -INT64_MIN ? truncated : INT64_MIN;
}

function toInt(n: number): number {
  const truncated = Math.trunc(n);
  if (truncated >= -2147483648 && truncated <= 2147483647) return truncated;
  return Number(BigInt.asIntN(32, BigInt(toInteger(n))));
}

export function checkTable(args: LuaValue[], position: number, name: string): LuaTable {
  const value = args[position - 1];
  if (value instanceof LuaTable) return value;
  throw argumentTypeError(args, position, name, 'table');
}

export function checkFunction(args: LuaValue[], position: number, name: string): LuaFunction {
  const value = args[position - 1];
  if (typeof value === 'function') return value;
  throw argumentTypeError(args, position, name, 'function');
}

/** luaL_checkany: any value, nil included, but not nothing. */
export function checkAny(args: LuaValue[], position: number, name: string): LuaValue {
  if (position > args.length) throw argumentError(position, name, 'value expected');
  return args[position - 1];
}

/** A library table made of named natives. */
export function libraryTable(functions: Record<string, LuaFunction>): LuaTable {
  const table = new LuaTable();
  for (const [name, fn] of Object.entries(functions)) table.set(name, fn);
  return table;
}
