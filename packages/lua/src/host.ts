import type { LuaValue } from './value.js';

/** What the libraries need from the runtime that runs them. */
export interface LibraryHost {
  /** Calls any callable Lua value (function or table/value with __call); errors propagate as LuaError. */
  call(f: LuaValue, ...args: LuaValue[]): LuaValue[];
  /** `v[k]` with metamethods (__index), as the language does. */
  index(v: LuaValue, k: LuaValue): LuaValue;
  /** `tostring(v)` with __tostring, numbers via formatNumber, `table: 0x...` addresses. */
  tostring(v: LuaValue): string;
  /** `a < b` as the language does it (numbers, strings byte-wise, __lt), errors included. */
  lessThan(a: LuaValue, b: LuaValue): boolean;
}
