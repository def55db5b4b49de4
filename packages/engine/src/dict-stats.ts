import { stringHash } from '@rc/datatypes/packed';

// DEBUG HTSTATS's text for one table of a Redis dict, for the same entries in rc. Entries are
// placed by `stringHash` (FNV-1a), a stand-in for Redis's seeded siphash.

/** DICT_STATS_VECTLEN */
const CHAIN_LENGTHS = 50;

/** Two decimals of a C float, as %.02f prints it. */
function floatFixed(value: number): string {
  return Math.fround(value).toFixed(2);
}

/**
 * _dictGetStatsHt: table `index` of a dict (0 the main one, 1 the rehashing target) holding
 * `keys` (`used` of them) in `size` buckets.
 */
export function tableStats(
  index: 0 | 1,
  keys: Iterable<string>,
  used: number,
  size: number,
): string {
  const title = `Hash table ${index} stats (${index === 0 ? 'main hash table' : 'rehashing target'}):\n`;
  if (used === 0) return title + 'No stats available for empty dictionaries\n';
  const buckets = new Uint32Array(size);
  for (const key of keys) buckets[stringHash(key) & (size - 1)]++;
  const chains = new Array<number>(CHAIN_LENGTHS).fill(0);
  let slots = 0;
  let longest = 0;
  let total = 0;
  for (const length of buckets) {
    chains[Math.min(length, CHAIN_LENGTHS - 1)]++;
    if (length === 0) continue;
    slots++;
    longest = Math.max(longest, length);
    total += length;
  }
  let text =
    title +
    ` table size: ${size}\n` +
    ` number of elements: ${used}\n` +
    ` different slots: ${slots}\n` +
    ` max chain length: ${longest}\n` +
    ` avg chain length (counted): ${floatFixed(total / slots)}\n` +
    ` avg chain length (computed): ${floatFixed(used / slots)}\n` +
    ' Chain length distribution:\n';
  for (let i = 0; i < CHAIN_LENGTHS - 1; i++) {
    if (chains[i] === 0) continue;
    text += `   ${i}: ${chains[i]} (${floatFixed((chains[i] / size) * 100)}%)\n`;
  }
  return text;
}
