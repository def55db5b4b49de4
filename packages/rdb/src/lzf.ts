/**
 * LZF, the compression Redis uses for strings longer than 20 bytes in RDB files (lzf_c.c,
 * lzf_d.c). The format: a control byte below 32 starts a run of ctrl+1 literal bytes; otherwise
 * its top 3 bits are a match length - 2 (7 = a further length byte follows) and its low 5 bits
 * with the next byte are a back-reference offset - 1 (up to 8191 bytes back). Matches may
 * overlap their own output.
 */

import { RdbError, RdbErrors } from './errors.js';

// liblzf 3.6 as Redis builds it (lzfP.h): HLOG 16, VERY_FAST. Following its match search
// step for step makes DUMP payloads and RDB files byte-identical to Redis's.
const HASH_LOG = 16;
const MAX_OFFSET = 1 << 13;
const MAX_LITERAL = 1 << 5;
const MAX_MATCH = (1 << 8) + (1 << 3);

/**
 * Positions of the last occurrence of each 3-byte hash, offset by `generation` so entries left
 * by earlier calls are recognisably stale without clearing the table per call. (Redis leaves
 * its table uninitialised; a stale entry there can only ever point at a real earlier match.)
 */
const table = new Int32Array(1 << HASH_LOG);
let generation = 1;

/** liblzf's IDX for VERY_FAST: `bytes` holds the 3 bytes at a position, first one highest. */
function slotOf(bytes: number): number {
  return ((bytes >>> (24 - HASH_LOG)) - Math.imul(bytes, 5)) & ((1 << HASH_LOG) - 1);
}

/**
 * Compresses input[start, end) into output as lzf_compress does. Returns the compressed
 * length, or 0 when the result would not fit in `limit` bytes (callers pass a limit below the
 * input length, as Redis keeps the string uncompressed when compression saves less than 4
 * bytes). A limit rather than a view of `output` that long: a save compresses a value per key.
 */
export function lzfCompress(
  input: Uint8Array,
  start: number,
  end: number,
  output: Uint8Array,
  limit = output.length,
): number {
  const length = end - start;
  if (length === 0) return 0;
  if (generation + length + 1 > 0x3fffffff) {
    table.fill(0);
    generation = 1;
  }
  const base = generation - start; // table value for input index i is base + i
  generation += length + 1;

  let ip = start;
  let op = 1; // output[0] is the control byte of the first literal run
  let literals = 0;
  let bytes = length >= 2 ? (input[ip] << 8) | input[ip + 1] : 0;
  while (ip < end - 2) {
    bytes = ((bytes << 8) | input[ip + 2]) & 0xffffff;
    const slot = slotOf(bytes);
    const ref = table[slot] - base;
    table[slot] = base + ip;
    const offset = ip - ref - 1;
    if (
      ref > start &&
      offset >= 0 &&
      offset < MAX_OFFSET &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      const maxLength = Math.min(end - ip - 2, MAX_MATCH);
      if (op - (literals === 0 ? 1 : 0) + 4 >= limit) return 0;
      // Close the literal run, or drop its control byte when it is empty.
      if (literals > 0) output[op - literals - 1] = literals - 1;
      else op--;
      let matched = 2;
      do matched++;
      while (matched < maxLength && input[ref + matched] === input[ip + matched]);
      const encoded = matched - 2;
      if (encoded < 7) {
        output[op++] = (offset >> 8) + (encoded << 5);
      } else {
        output[op++] = (offset >> 8) + (7 << 5);
        output[op++] = encoded - 7;
      }
      output[op++] = offset & 0xff;
      literals = 0;
      op++; // the next run's control byte
      ip += matched;
      if (ip >= end - 2) break;
      // The match's last two positions go into the table, as VERY_FAST does.
      ip -= 2;
      bytes = (input[ip] << 16) | (input[ip + 1] << 8) | input[ip + 2];
      table[slotOf(bytes)] = base + ip;
      ip++;
      bytes = ((bytes << 8) | input[ip + 2]) & 0xffffff;
      table[slotOf(bytes)] = base + ip;
      ip++;
    } else {
      if (op >= limit) return 0;
      output[op++] = input[ip++];
      if (++literals === MAX_LITERAL) {
        output[op - MAX_LITERAL - 1] = MAX_LITERAL - 1;
        literals = 0;
        op++;
      }
    }
  }
  // At most two bytes are left, with perhaps a control byte: three more bytes at most.
  if (op + 3 > limit) return 0;
  while (ip < end) {
    output[op++] = input[ip++];
    if (++literals === MAX_LITERAL) {
      output[op - MAX_LITERAL - 1] = MAX_LITERAL - 1;
      literals = 0;
      op++;
    }
  }
  if (literals > 0) output[op - literals - 1] = literals - 1;
  else op--;
  return op;
}

/**
 * Decompresses input[start, end) into output[at, at + outputLength), which the caller has room
 * for (a load's compressed strings are many, and a buffer each was much of their cost). Throws
 * RdbError when the data is malformed or does not decompress to exactly that length.
 */
export function lzfDecompressInto(
  input: Uint8Array,
  start: number,
  end: number,
  output: Uint8Array,
  at: number,
  outputLength: number,
): void {
  const outputEnd = at + outputLength;
  let ip = start;
  let op = at;
  while (ip < end) {
    const control = input[ip++];
    if (control < 32) {
      const run = control + 1;
      if (ip + run > end || op + run > outputEnd) throw new RdbError(RdbErrors.lzf);
      if (run < 16) {
        for (let i = 0; i < run; i++) output[op + i] = input[ip + i];
      } else {
        output.set(input.subarray(ip, ip + run), op);
      }
      ip += run;
      op += run;
    } else {
      let length = control >> 5;
      if (length === 7) {
        if (ip >= end) throw new RdbError(RdbErrors.lzf);
        length += input[ip++];
      }
      if (ip >= end) throw new RdbError(RdbErrors.lzf);
      let ref = op - ((control & 0x1f) << 8) - input[ip++] - 1;
      length += 2;
      if (ref < at || op + length > outputEnd) throw new RdbError(RdbErrors.lzf);
      if (op - ref >= length) {
        output.copyWithin(op, ref, ref + length);
        op += length;
      } else {
        // Overlapping copy: repeats the last (op - ref) bytes.
        for (let i = 0; i < length; i++) output[op++] = output[ref++];
      }
    }
  }
  if (op !== outputEnd) throw new RdbError(RdbErrors.lzf);
}
