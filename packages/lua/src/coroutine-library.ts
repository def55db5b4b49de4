import { argumentTypeError } from './lib/arguments.js';
import { LuaError, argumentError } from './error.js';
import {
  PAUSE,
  YIELD_ACROSS_NATIVE,
  isCoroutineBody,
  runToEnd,
  withGenerator,
  type CompiledFunction,
} from './helpers.js';
import type { LuaRuntime } from './lua-runtime.js';
import { LuaTable } from './table.js';
import { LuaThread, type LuaFunction, type LuaValue } from './value.js';

type Body = Generator<LuaValue[], LuaValue[], LuaValue[]>;

/**
 * 5.1's coroutine library on generators: a coroutine runs its body's generator variant
 * (compiled alongside each function), in which `coroutine.yield` is a JavaScript `yield`.
 * Called any other way (from a native such as pcall, a metamethod, a sort comparator) yield
 * fails as 5.1's does across a C call. Returns the yield function, which compiled code knows.
 */
export function installCoroutineLibrary(runtime: LuaRuntime): LuaFunction {
  const bodies = new WeakMap<LuaThread, Body>();
  /** The running coroutines, innermost last. */
  const running: LuaThread[] = [];

  /** A coroutine's body is a Lua function with generator variants (checked by create/wrap). */
  const start = (thread: LuaThread, args: LuaValue[]): Body =>
    (thread.body as CompiledFunction).generator!(...args);

  /**
   * Runs `thread` until it yields or ends, as a generator of pauses: a pause inside the
   * coroutine goes up to whoever runs this (the host, or nobody when a native drives it).
   * Throws what the body throws.
   */
  function* resume(thread: LuaThread, args: LuaValue[]): Body {
    let body = bodies.get(thread);
    const first = body === undefined;
    if (body === undefined) {
      body = start(thread, args);
      bodies.set(thread, body);
    }
    const outer = running[running.length - 1];
    if (outer !== undefined) outer.status = 'normal';
    thread.status = 'running';
    running.push(thread);
    try {
      let step = first ? body.next() : body.next(args);
      while (!step.done && step.value === PAUSE) {
        yield PAUSE;
        step = body.next();
      }
      thread.status = step.done ? 'dead' : 'suspended';
      return step.value;
    } catch (error) {
      thread.status = 'dead';
      throw error;
    } finally {
      running.pop();
      if (outer !== undefined) outer.status = 'running';
    }
  }

  // 5.1 refuses C functions (and anything else) the same way.
  const checkLuaFunction = (args: LuaValue[], name: string): LuaFunction => {
    if (isCoroutineBody(args[0])) return args[0];
    throw argumentError(1, name, 'Lua function expected');
  };

  const checkThread = (args: LuaValue[], name: string): LuaThread => {
    const value = args[0];
    if (value instanceof LuaThread) return value;
    throw argumentTypeError(args, 1, name, 'coroutine');
  };

  const resumable = (thread: LuaThread): string | undefined => {
    if (thread.status === 'dead') return 'cannot resume dead coroutine';
    if (thread.status !== 'suspended') return 'cannot resume non-suspended coroutine';
    return undefined;
  };

  // Reached only when not called from a coroutine's generator code. 5.1 words both cases
  // alike (the main thread also runs under a C call) and adds no position.
  const yieldFunction: LuaFunction = () => {
    throw new LuaError(YIELD_ACROSS_NATIVE, 0);
  };

  const library = new LuaTable();
  const define = (name: string, f: LuaFunction) => library.set(name, f);
  define('create', function (...args) {
    return [new LuaThread(checkLuaFunction(args, 'create'))];
  });
  const resumeResults = (error: unknown): LuaValue[] => {
    if (error instanceof LuaError) return [false, error.value];
    throw error;
  };
  define(
    'resume',
    withGenerator(
      function (...args) {
        const thread = checkThread(args, 'resume');
        const problem = resumable(thread);
        if (problem !== undefined) return [false, problem];
        try {
          return [true, ...runToEnd(resume(thread, args.slice(1)))];
        } catch (error) {
          return resumeResults(error);
        }
      },
      function* (...args) {
        const thread = checkThread(args, 'resume');
        const problem = resumable(thread);
        if (problem !== undefined) return [false, problem];
        try {
          return [true, ...(yield* resume(thread, args.slice(1)))];
        } catch (error) {
          return resumeResults(error);
        }
      },
    ),
  );
  define('yield', yieldFunction);
  define('status', function (...args) {
    return [checkThread(args, 'status').status];
  });
  define('running', () => [running[running.length - 1]]);
  define('wrap', function (...args) {
    const thread = new LuaThread(checkLuaFunction(args, 'wrap'));
    // 5.1's wrap rethrows the coroutine's error value as it is.
    function* wrapped(...values: LuaValue[]): Body {
      const problem = resumable(thread);
      if (problem !== undefined) throw new LuaError(problem);
      try {
        return yield* resume(thread, values);
      } catch (error) {
        if (error instanceof LuaError) error.level = 0;
        throw error;
      }
    }
    return [withGenerator((...values) => runToEnd(wrapped(...values)), wrapped)];
  });
  runtime.globals.set('coroutine', library);
  return yieldFunction;
}
