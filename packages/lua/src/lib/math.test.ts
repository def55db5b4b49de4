import { describe, expect, it } from 'vitest';
import { installMath } from './math.js';
import { RedisRandom } from './random.js';
import {
  runOnFreshRedis,
  runOurs,
  type Call,
  checkAgainstReferences,
} from './test-support/reference.js';

const libraries = { math: installMath(new RedisRandom()) };
const inf = Infinity;

const CALLS: Call[] = [
  ['math.abs', -3.5],
  ['math.abs', '-2'],
  ['math.abs'],
  ['math.abs', 'x'],
  ['math.ceil', 1.2],
  ['math.ceil', -1.2],
  ['math.floor', 1.8],
  ['math.floor', -1.8],
  ['math.floor', 2 ** 60 + 0.5],
  ['math.sqrt', 2],
  ['math.sqrt', -1],
  ['math.sin', 1],
  ['math.cos', 1],
  ['math.tan', 1],
  ['math.asin', 0.5],
  ['math.acos', 0.5],
  ['math.atan', 1],
  ['math.atan2', 1, 2],
  ['math.atan2', 1],
  ['math.sinh', 1],
  ['math.cosh', 1],
  ['math.tanh', 1],
  ['math.exp', 1],
  ['math.log', 10],
  ['math.log', 0],
  ['math.log', 8, 2],
  ['math.log10', 1000],
  ['math.deg', Math.PI],
  ['math.rad', 180],
  ['math.pow', 2, 10],
  ['math.pow', 2, 0.5],
  ['math.pow', 1, 0 / 0],
  ['math.pow', 0 / 0, 0],
  ['math.pow', -1, inf],
  ['math.pow', -8, 1 / 3],
  ['math.pow', 2],
  ['math.fmod', 7, 3],
  ['math.fmod', -7, 3],
  ['math.fmod', 7, -3],
  ['math.fmod', 7.5, 2],
  ['math.fmod', 7, 0],
  ['math.fmod', inf, 2],
  ['math.mod', 7, 3],
  ['math.modf', 3.7],
  ['math.modf', -3.7],
  ['math.modf', 5],
  ['math.modf', -5],
  ['math.modf', 0 / 0],
  ['math.modf', inf],
  ['math.modf', -inf],
  ['math.frexp', 8],
  ['math.frexp', 0.3],
  ['math.frexp', -5],
  ['math.frexp', 0],
  ['math.frexp', 5e-324],
  ['math.frexp', 1.7976931348623157e308],
  ['math.frexp', inf],
  ['math.ldexp', 0.5, 4],
  ['math.ldexp', 1, 1024],
  ['math.ldexp', 1, -1074],
  ['math.ldexp', 1, -1075],
  ['math.ldexp', 0.75, -1074],
  ['math.ldexp', 3, 2.9],
  ['math.ldexp', 1e-300, 1500],
  ['math.ldexp', 1],
  ['math.max', 3, 1, 4, 1, 5],
  ['math.max', -1],
  ['math.max'],
  ['math.max', 1, 'x'],
  ['math.max', 1, '10'],
  ['math.min', 3, 1, 4, 1, 5],
  ['math.min', 0 / 0, 1],
  ['math.min'],
];

describe('the math library against the references', () => {
  checkAgainstReferences('math', libraries, CALLS);

  it('has pi and huge', () => {
    expect(libraries.math.get('pi')).toBe(Math.PI);
    expect(libraries.math.get('huge')).toBe(Infinity);
  });
});

describe("math.random, Redis's generator", () => {
  const RANDOM_CALLS: Call[] = [
    ['math.random'],
    ['math.random'],
    ['math.random', 10],
    ['math.random', 3, 7],
    ['math.random', -5, -5],
    ['math.random', 2 ** 31 - 1],
    ['math.random', -(2 ** 31), 2 ** 31 - 1],
    ['math.random', 0],
    ['math.random', 5, 4],
    ['math.random', 1, 2, 3],
    ['math.random', 'x'],
    ['math.randomseed', 42],
    ['math.random'],
    ['math.random', 100],
    ['math.randomseed', -1],
    ['math.random'],
    ['math.randomseed', 2 ** 40],
    ['math.random'],
    ['math.randomseed'],
  ];

  it('draws the same sequence as a fresh redis-server, seeded or not', async () => {
    const expected = await runOnFreshRedis('math.random differential', RANDOM_CALLS);
    if (expected === undefined) return;
    const ours = { math: installMath(new RedisRandom()) };
    expect(RANDOM_CALLS.map((call) => runOurs(ours, call))).toEqual(expected);
  });
});
