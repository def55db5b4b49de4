import { fengari, type LuaState } from './lua.js';

const { lua, lauxlib } = fengari;

/** Library tables scripts may read but not change, as Redis's readonly tables. */
const PROTECTED_LIBRARIES = [
  'string',
  'math',
  'table',
  'coroutine',
  'redis',
  'bit',
  'cjson',
  'cmsgpack',
];

const PROTECTION = `
local readonly, nonexistent, names = ...
local next, setmetatable = next, setmetatable
local function protect(t)
  return setmetatable({}, {
    __index = t,
    __newindex = readonly,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = false,
  })
end
for _, name in ipairs(names) do
  local t = rawget(_G, name)
  if t ~= nil then rawset(_G, name, protect(t)) end
end
setmetatable(_G, { __index = nonexistent, __newindex = readonly, __metatable = false })
`;

/**
 * Redis's global protection: library tables become read-only, and the globals table refuses
 * new globals and raises on reading one that does not exist.
 */
export function protectGlobals(L: LuaState): void {
  lua.lua_pushcfunction(L, readonlyTable);
  lua.lua_pushcfunction(L, nonexistentGlobal);
  lua.lua_createtable(L, PROTECTED_LIBRARIES.length, 0);
  PROTECTED_LIBRARIES.forEach((name, i) => {
    lua.lua_pushstring(L, name);
    lua.lua_rawseti(L, -2, i + 1);
  });
  runChunk(L, PROTECTION, 3);
}

/**
 * Replaces the table on top of the stack by a read-only view of it where reading a missing field
 * raises, as a table with Redis's error metatable (luaSetErrorMetatable) does.
 */
export function pushStrictView(L: LuaState): void {
  lua.lua_createtable(L, 0, 0);
  lua.lua_createtable(L, 0, 3);
  lua.lua_pushvalue(L, -3);
  lua.lua_pushcclosure(L, strictIndex, 1);
  lua.lua_setfield(L, -2, '__index');
  lua.lua_pushcfunction(L, readonlyTable);
  lua.lua_setfield(L, -2, '__newindex');
  lua.lua_pushboolean(L, false);
  lua.lua_setfield(L, -2, '__metatable');
  lua.lua_setmetatable(L, -2);
  lua.lua_remove(L, -2);
}

/** The viewed table's field, or the nonexistent-global error (raised where the script read it). */
function strictIndex(L: LuaState): number {
  lua.lua_pushvalue(L, 2);
  lua.lua_rawget(L, lua.lua_upvalueindex(1));
  if (!lua.lua_isnil(L, -1)) return 1;
  return nonexistentGlobal(L);
}

export function readonlyTable(L: LuaState): number {
  return lauxlib.luaL_error(L, 'Attempt to modify a readonly table');
}

export function nonexistentGlobal(L: LuaState): number {
  const name = lua.lua_tolstring(L, 2) ?? new Uint8Array();
  return lauxlib.luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name);
}

/** Runs setup code in the state; the `nargs` values on the stack are its arguments. */
export function runChunk(L: LuaState, code: string, nargs: number): void {
  const bytes = fengari.to_luastring(code);
  if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, '=rc') !== lua.LUA_OK) {
    throw new Error(`rc: Lua setup failed: ${lua.lua_tojsstring(L, -1)}`);
  }
  lua.lua_insert(L, -(nargs + 1));
  if (lua.lua_pcall(L, nargs, 0, 0) !== lua.LUA_OK) {
    throw new Error(`rc: Lua setup failed: ${lua.lua_tojsstring(L, -1)}`);
  }
}
