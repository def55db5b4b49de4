import { LuaError } from '../error.js';
import type { LuaValue } from '../value.js';

/*
 * Lua 5.1 patterns over byte strings, matched by backtracking as the reference manual (§5.4.1)
 * describes them, with the undocumented frontier %f[set] that 5.1.5 also knows. Character
 * classes are those of the C locale.
 */

const MAX_CAPTURES = 32;
/** A capture still open, and a position capture `()`, in `Capture.length`. */
const UNFINISHED = -1;
const POSITION = -2;
const ESCAPE = 37; // '%'

interface Capture {
  start: number;
  length: number;
}

/** The state of one match attempt of `pattern` against `subject`. */
export class PatternMatcher {
  level = 0;
  readonly captures: Capture[] = [];
  readonly pattern: string;

  constructor(
    readonly subject: string,
    pattern: string,
  ) {
    // 5.1 reads patterns as C strings: a zero byte ends one (%z matches a zero).
    const zero = pattern.indexOf('\0');
    this.pattern = zero === -1 ? pattern : pattern.slice(0, zero);
  }

  /** Matches the pattern from pattern index `p` at subject index `s`: the end, or -1. */
  match(s: number, p: number): number {
    const pattern = this.pattern;
    const subject = this.subject;
    for (;;) {
      if (p === pattern.length) return s;
      const code = pattern.charCodeAt(p);
      if (code === 40 /* ( */) {
        if (pattern.charCodeAt(p + 1) === 41) return this.startCapture(s, p + 2, POSITION);
        return this.startCapture(s, p + 1, UNFINISHED);
      }
      if (code === 41 /* ) */) return this.endCapture(s, p + 1);
      if (code === ESCAPE) {
        const next = pattern.charCodeAt(p + 1);
        if (next === 98 /* b */) {
          s = this.matchBalance(s, p + 2);
          if (s === -1) return -1;
          p += 4;
          continue;
        }
        if (next === 102 /* f */) {
          p += 2;
          if (pattern.charCodeAt(p) !== 91 /* [ */) {
            throw new LuaError("missing '[' after '%f' in pattern");
          }
          const end = this.classEnd(p);
          const previous = s === 0 ? 0 : subject.charCodeAt(s - 1);
          const current = s < subject.length ? subject.charCodeAt(s) : 0;
          if (this.matchSet(previous, p, end - 1) || !this.matchSet(current, p, end - 1)) {
            return -1;
          }
          p = end;
          continue;
        }
        if (next >= 48 && next <= 57) {
          s = this.matchBackReference(s, next);
          if (s === -1) return -1;
          p += 2;
          continue;
        }
      } else if (code === 36 /* $ */ && p + 1 === pattern.length) {
        return s === subject.length ? s : -1;
      }
      const end = this.classEnd(p);
      const matches = s < subject.length && this.singleMatch(subject.charCodeAt(s), p, end);
      const suffix = pattern.charCodeAt(end);
      if (suffix === 63 /* ? */) {
        if (matches) {
          const result = this.match(s + 1, end + 1);
          if (result !== -1) return result;
        }
        p = end + 1;
        continue;
      }
      if (suffix === 42 /* * */) return this.maxExpand(s, p, end);
      if (suffix === 43 /* + */) return matches ? this.maxExpand(s + 1, p, end) : -1;
      if (suffix === 45 /* - */) return this.minExpand(s, p, end);
      if (!matches) return -1;
      s++;
      p = end;
    }
  }

  /** The index just past the single-character class at `p`. */
  private classEnd(p: number): number {
    const pattern = this.pattern;
    const code = pattern.charCodeAt(p++);
    if (code === ESCAPE) {
      if (p >= pattern.length) throw new LuaError("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (code === 91 /* [ */) {
      if (pattern.charCodeAt(p) === 94 /* ^ */) p++;
      do {
        if (p >= pattern.length) throw new LuaError("malformed pattern (missing ']')");
        const c = pattern.charCodeAt(p++);
        if (c === ESCAPE && p < pattern.length) p++;
      } while (pattern.charCodeAt(p) !== 93 /* ] */);
      return p + 1;
    }
    return p;
  }

  private singleMatch(c: number, p: number, end: number): boolean {
    const code = this.pattern.charCodeAt(p);
    if (code === 46 /* . */) return true;
    if (code === ESCAPE) return matchClass(c, this.pattern.charCodeAt(p + 1));
    if (code === 91 /* [ */) return this.matchSet(c, p, end - 1);
    return code === c;
  }

  /** Whether `c` is in the set `[...]` starting at `p` whose `]` is at `close`. */
  private matchSet(c: number, p: number, close: number): boolean {
    const pattern = this.pattern;
    let inside = true;
    if (pattern.charCodeAt(p + 1) === 94 /* ^ */) {
      inside = false;
      p++;
    }
    while (++p < close) {
      const code = pattern.charCodeAt(p);
      if (code === ESCAPE) {
        p++;
        if (matchClass(c, pattern.charCodeAt(p))) return inside;
      } else if (pattern.charCodeAt(p + 1) === 45 /* - */ && p + 2 < close) {
        p += 2;
        if (code <= c && c <= pattern.charCodeAt(p)) return inside;
      } else if (code === c) {
        return inside;
      }
    }
    return !inside;
  }

  private maxExpand(s: number, p: number, end: number): number {
    const subject = this.subject;
    let count = 0;
    while (s + count < subject.length && this.singleMatch(subject.charCodeAt(s + count), p, end)) {
      count++;
    }
    for (; count >= 0; count--) {
      const result = this.match(s + count, end + 1);
      if (result !== -1) return result;
    }
    return -1;
  }

  private minExpand(s: number, p: number, end: number): number {
    const subject = this.subject;
    for (;;) {
      const result = this.match(s, end + 1);
      if (result !== -1) return result;
      if (s < subject.length && this.singleMatch(subject.charCodeAt(s), p, end)) s++;
      else return -1;
    }
  }

  private startCapture(s: number, p: number, length: number): number {
    if (this.level >= MAX_CAPTURES) throw new LuaError('too many captures');
    this.captures[this.level] = { start: s, length };
    this.level++;
    const result = this.match(s, p);
    if (result === -1) this.level--;
    return result;
  }

  private endCapture(s: number, p: number): number {
    const index = this.openCapture();
    const capture = this.captures[index];
    capture.length = s - capture.start;
    const result = this.match(s, p);
    if (result === -1) capture.length = UNFINISHED;
    return result;
  }

  private openCapture(): number {
    for (let level = this.level - 1; level >= 0; level--) {
      if (this.captures[level].length === UNFINISHED) return level;
    }
    throw new LuaError('invalid pattern capture');
  }

  /** %bxy: a balanced run from x to y. */
  private matchBalance(s: number, p: number): number {
    const pattern = this.pattern;
    if (p + 1 >= pattern.length) throw new LuaError('unbalanced pattern');
    const subject = this.subject;
    const open = pattern.charCodeAt(p);
    if (s >= subject.length || subject.charCodeAt(s) !== open) return -1;
    const close = pattern.charCodeAt(p + 1);
    let depth = 1;
    while (++s < subject.length) {
      const c = subject.charCodeAt(s);
      if (c === close) {
        if (--depth === 0) return s + 1;
      } else if (c === open) {
        depth++;
      }
    }
    return -1;
  }

  /** %1-%9: the text of an earlier capture again. */
  private matchBackReference(s: number, digit: number): number {
    const index = digit - 49;
    if (index < 0 || index >= this.level || this.captures[index].length === UNFINISHED) {
      throw new LuaError('invalid capture index');
    }
    const { start, length } = this.captures[index];
    // A position capture has no text: C compares its length as a huge size_t and fails.
    if (length === POSITION) return -1;
    const subject = this.subject;
    if (subject.length - s >= length && subject.startsWith(subject.substr(start, length), s)) {
      return s + length;
    }
    return -1;
  }

  /** Capture `index` of a match of subject[start, end): a string or a position. */
  capture(index: number, start: number, end: number): LuaValue {
    if (index >= this.level) {
      if (index === 0) return this.subject.slice(start, end);
      throw new LuaError('invalid capture index');
    }
    const { start: captureStart, length } = this.captures[index];
    if (length === UNFINISHED) throw new LuaError('unfinished capture');
    if (length === POSITION) return captureStart + 1;
    return this.subject.substr(captureStart, length);
  }

  /** All captures of a match, or the whole match when the pattern has none. */
  allCaptures(start: number, end: number): LuaValue[] {
    const count = this.level === 0 ? 1 : this.level;
    const values: LuaValue[] = new Array(count);
    for (let i = 0; i < count; i++) values[i] = this.capture(i, start, end);
    return values;
  }

  reset(): void {
    this.level = 0;
  }
}

/** Whether byte `c` is in the class of letter `letter` (%a, %D...), in the C locale. */
function matchClass(c: number, letter: number): boolean {
  let result: boolean;
  switch (letter | 32) {
    case 97 /* a */:
      result = isAlpha(c);
      break;
    case 99 /* c */:
      result = c < 32 || c === 127;
      break;
    case 100 /* d */:
      result = c >= 48 && c <= 57;
      break;
    case 108 /* l */:
      result = c >= 97 && c <= 122;
      break;
    case 112 /* p */:
      result =
        (c >= 33 && c <= 47) ||
        (c >= 58 && c <= 64) ||
        (c >= 91 && c <= 96) ||
        (c >= 123 && c <= 126);
      break;
    case 115 /* s */:
      result = c === 32 || (c >= 9 && c <= 13);
      break;
    case 117 /* u */:
      result = c >= 65 && c <= 90;
      break;
    case 119 /* w */:
      result = isAlpha(c) || (c >= 48 && c <= 57);
      break;
    case 120 /* x */:
      result = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
      break;
    case 122 /* z */:
      result = c === 0;
      break;
    default:
      return letter === c;
  }
  // An upper-case class letter is the complement.
  return letter >= 65 && letter <= 90 ? !result : result;
}

function isAlpha(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}

/** Characters that make a pattern more than plain text, for string.find's shortcut. */
export function hasSpecials(pattern: string): boolean {
  // 5.1 looks only up to a zero byte (strpbrk).
  return /^[^\0]*[\^$*+?.([%-]/.test(pattern);
}
