import { LuaTable } from './table.js';

/**
 * A Lua 5.1 value as JavaScript holds it. nil is `undefined`; numbers are doubles, as in 5.1;
 * strings are byte strings: JavaScript strings whose every char code is a byte (0–255), so
 * binary data passes through unchanged and `#s` is `s.length`.
 */
export type LuaValue =
  undefined | boolean | number | string | LuaTable | LuaFunction | LuaThread | LuaUserdata;

/**
 * Every function, compiled from Lua or written in JavaScript, takes its arguments as
 * JavaScript arguments (a missing one is `undefined`; `arguments.length` tells "no value" from
 * nil) and returns its results as an array. A caller must not change the array it receives:
 * a function may return a shared empty array.
 */
export type LuaFunction = (...args: LuaValue[]) => LuaValue[];

/** The results of a function that returns nothing. */
export const NO_VALUES: LuaValue[] = Object.freeze([]) as unknown as LuaValue[];

/** A coroutine, as `coroutine.create` makes it. */
export class LuaThread {
  status: 'suspended' | 'running' | 'normal' | 'dead' = 'suspended';
  constructor(readonly body: LuaFunction) {}
}

/**
 * A light userdata: an opaque C pointer, compared by identity. The only one scripts meet is
 * cjson.null, lua-cjson's NULL (`tostring` gives "userdata: (nil)" for it, as glibc's %p).
 */
export class LuaUserdata {
  constructor(readonly address: number) {}
}

export type LuaTypeName =
  'nil' | 'boolean' | 'number' | 'string' | 'table' | 'function' | 'thread' | 'userdata';

/** The name `type(value)` gives. */
export function typeName(value: LuaValue): LuaTypeName {
  switch (typeof value) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'function':
      return 'function';
    default:
      if (value instanceof LuaTable) return 'table';
      return value instanceof LuaThread ? 'thread' : 'userdata';
  }
}

/** Lua's truth: everything but nil and false. */
export function isTruthy(value: LuaValue): boolean {
  return value !== undefined && value !== false;
}
