/**
 * Splits an inline command line into arguments with the rules of Redis's sdssplitargs (sds.c):
 * - blanks (isspace: space, \t, \n, \v, \f, \r) separate words, but inside an unquoted word
 *   only space, \t, \n, \r (and NUL) end it: "a\vb" is one argument, as in Redis;
 * - double quotes allow \n \r \t \b \a escapes, \xHH, and any other escaped char as itself;
 * - single quotes allow only \' as an escape;
 * - a quote may open mid-word (a"b c" is the one argument "ab c"), but a closing quote must be
 *   followed by a blank or the end ("a"b is unbalanced).
 * Returns null for unbalanced quotes. Input and output are latin1 strings.
 */
export function splitArguments(line: string): string[] | null {
  const args: string[] = [];
  const length = line.length;
  let i = 0;
  for (;;) {
    while (i < length && isSpace(line.charCodeAt(i))) i++;
    // A NUL ends the line, as it ends the C string sdssplitargs reads.
    if (i >= length || line.charCodeAt(i) === 0) return args;
    let current = '';
    let quote = 0; // 0, or the char code of the open quote
    for (;;) {
      if (i >= length) {
        if (quote !== 0) return null; // unterminated quotes
        break;
      }
      const c = line.charCodeAt(i);
      if (quote === 34 /* " */) {
        if (
          c === 92 /* \ */ &&
          line.charCodeAt(i + 1) === 120 /* x */ &&
          hexValue(line.charCodeAt(i + 2)) !== -1 &&
          hexValue(line.charCodeAt(i + 3)) !== -1
        ) {
          current += String.fromCharCode(
            hexValue(line.charCodeAt(i + 2)) * 16 + hexValue(line.charCodeAt(i + 3)),
          );
          i += 4;
        } else if (c === 92 && i + 1 < length) {
          current += unescape(line.charCodeAt(i + 1));
          i += 2;
        } else if (c === 34) {
          // The closing quote must be followed by a blank or the end.
          if (i + 1 < length && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        } else {
          current += line[i++];
        }
      } else if (quote === 39 /* ' */) {
        if (c === 92 && line.charCodeAt(i + 1) === 39) {
          current += "'";
          i += 2;
        } else if (c === 39) {
          if (i + 1 < length && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        } else {
          current += line[i++];
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        break;
      } else {
        if (c === 34 || c === 39) quote = c;
        else current += line[i];
        i++;
      }
    }
    args.push(current);
  }
}

/** C's isspace in the "C" locale. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function unescape(c: number): string {
  switch (c) {
    case 110: // n
      return '\n';
    case 114: // r
      return '\r';
    case 116: // t
      return '\t';
    case 98: // b
      return '\b';
    case 97: // a
      return '\x07';
    default:
      return String.fromCharCode(c);
  }
}
