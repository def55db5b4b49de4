import { spawnSync } from 'node:child_process';
import { LuaError } from '../../error.js';
import type { LibraryHost } from '../../host.js';
import { formatNumber } from '../../number.js';
import { LuaTable } from '../../table.js';
import { typeName, type LuaValue } from '../../value.js';
import { requireRedisOrSkip, startRedisServer } from '@rc/test-support';
import { expect, it } from 'vitest';
import { formatFloat } from '../printf.js';

/*
 * Differential checks of library functions: the same calls run on a reference Lua (lua5.1, or
 * redis-server's EVAL for the libraries only Redis bundles) and on our natives, each result
 * printed in one canonical form (numbers as %.17g, strings as hex, tables with sorted keys,
 * errors without their "chunk:line: " position).
 */

/** An argument written twice: as a Lua expression for the reference, as a value for ours. */
export class Both {
  constructor(
    readonly lua: string,
    readonly js: LuaValue,
  ) {}
}

/** An argument as a test writes it: arrays and plain objects become tables. */
export type Argument = LuaValue | Both | Argument[] | { [key: string]: Argument };

/**
 * A call: the function's path ("string.rep") and its arguments. A path starting with '&'
 * ("&table.insert") also returns its first argument, a table, as the call left it.
 */
export type Call = [path: string, ...args: Argument[]];

/** A runner that fakes the runtime: calls JS functions, indexes raw, prints numbers. */
export const fakeHost: LibraryHost = {
  call: (f, ...args) => {
    if (typeof f !== 'function') throw new LuaError('attempt to call a non-function');
    return f(...args);
  },
  index: (v, k) => {
    if (!(v instanceof LuaTable)) throw new LuaError('attempt to index a non-table');
    return v.get(k);
  },
  tostring: (v) => (typeof v === 'number' ? formatNumber(v) : String(v)),
  lessThan: (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    if (typeof a === 'string' && typeof b === 'string') return a < b;
    const [x, y] = [typeName(a), typeName(b)];
    throw new LuaError(
      x === y ? `attempt to compare two ${x} values` : `attempt to compare ${x} with ${y}`,
    );
  },
};

export function toLuaValue(argument: Argument): LuaValue {
  if (argument instanceof Both) return argument.js;
  if (Array.isArray(argument)) return LuaTable.fromArray(argument.map(toLuaValue));
  if (argument !== null && typeof argument === 'object' && !(argument instanceof LuaTable)) {
    const table = new LuaTable();
    for (const [key, value] of Object.entries(argument)) table.set(key, toLuaValue(value));
    return table;
  }
  return argument as LuaValue;
}

export function luaLiteral(argument: Argument): string {
  if (argument instanceof Both) return `(${argument.lua})`;
  if (argument === undefined) return 'nil';
  if (typeof argument === 'boolean') return String(argument);
  if (typeof argument === 'number') {
    if (argument !== argument) return '(0/0)';
    if (argument === Infinity) return '(1/0)';
    if (argument === -Infinity) return '(-1/0)';
    return `(${Object.is(argument, -0) ? '-0' : String(argument)})`;
  }
  if (typeof argument === 'string') {
    return `"${[...argument].map((c) => `\\${c.charCodeAt(0)}`).join('')}"`;
  }
  if (Array.isArray(argument)) return `{${argument.map(luaLiteral).join(', ')}}`;
  if (argument !== null && typeof argument === 'object' && !(argument instanceof LuaTable)) {
    const fields = Object.entries(argument).map(
      ([k, v]) => `[${luaLiteral(k)}] = ${luaLiteral(v)}`,
    );
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`no Lua literal for ${String(argument)}`);
}

const hex = (text: string): string =>
  [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

const PRECISE = { flags: '', width: 0, precision: 17, conversion: 'g' };

function canonical(value: LuaValue): string {
  switch (typeof value) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return String(value);
    case 'number':
      return `n${formatFloat(PRECISE, value)}`;
    case 'string':
      return `s${hex(value)}`;
    case 'function':
      return 'function';
    default: {
      if (!(value instanceof LuaTable)) return typeName(value);
      const entries: string[] = [];
      for (let entry = value.next(undefined); entry !== undefined; entry = value.next(entry[0])) {
        entries.push(`${canonical(entry[0])}=${canonical(entry[1])}`);
      }
      return `{${entries.sort().join(',')}}`;
    }
  }
}

/** The canonical output of a call on our natives, found through `libraries` by path. */
export function runOurs(libraries: Record<string, LuaTable>, call: Call): string {
  const [path, ...args] = call;
  const [library, name] = path.replace(/^&/, '').split('.');
  const fn = libraries[library]?.get(name);
  if (typeof fn !== 'function') throw new Error(`no function ${path}`);
  try {
    const values = args.map(toLuaValue);
    const results = fn(...values);
    return (path.startsWith('&') ? [values[0], ...results] : results).map(canonical).join(' ');
  } catch (error) {
    if (!(error instanceof LuaError)) throw error;
    return `error:${hex(String(error.value))}`;
  }
}

/** The same canonical form, computed by the reference Lua itself. */
const PRELUDE = `
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end
local canonical
function canonical(v)
  local t = type(v)
  if t == 'nil' then return 'nil' end
  if t == 'boolean' then return tostring(v) end
  if t == 'number' then return 'n' .. string.format('%.17g', v) end
  if t == 'string' then return 's' .. hex(v) end
  if t == 'function' then return 'function' end
  if t ~= 'table' then return t end
  local entries = {}
  for k, x in pairs(v) do entries[#entries + 1] = canonical(k) .. '=' .. canonical(x) end
  table.sort(entries)
  return '{' .. table.concat(entries, ',') .. '}'
end
local out = {}
local function run(f)
  local results = {n = 0}
  local function keep(...) results = {n = select('#', ...), ...} end
  keep(pcall(f))
  local n = results.n
  local parts = {}
  if results[1] then
    for i = 2, n do parts[#parts + 1] = canonical(results[i]) end
  else
    local message = results[2]
    if type(message) == 'string' then message = string.gsub(message, '^[^:]*:%d+: ', '') end
    parts[1] = 'error:' .. hex(tostring(message))
  end
  out[#out + 1] = table.concat(parts, ' ')
end
`;

/** The line of the program that runs one call. */
function runLine([path, ...args]: Call): string {
  const literals = args.map(luaLiteral);
  if (!path.startsWith('&')) return `run(function() return ${path}(${literals.join(', ')}) end)`;
  const rest = ['t', ...literals.slice(1)].join(', ');
  return `run(function() local t = ${literals[0]} return (function(...) return t, ... end)(${path.slice(1)}(${rest})) end)`;
}

function program(lines: string[]): string {
  return `${PRELUDE}\n${lines.join('\n')}\nreturn table.concat(out, '\\n')`;
}

export const lua51Available = spawnSync('lua5.1', ['-v'], { stdio: 'ignore' }).status === 0;

/** Runs the calls on lua5.1: one canonical line per call. */
export function runLua51(calls: Call[]): string[] {
  const source = `io.write((function() ${program(calls.map(runLine))} end)())`;
  const result = spawnSync('lua5.1', ['-'], { input: Buffer.from(source, 'latin1') });
  if (result.status !== 0) throw new Error(`lua5.1 failed: ${result.stderr.toString()}`);
  return result.stdout.toString('latin1').split('\n');
}

/** Runs program lines as one EVAL on the redis-server at `port`: one canonical line each. */
function runRedis(lines: string[], port: number): string[] {
  const result = spawnSync('redis-cli', ['-p', String(port), 'eval', program(lines), '0']);
  if (result.status !== 0) throw new Error(`redis-cli failed: ${result.stderr.toString()}`);
  return result.stdout.toString('latin1').replace(/\n$/, '').split('\n');
}

/** Lua tests skip, visibly, where the reference binary is absent, and fail under REQUIRE_REDIS=1. */
export function requireOrSkip(suite: string, available: boolean, binary: string): boolean {
  if (available) return true;
  if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: REQUIRE_REDIS=1 but ${binary} is not installed`);
  }
  console.warn(`SKIPPED ${suite}: ${binary} is not installed`);
  return false;
}

/** The largest script one EVAL gets: it is one argument of redis-cli, which the OS bounds. */
const MAX_SCRIPT = 100_000;

/**
 * Runs `calls` on a fresh redis-server (one EVAL) and returns its lines, or undefined (after
 * a visible skip message) where redis-server is not installed.
 */
export async function runOnFreshRedis(suite: string, calls: Call[]): Promise<string[] | undefined> {
  if (!requireRedisOrSkip(suite)) return undefined;
  const server = await startRedisServer();
  try {
    const results: string[] = [];
    let batch: string[] = [];
    let size = 0;
    for (const line of calls.map(runLine)) {
      if (size + line.length > MAX_SCRIPT && batch.length > 0) {
        results.push(...runRedis(batch, server.port));
        batch = [];
        size = 0;
      }
      batch.push(line);
      size += line.length + 1;
    }
    if (batch.length > 0) results.push(...runRedis(batch, server.port));
    return results;
  } finally {
    await server.stop();
  }
}

/** The calls whose canonical output on our natives differs from the reference's lines. */
export function differences(
  libraries: Record<string, LuaTable>,
  calls: Call[],
  expected: string[],
) {
  return calls.flatMap((call, i) => {
    const ours = runOurs(libraries, call);
    return ours === expected[i]
      ? []
      : [{ call: JSON.stringify(call), ours, reference: expected[i] }];
  });
}

/** The two checks of a library's hand-written calls: against lua5.1 and redis-server's EVAL. */
export function checkAgainstReferences(
  name: string,
  libraries: Record<string, LuaTable>,
  calls: Call[],
): void {
  const suite = `${name} library differential`;
  it('gives the results and errors of lua5.1 for every call', () => {
    if (!requireOrSkip(suite, lua51Available, 'lua5.1')) return;
    expect(differences(libraries, calls, runLua51(calls))).toEqual([]);
  });

  it('gives the results and errors of redis-server for every call', async () => {
    const expected = await runOnFreshRedis(suite, calls);
    if (expected === undefined) return;
    expect(differences(libraries, calls, expected)).toEqual([]);
  });
}
