/** A score range endpoint: ZRANGEBYSCORE's `1`, `(1`, `-inf`, `+inf`. */
export interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** A lex range endpoint: `[a`, `(a`, `-` (before everything) or `+` (after everything). */
export type LexBound =
  | { readonly kind: 'min' }
  | { readonly kind: 'max' }
  | { readonly kind: 'value'; readonly value: string; readonly exclusive: boolean };

export function scoreAtLeast(score: number, min: ScoreBound): boolean {
  return min.exclusive ? score > min.value : score >= min.value;
}

export function scoreAtMost(score: number, max: ScoreBound): boolean {
  return max.exclusive ? score < max.value : score <= max.value;
}

export function lexAtLeast(member: string, min: LexBound): boolean {
  if (min.kind === 'min') return true;
  if (min.kind === 'max') return false;
  return min.exclusive ? member > min.value : member >= min.value;
}

export function lexAtMost(member: string, max: LexBound): boolean {
  if (max.kind === 'max') return true;
  if (max.kind === 'min') return false;
  return max.exclusive ? member < max.value : member <= max.value;
}

/** Whether a score range can contain anything at all (Redis's zslIsInRange precheck). */
export function scoreRangeIsEmpty(min: ScoreBound, max: ScoreBound): boolean {
  return min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive));
}

export function lexRangeIsEmpty(min: LexBound, max: LexBound): boolean {
  if (min.kind === 'max' || max.kind === 'min') return true;
  if (min.kind === 'min' || max.kind === 'max') return false;
  return min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive));
}
