/**
 * The part of fengari's API (Lua 5.3 in JavaScript, mirroring the C API) that the scripting
 * engine uses. Lua strings are byte arrays; JavaScript strings passed in are UTF-8 encoded.
 */
declare module 'fengari' {
  export interface LuaState {
    readonly __brand: 'lua_State';
  }
  export type LuaString = Uint8Array;
  export type LuaFunction = (L: LuaState) => number;
  export type LuaContinuation = (L: LuaState, status: number, ctx: number) => number;
  export class lua_Debug {
    currentline: number;
    source: LuaString | null;
    short_src: LuaString | null;
    what: LuaString | null;
  }
  export const lua: {
    LUA_OK: 0;
    LUA_YIELD: 1;
    LUA_ERRRUN: 2;
    LUA_ERRSYNTAX: 3;
    LUA_ERRMEM: 4;
    LUA_ERRERR: 6;
    LUA_TNONE: -1;
    LUA_TNIL: 0;
    LUA_TBOOLEAN: 1;
    LUA_TLIGHTUSERDATA: 2;
    LUA_TNUMBER: 3;
    LUA_TSTRING: 4;
    LUA_TTABLE: 5;
    LUA_TFUNCTION: 6;
    LUA_MASKCOUNT: number;
    LUA_MASKLINE: number;
    LUA_MULTRET: -1;
    LUA_REGISTRYINDEX: number;
    LUA_RIDX_GLOBALS: number;
    lua_Debug: typeof lua_Debug;
    lua_newthread(L: LuaState): LuaState;
    lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
    lua_yield(L: LuaState, nresults: number): void;
    lua_isyieldable(L: LuaState): boolean;
    lua_sethook(
      L: LuaState,
      hook: ((L: LuaState, ar: lua_Debug) => void) | null,
      mask: number,
      count: number,
    ): void;
    lua_getstack(L: LuaState, level: number, ar: lua_Debug): number;
    lua_getinfo(L: LuaState, what: LuaString, ar: lua_Debug): number;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_pushvalue(L: LuaState, index: number): void;
    lua_insert(L: LuaState, index: number): void;
    lua_remove(L: LuaState, index: number): void;
    lua_replace(L: LuaState, index: number): void;
    lua_xmove(from: LuaState, to: LuaState, n: number): void;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_type(L: LuaState, index: number): number;
    lua_pushnil(L: LuaState): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushboolean(L: LuaState, b: boolean | number): void;
    lua_pushstring(L: LuaState, s: LuaString | string): LuaString;
    lua_pushliteral(L: LuaState, s: string): LuaString;
    lua_pushcfunction(L: LuaState, f: LuaFunction): void;
    lua_pushcclosure(L: LuaState, f: LuaFunction, n: number): void;
    lua_tonumber(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tolstring(L: LuaState, index: number): LuaString | null;
    lua_tojsstring(L: LuaState, index: number): string | null;
    lua_isstring(L: LuaState, index: number): boolean;
    lua_isnumber(L: LuaState, index: number): boolean;
    lua_istable(L: LuaState, index: number): boolean;
    lua_isnil(L: LuaState, index: number): boolean;
    lua_createtable(L: LuaState, narray: number, nhash: number): void;
    lua_newtable(L: LuaState): void;
    lua_rawget(L: LuaState, index: number): number;
    lua_rawset(L: LuaState, index: number): void;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_getfield(L: LuaState, index: number, name: LuaString | string): number;
    lua_setfield(L: LuaState, index: number, name: LuaString | string): void;
    lua_settable(L: LuaState, index: number): void;
    lua_gettable(L: LuaState, index: number): number;
    lua_getglobal(L: LuaState, name: LuaString | string): number;
    lua_setglobal(L: LuaState, name: LuaString | string): void;
    lua_setmetatable(L: LuaState, index: number): void;
    lua_getmetatable(L: LuaState, index: number): boolean;
    lua_next(L: LuaState, index: number): number;
    lua_error(L: LuaState): never;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_call(L: LuaState, nargs: number, nresults: number): void;
    lua_pcallk(
      L: LuaState,
      nargs: number,
      nresults: number,
      msgh: number,
      ctx: number,
      k: LuaContinuation,
    ): number;
    lua_rawgetp?: never;
    lua_status(L: LuaState): number;
    lua_setupvalue(L: LuaState, funcindex: number, n: number): LuaString | null;
    lua_upvalueindex(i: number): number;
    lua_isfunction(L: LuaState, index: number): boolean;
    lua_isboolean(L: LuaState, index: number): boolean;
    lua_rawlen(L: LuaState, index: number): number;
    lua_rawequal(L: LuaState, index1: number, index2: number): boolean;
    lua_pushlightuserdata(L: LuaState, p: object | null): void;
    lua_touserdata(L: LuaState, index: number): unknown;
    lua_typename(L: LuaState, type: number): LuaString;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, buffer: LuaString, size: number, name: LuaString | string): number;
    luaL_error(L: LuaState, message: LuaString | string, ...args: unknown[]): never;
    luaL_checknumber(L: LuaState, arg: number): number;
    luaL_checkinteger(L: LuaState, arg: number): number;
    luaL_checklstring(L: LuaState, arg: number): LuaString;
    luaL_requiref(L: LuaState, name: LuaString | string, open: LuaFunction, global: number): void;
    luaL_ref(L: LuaState, table: number): number;
    luaL_unref(L: LuaState, table: number, ref: number): void;
    luaL_checkstack(L: LuaState, space: number, message: string | null): void;
    luaL_argerror(L: LuaState, arg: number, message: string): never;
    luaL_tolstring(L: LuaState, index: number): LuaString;
    luaL_checkany(L: LuaState, arg: number): void;
  };
  export const lualib: {
    luaopen_base: LuaFunction;
    luaopen_table: LuaFunction;
    luaopen_string: LuaFunction;
    luaopen_math: LuaFunction;
    luaopen_coroutine: LuaFunction;
  };
  export function to_luastring(text: string): LuaString;
}

declare module 'fengari/src/lobject.js' {
  /** A Lua value slot: tag and payload. */
  export interface TValue {
    value: unknown;
    ttisinteger(): boolean;
    ttisfloat(): boolean;
    setfltvalue(value: number): void;
    setsvalue(value: unknown): void;
  }
  const lobject: {
    luaO_str2num(text: Uint8Array, out: TValue): number;
    luaO_tostring(L: unknown, value: TValue): void;
  };
  export default lobject;
}

declare module 'fengari/src/lstring.js' {
  const lstring: {
    luaS_bless(L: unknown, bytes: Uint8Array): unknown;
  };
  export default lstring;
}
