import { describe, expect, it } from 'vitest';
import { scanPage } from './scan-cursor.js';

describe('scanPage', () => {
  it('returns every element present throughout, even while others come and go', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 2000; i++) keys.add(`key:${i}`);
    const stable = new Set([...keys].filter((_, i) => i % 3 === 0));
    const seen = new Set<string>();
    let cursor = 0;
    let round = 0;
    do {
      const page = scanPage(keys, cursor, 10);
      page.items.forEach((item) => seen.add(item));
      cursor = page.cursor;
      // Churn: delete and add keys that are not part of the stable set.
      keys.delete(`key:${round * 3 + 1}`);
      keys.add(`new:${round}`);
      round++;
    } while (cursor !== 0);
    for (const key of stable) expect(seen.has(key)).toBe(true);
  });
});
