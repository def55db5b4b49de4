import { spawnSync } from 'node:child_process';
import { requireRedisOrSkip, startRedisServer, type RedisServerProcess } from '@rc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LuaError } from '../error.js';
import { LuaRuntime } from '../lua-runtime.js';
import { installBit, installCjson, installCmsgpack, installStruct } from './index.js';
import { lua51Available, requireOrSkip } from './test-support/reference.js';

/*
 * The libraries as scripts meet them: chunks compiled by our runtime against lua5.1 and against
 * redis-server's EVAL (the libraries only Redis bundles against EVAL alone). Each chunk's value,
 * or its error message with the "user_script:1: " position, must be the same bytes.
 */

interface Case {
  /** A one-line chunk whose `return` value is compared (tostring'ed). */
  source: string;
  /** Uses bit, struct, cjson or cmsgpack: only redis-server has them. */
  redisOnly?: boolean;
}

const CASES: Record<string, Case> = {
  'every library has the fields and constants of Redis': {
    source: `local out = {} for _, lib in ipairs({string, table, math, bit, struct, cjson, cmsgpack}) do local names = {} for name, v in pairs(lib) do names[#names + 1] = name .. (type(v) == 'function' and '' or '=' .. tostring(v)) end table.sort(names) out[#out + 1] = table.concat(names, ' ') end return table.concat(out, ';')`,
    redisOnly: true,
  },
  'string methods through the string metatable': {
    source: `return ('abc'):upper() .. ('x'):rep(3) .. ('%d|%5.2f'):format(5, 1/3) .. ('hello'):sub(-3)`,
  },
  'gsub calls a Lua function and indexes through __index': {
    source: `local t = setmetatable({}, {__index = function(_, k) return k .. k end}) return (string.gsub('hello world', '%w+', function(w) return w:upper() end)) .. (string.gsub('ab', '%w', t))`,
  },
  'gmatch in a for loop': {
    source: `local out = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do out[#out + 1] = k .. v end return table.concat(out, ',')`,
  },
  'table.sort with __lt and with a comparator': {
    source: `local mt = {__lt = function(a, b) return a.v < b.v end} local t = {} for i, v in ipairs({5, 3, 8, 1, 9, 2}) do t[i] = setmetatable({v = v}, mt) end table.sort(t) local u = {5, 2, 8, 1} table.sort(u, function(a, b) return a > b end) local out = {} for _, x in ipairs(t) do out[#out + 1] = x.v end return table.concat(out, ' ') .. '|' .. table.concat(u, ' ')`,
  },
  'a sort comparing mixed types fails at the script line': {
    source: `table.sort({1, 'x', 2})`,
  },
  'an error raised in a gsub callback keeps its own message': {
    source: `string.gsub('abc', '%w', function() error('boom') end)`,
  },
  'argument errors name the function': { source: `return string.rep()` },
  'format argument errors count the format string': {
    source: `return string.format('%d %s', 1, {})`,
  },
  'pattern errors': { source: `return string.find('x', '%')` },
  'table.insert argument count': { source: `table.insert({}, 1, 2, 3)` },
  'table.concat of a bad value': { source: `return table.concat({1, {}, 3})` },
  'numbers print as 5.1 prints them': {
    source: `return tostring(2^53) .. ' ' .. string.format('%d %x %g', 2^40, 2^32 - 1, 1e20) .. ' ' .. math.floor(-0.5) .. ' ' .. math.huge .. ' ' .. math.fmod(-7, 3)`,
  },
  'cjson round trip': {
    source: `local v = cjson.decode('[1,2.5,"x",{"a":null},[true,false]]') return cjson.encode(v) .. type(cjson.null) .. tostring(cjson.null) .. tostring(v[4].a == cjson.null)`,
    redisOnly: true,
  },
  'cjson errors at the script line': { source: `return cjson.decode('[1,')`, redisOnly: true },
  'cmsgpack round trip': {
    source: `local t = cmsgpack.unpack(cmsgpack.pack({1, 2, {3, 'x'}, 1.5})) return t[1] + t[2] .. t[3][2] .. t[4] .. #cmsgpack.pack(t)`,
    redisOnly: true,
  },
  'struct returns every value then the next position': {
    source: `return table.concat({struct.unpack('>hbc3', struct.pack('>hbc3', -2, 7, 'abc'))}, ',')`,
    redisOnly: true,
  },
  'bit operations': {
    source: `return bit.tohex(bit.bxor(0xff, bit.lshift(1, 4))) .. ' ' .. bit.band(-1, 0xffff) .. ' ' .. bit.tobit(2^32 + 3)`,
    redisOnly: true,
  },
};

/** The chunk run inside pcall, on its first line, so positions read "user_script:1:". */
function wrapped(source: string): string {
  return `local ok, r = pcall(function() ${source} end) if ok then return 'ok:' .. tostring(r) end return 'error:' .. tostring(r)`;
}

function runOurs(source: string): string {
  const lua = new LuaRuntime();
  lua.globals.set('bit', installBit());
  lua.globals.set('struct', installStruct());
  lua.globals.set('cjson', installCjson());
  lua.globals.set('cmsgpack', installCmsgpack());
  try {
    return String(lua.call(lua.load(wrapped(source), 'user_script'))[0]);
  } catch (error) {
    if (error instanceof LuaError) return `uncaught:${String(error.value)}`;
    throw error;
  }
}

function runLua51(source: string): string {
  const driver = `io.write(assert(loadstring(io.read('*a'), '=user_script'))())`;
  const result = spawnSync('lua5.1', ['-e', driver], {
    input: Buffer.from(wrapped(source), 'latin1'),
  });
  return result.stdout.toString('latin1');
}

function runRedis(source: string, port: number): string {
  const result = spawnSync('redis-cli', ['-p', String(port), 'eval', wrapped(source), '0']);
  return result.stdout.toString('latin1').replace(/\n$/, '');
}

describe('the libraries from compiled scripts', () => {
  let server: RedisServerProcess | undefined;
  beforeAll(async () => {
    if (requireRedisOrSkip('libraries from scripts against redis-server')) {
      server = await startRedisServer();
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const [name, { source, redisOnly }] of Object.entries(CASES)) {
    it(`${name}, as lua5.1 and redis-server`, () => {
      const ours = runOurs(source);
      if (!redisOnly && requireOrSkip(name, lua51Available, 'lua5.1')) {
        expect(ours).toBe(runLua51(source));
      }
      if (server !== undefined) expect(ours).toBe(runRedis(source, server.port));
    });
  }
});
