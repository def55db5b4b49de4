import { LuaError } from './error.js';
import { parseNumber } from './number.js';

/** Lua 5.1's reserved words; each is its own token kind. */
const KEYWORDS = new Set([
  'and',
  'break',
  'do',
  'else',
  'elseif',
  'end',
  'false',
  'for',
  'function',
  'if',
  'in',
  'local',
  'nil',
  'not',
  'or',
  'repeat',
  'return',
  'then',
  'true',
  'until',
  'while',
]);

/** The symbol starting at `position`, longest first (`...` before `..` before `.`). */
function symbolAt(source: string, position: number): string | undefined {
  const c = source[position];
  const next = source[position + 1];
  switch (c) {
    case '.':
      if (next !== '.') return '.';
      return source[position + 2] === '.' ? '...' : '..';
    case '=':
    case '~':
    case '<':
    case '>':
      if (next === '=') return c + '=';
      return c === '~' ? undefined : c;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
    case '#':
    case '(':
    case ')':
    case '{':
    case '}':
    case '[':
    case ']':
    case ';':
    case ':':
    case ',':
      return c;
    default:
      return undefined;
  }
}

export type TokenKind = 'name' | 'string' | 'number' | 'eof' | string;

export interface Token {
  /** 'name', 'string', 'number', 'eof', a keyword or a symbol. */
  kind: TokenKind;
  /** The name, the string's bytes or the number. */
  value: string | number;
  /** The source text as Lua quotes it in "near '...'" messages. */
  text: string;
  line: number;
}

/** A syntax error worded as luaX_syntaxerror: "chunk:line: message near 'token'". */
export function syntaxError(
  chunkName: string,
  line: number,
  message: string,
  near?: string,
): LuaError {
  const where = near === undefined ? '' : ` near '${near}'`;
  return new LuaError(`${chunkName}:${line}: ${message}${where}`, 0);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAlphaNumeric = (c: number) => isAlpha(c) || isDigit(c);

/**
 * A Lua 5.1 chunk's tokens, one per call (then 'eof' for ever): read as the parser asks, so a
 * syntax error comes before a lexical one further on, as in 5.1, and no token list is kept.
 */
export function tokenize(source: string, chunkName: string): () => Token {
  let position = 0;
  let line = 1;
  const length = source.length;
  const fail = (message: string, near: string) => syntaxError(chunkName, line, message, near);

  /** At `[`: the level of a long bracket `[==[`, or -1 when it is not one. */
  const longBracketLevel = (start: number): number => {
    let cursor = start + 1;
    while (source.charCodeAt(cursor) === 61) cursor++;
    return source.charCodeAt(cursor) === 91 ? cursor - start - 1 : -1;
  };

  const skipNewline = () => {
    const c = source.charCodeAt(position);
    position++;
    const d = source.charCodeAt(position);
    if ((d === 10 || d === 13) && d !== c) position++;
    line++;
  };

  /** Reads `[==[ ... ]==]` from `position`; returns its contents (first newline dropped). */
  const readLongBracket = (level: number, isComment: boolean): string => {
    position += level + 2;
    const c = source.charCodeAt(position);
    if (c === 10 || c === 13) skipNewline();
    let contents = '';
    let chunkStart = position;
    for (;;) {
      if (position >= length) {
        const what = isComment ? 'unfinished long comment' : 'unfinished long string';
        throw fail(what, '<eof>');
      }
      const code = source.charCodeAt(position);
      if (code === 93 && longBracketLevelClose(position) === level) {
        contents += source.slice(chunkStart, position);
        position += level + 2;
        return contents;
      }
      if (code === 10 || code === 13) {
        contents += source.slice(chunkStart, position) + '\n';
        skipNewline();
        chunkStart = position;
      } else {
        position++;
      }
    }
  };

  const longBracketLevelClose = (start: number): number => {
    let cursor = start + 1;
    while (source.charCodeAt(cursor) === 61) cursor++;
    return source.charCodeAt(cursor) === 93 ? cursor - start - 1 : -1;
  };

  const readString = (quote: number): string => {
    position++;
    let value = '';
    for (;;) {
      if (position >= length) throw fail('unfinished string', '<eof>');
      const c = source.charCodeAt(position);
      if (c === quote) {
        position++;
        return value;
      }
      if (c === 10 || c === 13) throw fail('unfinished string', String.fromCharCode(quote) + value);
      if (c !== 92) {
        value += source[position++];
        continue;
      }
      position++;
      const e = source.charCodeAt(position);
      switch (e) {
        case 110: value += '\n'; position++; break; // prettier-ignore
        case 116: value += '\t'; position++; break; // prettier-ignore
        case 114: value += '\r'; position++; break; // prettier-ignore
        case 97: value += '\x07'; position++; break; // prettier-ignore
        case 98: value += '\b'; position++; break; // prettier-ignore
        case 102: value += '\f'; position++; break; // prettier-ignore
        case 118: value += '\v'; position++; break; // prettier-ignore
        case 10:
        case 13:
          value += '\n';
          skipNewline();
          break;
        default: {
          if (Number.isNaN(e)) continue; // end of input: reported as unfinished
          if (!isDigit(e)) {
            value += source[position++];
            break;
          }
          let code = 0;
          let digits = 0;
          while (digits < 3 && isDigit(source.charCodeAt(position))) {
            code = code * 10 + source.charCodeAt(position) - 48;
            position++;
            digits++;
          }
          if (code > 255)
            throw fail('escape sequence too large', String.fromCharCode(quote) + value);
          value += String.fromCharCode(code);
        }
      }
    }
  };

  /** As 5.1's read_numeral: digits, dots, an exponent with its sign, then letters and `_`. */
  const readNumber = (): number => {
    const start = position;
    while (isAlphaNumeric(source.charCodeAt(position)) || source.charCodeAt(position) === 46) {
      const c = source.charCodeAt(position);
      position++;
      if ((c === 69 || c === 101) && (source[position] === '+' || source[position] === '-'))
        position++;
    }
    const text = source.slice(start, position);
    const value = parseNumber(text);
    if (value === undefined) throw fail('malformed number', text);
    return value;
  };

  const nextToken = (): Token => {
    while (position < length) {
      const c = source.charCodeAt(position);
      if (c === 10 || c === 13) {
        skipNewline();
        continue;
      }
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        position++;
        continue;
      }
      const tokenLine = line;
      if (c === 45 && source.charCodeAt(position + 1) === 45) {
        position += 2;
        if (source.charCodeAt(position) === 91) {
          const level = longBracketLevel(position);
          if (level >= 0) {
            readLongBracket(level, true);
            continue;
          }
        }
        while (
          position < length &&
          source.charCodeAt(position) !== 10 &&
          source.charCodeAt(position) !== 13
        ) {
          position++;
        }
        continue;
      }
      if (isAlpha(c)) {
        const start = position;
        while (isAlphaNumeric(source.charCodeAt(position))) position++;
        const word = source.slice(start, position);
        const kind = KEYWORDS.has(word) ? word : 'name';
        return { kind, value: word, text: word, line: tokenLine };
      }
      if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(position + 1)))) {
        const start = position;
        const value = readNumber();
        return { kind: 'number', value, text: source.slice(start, position), line: tokenLine };
      }
      if (c === 34 || c === 39) {
        const start = position;
        const value = readString(c);
        return { kind: 'string', value, text: source.slice(start, position), line: tokenLine };
      }
      if (c === 91) {
        const level = longBracketLevel(position);
        if (level >= 0) {
          const start = position;
          const value = readLongBracket(level, false);
          return {
            kind: 'string',
            value,
            text: source.slice(start, position),
            line: tokenLine,
          };
        }
        if (source.charCodeAt(position + 1) === 61)
          throw fail('invalid long string delimiter', '[=');
      }
      const symbol = symbolAt(source, position);
      if (symbol === undefined) {
        // Token 0 (a NUL byte) is falsy to luaX_lexerror, which then leaves out "near ...".
        if (c === 0) throw syntaxError(chunkName, line, 'unexpected symbol');
        throw fail('unexpected symbol', quoteChar(c));
      }
      position += symbol.length;
      return { kind: symbol, value: symbol, text: symbol, line: tokenLine };
    }
    return { kind: 'eof', value: '<eof>', text: '<eof>', line };
  };
  return nextToken;
}

/** How 5.1 quotes a stray character (luaX_token2str): control characters as `char(N)`. */
function quoteChar(code: number): string {
  return code < 32 || code === 127 ? `char(${code})` : String.fromCharCode(code);
}
