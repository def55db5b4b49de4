/**
 * SRANDMEMBER/HRANDFIELD/ZRANDMEMBER's count rules: positive = distinct, negative = with
 * repeats. A count that takes everything gets the items in the order given, as Redis walks the
 * whole value (a listpack's or intset's order).
 */
export function pickRandom(items: string[], count: number): string[] {
  if (items.length === 0 || count === 0) return [];
  if (count >= items.length) return items;
  if (count < 0) {
    return Array.from({ length: -count }, () => items[Math.floor(Math.random() * items.length)]);
  }
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled.slice(0, count);
}
