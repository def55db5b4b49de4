import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LuaTable } from '../table.js';
import type { LuaFunction, LuaValue } from '../value.js';
import { installString } from './string.js';
import {
  fakeHost,
  lua51Available,
  requireOrSkip,
  type Call,
  checkAgainstReferences,
} from './test-support/reference.js';

const string = installString(fakeHost);
const libraries = { string };

/** Calls whose results (or errors) must be those of lua5.1, byte for byte. */
const CALLS: Call[] = [
  ['string.byte', 'hello'],
  ['string.byte', 'hello', 2, 4],
  ['string.byte', 'hello', -3, -1],
  ['string.byte', 'hello', 0, 100],
  ['string.byte', 'hello', 4, 2],
  ['string.byte', ''],
  ['string.byte'],
  ['string.char', 72, 105, 0, 255],
  ['string.char'],
  ['string.char', 256],
  ['string.char', -1],
  ['string.char', '65'],
  ['string.char', 'x'],
  ['string.len', 'a\0b'],
  ['string.len', 123.5],
  ['string.len'],
  ['string.lower', 'HeLLo \xc9'],
  ['string.upper', 'HeLLo \xe9'],
  ['string.rep', 'ab', 3],
  ['string.rep', 'ab', 0],
  ['string.rep', 'ab', -1],
  ['string.rep', 'ab', 2.9],
  ['string.rep', 'ab'],
  ['string.rep'],
  ['string.rep', {}, 1],
  ['string.reverse', 'abc\0d'],
  ['string.sub', 'hello', 2],
  ['string.sub', 'hello', 2, 3],
  ['string.sub', 'hello', -3],
  ['string.sub', 'hello', -100, 100],
  ['string.sub', 'hello', 0],
  ['string.sub', 'hello', 4, 2],
  ['string.sub', 'hello', '2', '-2'],
  ['string.sub', 'hello'],
  ['string.sub', 'hello', 'x'],
  ['string.sub', 'hello', 2.7, 3.9],
  ['string.sub', 'hello', 1 / 0],
  ['string.sub', 'hello', -1 / 0],
  // find: plain and patterns
  ['string.find', 'hello world', 'o w'],
  ['string.find', 'hello world', 'o', 6],
  ['string.find', 'hello world', 'l+'],
  ['string.find', 'hello', ''],
  ['string.find', 'hello', '', 10],
  ['string.find', 'hello', '', -2],
  ['string.find', 'a.b', '.', 1, true],
  ['string.find', 'a+b', '+', 1, true],
  ['string.find', 'hello', '(l)(l)'],
  ['string.find', 'hello', '()ll()'],
  ['string.find', 'hello', '^h'],
  ['string.find', 'hello', '^e'],
  ['string.find', 'hello', 'o$'],
  ['string.find', 'hello', 'l$'],
  ['string.find', 'a$b', '$b'],
  ['string.find', 'hello', 'x*'],
  ['string.find', 'THE (quick) fox', '%((%a+)%)'],
  ['string.find', 'x = [[a]] y', '%b[]'],
  ['string.find', 'THE (quick) fox', 'f%f[%a]'],
  ['string.find', 'THE (quick) fox', '%f[%a]%a+', 5],
  ['string.find', 'hello', '%f[%z]'],
  ['string.find', 'a\0b', '%z'],
  ['string.find', 'a\0b', 'b\0z'],
  ['string.find', 'abc', '[%a-]+'],
  ['string.find', 'a-b', '[a-]+'],
  ['string.find', 'a]b', '[]]'],
  ['string.find', 'a^b', '[^^a]'],
  ['string.find', '  x', '%S'],
  ['string.find', 'key = value', '(%w+)%s*=%s*(%w+)'],
  ['string.find', 'abcabc', '(abc)%1'],
  ['string.find', 'aaab', 'a-b'],
  ['string.find', 'aaab', 'a-'],
  ['string.find', 'aaab', 'a?a?b'],
  ['string.find', '[test]', '[[]'],
  // pattern errors
  ['string.find', 'x', '%'],
  ['string.find', 'x', '[a'],
  ['string.find', 'x', '[a%'],
  ['string.find', 'x', '(x'],
  ['string.find', 'x', 'x)'],
  ['string.find', 'x', '%1'],
  ['string.find', 'x', '(x)%2'],
  ['string.find', 'x', '%b'],
  ['string.find', 'x', '%bx'],
  ['string.find', 'x', '%fx'],
  ['string.find', 'x', '(()'],
  ['string.find', 'x', '(((((((((((((((((((((((((((((((((x)))))))))))))))))))))))))))))))))'],
  ['string.find', 'x', '%g'],
  ['string.find'],
  ['string.find', 'x'],
  // match
  ['string.match', 'hello 123 world', '%d+'],
  ['string.match', 'hello 123 world', '(%a+) (%d+)'],
  ['string.match', 'hello', '()e()'],
  ['string.match', 'hello', 'z'],
  ['string.match', 'hello', '.-'],
  ['string.match', 'hello', 'l', -2],
  ['string.match', ' \t\n\v\f\r', '^%s*$'],
  ['string.match', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', '^%p+$'],
  ['string.match', '\x01\x1f\x7f', '^%c+$'],
  ['string.match', 'aZ09fF', '^%x+$'],
  ['string.match', '\x80\xff', '[\x80-\xff]+'],
  ['string.match', 'ab', 'a(b'],
  // gsub with string replacements
  ['string.gsub', 'hello world', 'o', '0'],
  ['string.gsub', 'hello world', 'o', '0', 1],
  ['string.gsub', 'hello world', 'o', '0', 0],
  ['string.gsub', 'hello world', '(%w+)', '<%1>'],
  ['string.gsub', 'hello world', '%w+', '%0 %0'],
  ['string.gsub', 'hello', '', '-'],
  ['string.gsub', 'hello', '^h', 'H'],
  ['string.gsub', 'hello', 'l*', 'L'],
  ['string.gsub', 'abc', '%w', '%%'],
  ['string.gsub', 'abc', '%w', '%x'],
  ['string.gsub', 'abc', '%w', 'a%'],
  ['string.gsub', 'abc', '%w', '%2'],
  ['string.gsub', 'abc', '(%w)', '%2'],
  ['string.gsub', 'abc', '()%w', '%1'],
  ['string.gsub', 'abc', '%w', 5],
  ['string.gsub', 'abc', '%w', { a: 'A', b: false }],
  ['string.gsub', 'abc', '(%w)(%w)', { a: 1.5 }],
  ['string.gsub', 'abc', '%w', { a: {} }],
  ['string.gsub', 'abc', '%w'],
  ['string.gsub', 'abc', '%w', true],
  ['string.gsub', 'abc', '%w', 'x', 'y'],
  ['string.gsub', 'abc', '%w', 'x', -1],
  ['string.gsub', 12345, 3, 'x'],
  // format
  ['string.format', '%d', 1700000000000],
  ['string.format', '%d %i', 3.99, -3.99],
  ['string.format', '%d', 1e20],
  ['string.format', '%d', 0 / 0],
  ['string.format', '%5d|%-5d|%05d|%+d|% d', 42, 42, 42, 42, 42],
  ['string.format', '%.3d|%8.3d|%-8.3d|%08.3d|%.0d|%.0d', 7, 7, 7, 7, 0, 1],
  ['string.format', '%u %o %x %X', 255, 255, 255, 255],
  ['string.format', '%x %u %o', -1, -1, -1],
  ['string.format', '%#x %#X %#o %#o %#x', 255, 255, 8, 0, 0],
  ['string.format', '%c%c%c', 76, 117, 97],
  ['string.format', '[%5c][%-5c]', 65, 65],
  ['string.format', '[%c]', 0],
  ['string.format', '[%5c]', 0],
  ['string.format', '%e|%E|%.0e|%#.0e|%.10e', 12345.678, 12345.678, 12345.678, 12345.678, 1 / 3],
  [
    'string.format',
    '%f|%.0f|%#.0f|%.2f|%10.3f|%-10.3f|%+f|% f',
    3.14159,
    2.5,
    2.5,
    1.005,
    -1.5,
    1.5,
    1,
    1,
  ],
  ['string.format', '%.0f %.0f %.0f %.0f', 0.5, 1.5, 2.5, 3.5],
  ['string.format', '%f', 1e300],
  ['string.format', '%.20f', 0.1],
  ['string.format', '%g|%g|%g|%g|%g|%g', 100000, 1000000, 1e-4, 1e-5, 0.1, 123456789],
  ['string.format', '%.3g|%.10g|%#g|%G|%.0g|%g', 3.14159, 1 / 3, 1, 1e-10, 15, 0],
  ['string.format', '%g %g %f %e %G %5.1f', 1 / 0, -1 / 0, 1 / 0, -1 / 0, 1 / 0, 1 / 0],
  ['string.format', '%010.2f|%-010.2f|%+010.2f|%010g', -3.14159, 3.14159, 3.14159, 1e-20],
  ['string.format', '%5.1g|%e|%g|%f', 9.96, 0, '-0', '-0'],
  ['string.format', '%.14g', 2 ** 63],
  ['string.format', '%s|%10s|%-10s|%.2s|%5.1s', 'abc', 'abc', 'abc', 'abc', 'abc'],
  ['string.format', '%s %s', 1.5, 10],
  ['string.format', '%s', 'a\0b'],
  ['string.format', '%.3s', 'a\0b'],
  ['string.format', '%10s', 'x'.repeat(120)],
  ['string.format', '%s', 'x'.repeat(120) + '\0y'],
  ['string.format', '%q', 'a"b\\c\nd\re\0f\x01'],
  ['string.format', '%q', 17],
  ['string.format', '%5%'],
  ['string.format', '%%|%s', 'x'],
  ['string.format', '%d'],
  ['string.format', '%d', 'x'],
  ['string.format', '%d', '10'],
  ['string.format', '%s'],
  ['string.format', '%s', {}],
  ['string.format', '%y', 1],
  ['string.format', '%123d', 1],
  ['string.format', '%1.123f', 1],
  ['string.format', '%12.12f', 1],
  ['string.format', '%-+ #0d', 1],
  ['string.format', '%-+ #0-d', 1],
  ['string.format', 'no conversions'],
  ['string.format'],
  ['string.format', 12],
  ['string.dump'],
  ['string.dump', 1],
];

describe('the string library against the references', () => {
  checkAgainstReferences('string', libraries, CALLS);
});

describe('string.dump', () => {
  it("gives the header of lua5.1's binary chunks (a compiled function has no bytecode)", () => {
    const dump = string.get('dump') as LuaFunction;
    const [chunk] = dump(() => []) as [string];
    if (!requireOrSkip('string.dump header', lua51Available, 'lua5.1')) return;
    const header = spawnSync('lua5.1', ['-e', 'io.write(string.dump(function() end):sub(1, 12))']);
    expect(chunk).toBe(header.stdout.toString('latin1'));
  });
});

describe('string functions that call back into Lua', () => {
  const call = (name: string, ...args: Parameters<LuaFunction>) =>
    (string.get(name) as LuaFunction)(...args);
  const collect = (iterator: LuaFunction): LuaValue[][] => {
    const rounds: LuaValue[][] = [];
    for (
      let values = iterator();
      values.length > 0 && values[0] !== undefined;
      values = iterator()
    ) {
      rounds.push([...values]);
    }
    return rounds;
  };

  it('gmatch yields every match, its captures, and steps over empty matches', () => {
    const pairs = call('gmatch', 'a=1, b=2', '(%w+)=(%w+)')[0] as LuaFunction;
    expect(collect(pairs)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(collect(call('gmatch', 'abc', '')[0] as LuaFunction)).toEqual([[''], [''], [''], ['']]);
  });

  it("gmatch takes '^' literally, and gfind is gmatch", () => {
    expect(collect(call('gmatch', '^a^a', '^a')[0] as LuaFunction)).toHaveLength(2);
    expect(collect(call('gfind', 'hello', '()l')[0] as LuaFunction)).toEqual([[3], [4]]);
  });

  it('gsub calls a function with the captures and keeps the match when it returns nil', () => {
    const upper: LuaFunction = (word) => [(word as string).toUpperCase()];
    expect(call('gsub', 'hello world', '%w+', upper)).toEqual(['HELLO WORLD', 2]);
    const swap: LuaFunction = (a, b) => [`${b as string}${a as string}`];
    expect(call('gsub', 'hello world', '(o)(.)', swap)).toEqual(['hell owrold', 2]);
    expect(call('gsub', 'abc', '%w', () => [])).toEqual(['abc', 3]);
    expect(() => call('gsub', 'abc', '%w', () => [new LuaTable()])).toThrow(
      'invalid replacement value (a table)',
    );
  });

  it('gsub looks a table replacement up through the host (metamethods)', () => {
    const seen: LuaValue[] = [];
    const host = {
      ...fakeHost,
      index: (_table: LuaValue, key: LuaValue) => (seen.push(key), `<${String(key)}>`),
    };
    const gsub = installString(host).get('gsub') as LuaFunction;
    expect(gsub('ab', '%w', new LuaTable())).toEqual(['<a><b>', 2]);
    expect(seen).toEqual(['a', 'b']);
  });
});
