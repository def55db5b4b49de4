import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { integerArgument, isKeyword } from '../arguments.js';

/** The dynamic-programming table of LCS lengths, (a.length+1) × (b.length+1). */
function lcsTable(a: string, b: string): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i * width + j] =
        a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
          ? table[(i - 1) * width + j - 1] + 1
          : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
    }
  }
  return table;
}

/** Lengths Redis's LCS refuses: its table indexes are 32-bit. */
const LCS_MAX_LENGTH = 2 ** 32 - 2;

/**
 * The table, or null after Redis's error: for strings too long, a table (4 bytes a cell) over
 * proto-max-bulk-len, or one that cannot be allocated.
 */
function allocatedTable(client: Client, engine: Engine, a: string, b: string): Uint32Array | null {
  if (a.length >= LCS_MAX_LENGTH || b.length >= LCS_MAX_LENGTH) {
    client.out.error('ERR String too long for LCS');
    return null;
  }
  if ((a.length + 1) * (b.length + 1) * 4 > engine.config.getNumber('proto-max-bulk-len')) {
    client.out.error(
      'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
    );
    return null;
  }
  try {
    return lcsTable(a, b);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    client.out.error('ERR Insufficient memory, failed allocating transient memory for LCS');
    return null;
  }
}

interface MatchRange {
  a: [number, number];
  b: [number, number];
  length: number;
}

/**
 * Walks the table back from the end, as Redis's lcsCommand does, collecting the common
 * subsequence and the matched ranges (last ones first) of at least `minLength`.
 */
function backtrack(a: string, b: string, table: Uint32Array, minLength: number) {
  const width = b.length + 1;
  let length = table[a.length * width + b.length];
  const chars = new Array<string>(length);
  const ranges: MatchRange[] = [];
  let i = a.length;
  let j = b.length;
  let aStart = a.length;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[length - 1] = a[i - 1];
      if (aStart === a.length) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      length--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== a.length) emit = true;
    }
    if (emit) {
      const matchLength = aEnd - aStart + 1;
      if (minLength === 0 || matchLength >= minLength) {
        ranges.push({ a: [aStart, aEnd], b: [bStart, bEnd], length: matchLength });
      }
      aStart = a.length;
    }
  }
  return { subsequence: chars.join(''), ranges };
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
export function lcs(client: Client, argv: string[], engine: Engine): void {
  const first = client.db.lookup(argv[1]);
  const second = client.db.lookup(argv[2]);
  if (
    (first !== undefined && typeof first !== 'string') ||
    (second !== undefined && typeof second !== 'string')
  ) {
    client.out.error('ERR The specified keys must contain string values');
    return;
  }
  const a = first ?? '';
  const b = second ?? '';
  let wantLength = false;
  let wantIndexes = false;
  let withMatchLength = false;
  let minLength = 0;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i];
    if (isKeyword(option, 'idx')) wantIndexes = true;
    else if (isKeyword(option, 'len')) wantLength = true;
    else if (isKeyword(option, 'withmatchlen')) withMatchLength = true;
    else if (isKeyword(option, 'minmatchlen') && i + 1 < argv.length) {
      const value = integerArgument(client, argv[++i]);
      if (value === null) return;
      minLength = Math.max(0, value);
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  if (wantIndexes && wantLength) {
    client.out.error('ERR If you want both the length and indexes, please just use IDX.');
    return;
  }
  const table = allocatedTable(client, engine, a, b);
  if (table === null) return;
  const total = table[table.length - 1];
  if (wantLength) {
    client.out.integer(total);
    return;
  }
  const { subsequence, ranges } = backtrack(a, b, table, minLength);
  if (!wantIndexes) {
    client.out.bulk(subsequence);
    return;
  }
  const out = client.out;
  out.map(2);
  out.bulk('matches');
  out.array(ranges.length);
  for (const range of ranges) {
    out.array(withMatchLength ? 3 : 2);
    out.array(2);
    out.integer(range.a[0]);
    out.integer(range.a[1]);
    out.array(2);
    out.integer(range.b[0]);
    out.integer(range.b[1]);
    if (withMatchLength) out.integer(range.length);
  }
  out.bulk('len');
  out.integer(total);
}
