import {
  checkAny,
  checkFunction,
  checkInt,
  checkString,
  checkTable,
  optInt,
  optString,
} from './lib/arguments.js';
import { LuaError, argumentError, namedByNative } from './error.js';
import { callFromGenerator, forwardPauses, withGenerator } from './helpers.js';
import type { LuaRuntime } from './lua-runtime.js';
import { formatNumber, isSpace, parseNumber } from './number.js';
import { LuaTable, READONLY_TABLE } from './table.js';
import { NO_VALUES, isTruthy, typeName, type LuaFunction, type LuaValue } from './value.js';

/** 5.1's LUAI_MAXCSTACK: how many values a native may push (unpack's limit). */
const MAXIMUM_NATIVE_STACK = 8000;

/** Installs 5.1's base library (print, pcall, setmetatable, ...) in the runtime's globals. */
export function installBaseLibrary(runtime: LuaRuntime): void {
  const G = runtime.globals;
  const define = (name: string, f: LuaFunction) => G.set(name, f);

  G.set('_G', G);
  G.set('_VERSION', 'Lua 5.1');

  define('assert', function (...args) {
    checkAny(args, 1, 'assert');
    if (isTruthy(args[0])) return args;
    throw new LuaError(optString(args, 2, 'assert', 'assertion failed!'));
  });

  define('error', function (...args) {
    const level = optInt(args, 2, 'error', 1);
    // Numbers are strings to 5.1's error: they get the position too.
    const value = typeof args[0] === 'number' && level > 0 ? formatNumber(args[0]) : args[0];
    throw new LuaError(value, level);
  });

  // pcall and xpcall have generator forms, so a resumable run can pause inside them; a
  // coroutine still cannot yield across them (5.1's C-call boundary).
  define(
    'pcall',
    withGenerator(
      function (...args) {
        const f = checkAny(args, 1, 'pcall');
        try {
          return [true, ...runtime.call(f, ...args.slice(1))];
        } catch (error) {
          return [false, caughtValue(error)];
        }
      },
      function* (...args) {
        const f = checkAny(args, 1, 'pcall');
        const operations = runtime.operations;
        try {
          operations.enterNative(0);
          try {
            const callee = operations.callable(f);
            return [true, ...(yield* forwardPauses(callFromGenerator(callee, args.slice(1))))];
          } finally {
            operations.nativeDepth--;
          }
        } catch (error) {
          return [false, caughtValue(error)];
        }
      },
    ),
  );

  define(
    'xpcall',
    withGenerator(
      function (...args) {
        const handler = checkAny(args, 2, 'xpcall');
        try {
          return [true, ...runtime.call(args[0])];
        } catch (error) {
          return [false, ...runtime.call(handler, caughtValue(error))];
        }
      },
      function* (...args) {
        const handler = checkAny(args, 2, 'xpcall');
        const operations = runtime.operations;
        try {
          operations.enterNative(0);
          try {
            const callee = operations.callable(args[0]);
            return [true, ...(yield* forwardPauses(callFromGenerator(callee, [])))];
          } finally {
            operations.nativeDepth--;
          }
        } catch (error) {
          return [false, ...runtime.call(handler, caughtValue(error))];
        }
      },
    ),
  );

  define('type', function (...args) {
    return [typeName(checkAny(args, 1, 'type'))];
  });

  define('tostring', function (...args) {
    return [runtime.tostringValue(checkAny(args, 1, 'tostring'))];
  });

  define('tonumber', function (...args) {
    const base = optInt(args, 2, 'tonumber', 10);
    if (base === 10) {
      const value = checkAny(args, 1, 'tonumber');
      if (typeof value === 'number') return [value];
      return [typeof value === 'string' ? parseNumber(value) : undefined];
    }
    const text = checkString(args, 1, 'tonumber');
    if (base < 2 || base > 36) throw argumentError(2, 'tonumber', 'base out of range');
    return [parseUnsigned(text, base)];
  });

  const ipairsStep: LuaFunction = (table, index) => {
    const next = (index as number) + 1;
    const value = (table as LuaTable).get(next);
    return value === undefined ? NO_VALUES : [next, value];
  };
  define('ipairs', function (...args) {
    return [ipairsStep, checkTable(args, 1, 'ipairs'), 0];
  });

  const next: LuaFunction = function (...args) {
    const entry = checkTable(args, 1, 'next').next(args[1]);
    return entry === undefined ? [undefined] : entry;
  };
  define('next', next);
  define('pairs', function (...args) {
    return [next, checkTable(args, 1, 'pairs'), undefined];
  });

  define('select', function (...args) {
    const count = args.length;
    if (args[0] === '#') return [count - 1];
    let n = checkInt(args, 1, 'select');
    if (n < 0) n = count + n;
    else if (n > count) n = count;
    if (n < 1) throw argumentError(1, 'select', 'index out of range');
    return args.slice(n);
  });

  define('rawget', function (...args) {
    const table = checkTable(args, 1, 'rawget');
    return [table.get(checkAny(args, 2, 'rawget'))];
  });
  define('rawset', function (...args) {
    const table = checkTable(args, 1, 'rawset');
    checkAny(args, 2, 'rawset');
    table.set(args[1], checkAny(args, 3, 'rawset'));
    return [table];
  });
  define('rawequal', function (...args) {
    return [checkAny(args, 1, 'rawequal') === checkAny(args, 2, 'rawequal')];
  });

  define('unpack', function (...args) {
    const table = checkTable(args, 1, 'unpack');
    const first = optInt(args, 2, 'unpack', 1);
    const last = args[2] === undefined ? table.length() : checkInt(args, 3, 'unpack');
    if (first > last) return NO_VALUES;
    const count = last - first + 1;
    if (count >= MAXIMUM_NATIVE_STACK || args.length + count > MAXIMUM_NATIVE_STACK) {
      throw new LuaError('too many results to unpack');
    }
    const values = new Array<LuaValue>(count);
    for (let i = 0; i < count; i++) values[i] = table.get(first + i);
    return values;
  });

  define('setmetatable', function (...args) {
    const table = checkTable(args, 1, 'setmetatable');
    const metatable = args[1];
    if (metatable !== undefined && !(metatable instanceof LuaTable)) {
      throw argumentError(2, 'setmetatable', 'nil or table expected');
    }
    if (table.metatable?.getField('__metatable') !== undefined) {
      throw new LuaError('cannot change a protected metatable');
    }
    if (table.readonly) throw new LuaError(READONLY_TABLE, 0);
    table.metatable = metatable;
    return [table];
  });
  define('getmetatable', function (...args) {
    const metatable = runtime.operations.metatableOf(checkAny(args, 1, 'getmetatable'));
    if (metatable === undefined) return [undefined];
    const protectedValue = metatable.getField('__metatable');
    return [protectedValue !== undefined ? protectedValue : metatable];
  });

  const compile = (source: string, name: string): LuaValue[] => {
    try {
      return [runtime.load(source, chunkDisplayName(name))];
    } catch (error) {
      if (error instanceof LuaError) return [undefined, error.value];
      throw error;
    }
  };
  define('loadstring', function (...args) {
    const source = checkString(args, 1, 'loadstring');
    return compile(source, optString(args, 2, 'loadstring', source));
  });
  define('load', function (...args) {
    const reader = checkFunction(args, 1, 'load');
    const name = optString(args, 2, 'load', '=(load)');
    let source = '';
    for (;;) {
      const piece = runtime.call(reader)[0];
      if (piece === undefined || piece === '') break;
      if (typeof piece !== 'string') return [undefined, 'reader function must return a string'];
      source += piece;
    }
    return compile(source, name);
  });

  define('getfenv', function (...args) {
    const target = args[0];
    if (typeof target === 'function') return [runtime.environmentOf(target) ?? G];
    const level = optInt(args, 1, 'getfenv', 1);
    if (level < 0) throw argumentError(1, 'getfenv', 'level must be non-negative');
    return [G];
  });
  define('setfenv', function (...args) {
    const target = args[0];
    const table = checkTable(args, 2, 'setfenv');
    if (typeof target === 'function' && runtime.setEnvironment(target, table)) return [target];
    throw new LuaError("'setfenv' cannot change environment of given object");
  });

  define('collectgarbage', function (...args) {
    const option = optString(args, 1, 'collectgarbage', 'collect');
    if (option === 'count') return [process.memoryUsage().heapUsed / 1024];
    return [0];
  });
  define('gcinfo', () => [Math.floor(process.memoryUsage().heapUsed / 1024)]);

  define('print', function (...args) {
    runtime.print(args.map((value) => runtime.tostring(value)).join('\t'));
    return NO_VALUES;
  });
}

/**
 * The value pcall returns for an error: the Lua error value; JS stack overflows and strings
 * past V8's length limit become Lua's errors.
 */
function caughtValue(error: unknown): LuaValue {
  if (error instanceof LuaError) {
    // Raised by a native that pcall called itself: no Lua call site names it.
    return error.line === undefined && error.level === 1 ? namedByNative(error.value) : error.value;
  }
  if (error instanceof RangeError && error.message === 'Maximum call stack size exceeded')
    return 'stack overflow';
  if (error instanceof RangeError && error.message === 'Invalid string length')
    return 'not enough memory';
  throw error;
}

/** C's strtoul in `base` followed by spaces only, as 5.1's tonumber with a base reads. */
function parseUnsigned(text: string, base: number): number | undefined {
  let position = 0;
  while (position < text.length && isSpace(text.charCodeAt(position))) position++;
  let negative = false;
  if (text[position] === '-' || text[position] === '+') negative = text[position++] === '-';
  if (
    base === 16 &&
    text[position] === '0' &&
    (text[position + 1] === 'x' || text[position + 1] === 'X')
  ) {
    position += 2;
  }
  const start = position;
  let value = 0;
  for (; position < text.length; position++) {
    const digit = parseInt(text[position], 36);
    if (Number.isNaN(digit) || digit >= base) break;
    value = value * base + digit;
  }
  if (position === start) return undefined;
  while (position < text.length && isSpace(text.charCodeAt(position))) position++;
  if (position !== text.length) return undefined;
  return negative && value !== 0 ? 2 ** 64 - value : value;
}

/** How 5.1 names a chunk in messages (luaO_chunkid): `=name`, `@file`, or `[string "..."]`. */
export function chunkDisplayName(source: string): string {
  // A C string: a binary chunk's name ends at its first NUL ("\x1bLuaQ").
  const end = source.indexOf('\0');
  const name = end === -1 ? source : source.slice(0, end);
  if (name.startsWith('=') || name.startsWith('@')) return name.slice(1, 60);
  const newline = name.search(/[\r\n]/);
  const firstLine = newline === -1 ? name : name.slice(0, newline);
  const room = 60 - 17;
  if (firstLine.length > room || newline !== -1) return `[string "${firstLine.slice(0, room)}..."]`;
  return `[string "${firstLine}"]`;
}
