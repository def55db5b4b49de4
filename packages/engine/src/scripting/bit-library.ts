import { fengari, type LuaState } from './lua.js';

const { lua, lauxlib } = fengari;

/** The `bit` library Redis bundles (LuaBitOp): 32-bit operations on numbers. */
export function openBit(L: LuaState): void {
  const toBit = (L: LuaState, index: number): number => lauxlib.luaL_checknumber(L, index) | 0;
  const reduce = (op: (a: number, b: number) => number) => (L: LuaState) => {
    let value = toBit(L, 1);
    for (let i = 2; i <= lua.lua_gettop(L); i++) value = op(value, toBit(L, i));
    lua.lua_pushnumber(L, value | 0);
    return 1;
  };
  const shift = (op: (a: number, n: number) => number) => (L: LuaState) => {
    lua.lua_pushnumber(L, op(toBit(L, 1), toBit(L, 2) & 31) | 0);
    return 1;
  };
  const functions: Array<[string, (L: LuaState) => number]> = [
    ['tobit', (L) => (lua.lua_pushnumber(L, toBit(L, 1)), 1)],
    ['bnot', (L) => (lua.lua_pushnumber(L, ~toBit(L, 1)), 1)],
    ['band', reduce((a, b) => a & b)],
    ['bor', reduce((a, b) => a | b)],
    ['bxor', reduce((a, b) => a ^ b)],
    ['lshift', shift((a, n) => a << n)],
    ['rshift', shift((a, n) => a >>> n)],
    ['arshift', shift((a, n) => a >> n)],
    ['rol', shift((a, n) => (a << n) | (a >>> (32 - n)))],
    ['ror', shift((a, n) => (a >>> n) | (a << (32 - n)))],
    [
      'bswap',
      (L) => {
        const b = toBit(L, 1);
        lua.lua_pushnumber(
          L,
          (b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24) | 0,
        );
        return 1;
      },
    ],
    [
      'tohex',
      (L) => {
        const value = toBit(L, 1);
        let digits = lua.lua_gettop(L) >= 2 ? toBit(L, 2) : 8;
        let upper = false;
        if (digits < 0) {
          upper = true;
          digits = -digits;
        }
        if (digits > 8) digits = 8;
        let text = (value >>> 0)
          .toString(16)
          .padStart(8, '0')
          .slice(8 - digits);
        if (upper) text = text.toUpperCase();
        lua.lua_pushstring(L, text);
        return 1;
      },
    ],
  ];
  lua.lua_createtable(L, 0, functions.length);
  for (const [name, fn] of functions) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'bit');
}
