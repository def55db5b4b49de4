/**
 * Redis's glob dialect (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET): `*`, `?`, `[abc]`, `[^a]`,
 * `[a-z]` (either order), and `\` escaping the next character. Byte-wise on latin1 strings.
 */
export function globMatch(pattern: string, text: string, noCase = false): boolean {
  return matchFrom(pattern, 0, text, 0, noCase) === Match.Yes;
}

const enum Match {
  Yes,
  No,
  /** A `*` further on can never match either: stop backtracking (Redis's skipLongerMatches). */
  Never,
}

function fold(code: number, noCase: boolean): number {
  return noCase && code >= 65 && code <= 90 ? code + 32 : code;
}

function matchFrom(p: string, pi: number, s: string, si: number, noCase: boolean): Match {
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return Match.Yes;
      for (let start = si; start < slen; start++) {
        const result = matchFrom(p, pi + 1, s, start, noCase);
        if (result !== Match.No) return result;
      }
      return Match.Never;
    }
    if (pc === 63 /* ? */) {
      pi++;
      si++;
      continue;
    }
    if (pc === 91 /* [ */) {
      const sc = fold(s.charCodeAt(si), noCase);
      pi++;
      const negate = p.charCodeAt(pi) === 94; /* ^ */
      if (negate) pi++;
      let matched = false;
      for (;;) {
        if (pi >= plen) {
          pi--; // unterminated class: Redis treats the end as closing it
          break;
        }
        const c = p.charCodeAt(pi);
        if (c === 92 /* \ */ && pi + 2 < plen + 1 && pi + 1 < plen) {
          pi++;
          if (fold(p.charCodeAt(pi), noCase) === sc) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let low = fold(c, noCase);
          let high = fold(p.charCodeAt(pi + 2), noCase);
          if (low > high) [low, high] = [high, low];
          pi += 2;
          if (sc >= low && sc <= high) matched = true;
        } else if (fold(c, noCase) === sc) {
          matched = true;
        }
        pi++;
      }
      if (negate) matched = !matched;
      if (!matched) return Match.No;
      pi++;
      si++;
      continue;
    }
    let literal = pc;
    if (pc === 92 /* \ */ && pi + 1 < plen) {
      pi++;
      literal = p.charCodeAt(pi);
    }
    if (fold(literal, noCase) !== fold(s.charCodeAt(si), noCase)) return Match.No;
    pi++;
    si++;
  }
  if (si === slen) {
    while (pi < plen && p.charCodeAt(pi) === 42) pi++;
  }
  return pi === plen && si === slen ? Match.Yes : Match.No;
}

/**
 * A matcher for one pattern, for patterns tested against many strings (ACL key patterns on
 * every command): a plain string or a prefix followed by `*` is compared without the general
 * matcher.
 */
export function compileGlob(pattern: string): (text: string) => boolean {
  const special = /[*?[\\]/;
  if (pattern === '*') return () => true;
  if (!special.test(pattern)) return (text) => text === pattern;
  const prefix = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !special.test(prefix)) return (text) => text.startsWith(prefix);
  return (text) => globMatch(pattern, text);
}
