/**
 * SRANDMEMBER/HRANDFIELD/ZRANDMEMBER's count rules: positive = distinct, negative = with
 * repeats. A count that takes everything gets the items in the order given, as Redis walks the
 * whole value (a listpack's or intset's order).
 */
export function pickRandom(items: string[], count: number): string[] {
  if (count >= items.length) return count === 0 ? [] : items;
  return pickRandomIndexes(items.length, count).map((index) => items[index]);
}

/**
 * The same rules over indexes 0 to size - 1, for a value read where it is picked. A few distinct
 * picks out of many are drawn until distinct (Redis's CASE 4 of SRANDMEMBER); more, from a
 * shuffle of every index (its CASE 3 copies the whole value).
 */
export function pickRandomIndexes(size: number, count: number): number[] {
  if (size === 0 || count === 0) return [];
  if (count < 0) return Array.from({ length: -count }, () => Math.floor(Math.random() * size));
  if (count >= size) return Array.from({ length: size }, (_, index) => index);
  if (count * 3 <= size) {
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(Math.random() * size));
    return [...picked];
  }
  const shuffled = Array.from({ length: size }, (_, index) => index);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled.slice(0, count);
}
