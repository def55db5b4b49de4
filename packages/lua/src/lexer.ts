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
 * A Lua 5.1 chunk's tokens, one per `next()` (then 'eof' for ever), read as the parser asks, so
 * a syntax error comes before a lexical one further on, as in 5.1. The token read last is in
 * the fields (no object per token: a chunk has thousands).
 */
export class Lexer {
  /** 'name', 'string', 'number', 'eof', a keyword or a symbol. */
  kind: TokenKind = 'eof';
  /** The name, the string's bytes or the number. */
  value: string | number = '';
  /** The token's line. */
  line = 1;
  /** Where the token starts and ends in the source (its text in "near '...'" messages). */
  private start = 0;
  private end = 0;
  /** Where reading goes on, and its line. */
  private position = 0;
  private currentLine = 1;
  /** Lines end with `\n` alone in most chunks: a comment's end is then found by indexOf. */
  private readonly hasCarriageReturns: boolean;

  constructor(
    private readonly source: string,
    private readonly chunkName: string,
  ) {
    this.hasCarriageReturns = source.includes('\r');
  }

  /** The token's source text as Lua quotes it in "near '...'" messages. */
  text(): string {
    if (this.kind === 'eof') return '<eof>';
    return this.kind === 'name' ? (this.value as string) : this.source.slice(this.start, this.end);
  }

  /** The kind of the token after this one, which stays the current one. */
  peekKind(): TokenKind {
    const { kind, value, line, start, end, position, currentLine } = this;
    this.next();
    const next = this.kind;
    Object.assign(this, { kind, value, line, start, end, position, currentLine });
    return next;
  }

  private fail(message: string, near: string): LuaError {
    return syntaxError(this.chunkName, this.currentLine, message, near);
  }

  /** At `[` or `]` (`bracket`): the level of a long bracket `[==[`, or -1 when it is not one. */
  private longBracketLevel(start: number, bracket: number): number {
    let cursor = start + 1;
    while (this.source.charCodeAt(cursor) === 61) cursor++;
    return this.source.charCodeAt(cursor) === bracket ? cursor - start - 1 : -1;
  }

  /** Moves to the end of the line (a comment's). */
  private skipLine(): void {
    const source = this.source;
    if (!this.hasCarriageReturns) {
      const end = source.indexOf('\n', this.position);
      this.position = end < 0 ? source.length : end;
      return;
    }
    while (this.position < source.length) {
      const c = source.charCodeAt(this.position);
      if (c === 10 || c === 13) return;
      this.position++;
    }
  }

  private skipNewline(): void {
    const c = this.source.charCodeAt(this.position);
    this.position++;
    const d = this.source.charCodeAt(this.position);
    if ((d === 10 || d === 13) && d !== c) this.position++;
    this.currentLine++;
  }

  /**
   * Reads `[==[ ... ]==]` from `position`; returns its contents (first newline dropped), or ''
   * for a comment.
   */
  private readLongBracket(level: number, isComment: boolean): string {
    const source = this.source;
    this.position += level + 2;
    const c = source.charCodeAt(this.position);
    if (c === 10 || c === 13) this.skipNewline();
    let contents = '';
    let chunkStart = this.position;
    for (;;) {
      if (this.position >= source.length) {
        const what = isComment ? 'unfinished long comment' : 'unfinished long string';
        throw this.fail(what, '<eof>');
      }
      const code = source.charCodeAt(this.position);
      if (code === 93 && this.longBracketLevel(this.position, 93) === level) {
        if (!isComment) contents += source.slice(chunkStart, this.position);
        this.position += level + 2;
        return contents;
      }
      if (code === 10 || code === 13) {
        if (!isComment) contents += source.slice(chunkStart, this.position) + '\n';
        this.skipNewline();
        chunkStart = this.position;
      } else {
        this.position++;
      }
    }
  }

  private readString(quote: number): string {
    const source = this.source;
    this.position++;
    let value = '';
    // Runs of plain characters are taken as one slice.
    let runStart = this.position;
    for (;;) {
      if (this.position >= source.length) throw this.fail('unfinished string', '<eof>');
      const c = source.charCodeAt(this.position);
      if (c !== quote && c !== 10 && c !== 13 && c !== 92) {
        this.position++;
        continue;
      }
      value += source.slice(runStart, this.position);
      if (c === quote) {
        this.position++;
        return value;
      }
      if (c !== 92) throw this.fail('unfinished string', String.fromCharCode(quote) + value);
      this.position++;
      value += this.readEscape(quote, value);
      runStart = this.position;
    }
  }

  /** After a backslash: the bytes it stands for (none at the end of the input). */
  private readEscape(quote: number, before: string): string {
    const source = this.source;
    const e = source.charCodeAt(this.position);
    switch (e) {
      case 110: this.position++; return '\n'; // prettier-ignore
      case 116: this.position++; return '\t'; // prettier-ignore
      case 114: this.position++; return '\r'; // prettier-ignore
      case 97: this.position++; return '\x07'; // prettier-ignore
      case 98: this.position++; return '\b'; // prettier-ignore
      case 102: this.position++; return '\f'; // prettier-ignore
      case 118: this.position++; return '\v'; // prettier-ignore
      case 10:
      case 13:
        this.skipNewline();
        return '\n';
      default: {
        if (Number.isNaN(e)) return ''; // end of input: reported as unfinished
        if (!isDigit(e)) return source[this.position++]!;
        let code = 0;
        let digits = 0;
        while (digits < 3 && isDigit(source.charCodeAt(this.position))) {
          code = code * 10 + source.charCodeAt(this.position) - 48;
          this.position++;
          digits++;
        }
        if (code > 255)
          throw this.fail('escape sequence too large', String.fromCharCode(quote) + before);
        return String.fromCharCode(code);
      }
    }
  }

  /** As 5.1's read_numeral: digits, dots, an exponent with its sign, then letters and `_`. */
  private readNumber(): number {
    const source = this.source;
    const start = this.position;
    while (
      isAlphaNumeric(source.charCodeAt(this.position)) ||
      source.charCodeAt(this.position) === 46
    ) {
      const c = source.charCodeAt(this.position);
      this.position++;
      if (
        (c === 69 || c === 101) &&
        (source[this.position] === '+' || source[this.position] === '-')
      )
        this.position++;
    }
    const text = source.slice(start, this.position);
    const value = parseNumber(text);
    if (value === undefined) throw this.fail('malformed number', text);
    return value;
  }

  /** Reads the next token into the fields. */
  next(): void {
    const source = this.source;
    const length = source.length;
    while (this.position < length) {
      const c = source.charCodeAt(this.position);
      if (c === 10 || c === 13) {
        this.skipNewline();
        continue;
      }
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        this.position++;
        continue;
      }
      this.line = this.currentLine;
      const start = (this.start = this.position);
      if (c === 45 && source.charCodeAt(start + 1) === 45) {
        this.position += 2;
        if (source.charCodeAt(this.position) === 91) {
          const level = this.longBracketLevel(this.position, 91);
          if (level >= 0) {
            this.readLongBracket(level, true);
            continue;
          }
        }
        this.skipLine();
        continue;
      }
      if (isAlpha(c)) {
        while (isAlphaNumeric(source.charCodeAt(this.position))) this.position++;
        const word = source.slice(start, this.position);
        this.kind = KEYWORDS.has(word) ? word : 'name';
        this.value = word;
      } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(start + 1)))) {
        this.value = this.readNumber();
        this.kind = 'number';
      } else if (c === 34 || c === 39) {
        this.value = this.readString(c);
        this.kind = 'string';
      } else if (c === 91 && this.longBracketLevel(start, 91) >= 0) {
        this.value = this.readLongBracket(this.longBracketLevel(start, 91), false);
        this.kind = 'string';
      } else {
        if (c === 91 && source.charCodeAt(start + 1) === 61)
          throw this.fail('invalid long string delimiter', '[=');
        const symbol = symbolAt(source, start);
        if (symbol === undefined) {
          // Token 0 (a NUL byte) is falsy to luaX_lexerror, which then leaves out "near ...".
          if (c === 0) throw syntaxError(this.chunkName, this.currentLine, 'unexpected symbol');
          throw this.fail('unexpected symbol', quoteChar(c));
        }
        this.position += symbol.length;
        this.kind = symbol;
        this.value = symbol;
      }
      this.end = this.position;
      return;
    }
    this.kind = 'eof';
    this.value = '<eof>';
    this.line = this.currentLine;
  }
}

/** How 5.1 quotes a stray character (luaX_token2str): control characters as `char(N)`. */
function quoteChar(code: number): string {
  return code < 32 || code === 127 ? `char(${code})` : String.fromCharCode(code);
}
