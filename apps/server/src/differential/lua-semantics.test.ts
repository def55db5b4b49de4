import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** EVAL steps for each script, without keys or arguments. */
function evals(...scripts: string[]): string[][] {
  return scripts.map((script) => ['EVAL', script, '0']);
}

describe.runIf(requireRedisOrSkip('Lua semantics differential'))(
  'Lua 5.1 as Redis runs it, compared with redis-server',
  () => {
    const servers = useDifferential();
    const compare = (...scripts: string[]) => servers.compare(evals(...scripts), { protocol: 2 });

    it('numbers are doubles: hex, tonumber, %d of big numbers, %.14g', () =>
      compare(
        'return tostring(0x100000000)',
        'return tostring(0xFFFFFFFF)',
        "return tostring(tonumber('0x100000000'))",
        "return string.format('%d', 1700000000000)",
        "return string.format('%x %X %i', 4294967296 + 255, 3000000000, -2^40)",
        "return string.format('%5.2f|%-8s|%05d|%+d|%e|%g|%q', 3.14159, 'ab', 42, 7, 12345.678, 1e20, 'a\\nb\\0')",
        'return tostring(2^53) .. " " .. tostring(2^53 + 1) .. " " .. tostring(1/3)',
        'return {tostring(1e15), tostring(123456789012345), tostring(1/0), tostring(-1/0)}',
        'return tostring(-0.0)',
        'return 1700000000000 * 1000',
        "return {tonumber('  12  '), tonumber('1e2'), tonumber('0x'), tonumber('12a'), tonumber('z', 36), tonumber('777', 8)}",
        'return {math.floor(-3.5), math.ceil(-3.5), math.fmod(7, -3), math.mod(-7, 3), 7 % -3, -7 % 3}',
        'return {math.huge > 0, math.pi == 3.141592653589793, math.max(3, 9, 1), math.min(3, 9, 1)}',
        "return tostring(2^63) .. ' ' .. tostring(-2^63) .. ' ' .. (2^31 * 2^31)",
        'local t = {} t[1.0] = "a" t[2] = "b" return {#t, t[1], t[2.0]}',
      ));

    it('the string library: format, patterns, rep, byte/char, sub', () =>
      compare(
        "return {string.find('hello world', 'o w'), string.find('hello', 'l+')}",
        "return {string.match('key:123:x', '(%a+):(%d+)')}",
        "return (string.gsub('hello world', '(%w+)', '<%1>'))",
        "return (string.gsub('abc', '%w', {a='1', b=true}))",
        "local r = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do r[#r+1] = k .. v end return r",
        "return {string.rep('ab', 3), string.rep('x', 0), string.rep('ab', 3, ',') }",
        "return {string.byte('ABC', 1, -1)}",
        'return string.char(72, 105, 0, 255)',
        "return {('hello'):sub(-3), ('hello'):sub(2, -2), ('hello'):sub(-100, 100), ('hello'):sub(4, 2)}",
        "return {('Hello'):upper(), ('Hello'):lower(), ('abc'):reverse(), ('abc'):len()}",
        "return string.format('%s %s %s', 1, 2.5, 'x')",
        "return {string.find('a.b', '.', 1, true), string.find('a+b', '+', 1, true)}",
        "return (string.gsub('hello', '', '-'))",
        "return {string.match('  trim  ', '^%s*(.-)%s*$'), string.match('[[x]]', '%[%[(.*)%]%]')}",
        "return {pcall(function() return string.format('%d', 'x') end)}",
        "return string.format('%10.3s|', 'abcdef')",
      ));

    it('tables, sorting and unpack as 5.1', () =>
      compare(
        'local t = {5, 2, 8, 1} table.sort(t) return t',
        'local t = {5, 2, 8, 1} table.sort(t, function(a, b) return a > b end) return t',
        "local t = {} table.insert(t, 'a') table.insert(t, 1, 'b') return t",
        'local t = {1, 2, 3} table.remove(t, 1) return t',
        "return table.concat({1, 2, 'x'}, '-')",
        'return {table.getn({1, 2, 3}), table.maxn({1, 2, [10] = 3})}',
        'return {unpack({1, 2, 3})}',
        "return select('#', 1, nil, 3)",
        "return {select(2, 'a', 'b', 'c')}",
        // 5.1's `arg` in a vararg function that does not use `...`; nil in one that does.
        'local f = function(...) return arg end local t = f(1, 2) return {type(t), t.n, t[2]}',
        'local f = function(...) local x = ... return arg end return type(f(1, 2))',
        'local function f(a, ...) return arg.n end return f(1, 2, 3)',
        'return type(arg)',
        "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.x",
        'local mt = {__add = function(a, b) return 42 end} return setmetatable({}, mt) + 1',
        "local t = setmetatable({}, {__tostring = function() return 'T' end}) return tostring(t)",
        "return {pcall(table.sort, {3, 'a', 1})}",
      ));

    it('cjson, cmsgpack, struct and bit', () =>
      compare(
        "return cjson.encode({1, 2, 3, 'x'})",
        'return cjson.encode({a = 1})',
        'return cjson.encode(cjson.decode(\'{"a":[1,2,{"b":null}]}\').a)',
        "return cjson.decode('[1,2,3]')[2]",
        'return cjson.encode(1/3) .. cjson.encode(1e100) .. cjson.encode(-0) .. cjson.encode(123456789012)',
        "return {pcall(cjson.decode, '{bad')}",
        'return {pcall(cjson.encode, {[1] = 1, [3] = 3, [100] = 4})}',
        'return cjson.encode(cjson.null)',
        "return cmsgpack.pack({1, 2, 'three', true, 1.5})",
        "return cmsgpack.unpack(cmsgpack.pack({1, 'two', {3}}))",
        'return {cmsgpack.unpack(cmsgpack.pack(1, 2, 3))}',
        "return struct.pack('>I', 5)",
        "return {struct.unpack('<i2 >I4 b', struct.pack('<i2 >I4 b', -2, 4000000000, -1))}",
        "return struct.size('>iIhd')",
        "return {pcall(function() return struct.pack('q', 1) end)}",
        'return {bit.band(0xFF, 0x0F), bit.bor(1, 2), bit.bxor(3, 1), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2)}',
        'return {bit.tohex(255), bit.tohex(-1, 4), bit.tobit(2^32 + 5), bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x12345678)}',
      ));

    it('the sandbox is sealed: every write is refused with Redis’s error', () =>
      compare(
        'x = 1',
        'return undefined_global',
        'string.foo = 1',
        "getmetatable('').__index = 1",
        "getmetatable('').__index.upper = nil",
        'redis.call = nil',
        'math.floor = nil',
        'cjson.encode = nil',
        'bit.band = nil',
        "rawset(_G, 'z', 1)",
        'setmetatable(_G, nil)',
        "rawset(string, 'x', 1)",
        'setmetatable(redis, {})',
        'return getmetatable(redis) == nil',
        "table.insert(redis, 'x')",
        'KEYS[1] = 2 return KEYS[1]',
        'return type(os)',
        'return type(print)',
        'return type(getfenv)',
        'return type(__redis__err__handler)',
        'local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t',
        'local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t',
        'return _VERSION',
        "return loadstring('return 1')()",
        "return load('return 1')",
        'return string.foo',
      ));

    it('a change one script tries cannot reach the next script', () =>
      compare(
        "pcall(function() getmetatable('').__index.upper = function() return 'hacked' end end) return 1",
        "return ('x'):upper()",
        'pcall(function() redis.call = function() return 1 end end) return 1',
        "return redis.call('ping')",
      ));

    it('errors: messages, positions, error values, pcall', () =>
      compare(
        "error('boom')",
        "\n\nerror('line three')",
        'error(42)',
        'error(nil)',
        'error(true)',
        "error({err='CODE detail'})",
        'error({err=5})',
        "local t = setmetatable({}, {__index = function() error('deep') end}) return t.x",
        "local function f()\n error('in f', 2)\nend\nf()",
        'local a a.b = 1',
        'local a = {} return a.b.c',
        'return 1 + {}',
        "return 'x' .. {}",
        'return #nil',
        'return nil < 1',
        'return {} < {}',
        'undefined_fn()',
        'string.nofunc()',
        "local s = 'x' s:nomethod()",
        "return pcall(redis.call, 'nosuch')",
        "local ok, e = pcall(error, {err='x'}) return type(e)",
        "local ok, e = pcall(error, {err='x'}) return e",
        "return {pcall(error, 'msg', 0)}",
        "return {xpcall(function() error('x') end, function(e) return 'handled ' .. e end)}",
        'coroutine.yield()',
        'local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co)}',
        "local co = coroutine.wrap(function() error('in co') end) return {pcall(co)}",
        "return {pcall(loadstring, 'x x')}",
        "return {loadstring('x x')}",
        "local f = loadstring('return ...') return f(7)",
        'return 1 +',
        'local function f() return f() + 1 end return pcall(f)',
        'local t = {} for i = 1, 7994 do t = {t} end return t',
        'local t = {} for i = 1, 7995 do t = {t} end return t',
        'local t = {} t[1] = t return t',
      ));

    // Seconds per script on a busy machine, on either server: each reply is waited for longer,
    // and the test as long as its replies may take.
    it(
      'big tables: no 2^24 element limit',
      () =>
        servers.compare(
          evals(
            'local t = {} for i = 1, 17000000 do t[i] = i end return #t',
            "local t = {} for i = 1, 200000 do t['k' .. i] = i end local n = 0 for _ in pairs(t) do n = n + 1 end return n",
          ),
          { protocol: 2, replyTimeoutMs: 60_000 },
        ),
      300_000,
    );
  },
);
