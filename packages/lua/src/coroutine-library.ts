import { argumentTypeError, checkFunction } from './lib/arguments.js';
import { LuaError } from './error.js';
import type { CompiledFunction } from './helpers.js';
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

  const start = (thread: LuaThread, args: LuaValue[]): Body => {
    const body = thread.body as CompiledFunction;
    if (body.generator !== undefined) return body.generator(...args);
    // eslint-disable-next-line require-yield -- a native body runs to its end: it cannot yield
    return (function* (): Body {
      return runtime.call(body, ...args);
    })();
  };

  /** Runs `thread` until it yields or ends; throws what its body throws. */
  const resume = (thread: LuaThread, args: LuaValue[]): LuaValue[] => {
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
      const step = first ? body.next() : body.next(args);
      thread.status = step.done ? 'dead' : 'suspended';
      return step.value;
    } catch (error) {
      thread.status = 'dead';
      throw error;
    } finally {
      running.pop();
      if (outer !== undefined) outer.status = 'running';
    }
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
    throw new LuaError('attempt to yield across metamethod/C-call boundary', 0);
  };

  const library = new LuaTable();
  const define = (name: string, f: LuaFunction) => library.set(name, f);
  define('create', function (...args) {
    return [new LuaThread(checkFunction(args, 1, 'create'))];
  });
  define('resume', function (...args) {
    const thread = checkThread(args, 'resume');
    const problem = resumable(thread);
    if (problem !== undefined) return [false, problem];
    try {
      return [true, ...resume(thread, args.slice(1))];
    } catch (error) {
      if (error instanceof LuaError) return [false, error.value];
      throw error;
    }
  });
  define('yield', yieldFunction);
  define('status', function (...args) {
    return [checkThread(args, 'status').status];
  });
  define('running', () => [running[running.length - 1]]);
  define('wrap', function (...args) {
    const thread = new LuaThread(checkFunction(args, 1, 'wrap'));
    return [
      (...values: LuaValue[]) => {
        const problem = resumable(thread);
        if (problem !== undefined) throw new LuaError(problem);
        try {
          return resume(thread, values);
        } catch (error) {
          if (error instanceof LuaError) error.level = 0;
          throw error;
        }
      },
    ];
  });
  runtime.globals.set('coroutine', library);
  return yieldFunction;
}
