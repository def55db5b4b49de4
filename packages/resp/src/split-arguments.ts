/**
 * Splits an inline command line into arguments with the rules of Redis's sdssplitargs: spaces
 * separate words; double quotes allow \n \r \t \b \a \\ \" and \xHH escapes; single quotes allow
 * \'; a quote may open mid-word, and a closing quote must be followed by a space or the end.
 * Returns null for unbalanced quotes. Input and output are latin1 strings.
 */
export function splitArguments(line: string): string[] | null {
  const args: string[] = [];
  const length = line.length;
  let i = 0;
  for (;;) {
    while (i < length && isSpace(line.charCodeAt(i))) i++;
    if (i >= length) return args;
    let current = '';
    let quote = 0; // 0, or the char code of the open quote
    for (;;) {
      if (i >= length) {
        if (quote !== 0) return null;
        break;
      }
      const c = line.charCodeAt(i);
      if (quote === 34 /* " */) {
        if (c === 92 /* \ */ && i + 3 < length && line[i + 1] === 'x' && isHex(line, i + 2)) {
          current += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (c === 92 && i + 1 < length) {
          current += unescape(line[i + 1]);
          i += 2;
          continue;
        }
        if (c === 34) {
          // A closing quote ends the word; it must be followed by a space or the end.
          if (i + 1 < length && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        current += line[i++];
      } else if (quote === 39 /* ' */) {
        if (c === 92 && line[i + 1] === "'") {
          current += "'";
          i += 2;
          continue;
        }
        if (c === 39) {
          // A closing quote ends the word; it must be followed by a space or the end.
          if (i + 1 < length && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        current += line[i++];
      } else {
        if (isSpace(c)) break;
        if (c === 34 || c === 39) quote = c;
        else current += line[i];
        i++;
      }
    }
    args.push(current);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(line: string, at: number): boolean {
  return /^[0-9a-fA-F]{2}$/.test(line.slice(at, at + 2));
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\x07';
    default:
      return c;
  }
}
