// @rc/lua against Debian's lua5.1 and fengari (the engine's current Lua) on small programs.
// Run: pnpm --filter @rc/lua build && pnpm --filter @rc/lua bench
// Each program runs ROUNDS times per implementation; the best time counts. Times are CPU time
// (the machine may be shared): lua5.1 measures itself with os.clock inside the chunk, the
// JavaScript ones read process.cpuUsage around the call (compiling excluded, V8's helper
// threads included). Programs use only the base library, which all three have.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LuaRuntime } from '../dist/index.js';

const ROUNDS = 3;

const PROGRAMS = {
  'fib(30)':
    'local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end local r = fib(30)',
  '3e6 table appends (t[#t+1])': 'local t = {} for i = 1, 3000000 do t[#t + 1] = i end',
  '1e6 method calls via __index': `
    local Point = {} Point.__index = Point
    function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
    function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
    local p = Point.new(0, 0) for i = 1, 1000000 do p = p:add(Point.new(1, 1)) end`,
  '2e5 string keys set and read': `
    local t = {} for i = 1, 200000 do t['k' .. i] = i end
    local s = 0 for i = 1, 200000 do s = s + t['k' .. i] end`,
  '1e6 closures and pcall': 'local n = 0 for i = 1, 1000000 do pcall(function() n = n + i end) end',
  '3e6 field reads': `
    local job = {name = 'send', attempts = 3, delay = 0, priority = 1, timestamp = 1700000000000}
    local s = 0 for i = 1, 1000000 do s = s + job.attempts + job.delay + job.priority end`,
  '2e4 BullMQ-like job moves': `
    local reply = {'name', 'send', 'data', '{"to":"x"}', 'attempts', '3', 'delay', '0',
      'priority', '1', 'timestamp', '1700000000000', 'processedOn', '0', 'atm', '0'}
    local waiting, active = {}, {}
    for i = 1, 20000 do waiting[#waiting + 1] = 'bull:q:' .. i end
    for n = 1, 20000 do
      local id = table.remove(waiting, #waiting)
      local job = {}
      for j = 1, #reply, 2 do job[reply[j]] = reply[j + 1] end
      local fields = 0
      for k, v in pairs(job) do fields = fields + #k + #v end
      job.attempts = tonumber(job.attempts) + 1
      job.processedOn = n
      table.insert(active, {id = id, job = job, fields = fields})
    end`,
};

/** CPU seconds (user + system) `run` takes. */
function cpuSeconds(run) {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

function best(run) {
  let fastest = Infinity;
  for (let round = 0; round < ROUNDS; round++) fastest = Math.min(fastest, run());
  return fastest;
}

function timeRcLua(source) {
  const lua = new LuaRuntime();
  const chunk = lua.load(source, 'bench');
  return best(() => cpuSeconds(() => lua.call(chunk)));
}

const directory = mkdtempSync(join(tmpdir(), 'rc-lua-bench-'));
const lua51 = spawnSync('lua5.1', ['-v']).status === 0;
function timeLua51(source) {
  const file = join(directory, 'program.lua');
  writeFileSync(file, `local started = os.clock() do ${source} end io.write(os.clock() - started)`);
  return best(() => Number(spawnSync('lua5.1', [file], { encoding: 'utf8' }).stdout));
}

let fengari;
try {
  const require = createRequire(new URL('../../engine/package.json', import.meta.url));
  fengari = require('fengari');
} catch {
  fengari = undefined;
}
// `--quick`: @rc/lua and lua5.1 only (fengari takes minutes on the shared machine).
if (process.argv.includes('--quick')) fengari = undefined;
function timeFengari(source) {
  const { lua, lauxlib, lualib, to_luastring } = fengari;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== 0)
    throw new Error('fengari: load failed');
  lua.lua_setglobal(L, to_luastring('program'));
  return best(() => {
    lua.lua_getglobal(L, to_luastring('program'));
    return cpuSeconds(() => {
      if (lua.lua_pcall(L, 0, 0, 0) !== 0) throw new Error(lua.lua_tojsstring(L, -1));
    });
  });
}

const seconds = (s) => (s === undefined ? '—' : `${s.toFixed(3)} s`);
const ratio = (other, ours) => (other === undefined ? '—' : `${(other / ours).toFixed(2)}×`);
console.log('| program | @rc/lua | lua5.1 | fengari | speed vs lua5.1 | speed vs fengari |');
console.log('|---|---|---|---|---|---|');
for (const [name, source] of Object.entries(PROGRAMS)) {
  const ours = timeRcLua(source);
  const reference = lua51 ? timeLua51(source) : undefined;
  const theirs = fengari ? timeFengari(source) : undefined;
  console.log(
    `| ${name} | ${seconds(ours)} | ${seconds(reference)} | ${seconds(theirs)} | ${ratio(reference, ours)} | ${ratio(theirs, ours)} |`,
  );
}
