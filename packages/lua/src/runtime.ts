import { LuaError, namedByNative } from './error.js';
import { formatNumber, parseNumber } from './number.js';
import { LuaTable, READONLY_TABLE } from './table.js';
import { typeName, type LuaFunction, type LuaValue } from './value.js';

/**
 * How an error message names the value it is about ("local 'x'", "global 'cfg'", "field 'f'",
 * "upvalue 'a'", "method 'm'"), or undefined when the value has no name.
 */
export type Description = string | undefined;

/** The arithmetic metamethods, by operator. */
export type ArithmeticEvent = '__add' | '__sub' | '__mul' | '__div' | '__mod' | '__pow';

/** Lua 5.1's limit on __index / __newindex chains. */
const MAXIMUM_TAG_LOOP = 100;

/** "attempt to <action> local 'x' (a nil value)", worded as luaG_typeerror. */
export function typeError(value: LuaValue, action: string, description: Description): LuaError {
  const type = typeName(value);
  if (description === undefined) return new LuaError(`attempt to ${action} a ${type} value`);
  return new LuaError(`attempt to ${action} ${description} (a ${type} value)`);
}

/** A number as 5.1's arithmetic reads an operand: numbers, and strings that read as numbers. */
export function toArithmeticNumber(value: LuaValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseNumber(value);
  return undefined;
}

function arithmetic(event: ArithmeticEvent, a: number, b: number): number {
  switch (event) {
    case '__add':
      return a + b;
    case '__sub':
      return a - b;
    case '__mul':
      return a * b;
    case '__div':
      return a / b;
    case '__mod':
      return a - Math.floor(a / b) * b;
    case '__pow':
      return Math.pow(a, b);
  }
}

/**
 * The language's operations on values, with metatables: what compiled code calls when its
 * inline fast path (numbers, plain tables, functions) does not apply.
 */
/** 5.1's LUAI_MAXCCALLS. */
const MAX_NATIVE_DEPTH = 200;

export class Operations {
  /** The metatable every string shares; the string library sets its __index. */
  readonly stringMetatable = new LuaTable();
  /**
   * How many calls made by natives (pcall, sort's comparator...) and metamethods are under
   * way, as 5.1's nCcalls counts them; the 200th fails ("C stack overflow").
   */
  nativeDepth = 0;

  /**
   * One native call level deeper, or 5.1's "C stack overflow" at the 200th: positioned at the
   * calling Lua function (`level` 1) for a metamethod, bare (0) when a native calls.
   */
  enterNative(level: number): void {
    if (++this.nativeDepth < MAX_NATIVE_DEPTH) return;
    this.nativeDepth--;
    throw new LuaError('C stack overflow', level);
  }

  /** Calls a metamethod handler from the language's operations, one native level deeper. */
  private callMetamethod(handler: LuaValue, ...args: LuaValue[]): LuaValue[] {
    this.enterNative(1);
    try {
      return typeof handler === 'function'
        ? callHandler(handler, ...args)
        : this.callable(handler)(...args);
    } finally {
      this.nativeDepth--;
    }
  }

  metatableOf(value: LuaValue): LuaTable | undefined {
    if (value instanceof LuaTable) return value.metatable;
    if (typeof value === 'string') return this.stringMetatable;
    return undefined;
  }

  metamethod(value: LuaValue, event: string): LuaValue {
    const metatable = this.metatableOf(value);
    return metatable === undefined ? undefined : metatable.getField(event);
  }

  /** `object[key]` with __index. */
  index(object: LuaValue, key: LuaValue, description?: Description): LuaValue {
    let current = object;
    for (let loop = 0; loop < MAXIMUM_TAG_LOOP; loop++) {
      let handler: LuaValue;
      if (current instanceof LuaTable) {
        const value = current.get(key);
        if (value !== undefined) return value;
        const metatable = current.metatable;
        if (metatable === undefined) return undefined;
        handler = metatable.getField('__index');
        if (handler === undefined) return undefined;
      } else {
        handler = this.metamethod(current, '__index');
        if (handler === undefined)
          throw typeError(current, 'index', loop === 0 ? description : undefined);
      }
      if (typeof handler === 'function') return this.callMetamethod(handler, current, key)[0];
      current = handler;
    }
    throw new LuaError('loop in gettable');
  }

  /** `object[key] = value` with __newindex. */
  setIndex(object: LuaValue, key: LuaValue, value: LuaValue, description?: Description): void {
    let current = object;
    for (let loop = 0; loop < MAXIMUM_TAG_LOOP; loop++) {
      let handler: LuaValue;
      if (current instanceof LuaTable) {
        // Raised by the assignment itself, so it gets the script's position.
        if (current.readonly) throw new LuaError(READONLY_TABLE);
        const metatable = current.metatable;
        if (metatable === undefined || current.get(key) !== undefined) {
          current.set(key, value);
          return;
        }
        handler = metatable.getField('__newindex');
        if (handler === undefined) {
          current.set(key, value);
          return;
        }
      } else {
        handler = this.metamethod(current, '__newindex');
        if (handler === undefined)
          throw typeError(current, 'index', loop === 0 ? description : undefined);
      }
      if (typeof handler === 'function') {
        this.callMetamethod(handler, current, key, value);
        return;
      }
      current = handler;
    }
    throw new LuaError('loop in settable');
  }

  /** The function that calling `value` runs: itself, or its __call bound to it. */
  callable(value: LuaValue, description?: Description): LuaFunction {
    if (typeof value === 'function') return value;
    const handler = this.metamethod(value, '__call');
    if (typeof handler !== 'function') throw typeError(value, 'call', description);
    return (...args: LuaValue[]) => handler(value, ...args);
  }

  arithmetic(
    event: ArithmeticEvent,
    a: LuaValue,
    b: LuaValue,
    da?: Description,
    db?: Description,
  ): number {
    const x = toArithmeticNumber(a);
    const y = toArithmeticNumber(b);
    if (x !== undefined && y !== undefined) return arithmetic(event, x, y);
    const handler = this.binaryHandler(a, b, event);
    if (handler !== undefined) return this.callMetamethod(handler, a, b)[0] as number;
    // luaG_aritherror blames the first operand that is not a number.
    throw x === undefined
      ? typeError(a, 'perform arithmetic on', da)
      : typeError(b, 'perform arithmetic on', db);
  }

  negate(a: LuaValue, description?: Description): number {
    const x = toArithmeticNumber(a);
    if (x !== undefined) return -x;
    const handler = this.metamethod(a, '__unm');
    if (handler !== undefined) return this.callMetamethod(handler, a, a)[0] as number;
    throw typeError(a, 'perform arithmetic on', description);
  }

  /** `#value`: raw for strings and tables (5.1 ignores a table's __len). */
  length(value: LuaValue, description?: Description): number {
    if (typeof value === 'string') return value.length;
    if (value instanceof LuaTable) return value.length();
    const handler = this.metamethod(value, '__len');
    if (handler !== undefined) return this.callMetamethod(handler, value, undefined)[0] as number;
    throw typeError(value, 'get length of', description);
  }

  concat(a: LuaValue, b: LuaValue, da?: Description, db?: Description): LuaValue {
    const typeA = typeof a;
    const typeB = typeof b;
    if ((typeA === 'string' || typeA === 'number') && (typeB === 'string' || typeB === 'number')) {
      return this.toStringCoerced(a) + this.toStringCoerced(b);
    }
    const handler = this.binaryHandler(a, b, '__concat');
    if (handler !== undefined) return this.callMetamethod(handler, a, b)[0];
    // luaG_concaterror blames the first operand that is not a string or number.
    throw typeA === 'string' || typeA === 'number'
      ? typeError(b, 'concatenate', db)
      : typeError(a, 'concatenate', da);
  }

  private toStringCoerced(value: LuaValue): string {
    return typeof value === 'number' ? formatNumber(value) : (value as string);
  }

  private binaryHandler(a: LuaValue, b: LuaValue, event: string): LuaValue {
    const handler = this.metamethod(a, event);
    return handler !== undefined ? handler : this.metamethod(b, event);
  }

  /** `a == b`: raw equality, or __eq when both are tables sharing the same handler. */
  equals(a: LuaValue, b: LuaValue): boolean {
    if (a === b) return true;
    if (!(a instanceof LuaTable) || !(b instanceof LuaTable)) return false;
    const handler = this.comparisonHandler(a, b, '__eq');
    if (handler === undefined) return false;
    const result = this.callMetamethod(handler, a, b)[0];
    return result !== undefined && result !== false;
  }

  lessThan(a: LuaValue, b: LuaValue): boolean {
    const typeA = typeof a;
    if (typeA === typeof b) {
      if (typeA === 'number' || typeA === 'string') return (a as number) < (b as number);
      const handler = this.comparisonHandler(a, b, '__lt');
      if (handler !== undefined) return this.truth(handler, a, b);
    }
    throw this.orderError(a, b);
  }

  lessOrEqual(a: LuaValue, b: LuaValue): boolean {
    const typeA = typeof a;
    if (typeA === typeof b) {
      if (typeA === 'number' || typeA === 'string') return (a as number) <= (b as number);
      const handler = this.comparisonHandler(a, b, '__le');
      if (handler !== undefined) return this.truth(handler, a, b);
      // 5.1 falls back to `not (b < a)`.
      const lessThan = this.comparisonHandler(b, a, '__lt');
      if (lessThan !== undefined) return !this.truth(lessThan, b, a);
    }
    throw this.orderError(a, b);
  }

  private truth(handler: LuaValue, a: LuaValue, b: LuaValue): boolean {
    const result = this.callMetamethod(handler, a, b)[0];
    return result !== undefined && result !== false;
  }

  /** 5.1's get_compTM / call_orderTM: both operands must have the same handler. */
  private comparisonHandler(a: LuaValue, b: LuaValue, event: string): LuaValue {
    const metatableA = this.metatableOf(a);
    const metatableB = this.metatableOf(b);
    if (metatableA === undefined || metatableB === undefined) return undefined;
    const handler = metatableA.getField(event);
    if (handler === undefined) return undefined;
    if (metatableA === metatableB) return handler;
    return metatableB.getField(event) === handler ? handler : undefined;
  }

  private orderError(a: LuaValue, b: LuaValue): LuaError {
    const typeA = typeName(a);
    const typeB = typeName(b);
    if (typeA === typeB) return new LuaError(`attempt to compare two ${typeA} values`);
    return new LuaError(`attempt to compare ${typeA} with ${typeB}`);
  }
}

/** Calls a metamethod function: a native's argument error names it '?', as 5.1. */
function callHandler(handler: LuaFunction, ...args: LuaValue[]): LuaValue[] {
  try {
    return handler(...args);
  } catch (error) {
    if (error instanceof LuaError && error.line === undefined && error.level === 1) {
      error.value = namedByNative(error.value);
    }
    throw error;
  }
}
