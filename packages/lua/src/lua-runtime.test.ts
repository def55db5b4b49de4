import { describe, expect, it } from 'vitest';
import { LuaError } from './error.js';
import { LuaRuntime } from './lua-runtime.js';
import { LuaTable } from './table.js';
import type { LuaValue } from './value.js';

function run(lua: LuaRuntime, source: string, ...args: LuaValue[]): LuaValue[] {
  return lua.call(lua.load(source, 'user_script'), ...args);
}

function errorOf(action: () => unknown): LuaError {
  try {
    action();
  } catch (error) {
    if (error instanceof LuaError) return error;
    throw error;
  }
  throw new Error('expected a LuaError');
}

describe('LuaRuntime', () => {
  it("turns a string past V8's length limit into Lua's memory error, which pcall catches", () => {
    const lua = new LuaRuntime();
    const grow = "local s = string.rep('x', 2^28) return s .. s .. s";
    expect(run(lua, `return pcall(function() ${grow} end)`)).toEqual([false, 'not enough memory']);
    expect(errorOf(() => run(lua, grow)).value).toBe('not enough memory');
  });

  it('shares compiled chunks between runtimes, each running on its own globals', () => {
    const source = 'counter = (counter or 0) + 1 return counter, ...';
    const first = new LuaRuntime();
    const second = new LuaRuntime();
    expect(run(first, source, 'a')).toEqual([1, 'a']);
    expect(run(first, source, 'b')).toEqual([2, 'b']);
    expect(run(second, source, 'c')).toEqual([1, 'c']);
    // Same source, another chunk name: its errors name it.
    const failing = 'local t = nil return t.x';
    expect(errorOf(() => run(first, failing)).value).toBe(
      "user_script:1: attempt to index local 't' (a nil value)",
    );
    expect(errorOf(() => first.call(first.load(failing, 'other'))).value).toBe(
      "other:1: attempt to index local 't' (a nil value)",
    );
  });

  it('runs a chunk with arguments and returns its results', () => {
    const lua = new LuaRuntime();
    expect(run(lua, 'local a, b = ... return b, a, select("#", ...)', 1, 'x')).toEqual(['x', 1, 2]);
  });

  it('reports syntax errors as a LuaError with the 5.1 message', () => {
    const error = errorOf(() => new LuaRuntime().load('x = = 1', 'user_script'));
    expect(error.value).toBe("user_script:1: unexpected symbol near '='");
  });

  it('names binary and NUL-bearing chunks as Redis does', () => {
    const lua = new LuaRuntime();
    expect(
      run(lua, 'local f, e = loadstring(string.dump(function() return 1 end)) return e'),
    ).toEqual(['[string "\x1bLuaQ"]:1: unexpected symbol near \'char(27)\'']);
    expect(run(lua, 'local f, e = loadstring("x = \\0") return e')).toEqual([
      '[string "x = "]:1: unexpected symbol',
    ]);
  });

  it('records where a runtime error was raised', () => {
    const lua = new LuaRuntime();
    const error = errorOf(() => run(lua, '\n\nlocal t = nil\nreturn t.x'));
    expect(error.value).toBe("user_script:4: attempt to index local 't' (a nil value)");
    expect([error.source, error.line]).toEqual(['user_script', 4]);
  });

  it('keeps table error values as they are', () => {
    const lua = new LuaRuntime();
    const error = errorOf(() => run(lua, 'error({err = "boom"})'));
    expect((error.value as LuaTable).get('err')).toBe('boom');
  });

  it("prefixes natives' errors with the calling line", () => {
    const lua = new LuaRuntime();
    lua.globals.set('fail', () => {
      throw new LuaError('native problem');
    });
    expect(errorOf(() => run(lua, '\nfail()')).value).toBe('user_script:2: native problem');
  });

  it('lets JavaScript exceptions that are not Lua errors pass, even through pcall', () => {
    const lua = new LuaRuntime();
    lua.globals.set('crash', () => {
      throw new TypeError('host bug');
    });
    expect(() => run(lua, 'pcall(crash)')).toThrow(TypeError);
  });

  it('calls the interrupt handler during a busy loop, which may abort the script', () => {
    const lua = new LuaRuntime();
    let calls = 0;
    class Killed extends Error {}
    lua.setInterruptHandler(() => {
      calls++;
      if (calls === 3) throw new Killed('script killed');
    }, 1000);
    expect(() => run(lua, 'while true do pcall(function() end) end')).toThrow(Killed);
    expect(calls).toBe(3);
    lua.setInterruptHandler(undefined);
    expect(run(lua, 'local n = 0 for i = 1, 10000 do n = n + i end return n')).toEqual([50005000]);
  });

  it("calls the debug hook before each statement with the frame's locals", () => {
    const lua = new LuaRuntime();
    const steps: string[] = [];
    lua.setDebugHook((line, locals) => {
      const shown = locals().map(
        ([name, value]) => `${name}=${typeof value === 'function' ? 'fn' : String(value)}`,
      );
      steps.push(`${line}:${shown.join(',')}`);
    });
    run(lua, 'local a = 1\nlocal b = a + 1\nlocal function f(x)\n  return x\nend\nf(b)');
    expect(steps).toEqual(['1:', '2:a=1', '3:a=1,b=2', '6:a=1,b=2,f=fn', '4:x=2']);
  });

  it('indexes strings through the string metatable', () => {
    const lua = new LuaRuntime();
    const string = new LuaTable();
    string.set('upper', (s: LuaValue) => [(s as string).toUpperCase()]);
    lua.stringMetatable.set('__index', string);
    expect(run(lua, 'local s = "abc" return s:upper(), ("x"):upper()')).toEqual(['ABC', 'X']);
  });

  it('runs a chunk in the environment it is loaded with', () => {
    const lua = new LuaRuntime();
    const env = new LuaTable();
    const chunk = lua.load('x = 5 return y', 'user_script', env);
    env.set('y', 'from env');
    expect(lua.call(chunk)).toEqual(['from env']);
    expect(env.get('x')).toBe(5);
    expect(lua.globals.get('x')).toBeUndefined();
  });

  it('gives tables and functions stable, distinct addresses', () => {
    const lua = new LuaRuntime();
    const [a, b, c] = run(lua, 'local t = {} return tostring(t), tostring(t), tostring({})');
    expect(a).toMatch(/^table: 0x[0-9a-f]+$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('prints through the host sink', () => {
    const lines: string[] = [];
    const lua = new LuaRuntime({ print: (line) => lines.push(line) });
    run(lua, 'print(1, "a", nil, true, 1e15)');
    expect(lines).toEqual(['1\ta\tnil\ttrue\t1e+15']);
  });

  it('calls, indexes and converts values for libraries', () => {
    const lua = new LuaRuntime();
    const [t] = run(
      lua,
      'return setmetatable({}, {__index = function(_, k) return k .. "!" end, __call = function(self, x) return x * 2 end, __tostring = function() return "T" end})',
    );
    expect(lua.index(t, 'a')).toBe('a!');
    expect(lua.call(t, 21)).toEqual([42]);
    expect(lua.tostring(t)).toBe('T');
    expect(lua.tostring(0.1)).toBe('0.1');
  });

  it('refuses to modify read-only tables as Redis does (position only for assignments)', () => {
    const lua = new LuaRuntime();
    const sealed = (source: string) => {
      const env = new LuaTable();
      env.set('setmetatable', lua.globals.get('setmetatable'));
      env.set('rawset', lua.globals.get('rawset'));
      env.set('string', lua.globals.get('string'));
      env.set('_G', env);
      (env.get('string') as LuaTable).readonly = true;
      env.readonly = true;
      try {
        return errorOf(() => lua.call(lua.load(source, 'user_script', env))).value;
      } finally {
        (env.get('string') as LuaTable).readonly = false;
      }
    };
    expect(sealed('x = 1')).toBe('user_script:1: Attempt to modify a readonly table');
    expect(sealed('string.foo = 1')).toBe('user_script:1: Attempt to modify a readonly table');
    expect(sealed('setmetatable(_G, {})')).toBe('Attempt to modify a readonly table');
    expect(sealed('rawset(_G, "a", 1)')).toBe('Attempt to modify a readonly table');
    expect(run(lua, 'local t = {} t.x = 1 return t.x, string.rep("a", 2)')).toEqual([1, 'aa']);
  });

  describe('resumable runs', () => {
    /** Steps a run to its end, counting the pauses. */
    function finish(lua: LuaRuntime, source: string): { results: LuaValue[]; pauses: number } {
      const run = lua.start(lua.load(source, 'user_script', undefined, { resumable: true }));
      let pauses = 0;
      for (;;) {
        const results = run.resume();
        if (results !== undefined) return { results, pauses };
        pauses++;
      }
    }

    function pausingRuntime(): LuaRuntime {
      const lua = new LuaRuntime();
      lua.setInterruptHandler(() => true, 1000);
      return lua;
    }

    it('pause when the interrupt handler asks and go on where they stopped', () => {
      const { results, pauses } = finish(
        pausingRuntime(),
        'local n = 0 for i = 1, 10000 do n = n + i end return n',
      );
      expect(results).toEqual([50005000]);
      expect(pauses).toBeGreaterThanOrEqual(9);
    });

    it('compiled as generators only, run both resumable and plainly', () => {
      const lua = pausingRuntime();
      const source =
        'local function add(a, b) return a + b end local n = 0 for i = 1, 5000 do n = add(n, i) end return n';
      const chunk = lua.load(source, 'user_script', undefined, {
        resumable: true,
        resumableOnly: true,
      });
      const run = lua.start(chunk);
      let pauses = 0;
      let results = run.resume();
      for (; results === undefined; results = run.resume()) pauses++;
      expect(results).toEqual([12502500]);
      expect(pauses).toBeGreaterThan(0);
      // A plain call steps the generators to their end, without pausing.
      expect(lua.call(chunk)).toEqual([12502500]);
    });

    it('run a chunk with no loop or function of its own to its end at once', () => {
      const lua = new LuaRuntime();
      // A budget of 0: every interrupt check asks to pause.
      lua.setInterruptHandler(() => true, 0);
      const start = (source: string) =>
        lua.start(
          lua.load(source, 'user_script', undefined, { resumable: true, resumableOnly: true }),
        );
      const straight = 'local a = 1 if a then a = a + 1 end return a, string.rep("x", 2)';
      expect(start(straight).resume()).toEqual([2, 'xx']);
      expect(start('return pcall(coroutine.yield, 1)').resume()).toEqual([
        false,
        'attempt to yield across metamethod/C-call boundary',
      ]);
      expect(start('local n = 0 for i = 1, 2 do n = n + i end return n').resume()).toBeUndefined();
      expect(start('local f = function() end return 1').resume()).toBeUndefined();
    });

    it('pause inside functions, pcall and coroutines, keeping their semantics', () => {
      const source = `
        local function busy(n) local s = 0 for i = 1, n do s = s + 1 end return s end
        local ok, value = pcall(busy, 5000)
        local failed, message = pcall(function() busy(3000) error('late') end)
        local co = coroutine.create(function(a) local b = coroutine.yield(busy(a)) return busy(b) end)
        local _, first = coroutine.resume(co, 2000)
        local _, second = coroutine.resume(co, 4000)
        local blocked = {coroutine.resume(coroutine.create(function() return pcall(coroutine.yield) end))}
        return ok, value, failed, message, first, second, blocked[2], blocked[3]`;
      const { results, pauses } = finish(pausingRuntime(), source);
      expect(results).toEqual([
        true,
        5000,
        false,
        'user_script:4: late',
        2000,
        4000,
        false,
        'attempt to yield across metamethod/C-call boundary',
      ]);
      expect(pauses).toBeGreaterThanOrEqual(10);
    });

    it('refuse a yield outside any coroutine and never pause without the handler asking', () => {
      const lua = new LuaRuntime();
      const error = errorOf(() => finish(lua, 'coroutine.yield(1)'));
      expect(error.value).toBe('attempt to yield across metamethod/C-call boundary');
      expect(finish(lua, 'local n = 0 while n < 50000 do n = n + 1 end return n')).toEqual({
        results: [50000],
        pauses: 0,
      });
    });

    it('pause where the debug hook asks, before the statement', () => {
      const lua = new LuaRuntime();
      const seen: string[] = [];
      lua.setDebugHook((line, locals) => {
        seen.push(
          `${line}:${locals()
            .map(([name, value]) => `${name}=${String(value)}`)
            .join(',')}`,
        );
        return line === 3;
      });
      const chunk = lua.load(
        'local a = 1\nlocal b = 2\nlocal c = a + b\nreturn c',
        'user_script',
        undefined,
        {
          resumable: true,
        },
      );
      const run = lua.start(chunk);
      expect(run.resume()).toBeUndefined();
      expect(seen).toEqual(['1:', '2:a=1', '3:a=1,b=2']);
      expect(run.resume()).toEqual([3]);
      expect(seen).toEqual(['1:', '2:a=1', '3:a=1,b=2', '4:a=1,b=2,c=3']);
    });
  });
});
