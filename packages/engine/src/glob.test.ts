import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from './glob.js';

describe('globMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*a*b*', 'xxaxxbxx', true],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('folds case when asked', () => {
    expect(globMatch('MAX*', 'maxmemory', true)).toBe(true);
    expect(globMatch('MAX*', 'maxmemory')).toBe(false);
  });

  it('compiles patterns into matchers that agree with globMatch', () => {
    const patterns = ['*', 'key', 'key:*', 'k?y', 'key[0-9]*', 'a\\*', '*:x', ''];
    const texts = ['', 'key', 'key:1', 'kay', 'key5', 'a*', 'ab', 'y:x', 'key:'];
    for (const pattern of patterns) {
      const matches = compileGlob(pattern);
      for (const text of texts)
        expect(matches(text), `${pattern} ${text}`).toBe(globMatch(pattern, text));
    }
  });
});
