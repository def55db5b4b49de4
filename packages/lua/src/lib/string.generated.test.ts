import { describe, expect, it } from 'vitest';
import { RedisRandom } from './random.js';
import { installString } from './string.js';
import {
  fakeHost,
  lua51Available,
  requireOrSkip,
  runLua51,
  differences,
  type Call,
} from './test-support/reference.js';

/*
 * Generated calls compared with lua5.1: format specs of every conversion with random flags,
 * widths, precisions and values; patterns built from every pattern item over small subjects.
 */

const libraries = { string: installString(fakeHost) };

/** A seeded source of choices (Redis's generator serves as well as any). */
function chooser(seed: number) {
  const random = new RedisRandom();
  random.seed(seed);
  const below = (n: number) => random.next() % n;
  return {
    below,
    pick: <T>(items: readonly T[]): T => items[below(items.length)],
    chance: (percent: number) => below(100) < percent,
  };
}

const NUMBERS = [
  0,
  1,
  -1,
  7,
  42,
  -42,
  255,
  1e6,
  123456789,
  2 ** 31,
  2 ** 32 + 1,
  -(2 ** 40),
  2 ** 53,
  1e15,
  0.5,
  1.5,
  2.5,
  -0.5,
  0.1,
  1 / 3,
  2 / 3,
  3.14159,
  -2.71828,
  1e-5,
  1.23e-10,
  9.999,
  99.95,
  0.0005,
  1e20,
  1.7976931348623157e308,
  5e-324,
  1 / 0,
  -1 / 0,
  12345.6789,
  0.125,
];

function formatCalls(count: number): Call[] {
  const choose = chooser(1);
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    const conversion = choose.pick([
      'd',
      'i',
      'u',
      'c',
      'x',
      'X',
      'o',
      'e',
      'E',
      'f',
      'g',
      'G',
      's',
    ]);
    const allowed =
      conversion === 'c' || conversion === 's'
        ? '-'
        : 'dic'.includes(conversion) || conversion === 'u'
          ? '-+ 0'
          : '-+ #0';
    let flags = '';
    for (const flag of allowed) if (choose.chance(25)) flags += flag;
    const width = choose.chance(50) ? String(choose.below(25)) : '';
    const precision = conversion !== 'c' && choose.chance(50) ? `.${choose.below(20)}` : '';
    let value: number | string = choose.pick(NUMBERS);
    if (conversion === 'c') value = 32 + choose.below(95);
    if (conversion === 's') value = choose.chance(50) ? 'text' : value;
    calls.push(['string.format', `[%${flags}${width}${precision}${conversion}]`, value]);
  }
  return calls;
}

/** A pattern of random items, with quantifiers, captures and back references. */
function randomPattern(choose: ReturnType<typeof chooser>): string {
  const items = ['a', 'b', '.', '%a', '%d', '%s', '%w', '%A', '[ab]', '[^a]', '[a-c1]', '%(', ' '];
  let pattern = choose.chance(20) ? '^' : '';
  let open = 0;
  let closed = 0;
  const length = 1 + choose.below(5);
  for (let i = 0; i < length; i++) {
    const kind = choose.below(10);
    if (kind === 0 && open < 2) {
      pattern += '(';
      open++;
    } else if (kind === 1 && open > 0) {
      pattern += ')';
      open--;
      closed++;
    } else if (kind === 2) {
      pattern += choose.pick(['()', '%b()', '%f[%w]', '%f[%s]']);
    } else if (kind === 3 && closed > 0) {
      pattern += `%${1 + choose.below(closed)}`;
    } else {
      pattern += choose.pick(items);
      if (choose.chance(40)) pattern += choose.pick(['*', '+', '-', '?']);
    }
  }
  while (open-- > 0) pattern += ')';
  if (choose.chance(15)) pattern += '$';
  return pattern;
}

function patternCalls(count: number): Call[] {
  const choose = chooser(2);
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    let subject = '';
    const length = choose.below(12);
    for (let j = 0; j < length; j++) subject += choose.pick(['a', 'b', 'c', '1', ' ', '(', ')']);
    const pattern = randomPattern(choose);
    const init = choose.chance(30) ? choose.below(8) - 3 : 1;
    calls.push(['string.find', subject, pattern, init]);
    calls.push(['string.match', subject, pattern]);
    calls.push(['string.gsub', subject, pattern, '<%0>']);
  }
  return calls;
}

describe('generated string calls against lua5.1', () => {
  it('formats every conversion with random flags, widths and precisions as C does', () => {
    if (!requireOrSkip('generated string.format differential', lua51Available, 'lua5.1')) return;
    const calls = formatCalls(3000);
    expect(differences(libraries, calls, runLua51(calls))).toEqual([]);
  });

  it('matches random patterns as 5.1 does (find, match, gsub)', () => {
    if (!requireOrSkip('generated pattern differential', lua51Available, 'lua5.1')) return;
    const calls = patternCalls(4000);
    expect(differences(libraries, calls, runLua51(calls))).toEqual([]);
  });
});
