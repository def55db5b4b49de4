/**
 * LZF, the compression Redis uses for strings longer than 20 bytes in RDB files (lzf_c.c,
 * lzf_d.c). The format: a control byte below 32 starts a run of ctrl+1 literal bytes; otherwise
 * its top 3 bits are a match length - 2 (7 = a further length byte follows) and its low 5 bits
 * with the next byte are a back-reference offset - 1 (up to 8191 bytes back). Matches may
 * overlap their own output.
 */

import { RdbError, RdbErrors } from './errors.js';

const HASH_BITS = 14;
const MAX_OFFSET = 1 << 13;
const MAX_LITERAL = 32;
const MAX_MATCH = 264; // (1 << 8) + (1 << 3): 7 + 255 + 2

/**
 * Positions of the last occurrence of each 3-byte hash, offset by `generation` so entries left
 * by earlier calls are recognisably stale without clearing the table per call.
 */
const table = new Int32Array(1 << HASH_BITS);
let generation = 1;

/**
 * Compresses input[start, end) into output. Returns the compressed length, or 0 when the result
 * would not fit in `output.length` bytes (callers pass a limit below the input length, as Redis
 * keeps the string uncompressed when compression saves less than 4 bytes).
 */
export function lzfCompress(
  input: Uint8Array,
  start: number,
  end: number,
  output: Uint8Array,
): number {
  const length = end - start;
  const limit = output.length;
  if (length === 0 || limit === 0) return 0;
  if (generation + length + 1 > 0x3fffffff) {
    table.fill(0);
    generation = 1;
  }
  const base = generation - start; // table value for input index i is base + i
  generation += length + 1;

  let ip = start;
  let op = 1; // output[0] is the control byte of the first literal run
  let literals = 0;
  if (length >= 3) {
    let hashInput = (input[ip] << 8) | input[ip + 1];
    const lastMatchStart = end - 2;
    while (ip < lastMatchStart) {
      hashInput = ((hashInput << 8) | input[ip + 2]) & 0xffffff;
      const slot = Math.imul(hashInput, 0x9e3779b1) >>> (32 - HASH_BITS);
      const ref = table[slot] - base;
      table[slot] = base + ip;
      const distance = ip - ref - 1;
      if (
        ref >= start &&
        distance >= 0 &&
        distance < MAX_OFFSET &&
        input[ref] === input[ip] &&
        input[ref + 1] === input[ip + 1] &&
        input[ref + 2] === input[ip + 2]
      ) {
        let maxLength = end - ip;
        if (maxLength > MAX_MATCH) maxLength = MAX_MATCH;
        let matched = 3;
        while (matched < maxLength && input[ref + matched] === input[ip + matched]) matched++;
        // Close the literal run (or drop its unused control byte), then the match, then open
        // the next run's control byte: at most 4 bytes.
        if (op + 4 > limit) return 0;
        if (literals > 0) output[op - literals - 1] = literals - 1;
        else op--;
        const encodedLength = matched - 2;
        if (encodedLength < 7) {
          output[op++] = (encodedLength << 5) | (distance >> 8);
        } else {
          output[op++] = (7 << 5) | (distance >> 8);
          output[op++] = encodedLength - 7;
        }
        output[op++] = distance & 0xff;
        output[op++] = 0;
        literals = 0;
        ip += matched;
        if (ip >= lastMatchStart) break;
        // Index the last two positions of the match so the next search can find them.
        hashInput = (input[ip - 2] << 8) | input[ip - 1];
        {
          const before = ((hashInput << 8) | input[ip]) & 0xffffff;
          table[Math.imul(before, 0x9e3779b1) >>> (32 - HASH_BITS)] = base + ip - 2;
        }
        hashInput = (input[ip] << 8) | input[ip + 1];
        {
          const before = ((input[ip - 1] << 16) | hashInput) & 0xffffff;
          table[Math.imul(before, 0x9e3779b1) >>> (32 - HASH_BITS)] = base + ip - 1;
        }
        continue;
      }
      if (op >= limit) return 0;
      output[op++] = input[ip++];
      if (++literals === MAX_LITERAL) {
        output[op - MAX_LITERAL - 1] = MAX_LITERAL - 1;
        literals = 0;
        if (op >= limit) return 0;
        output[op++] = 0;
      }
    }
  }
  while (ip < end) {
    if (op >= limit) return 0;
    output[op++] = input[ip++];
    if (++literals === MAX_LITERAL) {
      output[op - MAX_LITERAL - 1] = MAX_LITERAL - 1;
      literals = 0;
      if (op >= limit) return 0;
      output[op++] = 0;
    }
  }
  if (literals > 0) output[op - literals - 1] = literals - 1;
  else op--;
  return op;
}

/**
 * Decompresses input[start, end) into a new Buffer of exactly `outputLength` bytes. Throws
 * RdbError when the data is malformed or does not decompress to that length.
 */
export function lzfDecompress(
  input: Uint8Array,
  start: number,
  end: number,
  outputLength: number,
): Buffer {
  const output = Buffer.allocUnsafe(outputLength);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const control = input[ip++];
    if (control < 32) {
      const run = control + 1;
      if (ip + run > end || op + run > outputLength) throw new RdbError(RdbErrors.lzf);
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
      if (ref < 0 || op + length > outputLength) throw new RdbError(RdbErrors.lzf);
      if (op - ref >= length) {
        output.copyWithin(op, ref, ref + length);
        op += length;
      } else {
        // Overlapping copy: repeats the last (op - ref) bytes.
        for (let i = 0; i < length; i++) output[op++] = output[ref++];
      }
    }
  }
  if (op !== outputLength) throw new RdbError(RdbErrors.lzf);
  return output;
}
