import { describe, expect, it } from 'vitest';
import { splitArguments } from './split-arguments.js';

describe('splitArguments (sdssplitargs)', () => {
  it('splits on any run of blanks and ignores leading and trailing ones', () => {
    expect(splitArguments(' \t\v\fSET  k \t v \f')).toEqual(['SET', 'k', 'v']);
  });

  it('returns no arguments for a blank line', () => {
    expect(splitArguments('')).toEqual([]);
    expect(splitArguments(' \t ')).toEqual([]);
  });

  it('ends the line at a NUL, as the C string Redis splits ends there', () => {
    expect(splitArguments('SET k v\0ignored')).toEqual(['SET', 'k', 'v']);
    expect(splitArguments('SET k \0v')).toEqual(['SET', 'k']);
  });

  it('keeps \\v and \\f inside an unquoted word, as Redis', () => {
    expect(splitArguments('ECHO a\vb\fc')).toEqual(['ECHO', 'a\vb\fc']);
  });

  it('decodes double-quoted escapes', () => {
    expect(splitArguments('"\\n\\r\\t\\b\\a\\\\\\"\\q"')).toEqual(['\n\r\t\b\x07\\"q']);
  });

  it('decodes \\xHH in double quotes, and keeps a malformed \\x as x', () => {
    expect(splitArguments('"\\x41\\xfF\\x4g"')).toEqual(['A\xffx4g']);
  });

  it("allows only \\' as an escape in single quotes", () => {
    expect(splitArguments("'a\\'b\\n'")).toEqual(["a'b\\n"]);
  });

  it('opens a quote mid-word', () => {
    expect(splitArguments('a"b c" d')).toEqual(['ab c', 'd']);
  });

  it('accepts empty quoted arguments', () => {
    expect(splitArguments('SET k ""')).toEqual(['SET', 'k', '']);
  });

  it('allows any blank after a closing quote', () => {
    expect(splitArguments('"a"\v"b"')).toEqual(['a', 'b']);
  });

  it.each([['"abc'], ["'abc"], ['"abc"def'], ["'a'b"], ['"abc\\"']])(
    'rejects %j as unbalanced',
    (line) => {
      expect(splitArguments(line)).toBeNull();
    },
  );
});
