import type { HELPER_NAMES } from './compiler.js';
import { LuaError } from './error.js';
import type { Description, Operations } from './runtime.js';
import { toArithmeticNumber } from './runtime.js';
import { LuaTable } from './table.js';
import { NO_VALUES, type LuaFunction, type LuaValue } from './value.js';

/**
 * The functions a compiled function calls on each line that has a method call, by name
 * (methods as `:name`), for renumbering a native's argument error as 5.1 does for methods.
 */
export type CallSites = Record<number, string[]>;

/** What compiled code needs from the runtime beyond the operations. */
export interface CompiledCodeHost {
  operations: Operations;
  /** Counts down at function entries and loop back-edges; `interrupt()` when below 0. */
  budget: number;
  /** Calls the host's handler; true asks generator code to pause (see `PAUSE`). */
  interrupt(): boolean;
  /** Turns an exception leaving a compiled function into what goes on up (adds positions). */
  fault(error: unknown, line: number, chunkName: string, sites?: CallSites): unknown;
  /** Before each statement, in debug-compiled chunks. */
  /** True pauses a resumable run before the statement. */
  debugStep(line: number, locals: () => [string, LuaValue][]): boolean;
  /** The `coroutine.yield` native: the generator variant yields where it is called. */
  readonly yieldFunction: LuaFunction;
}

/**
 * A function's generator variant, run inside coroutines and resumable runs: it yields a
 * coroutine's yielded values, or `PAUSE` when the interrupt handler asks to give the host a
 * turn. Compiled functions have one; so do natives that call back into Lua without blocking
 * pauses (pcall, xpcall, coroutine.resume, coroutine.wrap's functions).
 */
export type GeneratorVariant = (...args: LuaValue[]) => Body;

export type Body = Generator<LuaValue[], LuaValue[], LuaValue[]>;

export type CompiledFunction = LuaFunction & { generator?: GeneratorVariant };

/** What generator code yields to pause (never a coroutine's values: those are fresh arrays). */
export const PAUSE: LuaValue[] = Object.freeze([]) as unknown as LuaValue[];

export const YIELD_ACROSS_NATIVE = 'attempt to yield across metamethod/C-call boundary';

const nativesWithGenerators = new WeakSet<LuaFunction>();

/** A native with a generator form for generator code. */
export function withGenerator(f: LuaFunction, generator: GeneratorVariant): LuaFunction {
  (f as CompiledFunction).generator = generator;
  nativesWithGenerators.add(f);
  return f;
}

/**
 * A native that calls `f` and passes its results through `map`, keeping `f`'s generator form,
 * so a resumable run can still pause inside it (a host's own pcall built on the base one).
 */
export function mapResults(f: LuaFunction, map: (results: LuaValue[]) => LuaValue[]): LuaFunction {
  const mapped: LuaFunction = (...args) => map(f(...args));
  const generator = (f as CompiledFunction).generator;
  if (generator === undefined) return mapped;
  return withGenerator(mapped, function* (...args) {
    return map(yield* generator(...args));
  });
}

/**
 * Whether `f` is a Lua function that can run as a coroutine: compiled with generator variants
 * (every function of a chunk that mentions `coroutine` or is loaded resumable).
 */
export function isCoroutineBody(f: LuaValue): f is CompiledFunction {
  return (
    typeof f === 'function' &&
    (f as CompiledFunction).generator !== undefined &&
    !nativesWithGenerators.has(f)
  );
}

/**
 * Steps a generator variant to its end where no coroutine can yield (from a native): pauses
 * are skipped (the host gets no turn), and a coroutine yield fails where it was called.
 */
export function runToEnd(generator: Body): LuaValue[] {
  let step = generator.next();
  while (!step.done) {
    step =
      step.value === PAUSE
        ? generator.next()
        : generator.throw(new LuaError(YIELD_ACROSS_NATIVE, 0));
  }
  return step.value;
}

/**
 * The same inside generator code that lets no coroutine yield through (pcall): pauses go on
 * up to the host, coroutine yields fail where they were called.
 */
export function* forwardPauses(generator: Body): Body {
  let step = generator.next();
  while (!step.done) {
    if (step.value === PAUSE) {
      yield PAUSE;
      step = generator.next();
    } else {
      step = generator.throw(new LuaError(YIELD_ACROSS_NATIVE, 0));
    }
  }
  return step.value;
}

/** Calls `f` from generator code: its generator variant if it has one, else plainly. */
export function* callFromGenerator(f: LuaFunction, args: LuaValue[]): Body {
  const generator = (f as CompiledFunction).generator;
  if (generator !== undefined) return yield* generator(...args);
  return f(...args);
}

type Helpers = Record<(typeof HELPER_NAMES)[number], unknown>;

/**
 * The helpers compiled code calls (see compiler.ts): each handles the common case inline
 * (numbers, tables without metatables, functions) and defers the rest to the operations.
 */
export function makeHelpers(host: CompiledCodeHost): Helpers {
  const ops = host.operations;

  // Fast paths: a table's own field, then one level of __index that is a plain table (the
  // class pattern); everything else goes through the operations.
  const $get = (o: LuaValue, k: LuaValue, d?: Description): LuaValue => {
    if (o instanceof LuaTable) {
      const v = o.get(k);
      if (v !== undefined) return v;
      const metatable = o.metatable;
      if (metatable === undefined) return undefined;
      const handler = metatable.getField('__index');
      if (handler instanceof LuaTable && handler.metatable === undefined) return handler.get(k);
    }
    return ops.index(o, k, d);
  };
  const $getf = (o: LuaValue, k: string, d?: Description): LuaValue => {
    if (o instanceof LuaTable) {
      const v = o.getField(k);
      if (v !== undefined) return v;
      const metatable = o.metatable;
      if (metatable === undefined) return undefined;
      const handler = metatable.getField('__index');
      if (handler instanceof LuaTable && handler.metatable === undefined)
        return handler.getField(k);
    }
    return ops.index(o, k, d);
  };
  const $set = (o: LuaValue, k: LuaValue, v: LuaValue, d?: Description): void => {
    if (o instanceof LuaTable && o.metatable === undefined && !o.readonly) o.set(k, v);
    else ops.setIndex(o, k, v, d);
  };
  const $fn = (f: LuaValue, d?: Description): LuaFunction =>
    typeof f === 'function' ? f : ops.callable(f, d);

  const yieldFunction = host.yieldFunction;
  // Generator code runs `$gcall(f, ...args)` and delegates with `yield*` to what is not an
  // array yet: a Lua callee's generator directly (no generator frame in between, so recursion
  // goes deeper), coroutine.yield's one suspension. A native's results come back at once,
  // without the iterator protocol (redis.call is the common call of a script).
  const $gcall = (f: CompiledFunction, ...args: LuaValue[]): LuaValue[] | Iterable<LuaValue[]> => {
    const generator = f.generator;
    if (generator !== undefined) return generator(...args);
    if (f === yieldFunction) return suspension(args);
    return f(...args);
  };

  const arithmetic =
    (event: '__add' | '__sub' | '__mul' | '__div', compute: (a: number, b: number) => number) =>
    (a: LuaValue, b: LuaValue, da?: Description, db?: Description): number =>
      typeof a === 'number' && typeof b === 'number'
        ? compute(a, b)
        : ops.arithmetic(event, a, b, da, db);
  const comparison =
    (
      compare: (a: LuaValue, b: LuaValue) => boolean,
      fallback: (a: LuaValue, b: LuaValue) => boolean,
    ) =>
    (a: LuaValue, b: LuaValue): boolean =>
      typeof a === 'number' && typeof b === 'number' ? compare(a, b) : fallback(a, b);
  const lessThan = (a: LuaValue, b: LuaValue) => ops.lessThan(a, b);
  const lessOrEqual = (a: LuaValue, b: LuaValue) => ops.lessOrEqual(a, b);

  return {
    $rt: host,
    $NO: NO_VALUES,
    $PAUSE: PAUSE,
    $get,
    $getf,
    $set,
    $fn,
    $gcall,
    $add: arithmetic('__add', (a, b) => a + b),
    $sub: arithmetic('__sub', (a, b) => a - b),
    $mul: arithmetic('__mul', (a, b) => a * b),
    $div: arithmetic('__div', (a, b) => a / b),
    $mod: (a: LuaValue, b: LuaValue, da?: Description, db?: Description) =>
      typeof a === 'number' && typeof b === 'number'
        ? a - Math.floor(a / b) * b
        : ops.arithmetic('__mod', a, b, da, db),
    $pow: (a: LuaValue, b: LuaValue, da?: Description, db?: Description) =>
      typeof a === 'number' && typeof b === 'number'
        ? Math.pow(a, b)
        : ops.arithmetic('__pow', a, b, da, db),
    $unm: (a: LuaValue, d?: Description) => (typeof a === 'number' ? -a : ops.negate(a, d)),
    $len: (a: LuaValue, d?: Description) => {
      if (typeof a === 'string') return a.length;
      if (a instanceof LuaTable) return a.length();
      return ops.length(a, d);
    },
    $concat: (a: LuaValue, b: LuaValue, da?: Description, db?: Description) =>
      typeof a === 'string' && typeof b === 'string' ? a + b : ops.concat(a, b, da, db),
    $eq: (a: LuaValue, b: LuaValue) =>
      a === b || (a instanceof LuaTable && b instanceof LuaTable && ops.equals(a, b)),
    $lt: comparison((a, b) => (a as number) < (b as number), lessThan),
    $le: comparison((a, b) => (a as number) <= (b as number), lessOrEqual),
    $gt: comparison(
      (a, b) => (a as number) > (b as number),
      (a, b) => lessThan(b, a),
    ),
    $ge: comparison(
      (a, b) => (a as number) >= (b as number),
      (a, b) => lessOrEqual(b, a),
    ),
    $truthy: (v: LuaValue) => v !== undefined && v !== false,
    $table: LuaTable.fromConstructor,
    $forNumber: (value: LuaValue, message: string) => {
      const n = toArithmeticNumber(value);
      if (n === undefined) throw new LuaError(message);
      return n;
    },
    $closure: (f: CompiledFunction, generator: GeneratorVariant) => {
      f.generator = generator;
      return f;
    },
    $closureOfGenerator: (generator: GeneratorVariant) => {
      const f: CompiledFunction = (...args: LuaValue[]) => runToEnd(generator(...args));
      f.generator = generator;
      return f;
    },
  };
}

/** coroutine.yield in generator code: yields `values` once, then returns what resume sends. */
function suspension(values: LuaValue[]): IterableIterator<LuaValue[]> {
  let suspended = false;
  return {
    [Symbol.iterator]() {
      return this;
    },
    next(sent: LuaValue[]) {
      if (suspended) return { value: sent, done: true };
      suspended = true;
      return { value: values, done: false };
    },
    throw(error: unknown): never {
      throw error;
    },
    return: (value: LuaValue[]) => ({ value, done: true }),
  };
}
