import { LuaError, LuaTable, formatNumber, type LuaValue } from '@rc/lua';

/**
 * Makes `table` and every table reachable from it (values and metatables) read-only, as Redis
 * 7.0 locks its globals once the libraries are in: a script can then change nothing another
 * script sees ("Attempt to modify a readonly table").
 */
export function sealRecursively(table: LuaTable): void {
  if (table.readonly) return;
  table.readonly = true;
  for (let entry = table.next(undefined); entry !== undefined; entry = table.next(entry[0])) {
    if (entry[1] instanceof LuaTable) sealRecursively(entry[1]);
  }
  if (table.metatable !== undefined) sealRecursively(table.metatable);
}

/**
 * A metatable whose `__index` raises for any field the table lacks, as Redis's error metatable
 * on the globals: reading an unknown global is an error at the script's line.
 */
export function strictMetatable(): LuaTable {
  const metatable = new LuaTable();
  metatable.set('__index', (_table: LuaValue, name: LuaValue) => {
    if (typeof name !== 'string' && typeof name !== 'number') {
      throw new LuaError('Second argument to luaProtectedTableError must be a string or number');
    }
    const text = typeof name === 'number' ? formatNumber(name) : name;
    throw new LuaError(`Script attempted to access nonexistent global variable '${text}'`);
  });
  return metatable;
}

/** Stores into a sealed table, as Redis opens its protection to set KEYS and ARGV. */
export function setSealed(table: LuaTable, key: string, value: LuaValue): void {
  table.readonly = false;
  table.set(key, value);
  table.readonly = true;
}
