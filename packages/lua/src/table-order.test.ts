import { spawnSync } from 'node:child_process';
import { requireRedisOrSkip, startRedisServer, type RedisServerProcess } from '@rc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCjson } from './lib/cjson.js';
import { installCmsgpack } from './lib/cmsgpack.js';
import { LuaRuntime } from './lua-runtime.js';
import { requireLua51OrSkip, runOnLua51 } from './test-support/lua51.js';

/*
 * Table layout against the references: what `pairs` visits, in which order, and what `#` says
 * of tables with holes, after hand-picked and randomly generated sequences of stores and
 * deletes, compared with lua5.1 (keys shorter than 32 bytes: Debian's 5.1 hashes longer
 * strings by sampling, Redis's Lua hashes every byte) and redis-server's EVAL (all keys, and
 * cjson objects). Each program returns the lines it emitted as one string.
 */

const PRELUDE = `
local out = {}
local function emit(...)
  local parts = {}
  for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
  out[#out + 1] = table.concat(parts, ' ')
end
local function keys(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. '=' .. tostring(v) end
  emit('#' .. #t, table.concat(parts, ' '))
end
`;

const wrap = (body: string): string => `${PRELUDE}\n${body}\nreturn table.concat(out, '\\n')`;

const CASES: Record<string, string> = {
  'records set field by field': `
    keys({a = 1, b = 2, c = 3})
    local t = {} t.a = 1 t.b = 2 t.c = 3 t.d = 4 t.e = 5 keys(t)
    local u = {} for i = 1, 40 do u['k' .. i] = i end keys(u)
    local v = {name = 'x', id = 3, data = 'd', opts = 'o', ts = 1, delay = 0, attempts = 5} keys(v)`,
  'a nil store makes a node, as 5.1': `
    local t = {} t.x = nil t.y = 1 t.z = 2 keys(t)
    local u = {a = 1} u.b = nil u.c = 3 u.d = 4 keys(u)`,
  'integer, float, negative, zero and boolean keys': `
    local t = {} for i = 1, 20 do t[i * 3] = i end keys(t)
    keys({1.5, [1.5] = 'f', [-1] = 'm', [0] = 'z', [-0.25] = 'q', [true] = 't', [false] = 'f', [2 ^ 40] = 'big'})
    local u = {} for i = 20, 1, -1 do u[i] = i end keys(u)
    local w = {} for i = 1, 30 do w[i / 4] = i end keys(w)
    local x = {} x[2 ^ 53] = 1 x[-2 ^ 31] = 2 x[2 ^ 31] = 3 x[1e300] = 4 x[-1e-300] = 5 keys(x)`,
  'constructors are sized as 5.1 sizes them': `
    keys({1, 2, 3, nil, 5, x = 1, y = 2, [10] = 3})
    keys({n = 1, unpack({1, 2, 3, 4, 5})})
    keys({[1] = 'a', [2] = 'b', [3] = 'c'})
    keys({'p', [1] = 'k', [2] = 'q'})
    keys({[3] = 'x', a = 1, unpack({1, 2, 3, 4, 5})})
    local t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17} t[18] = 'in' t[19] = 'out' keys(t)
    local function pack(...) return {...} end keys(pack()) keys(pack(nil, 2, nil)) keys({nil, nil, 3}) keys({(unpack({1, 2, 3}))})`,
  'the length of tables with holes': `
    emit(#{1, nil, 3}, #{1, nil, 3, nil}, #{nil, 2}, #{nil, nil, 3, nil, 5})
    local t = {} t[1] = 1 t[2] = 2 t[4] = 4 emit(#t)
    t = {} for i = 1, 4 do t[i] = i end t[2] = nil emit(#t) t[4] = nil emit(#t)
    t = {} for i = 1, 10 do t[i] = i end for i = 1, 10, 2 do t[i] = nil end keys(t)
    for i = 1, 12 do local u = {} for j = 1, i do u[j] = j end u[i + 2] = 'h' u.s = 1 emit(i, #u) end
    local big = {} for i = 1, 100 do big[i] = i end for i = 60, 100 do big[i] = nil end big[80] = 1 emit(#big)
    local h = {x = 1} h[1] = 1 h[2] = 2 h[3] = 3 h[5] = 5 emit(#h) h[4] = 4 emit(#h)`,
  'deletes during a traversal, then new keys': `
    local t = {a = 1, b = 2, c = 3, d = 4} for k in pairs(t) do t[k] = nil end keys(t) t.e = 5 t.a = 6 keys(t)
    local u = {} for i = 1, 30 do u['f' .. i] = i end
    for k, v in pairs(u) do if v % 3 == 0 then u[k] = nil else u[k] = v * 10 end end keys(u)
    for i = 1, 30, 4 do u['g' .. i] = i end keys(u)
    local w = {1, 2, 3, x = 1, y = 2} for k in pairs(w) do w[k] = nil end keys(w) w[2] = 'two' w.z = 1 keys(w)`,
  'next after a key was cleared and set again': `
    local t = {} for i = 1, 10 do t['n' .. i] = i end
    local k = next(t) t[k] = nil emit(next(t, k)) t[k] = 'back' keys(t)
    emit(pcall(next, t, 'missing'))`,
  'a table that grows and shrinks through rehashes': `
    local t = {} for i = 1, 50 do t[i] = i t['s' .. i] = i end
    for i = 1, 50 do if i % 2 == 0 then t[i] = nil t['s' .. i] = nil end end
    t.after = 1 for i = 51, 70 do t[i] = i end keys(t)
    local u = {} for i = 1, 5 do u['m' .. i] = i end for k in pairs(u) do u[k] = nil end
    for i = 1, 6 do u['n' .. i] = i keys(u) end
    local w = {} for i = 1, 40 do w[i * 7] = i end for i = 1, 40 do w[i * 7] = nil end
    for i = 1, 10 do w[i] = i w['s' .. i] = i end keys(w)`,
};

/** A small seeded generator, so a failing program can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A random sequence of stores, deletes and `#` on one table, printing its traversal. */
function randomProgram(seed: number, longKeys: boolean): string {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const letters = 'abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const names = Array.from({ length: 4 + pick(30) }, () => {
    const length = longKeys && next() < 0.5 ? 32 + pick(40) : 1 + pick(12);
    return Array.from({ length }, () => letters[pick(letters.length)]).join('');
  });
  const key = (): string => {
    switch (pick(6)) {
      case 0:
      case 1:
      case 2:
        return `'${names[pick(names.length)]}'`;
      case 3:
        return String(pick(40) - 4);
      case 4:
        return `${pick(20)}.5`;
      default:
        return next() < 0.5 ? 'true' : String(2 ** (10 + pick(40)));
    }
  };
  const lines: string[] = ['local t = {}'];
  if (next() < 0.5) {
    const items = Array.from({ length: pick(12) }, (_, i) =>
      next() < 0.5 ? String(i) : `[${key()}] = ${i}`,
    );
    lines[0] = `local t = {${items.join(', ')}}`;
  }
  const steps = 10 + pick(60);
  for (let step = 0; step < steps; step++) {
    const roll = next();
    if (roll < 0.6) lines.push(`t[${key()}] = ${step}`);
    else if (roll < 0.8) lines.push(`t[${key()}] = nil`);
    else if (roll < 0.9) lines.push('emit(#t)');
    else lines.push(`for k, v in pairs(t) do if v % ${2 + pick(3)} == 0 then t[k] = nil end end`);
  }
  lines.push('keys(t)');
  return `do\n${lines.join('\n')}\nend`;
}

function runOurs(body: string): string {
  const lua = new LuaRuntime();
  lua.globals.set('cjson', installCjson());
  lua.globals.set('cmsgpack', installCmsgpack());
  const [result] = lua.call(lua.load(wrap(body), 'user_script'));
  return result as string;
}

function runOnLua51Chunk(body: string): string {
  return runOnLua51(`io.write((function() ${wrap(body)} end)())`);
}

function runOnRedis(server: RedisServerProcess, body: string): string {
  const result = spawnSync('redis-cli', ['-p', String(server.port), 'eval', wrap(body), '0'], {
    encoding: 'latin1',
  });
  if (result.status !== 0) throw new Error(`redis-cli failed: ${result.stderr}`);
  return result.stdout.replace(/\n$/, '');
}

const SEEDS = Array.from({ length: 150 }, (_, i) => 1000 + i);

describe('table iteration order and borders against lua5.1', () => {
  const available = requireLua51OrSkip('table-order.test.ts');
  for (const [name, body] of Object.entries(CASES)) {
    it.runIf(available)(name, () => {
      expect(runOurs(body)).toBe(runOnLua51Chunk(body));
    });
  }

  it.runIf(available)('random stores and deletes (short keys)', () => {
    const body = SEEDS.map((seed) => randomProgram(seed, false)).join('\nemit("--")\n');
    expect(runOurs(body).split('--')).toEqual(runOnLua51Chunk(body).split('--'));
  });
});

describe('table iteration order against redis-server EVAL', () => {
  const available = requireRedisOrSkip('table-order.test.ts (redis-server)');
  let server: RedisServerProcess;
  beforeAll(async () => {
    if (available) server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.runIf(available)('the hand-picked cases', () => {
    for (const body of Object.values(CASES)) expect(runOurs(body)).toBe(runOnRedis(server, body));
  });

  it.runIf(available)('random stores and deletes (keys of up to 72 bytes)', () => {
    for (let i = 0; i < SEEDS.length; i += 50) {
      const body = SEEDS.slice(i, i + 50)
        .map((seed) => randomProgram(seed, true))
        .join('\nemit("--")\n');
      expect(runOurs(body).split('--')).toEqual(runOnRedis(server, body).split('--'));
    }
  });

  it.runIf(available)('cjson and cmsgpack objects, decoded and built', () => {
    const next = random(7);
    const objects = Array.from({ length: 40 }, () => {
      const fields = Array.from({ length: 1 + Math.floor(next() * 20) }, (_, i) => {
        const name = Math.floor(next() * 1e6)
          .toString(36)
          .repeat(1 + Math.floor(next() * 8));
        return `"${name}":${next() < 0.3 ? `{"n${i}":${i},"m":[1,2,{"z":1,"y":2}]}` : i}`;
      });
      return `{${fields.join(',')}}`;
    });
    const body = objects
      .map((json) => `emit(cjson.encode(cjson.decode('${json}')))`)
      .concat([
        `local job = {} for _, f in ipairs({'name', 'data', 'opts', 'timestamp', 'delay', 'priority', 'processedOn', 'attemptsMade', 'failedReason', 'stacktrace', 'returnvalue', 'finishedOn'}) do job[f] = #f end emit(cjson.encode(job))`,
        `emit(cjson.encode({a = 1, b = 2, c = 3}), cjson.encode({[1] = 1, [3] = 3, x = {}}))`,
        `emit((cmsgpack.pack({a = 1, b = 2, c = 3, [10] = 4, [2.5] = 5}):gsub('.', function(c) return string.format('%02x', c:byte()) end)))`,
      ])
      .join('\n');
    expect(runOurs(body)).toBe(runOnRedis(server, body));
  });
});
