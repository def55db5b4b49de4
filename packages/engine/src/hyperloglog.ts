/*
 * Redis's HyperLogLog, in its own byte format so that the string values (GET, DUMP, RDB) are the
 * same as Redis's: a 16-byte header ("HYLL", encoding, 3 unused bytes, an 8-byte little-endian
 * cached cardinality whose top bit marks it stale), then 16384 registers, either dense (6 bits
 * each) or sparse (run-length opcodes: ZERO 00xxxxxx, XZERO 01xxxxxx xxxxxxxx, VAL 1vvvvvxx).
 */

const P = 14;
/** Hash bits left once the register index is taken. */
const Q = 64 - P;
export const REGISTERS = 1 << P;
const REGISTER_MAX = 63;
const HEADER = 16;
export const DENSE_SIZE = HEADER + Math.floor((REGISTERS * 6 + 7) / 8);
const DENSE = 0;
const SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5 / ln(2), the estimator's constant for an infinite number of registers. */
const ALPHA_INF = 0.7213475204444817;
/** "HYLL" */
const MAGIC = [0x48, 0x59, 0x4c, 0x4c];

const MASK_64 = (1n << 64n) - 1n;
const MURMUR_M = 0xc6a4a7935bd1e995n;
const MURMUR_SEED = 0xadc83b19n;

/** MurmurHash64A over latin1 bytes, as Redis hashes HLL elements (little-endian reads). */
function murmur64(element: string): bigint {
  const length = element.length;
  let h = (MURMUR_SEED ^ ((BigInt(length) * MURMUR_M) & MASK_64)) & MASK_64;
  const whole = length - (length & 7);
  for (let at = 0; at < whole; at += 8) {
    let k = 0n;
    for (let i = 7; i >= 0; i--) k = (k << 8n) | BigInt(element.charCodeAt(at + i));
    k = (k * MURMUR_M) & MASK_64;
    k ^= k >> 47n;
    k = (k * MURMUR_M) & MASK_64;
    h ^= k;
    h = (h * MURMUR_M) & MASK_64;
  }
  const rest = length & 7;
  if (rest !== 0) {
    for (let i = rest - 1; i >= 0; i--) {
      h ^= BigInt(element.charCodeAt(whole + i)) << BigInt(8 * i);
    }
    h = (h * MURMUR_M) & MASK_64;
  }
  h ^= h >> 47n;
  h = (h * MURMUR_M) & MASK_64;
  h ^= h >> 47n;
  return h;
}

/** The register an element lands in and its count: 1 + the zeros before the first 1 bit. */
export function patternOf(element: string): { index: number; count: number } {
  let hash = murmur64(element);
  const index = Number(hash & BigInt(REGISTERS - 1));
  hash = (hash >> BigInt(P)) | (1n << BigInt(Q));
  let count = 1;
  while ((hash & 1n) === 0n) {
    count++;
    hash >>= 1n;
  }
  return { index, count };
}

/** A new HLL: sparse, every register zero. */
export function emptyHll(): Uint8Array {
  const bytes = new Uint8Array(HEADER + 2);
  bytes.set(MAGIC, 0);
  bytes[4] = SPARSE;
  // One XZERO opcode covers every register: its longest run is exactly all of them.
  writeXzero(bytes, HEADER, SPARSE_XZERO_MAX_LEN);
  return bytes;
}

/** Bytes as Redis sees them: a latin1 string value read in place, or a byte array. */
type HllBytes = string | Uint8Array;

function byteAt(value: HllBytes, at: number): number {
  return typeof value === 'string' ? value.charCodeAt(at) : value[at];
}

/** Whether a string value is an HLL Redis would accept (it does not check sparse opcodes). */
export function isHll(value: HllBytes): boolean {
  if (value.length < HEADER) return false;
  for (let i = 0; i < 4; i++) if (byteAt(value, i) !== MAGIC[i]) return false;
  const encoding = byteAt(value, 4);
  if (encoding > SPARSE) return false;
  return encoding !== DENSE || value.length === DENSE_SIZE;
}

export function isDense(value: HllBytes): boolean {
  return byteAt(value, 4) === DENSE;
}

/** The cardinality cached in an HLL's header, or null when it is stale. */
export function cachedCardinality(value: HllBytes): number | null {
  if ((byteAt(value, 15) & 0x80) !== 0) return null;
  let cardinality = 0;
  for (let i = 15; i >= 8; i--) cardinality = cardinality * 256 + byteAt(value, i);
  return cardinality;
}

function writeXzero(bytes: Uint8Array, at: number, length: number): void {
  bytes[at] = ((length - 1) >> 8) | 0x40;
  bytes[at + 1] = (length - 1) & 0xff;
}

export function denseGet(bytes: Uint8Array, index: number): number {
  const bit = index * 6;
  const at = HEADER + (bit >> 3);
  const high = at + 1 < bytes.length ? bytes[at + 1] : 0;
  return joinRegister(bytes[at], high, bit & 7);
}

/** The 6-bit register starting `shift` bits into `low`, continued in `high`. */
function joinRegister(low: number, high: number, shift: number): number {
  return ((low >> shift) | (high << (8 - shift))) & REGISTER_MAX;
}

/**
 * Whether adding every element leaves a dense HLL held as a latin1 string unchanged, read
 * without converting the string (PFADD of elements already counted, the common case once an
 * HLL has grown dense).
 */
export function denseStringUnchangedBy(value: string, elements: readonly string[]): boolean {
  for (const element of elements) {
    const { index, count } = patternOf(element);
    const bit = index * 6;
    const at = HEADER + (bit >> 3);
    const high = at + 1 < value.length ? value.charCodeAt(at + 1) : 0;
    if (joinRegister(value.charCodeAt(at), high, bit & 7) < count) return false;
  }
  return true;
}

export function denseSet(bytes: Uint8Array, index: number, value: number): void {
  const bit = index * 6;
  const at = HEADER + (bit >> 3);
  const shift = bit & 7;
  bytes[at] = (bytes[at] & ~(REGISTER_MAX << shift)) | (value << shift);
  if (at + 1 < bytes.length) {
    bytes[at + 1] = (bytes[at + 1] & ~(REGISTER_MAX >> (8 - shift))) | (value >> (8 - shift));
  }
}

/** One sparse opcode at `at`: registers it covers, their value, and its size in bytes. */
function opcodeAt(bytes: Uint8Array, at: number): { span: number; value: number; size: number } {
  const byte = bytes[at];
  if ((byte & 0xc0) === 0) return { span: (byte & 0x3f) + 1, value: 0, size: 1 };
  if ((byte & 0xc0) === 0x40) {
    return { span: (((byte & 0x3f) << 8) | bytes[at + 1]) + 1, value: 0, size: 2 };
  }
  return { span: (byte & 0x3) + 1, value: ((byte >> 2) & 0x1f) + 1, size: 1 };
}

function valOpcode(value: number, length: number): number {
  return 0x80 | ((value - 1) << 2) | (length - 1);
}

/**
 * An HLL value being read or changed. Changes happen in `bytes`, which a sparse update may
 * replace with a longer or a dense copy.
 */
export class Hll {
  constructor(
    public bytes: Uint8Array,
    /** hll-sparse-max-bytes: a sparse form longer than this turns dense. */
    private readonly sparseMaxBytes: number,
  ) {}

  get isDense(): boolean {
    return isDense(this.bytes);
  }

  /** Adds an element: 1 when a register grew, 0 when none did, -1 for a corrupt sparse form. */
  add(element: string): 1 | 0 | -1 {
    const { index, count } = patternOf(element);
    return this.set(index, count);
  }

  /** Raises register `index` to `count` if lower: 1 when it did, 0 if not, -1 if corrupt. */
  set(index: number, count: number): 1 | 0 | -1 {
    if (this.isDense) {
      if (denseGet(this.bytes, index) >= count) return 0;
      denseSet(this.bytes, index, count);
      return 1;
    }
    return this.sparseSet(index, count);
  }

  /** Rewrites a sparse form as dense; false (and no change) when the sparse form is corrupt. */
  toDense(): boolean {
    if (this.isDense) return true;
    // Read as PFMERGE reads it (same checks), then written out 6 bits a register.
    const registers = new Uint8Array(REGISTERS);
    if (!this.mergeInto(registers)) return false;
    const dense = new Uint8Array(DENSE_SIZE);
    dense.set(this.bytes.subarray(0, HEADER));
    dense[4] = DENSE;
    for (let i = 0; i < REGISTERS; i++) if (registers[i] !== 0) denseSet(dense, i, registers[i]);
    this.bytes = dense;
    return true;
  }

  private sparseSet(index: number, count: number): 1 | 0 | -1 {
    if (count > SPARSE_VAL_MAX_VALUE) return this.promote(index, count);
    const bytes = this.bytes;
    const end = bytes.length;
    // Find the opcode covering `index`, and the one before it.
    let at = HEADER;
    let first = 0;
    let previous = -1;
    let opcode = { span: 0, value: 0, size: 1 };
    while (at < end) {
      opcode = opcodeAt(bytes, at);
      if (index <= first + opcode.span - 1) break;
      previous = at;
      at += opcode.size;
      first += opcode.span;
    }
    if (opcode.span === 0 || at >= end) return -1;
    const isVal = (bytes[at] & 0x80) !== 0;
    const isXzero = !isVal && (bytes[at] & 0xc0) === 0x40;
    let updated: Uint8Array;
    if (isVal && opcode.value >= count) return 0;
    if ((isVal || !isXzero) && opcode.span === 1) {
      updated = bytes;
      updated[at] = valOpcode(count, 1);
    } else {
      // Split the opcode around `index`: at most XZERO, VAL, XZERO (5 bytes).
      const sequence: number[] = [];
      const last = first + opcode.span - 1;
      const run = (length: number) => {
        if (isVal) sequence.push(valOpcode(opcode.value, length));
        else if (length > SPARSE_ZERO_MAX_LEN) {
          sequence.push(((length - 1) >> 8) | 0x40, (length - 1) & 0xff);
        } else sequence.push(length - 1);
      };
      if (index !== first) run(index - first);
      sequence.push(valOpcode(count, 1));
      if (index !== last) run(last - index);
      const growth = sequence.length - opcode.size;
      if (growth > 0 && end + growth > this.sparseMaxBytes) return this.promote(index, count);
      updated = new Uint8Array(end + growth);
      updated.set(bytes.subarray(0, at));
      updated.set(sequence, at);
      updated.set(bytes.subarray(at + opcode.size), at + sequence.length);
    }
    this.bytes = mergeAdjacentVals(updated, previous === -1 ? HEADER : previous);
    invalidateCache(this.bytes);
    return 1;
  }

  /** A register needs more than the sparse form holds: go dense, then set it there. */
  private promote(index: number, count: number): 1 | -1 {
    if (!this.toDense()) return -1;
    denseSet(this.bytes, index, count);
    return 1;
  }

  /** Folds the registers into `max` (max[i] = the larger); false for a corrupt sparse form. */
  mergeInto(max: Uint8Array): boolean {
    const bytes = this.bytes;
    if (this.isDense) {
      for (let i = 0; i < REGISTERS; i++) {
        const value = denseGet(bytes, i);
        if (value > max[i]) max[i] = value;
      }
      return true;
    }
    let index = 0;
    for (let at = HEADER; at < bytes.length;) {
      const { span, value, size } = opcodeAt(bytes, at);
      if (value !== 0) {
        if (index + span > REGISTERS) break;
        for (let i = index; i < index + span; i++) if (value > max[i]) max[i] = value;
      }
      index += span;
      at += size;
    }
    return index === REGISTERS;
  }

  /** PFDEBUG DECODE's listing of a sparse form: "Z:16384", "z:3", "v:2,1" (value, run). */
  decode(): string {
    const parts: string[] = [];
    for (let at = HEADER; at < this.bytes.length;) {
      const { span, value, size } = opcodeAt(this.bytes, at);
      parts.push(value !== 0 ? `v:${value},${span}` : `${size === 2 ? 'Z' : 'z'}:${span}`);
      at += size;
    }
    return parts.join(' ');
  }

  /** The cached cardinality, or null when it is stale. */
  get cachedCardinality(): number | null {
    return cachedCardinality(this.bytes);
  }

  set cachedCardinality(value: number) {
    let rest = value;
    for (let i = 8; i < 16; i++) {
      this.bytes[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }

  invalidateCache(): void {
    invalidateCache(this.bytes);
  }

  /** The estimated cardinality, or null when the sparse form is corrupt. */
  estimate(): number | null {
    const histogram = new Array<number>(64).fill(0);
    const bytes = this.bytes;
    if (this.isDense) {
      for (let i = 0; i < REGISTERS; i++) histogram[denseGet(bytes, i)]++;
    } else {
      let index = 0;
      for (let at = HEADER; at < bytes.length;) {
        const { span, value, size } = opcodeAt(bytes, at);
        histogram[value] += span;
        index += span;
        at += size;
      }
      if (index !== REGISTERS) return null;
    }
    return estimateFromHistogram(histogram);
  }
}

/** The estimate for registers given one per byte (PFCOUNT of several keys). */
export function estimateRegisters(registers: Uint8Array): number {
  const histogram = new Array<number>(64).fill(0);
  for (let i = 0; i < REGISTERS; i++) histogram[registers[i]]++;
  return estimateFromHistogram(histogram);
}

function invalidateCache(bytes: Uint8Array): void {
  bytes[15] |= 0x80;
}

/**
 * After a sparse update, adjacent VAL opcodes of the same value merge while their run fits one
 * opcode, looking at most five opcodes from `from` (the opcode before the one updated).
 */
function mergeAdjacentVals(input: Uint8Array, from: number): Uint8Array {
  let bytes = input;
  let at = from;
  for (let scans = 5; at < bytes.length && scans > 0; scans--) {
    const byte = bytes[at];
    if ((byte & 0xc0) === 0x40) {
      at += 2;
      continue;
    }
    if ((byte & 0x80) === 0) {
      at++;
      continue;
    }
    const next = bytes[at + 1];
    if (at + 1 < bytes.length && (next & 0x80) !== 0) {
      const value = ((byte >> 2) & 0x1f) + 1;
      const length = (byte & 0x3) + (next & 0x3) + 2;
      if (value === ((next >> 2) & 0x1f) + 1 && length <= SPARSE_VAL_MAX_LEN) {
        const merged = new Uint8Array(bytes.length - 1);
        merged.set(bytes.subarray(0, at));
        merged[at] = valOpcode(value, length);
        merged.set(bytes.subarray(at + 2), at + 1);
        bytes = merged;
        // Stay here: the merged opcode may merge with the next one too.
        continue;
      }
    }
    at++;
  }
  return bytes;
}

/** Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches"). */
function estimateFromHistogram(histogram: number[]): number {
  const m = REGISTERS;
  let z = m * tau((m - histogram[Q + 1]) / m);
  for (let j = Q; j >= 1; j--) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * sigma(histogram[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (previous !== z);
  return z / 3;
}
