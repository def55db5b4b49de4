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

/**
 * Every protected table is an empty proxy, so that any assignment reaches __newindex, even to a
 * name that exists (`redis = nil`). Its metatable reads as a read-only table too, as Redis's
 * readonly tables make getmetatable(_G).__index = {} fail.
 */
const PROTECTION = `
local readonly, globalsIndex, names, globals = ...
local next, rawget, rawset, setmetatable = next, rawget, rawset, setmetatable
local function protect(t, index)
  local meta = {
    __index = index or t,
    __newindex = readonly,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
  }
  meta.__metatable = setmetatable({}, { __index = meta, __newindex = readonly, __metatable = false })
  return setmetatable({}, meta)
end
for _, name in ipairs(names) do
  local t = rawget(globals, name)
  if t ~= nil then rawset(globals, name, protect(t)) end
end
local proxy = protect(globals, globalsIndex)
rawset(globals, '_G', proxy)
return proxy
`;

/**
 * Redis's global protection: library tables and the globals become read-only (setmetatable and
 * rawset refuse them too), and reading a global that does not exist raises.
 */
export function protectGlobals(L: LuaState): void {
  for (const name of ['setmetatable', 'rawset']) {
    lua.lua_getglobal(L, name);
    lua.lua_pushcclosure(L, refuseProtected, 1);
    lua.lua_setglobal(L, name);
  }
  lua.lua_pushcfunction(L, readonlyTable);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_pushcclosure(L, strictIndex, 1);
  lua.lua_createtable(L, PROTECTED_LIBRARIES.length, 0);
  PROTECTED_LIBRARIES.forEach((name, i) => {
    lua.lua_pushstring(L, name);
    lua.lua_rawseti(L, -2, i + 1);
  });
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  runChunk(L, PROTECTION, 4, 1);
  lua.lua_rawseti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
}

/** setmetatable or rawset (the upvalue), refusing a protected table as Redis does. */
function refuseProtected(L: LuaState): number {
  if (lua.lua_type(L, 1) === lua.LUA_TTABLE && lua.lua_getmetatable(L, 1)) {
    const locked = lua.lua_getfield(L, -1, '__metatable') !== lua.LUA_TNIL;
    lua.lua_pop(L, 2);
    // Raised by setmetatable itself: no position, as in Redis.
    if (locked) {
      lua.lua_pushstring(L, 'Attempt to modify a readonly table');
      return lua.lua_error(L);
    }
  }
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_insert(L, 1);
  lua.lua_call(L, lua.lua_gettop(L) - 1, lua.LUA_MULTRET);
  return lua.lua_gettop(L);
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
export function runChunk(L: LuaState, code: string, nargs: number, nresults = 0): void {
  const bytes = fengari.to_luastring(code);
  if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, '=rc') !== lua.LUA_OK) {
    throw new Error(`rc: Lua setup failed: ${lua.lua_tojsstring(L, -1)}`);
  }
  lua.lua_insert(L, -(nargs + 1));
  if (lua.lua_pcall(L, nargs, nresults, 0) !== lua.LUA_OK) {
    throw new Error(`rc: Lua setup failed: ${lua.lua_tojsstring(L, -1)}`);
  }
}
