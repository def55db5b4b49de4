export { LuaError, argumentError } from './error.js';
export { formatNumber, parseNumber, isSpace } from './number.js';
export { LuaTable } from './table.js';
export {
  LuaThread,
  LuaUserdata,
  NO_VALUES,
  isTruthy,
  typeName,
  type LuaFunction,
  type LuaTypeName,
  type LuaValue,
} from './value.js';
export {
  LuaRuntime,
  type DebugHook,
  type LoadOptions,
  type LuaRun,
  type LuaRuntimeOptions,
} from './lua-runtime.js';
export type { LibraryHost } from './host.js';
export { mapResults } from './helpers.js';
export { formatFloat, type Spec as PrintfSpec } from './lib/printf.js';
export * from './lib/index.js';
