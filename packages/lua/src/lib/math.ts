import { argumentError, LuaError } from '../error.js';
import type { LuaTable } from '../table.js';
import type { LuaValue } from '../value.js';
import { checkInt, checkNumber, libraryTable } from './arguments.js';
import type { RedisRandom } from './random.js';

const RADIANS_PER_DEGREE = Math.PI / 180;
const INT32_MAX = 2147483647;

type Unary = (x: number) => number;

/** A function of one number, as 5.1's math functions check their argument. */
function unary(name: string, fn: Unary) {
  return (...args: LuaValue[]): LuaValue[] => [fn(checkNumber(args, 1, name))];
}

/**
 * The `math` library of Lua 5.1 (with `mod`, its old name of fmod), whose random and
 * randomseed are Redis's: drawn from `random`, the server's redisLrand48.
 */
export function installMath(random: RedisRandom): LuaTable {
  const math = libraryTable({
    abs: unary('abs', Math.abs),
    acos: unary('acos', Math.acos),
    asin: unary('asin', Math.asin),
    atan: unary('atan', Math.atan),
    atan2: (...args) => [Math.atan2(checkNumber(args, 1, 'atan2'), checkNumber(args, 2, 'atan2'))],
    ceil: unary('ceil', Math.ceil),
    cos: unary('cos', Math.cos),
    cosh: unary('cosh', Math.cosh),
    deg: unary('deg', (x) => x / RADIANS_PER_DEGREE),
    exp: unary('exp', Math.exp),
    floor: unary('floor', Math.floor),
    fmod: (...args) => [checkNumber(args, 1, 'fmod') % checkNumber(args, 2, 'fmod')],
    frexp: (...args) => frexp(checkNumber(args, 1, 'frexp')),
    ldexp: (...args) => [ldexp(checkNumber(args, 1, 'ldexp'), checkInt(args, 2, 'ldexp'))],
    log: unary('log', Math.log),
    log10: unary('log10', Math.log10),
    max: (...args) => [extreme(args, 'max', (a, b) => a > b)],
    min: (...args) => [extreme(args, 'min', (a, b) => a < b)],
    mod: (...args) => [checkNumber(args, 1, 'mod') % checkNumber(args, 2, 'mod')],
    modf: (...args) => modf(checkNumber(args, 1, 'modf')),
    pow: (...args) => [pow(checkNumber(args, 1, 'pow'), checkNumber(args, 2, 'pow'))],
    rad: unary('rad', (x) => x * RADIANS_PER_DEGREE),
    random: (...args) => [mathRandom(random, args)],
    randomseed: (...args) => {
      random.seed(checkInt(args, 1, 'randomseed'));
      return [];
    },
    sin: unary('sin', Math.sin),
    sinh: unary('sinh', Math.sinh),
    sqrt: unary('sqrt', Math.sqrt),
    tan: unary('tan', Math.tan),
    tanh: unary('tanh', Math.tanh),
  });
  math.set('pi', Math.PI);
  math.set('huge', Infinity);
  return math;
}

function extreme(args: LuaValue[], name: string, better: (a: number, b: number) => boolean) {
  let result = checkNumber(args, 1, name);
  for (let i = 2; i <= args.length; i++) {
    const value = checkNumber(args, i, name);
    if (better(value, result)) result = value;
  }
  return result;
}

/** Redis's math.random: lrand48 % INT32_MAX scaled to [0, 1), then to [1, u] or [l, u]. */
function mathRandom(random: RedisRandom, args: LuaValue[]): number {
  const r = (random.next() % INT32_MAX) / INT32_MAX;
  switch (args.length) {
    case 0:
      return r;
    case 1: {
      const upper = checkInt(args, 1, 'random');
      if (upper < 1) throw argumentError(1, 'random', 'interval is empty');
      return Math.floor(r * upper) + 1;
    }
    case 2: {
      const lower = checkInt(args, 1, 'random');
      const upper = checkInt(args, 2, 'random');
      if (lower > upper) throw argumentError(2, 'random', 'interval is empty');
      // C computes u-l+1 in int arithmetic, wrapping.
      return Math.floor(r * ((upper - lower + 1) | 0)) + lower;
    }
    default:
      throw new LuaError('wrong number of arguments');
  }
}

/** C's frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x, e = 0 for 0, inf and nan). */
function frexp(x: number): LuaValue[] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let mantissa = ldexp(x, -exponent);
  // log2 may be off by one near powers of two.
  while (Math.abs(mantissa) < 0.5) {
    mantissa *= 2;
    exponent--;
  }
  while (Math.abs(mantissa) >= 1) {
    mantissa /= 2;
    exponent++;
  }
  return [mantissa, exponent];
}

/** C's ldexp: x * 2^e, in steps so no intermediate power of two overflows or underflows. */
function ldexp(x: number, exponent: number): number {
  while (exponent > 1023) {
    x *= 2 ** 1023;
    exponent -= 1023;
    if (!Number.isFinite(x) || x === 0) return x;
  }
  while (exponent < -1022) {
    // Scale down in two stages so the last step rounds once, as ldexp does.
    if (exponent < -1022 - 52) {
      x *= 2 ** -1022;
      exponent += 1022;
      if (x === 0) return x;
    } else {
      return x * 2 ** (exponent + 52) * 2 ** -52;
    }
  }
  return x * 2 ** exponent;
}

/** C's modf: the integral and fractional parts, both with x's sign. */
function modf(x: number): LuaValue[] {
  const whole = x >= 0 ? Math.floor(x) : Math.ceil(x);
  const fraction = x === whole || !Number.isFinite(x) ? (x < 0 ? -0 : 0) : x - whole;
  return [whole, x !== x ? x : fraction];
}

/** C's pow, where JavaScript differs: 1^y and x^0 are 1 even for nan, (-1)^±inf is 1. */
function pow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}
