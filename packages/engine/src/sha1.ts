/**
 * SHA-1 (FIPS 180-4) of the short inputs DEBUG DIGEST hashes millions of times: a binary
 * string (one byte per character, as the keyspace holds them) or a previous digest, into five
 * 32-bit words. Node's createHash costs an object and a native call per input, several times
 * the hashing itself at these sizes; here the block and the state are reused.
 */

/** A digest as five big-endian 32-bit words. */
export type Sha1Words = Int32Array;

export const SHA1_WORDS = 5;

/** The message schedule (80 words) and the running state. */
const schedule = new Int32Array(80);
const state = new Int32Array(SHA1_WORDS);

function reset(): void {
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  state[4] = 0xc3d2e1f0 | 0;
}

/** One 512-bit block, its 16 words in `schedule[0..15]`, into `state`. */
function compress(): void {
  const w = schedule;
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  for (let t = 0; t < 80; t++) {
    let f: number;
    let k: number;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const next = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = next;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
}

/** The final block(s): the `length` - `done` bytes left by `byteAt`, the 0x80 mark, the bit length. */
function finish(length: number, done: number, byteAt: (index: number) => number): void {
  schedule.fill(0, 0, 16);
  const rest = length - done;
  for (let i = 0; i < rest; i++) schedule[i >> 2] |= byteAt(done + i) << (24 - 8 * (i & 3));
  schedule[rest >> 2] |= 0x80 << (24 - 8 * (rest & 3));
  if (rest >= 56) {
    compress();
    schedule.fill(0, 0, 16);
  }
  schedule[14] = Math.floor(length / 0x20000000);
  schedule[15] = (length * 8) | 0;
  compress();
}

/** SHA-1 of a binary string (each character one byte, latin1) into `out`. */
export function sha1Latin1(text: string, out: Sha1Words): void {
  reset();
  const length = text.length;
  let done = 0;
  for (; done + 64 <= length; done += 64) {
    for (let i = 0; i < 16; i++) {
      const at = done + i * 4;
      schedule[i] =
        ((text.charCodeAt(at) & 255) << 24) |
        ((text.charCodeAt(at + 1) & 255) << 16) |
        ((text.charCodeAt(at + 2) & 255) << 8) |
        (text.charCodeAt(at + 3) & 255);
    }
    compress();
  }
  finish(length, done, (index) => text.charCodeAt(index) & 255);
  out.set(state);
}

/** SHA-1 of a digest's 20 bytes into `out` (which may be `words` itself). */
export function sha1Words(words: Sha1Words, out: Sha1Words): void {
  reset();
  schedule.fill(0, 0, 16);
  schedule.set(words);
  schedule[SHA1_WORDS] = 0x80000000 | 0;
  schedule[15] = SHA1_WORDS * 32;
  compress();
  out.set(state);
}

/** A digest in hexadecimal, as Redis prints it. */
export function sha1Hex(words: Sha1Words): string {
  let hex = '';
  for (const word of words) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}
