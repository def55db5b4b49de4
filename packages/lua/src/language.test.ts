import { describe, expect, it } from 'vitest';
import { requireLua51OrSkip, runOnLua51, runOnRuntime } from './test-support/lua51.js';

/**
 * The language against Debian's lua5.1: each chunk runs on both as "user_script" and what it
 * prints (and how it fails) must be the same bytes. The libraries have their own tests; here
 * they appear where the language meets them (string methods, callbacks, errors of natives).
 */
const CASES: Record<string, string> = {
  'closures in a numeric for capture each iteration':
    'local fs = {} for i = 1, 3 do fs[i] = function() return i end end print(fs[1](), fs[2](), fs[3]())',
  'closures in a while loop get fresh locals': `
    local gs, j = {}, 0
    while j < 3 do j = j + 1; local k = j; gs[j] = function() k = k + 10; return k end end
    print(gs[1](), gs[1](), gs[2]())`,
  'upvalues are shared between closures': `
    local function counter() local n = 0 return function() n = n + 1 return n end, function() return n end end
    local inc, get = counter() inc() inc() print(get())`,
  'varargs and select': `
    local function va(...) return select('#', ...), ... end
    print(va()) print(va(nil)) print(va(1, nil, 3)) print(va(nil, nil)) print((va(1, 2)))
    print(select(2, 'a', 'b', 'c')) print(select(-2, 'a', 'b', 'c')) print(pcall(function() select(0, 1) end))
    local function pass(...) local a, b = ... return b, a end print(pass(1, 2))`,
  'a vararg function that does not use ... gets its arguments in arg (5.1)': `
    local function f(...) return arg end
    local t = f(1, nil, 'x') print(type(t), t.n, t[1], t[2], t[3], #f())
    local function g(a, ...) return a, arg.n, arg[1] end print(g(1, 2, 3))
    local function h(...) local n = select('#', ...) return arg, n end print(h(1, 2))`,
  'calls expand only in last position': `
    local function three() return 1, 2, 3 end
    local t = {three()} local u = {three(), 10} local v = {three(), three()}
    print(#t, #u, #v, (three()))
    print(three(), 'x') print('x', three())`,
  'multiple assignment evaluates all values first': `
    local a, b = 1, 2 a, b = b, a print(a, b)
    local x, y, z = 1 print(x, y, z)
    local i, arr = 1, {} i, arr[i] = i + 1, 20 print(i, arr[1], arr[2])
    local t = {} t.x, t.y = (function() return 1, 2 end)() print(t.x, t.y)`,
  'numeric for as 5.1': `
    for k = 10, 1, -3 do print(k) end
    for k = 1, 0 do print('never') end
    for k = 1, 3 do local k2 = k; k = k * 10; print(k, k2) end
    for k = 1.5, 3 do print(k) end
    for k = '1', '2' do print(k, type(k)) end
    for k = 1, 2, 0.5 do print(k) end
    for k = 0.1, 2e20, 1e20 do print(k) end
    local n = 0 for k = 1, 3 do n = n + 1 k = 10 end print(n)`,
  'numeric for errors': `
    print(pcall(function() for i = 'a', 2 do end end))
    print(pcall(function() for i = 1, {} do end end))
    print(pcall(function() for i = 1, 2, nil do end end))`,
  'generic for, pairs, ipairs, next': `
    local s = 0 for _, v in ipairs({1, 2, 3, nil, 5}) do s = s + v end print(s)
    local n = 0 for k, v in pairs({a = 1, b = 2, 10, 20}) do n = n + 1 end print(n)
    local t = {} for i = 1, 5 do t[i] = i end local total = 0 for k, v in next, t do total = total + k * v end print(total)
    print(next({}), next({7})) print(pcall(next, {}, 'nope')) print(pcall(next, {}, 1))`,
  'repeat sees the body locals in until':
    'local r = 0 repeat local q = r; r = r + 1 until q >= 3 print(r)',
  'break leaves the innermost loop': `
    for i = 1, 3 do for j = 1, 3 do if j == 2 then break end print(i, j) end end
    local i = 0 while true do i = i + 1 if i > 4 then break end end print(i)
    repeat do break end until false print('out')`,
  'and, or, not': `
    print(1 and 2, nil and 1, false or 'x', nil or false, 1 or error('no'), false and error('no'))
    print(not nil, not 0, not not {}, (nil or 0) and 'y')
    local a, b = nil, 5 print(a and a.x or b)`,
  'comparison and equality': `
    print(1 == 1.0, '1' == 1, 2 < 3, 'a' < 'b', 'Z' < 'a', 'abc' < 'abd', '' < 'a', 3 >= 3, 2 > 3)
    print(pcall(function() return 1 < nil end)) print(pcall(function() return {} < {} end))
    print(pcall(function() return 'a' <= 1 end)) print({} == {}, print == print)`,
  'arithmetic and string coercion': `
    print(10 / 4, 7 % 3, -7 % 3, 7 % -3, 5.5 % 2, 2 ^ 10, -2 ^ 2, 10 - -2, 2 ^ 0.5)
    print('10' + 5, '3' * '4', '0x10' + 0, ' 5 ' * 2, 10 .. 20, 1.5 .. '', - '2')
    print(1 / 0, -1 / 0, 5 % 0 ~= 5 % 0, 0 / 0 ~= 0 / 0)`,
  'numbers print as %.14g': `
    print(2 ^ 63, -0.0, 1e100, 123456789012345678, 0.1 + 0.2, 1 / 3, 100000000000000, 1e14, 1e15, -1e15)
    print(2 ^ 53 + 1, 4294967296, 0x100000000, 0xFFFFFFFF, 1e-5, 123.456e2, .5, 3., 0x7fffffffffffffff)
    print(tostring(1e300 * 1e10), tostring(-(1e300 * 1e10)), 123456789012345, 34361055622350.5, 6369750542822.25)
    print(-283357125424605, 12333416712806.5, 1e15 + 0.5, 2 ^ -1074, 1.7976931348623157e308, 0.1 * 3)`,
  'tonumber and tostring': `
    print(tonumber('0x10'), tonumber('  12  '), tonumber('12a'), tonumber('1e2'), tonumber(nil), tonumber(''), tonumber('0x'))
    print(tonumber('ff', 16), tonumber('  11  ', 2), tonumber('0x10', 16), tonumber('z', 36), tonumber('8', 8), tonumber('1.5', 10))
    print(tostring(nil), tostring(true), tostring(12), tostring('s'), tonumber(' -0x10 '), tonumber('1e'), tonumber('inf'), tonumber('-inf'))
    print(pcall(function() tonumber('1', 99) end)) print(pcall(function() tonumber() end))`,
  'length operator': `
    print(#'abc', #{1, 2, 3}, #{n = 1}, #'', #{1, 2, nil})
    print(pcall(function() local a return #a end))`,
  'runtime errors name the variable': `
    print(pcall(function() local x; return x.y end))
    print(pcall(function() return cfg.y end))
    print(pcall(function() local t = {} return t.a.b end))
    print(pcall(function() local t = {} t.f() end))
    print(pcall(function() local t = {} t:m() end))
    print(pcall(function() local x; return x + 1 end))
    print(pcall(function() local x; return 1 + x end))
    print(pcall(function() return {} + 1 end))
    print(pcall(function() return 'a' + 1 end))
    print(pcall(function() return {} .. 'x' end))
    print(pcall(function() local a = 'x' return a .. nil end))
    print(pcall(function() local a = 1; local function g() return a() end return g() end))
    print(pcall(function() return ('x')() end))
    print(pcall(function() return -{} end))
    print(pcall(function() undefinedFunction() end))
    print(pcall(function() local t = {} t.x.y = 1 end))
    print(pcall(function() local t = {} t[nil] = 1 end))
    print(pcall(function() local s = 'x' s.y = 1 end))`,
  'error values and levels': `
    print(pcall(error)) print(pcall(error, 'm')) print(pcall(error, {code = 1} == nil))
    print(pcall(function() error('lvl1') end))
    print(pcall(function() error('lvl0', 0) end))
    local function inner() error('lvl2', 2) end
    print(pcall(function()
      inner()
    end))
    local ok, e = pcall(error, {code = 42}) print(ok, type(e), e.code)
    print(pcall(function() error() end))
    print(pcall(function() error(12) end))
    print(select('#', pcall(error)))`,
  assert: `
    print(pcall(assert, false)) print(pcall(assert, nil, 'boom')) print(assert(1, 2, 3))
    print(pcall(function() assert(false, 'with position') end))
    print(pcall(function() assert(1 == 2) end))`,
  xpcall: `
    print(xpcall(function() error('e') end, function(m) return 'handled: ' .. m end))
    print(xpcall(function() return 1, 2 end, print))`,
  'the stack overflows as a Lua error': `
    local function f() return 1 + f() end
    local ok, e = pcall(f) print(ok, e)`,
  metatables: `
    local mt = {__index = function(t, k) return k * 2 end, __newindex = function(t, k, v) rawset(t, k, v + 1) end,
      __call = function(self, a) return 'called ' .. a end, __add = function(a, b) return 'add' end,
      __eq = function() return true end, __lt = function() return true end, __le = function() return false end,
      __concat = function(a, b) return 'cat' end, __unm = function() return 'neg' end, __len = function() return 99 end,
      __tostring = function() return 'T!' end, __mod = function() return 'mod' end, __pow = function() return 'pow' end}
    local o = setmetatable({}, mt) local o2 = setmetatable({}, mt)
    print(o[21], o(5), o + 1, 1 + o, o == o2, o < o2, o <= o2, o .. 'x', 'x' .. o, -o, #o, tostring(o), o % 2, 2 ^ o)
    o.z = 5 print(rawget(o, 'z'), o ~= o2, o == {}, setmetatable({}, {__eq = mt.__eq}) == o)
    local base = {greet = function(self) return 'hi ' .. self.name end}
    local obj = setmetatable({name = 'bob'}, {__index = base}) print(obj:greet())
    local chain = setmetatable({}, {__index = setmetatable({}, {__index = {deep = 'yes'}})}) print(chain.deep)
    local lt = setmetatable({}, {__lt = function(a, b) return false end}) print(lt <= setmetatable({}, getmetatable(lt)))
    local store = {} local proxy = setmetatable({}, {__newindex = store}) proxy.a = 1 print(rawget(proxy, 'a'), store.a)
    print(pcall(function() local q = setmetatable({}, {__index = function(t, k) error('idx ' .. k) end}) return q.foo end))
    print(getmetatable(setmetatable({}, {__metatable = 'locked'})))
    print(pcall(setmetatable, setmetatable({}, {__metatable = 1}), {}))
    print(pcall(function() setmetatable({}, 1) end))
    local loop = setmetatable({}, {}) getmetatable(loop).__index = loop print(pcall(function() return loop.x end))`,
  'rawequal, rawget, rawset, unpack': `
    print(rawequal('a', 'a'), rawequal({}, {}), rawget({5}, 1), rawset({}, 1, 2)[1])
    print(unpack({1, 2, 3})) print(unpack({1, 2, 3}, 2)) print(unpack({1, 2, 3}, 2, 5)) print(unpack({}, 1, 0))
    print(pcall(unpack, {}, 1, 1e6))`,
  loadstring: `
    print(loadstring('x = ', '=foo')) print(loadstring('x = '))
    local f = loadstring('local a, b = ... return b, a') print(f(1, 2))
     print(pcall(loadstring('return 1 + nil', '=chunk')))
    print(type(loadstring('return 1 +\\n 2'))) local n = 0 print(load(function() n = n + 1 if n == 1 then return 'return 7' end end)())`,
  'getfenv and setfenv on a chunk': `
    local env = setmetatable({}, {__index = _G}) local f = loadstring('y = 5 return y')
    setfenv(f, env) print(f(), env.y, y, getfenv(f) == env)`,
  globals: 'x = 1 print(x, _G.x, _G._G == _G, _VERSION) _G.y = 2 print(y)',
  'method definitions and calls': `
    local obj = {n = 1} function obj:inc(by) self.n = self.n + by return self end
    function obj.static(a) return a end print(obj:inc(2):inc(3).n, obj.static(4))
    local a = {b = {c = {}}} function a.b.c.f() return 'deep' end print(a.b.c.f())`,
  'strings: escapes and long brackets': `
    print('a\\tb', "q\\"q", 'x\\65y', '\\0491', 'multi\\
line', [[long
string]], [==[with ]] inside]==], #'\\0\\0')
    --[==[ long
    comment ]==] print('after comment') -- trailing`,
  coroutines: `
    local co = coroutine.create(function(a, b)
      print('start', a, b)
      local c = coroutine.yield(a + b)
      print('got', c)
      local d, e = coroutine.yield(c * 2)
      return d + e
    end)
    print(coroutine.resume(co, 1, 2)) print(coroutine.status(co))
    print(coroutine.resume(co, 10)) print(coroutine.resume(co, 3, 4))
    print(coroutine.status(co), coroutine.resume(co))
    local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) print(gen(), gen(), gen())
    local function walk(n) if n > 0 then walk(n - 1) coroutine.yield(n) end end
    for v in coroutine.wrap(function() walk(3) end) do print('walk', v) end
    print(coroutine.resume(coroutine.create(function() error('oops') end)))
    print(coroutine.running())
    local co2 co2 = coroutine.create(function() print(coroutine.status(co2), coroutine.running() == co2) end) coroutine.resume(co2)
    print(pcall(coroutine.wrap(function() error('inwrap') end)))
    print(coroutine.resume(coroutine.create(function() pcall(coroutine.yield) end)))
    print(pcall(coroutine.yield))
    local obj = setmetatable({}, {__index = function() return coroutine.yield() end})
    print(coroutine.resume(coroutine.create(function() return obj.x end)))
    local nested = coroutine.wrap(function()
      local inner = coroutine.wrap(function() coroutine.yield('a') coroutine.yield('b') end)
      coroutine.yield(inner() .. inner())
    end) print(nested())
    print(pcall(function() coroutine.create(print) end)) print(pcall(function() coroutine.wrap(1) end))
    print(pcall(function() coroutine.create(pcall) end)) print(pcall(function() coroutine.create() end))`,
  'syntax errors': `
    for _, s in ipairs({'x = "abc', 'x = "abc\\ny', 'x = 3x', 'x = @', 'x = [==[ abc', '--[[ abc', 'x = "\\\\400"',
      'x = 1 y', 'local function f() ', 'return return', 'x = }', 'for i=1 do end', 'a.b:c = 1', 'x = 0x', 'local 1',
      'goto x', 'f(\\n)', 'x = (1', 'function f(a,) end', 'if x then', 'if x then\\n\\nelse', 'f()\\n(g)()', 'x = ...',
      'function f() return ... end', '(f) = 1', 'f() = 1', 'local t = {1, 2', 'return 1 2', 'x = 1 .. ', 'x = not',
      'x = \\1', 'x = \\127', 'x = ~= 1'}) do
      local f, e = loadstring(s, '=user_script') print(type(f), e)
    end`,
  'clearing fields while traversing with pairs': `
    local t = {1, 2, 3, a = 1, b = 2, c = 3}
    for k in pairs(t) do t[k] = nil end print(next(t))`,
  'libraries called from compiled code': `
    local s = 'hello' print(s:upper(), ('%d'):format(1700000000000), #s:rep(3, ','), s:sub(-3))
    print(string.gsub('abc', '%w', function(c) return c:upper() .. '.' end))
    local t = {5, 2, 8, 1} table.sort(t, function(a, b) return a > b end) print(table.concat(t, ' '))
    local words = {} for w in string.gmatch('one two three', '%a+') do table.insert(words, w) end print(#words, words[3])
    print(pcall(function() return string.rep('x') end))
    print(pcall(function() local t = {} table.sort({1, 'a'}) end))
    print(math.floor(-3.5), math.max(1, 9, 3), math.huge, -math.huge, math.fmod(7, 3))
    print(tostring(2^31), string.format('%x', 2^32 - 1), string.format('%5.1f|%-5s|', 3.14159, 'ab'))`,
  'errors in statements over several lines name the line of the operation': `
    print(pcall(function()
      local x = string.rep(
        'x',
        nil)
    end))
    print(pcall(function()
      local a, b = 1
      return a +
        b
    end))
    print(pcall(function()
      local t = {
        a = 1,
        b = nil .. 'x',
      }
    end))
    print(pcall(function()
      local f
      local v = {
        1,
        f(),
      }
    end))
    print(pcall(function()
      local t = {n = 1}
      while t.n < 3 do
        t.n = t.n + 1
        if t.n == 3 then t = nil end
      end
    end))
    print(pcall(function()
      local s = 'a'
      return s ..
        (nil or
          undefinedGlobal) .. (#s > 0 and
            s.x.y)
    end))`,
  'argument errors of natives called as methods': `
    print(pcall(function() return ('x'):rep() end))
    print(pcall(function() local s = 'x' return s:rep('a') end))
    print(pcall(function() return string.rep() end))
    print(pcall(function() local t = {upper = string.upper} return t:upper() end))
    print(pcall(function() local s = 'x' return s:sub(1):rep() end))`,
  'argument errors of natives name the call site as 5.1': `
    print(pcall(string.rep))
    print(pcall(function() local f = string.rep return f() end))
    rep = string.rep print(pcall(function() return rep('x', {}) end))
    local up = string.sub print(pcall(function() return up() end))
    print(pcall(function() local t = {string.rep} return t[1]() end))
    print(pcall(function() return (string.rep)() end))
    print(pcall(function() local s = string return s.rep() end))
    print(pcall(function() local u = string.upper return u(nil) end))
    print(pcall(table.concat, {{}}))
    print(pcall(function() local tn = tonumber return tn('1', 99) end))
    print(xpcall(string.rep, function(m) return 'handled: ' .. m end))
    print(pcall(function() local floor = math.floor return floor('a') end))
    print(pcall(function() local t = setmetatable({}, {__index = string.rep}) return t.x end))
    print(pcall(function() local t = setmetatable({}, {__newindex = string.rep}) t.x = 1 end))`,
  'recursion limits: stack overflow, and C stack overflow at 200 nested native calls': `
    print(pcall(function() local function f() return 1 + f() end return f() end))
    print(pcall(function() local function f(n) return 1 + f(n + 1) end return f(1) end))
    print(pcall(function() local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x end))
    local function g() return pcall(g) end local r = {g()} print(r[#r - 1], r[#r])
    local function h() return select(2, xpcall(h, function(m) return m end)) end print(h())`,
  'yielding from inside a library callback fails as in 5.1': `
    print(coroutine.resume(coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)))`,
};

describe('Lua 5.1 language (differential against lua5.1)', () => {
  const available = requireLua51OrSkip('language.test.ts');
  for (const [name, source] of Object.entries(CASES)) {
    it.runIf(available)(name, () => {
      const expected = runOnLua51(source);
      // A case whose chunk does not compile would only compare the syntax error.
      expect(expected).not.toMatch(/^syntax: /);
      expect(runOnRuntime(source)).toBe(expected);
    });
  }
});
