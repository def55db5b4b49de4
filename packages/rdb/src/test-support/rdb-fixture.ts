/**
 * Builds RDB bytes by hand for tests, from the format as documented in Redis's rdb.h, rdb.c,
 * listpack.c, ziplist.c, intset.c and zipmap.c. Deliberately independent of the package's own
 * encoders, so a symmetric mistake in reader and writer cannot hide.
 */
import { crc64 } from '../crc64.js';

const latin1 = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

function lengthBytes(length: number | bigint): number[] {
  const n = BigInt(length);
  if (n < 64n) return [Number(n)];
  if (n < 16384n) return [0x40 | Number(n >> 8n), Number(n & 255n)];
  if (n <= 0xffffffffn) return [0x80, ...beBytes(n, 4)];
  return [0x81, ...beBytes(n, 8)];
}

function beBytes(value: bigint, width: number): number[] {
  return Array.from({ length: width }, (_, i) =>
    Number((value >> BigInt(8 * (width - 1 - i))) & 255n),
  );
}

function leBytes(value: bigint | number, width: number): number[] {
  const v = BigInt.asUintN(width * 8, BigInt(value));
  return Array.from({ length: width }, (_, i) => Number((v >> BigInt(8 * i)) & 255n));
}

export class RdbFixture {
  readonly bytes: number[] = [];

  constructor(version?: number) {
    if (version !== undefined)
      this.bytes.push(...latin1(`REDIS${String(version).padStart(4, '0')}`));
  }

  raw(...bytes: Array<number | number[] | Uint8Array>): this {
    for (const b of bytes) {
      if (typeof b === 'number') this.bytes.push(b);
      else this.bytes.push(...b);
    }
    return this;
  }

  length(n: number | bigint): this {
    return this.raw(lengthBytes(n));
  }

  /** A plain (length-prefixed) string. */
  string(text: string | Uint8Array): this {
    const bytes = typeof text === 'string' ? latin1(text) : [...text];
    return this.raw(lengthBytes(bytes.length), bytes);
  }

  /** An int-encoded string: 0xC0 int8, 0xC1 int16 LE, 0xC2 int32 LE. */
  intString(value: number, width: 1 | 2 | 4): this {
    return this.raw(0xc0 | (width === 1 ? 0 : width === 2 ? 1 : 2), leBytes(value, width));
  }

  /** An LZF string: 0xC3, compressed length, original length, data. */
  lzfString(compressed: number[], originalLength: number): this {
    return this.raw(0xc3, lengthBytes(compressed.length), lengthBytes(originalLength), compressed);
  }

  le(value: bigint | number, width: number): this {
    return this.raw(leBytes(value, width));
  }

  aux(name: string, value: string): this {
    return this.raw(0xfa).string(name).string(value);
  }

  selectDb(db: number): this {
    return this.raw(0xfe).length(db);
  }

  resizeDb(size: number, expires: number): this {
    return this.raw(0xfb).length(size).length(expires);
  }

  expireMs(ms: number): this {
    return this.raw(0xfc).le(ms, 8);
  }

  expireSeconds(seconds: number): this {
    return this.raw(0xfd).le(seconds, 4);
  }

  /** EOF, then a CRC64 ('crc'), eight zero bytes ('zero') or nothing (RDB < 5: 'none'). */
  end(checksum: 'crc' | 'zero' | 'none' = 'crc'): Buffer {
    this.bytes.push(0xff);
    if (checksum === 'zero') this.bytes.push(0, 0, 0, 0, 0, 0, 0, 0);
    if (checksum === 'crc') this.bytes.push(...leBytes(crc64(0, Buffer.from(this.bytes)), 8));
    return Buffer.from(this.bytes);
  }

  build(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/**
 * A listpack element's backlen: its size in 7-bit groups, most significant first, every group
 * after the first with the high bit set. Widths switch at 127, 16383, 2097151, 268435455.
 */
function backlen(size: number): number[] {
  const width = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
  return Array.from({ length: width }, (_, i) => {
    const group = Math.floor(size / 2 ** (7 * (width - 1 - i))) & 127;
    return i === 0 ? group : group | 128;
  });
}

export type LpElement =
  | string
  | number
  | bigint
  | { int13: number }
  | { int16: number }
  | { int24: number }
  | { int32: number }
  | { int64: bigint }
  | { str12: string }
  | { str32: string };

/** A listpack; plain numbers pick the smallest integer encoding, objects force one. */
export function listpack(elements: LpElement[], declaredCount = elements.length): number[] {
  const body: number[] = [];
  for (const element of elements) {
    let entry: number[];
    if (typeof element === 'string') {
      if (element.length >= 64) throw new Error('use str12/str32 for long strings');
      entry = [0x80 | element.length, ...latin1(element)];
    } else if (typeof element === 'number' || typeof element === 'bigint') {
      const v = Number(element);
      if (v >= 0 && v <= 127) entry = [v];
      else if (v >= -4096 && v <= 4095)
        entry = [0xc0 | (((v + 8192) % 8192) >> 8), ((v + 8192) % 8192) & 255];
      else if (v >= -32768 && v <= 32767) entry = [0xf1, ...leBytes(v, 2)];
      else if (v >= -8388608 && v <= 8388607) entry = [0xf2, ...leBytes(v, 3)];
      else if (v >= -2147483648 && v <= 2147483647) entry = [0xf3, ...leBytes(v, 4)];
      else entry = [0xf4, ...leBytes(BigInt(element), 8)];
    } else if ('int13' in element) {
      const u = (element.int13 + 8192) % 8192;
      entry = [0xc0 | (u >> 8), u & 255];
    } else if ('int16' in element) entry = [0xf1, ...leBytes(element.int16, 2)];
    else if ('int24' in element) entry = [0xf2, ...leBytes(element.int24, 3)];
    else if ('int32' in element) entry = [0xf3, ...leBytes(element.int32, 4)];
    else if ('int64' in element) entry = [0xf4, ...leBytes(element.int64, 8)];
    else if ('str12' in element) {
      const n = element.str12.length;
      entry = [0xe0 | (n >> 8), n & 255, ...latin1(element.str12)];
    } else {
      entry = [0xf0, ...leBytes(element.str32.length, 4), ...latin1(element.str32)];
    }
    body.push(...entry, ...backlen(entry.length));
  }
  const total = 6 + body.length + 1;
  return [...leBytes(total, 4), ...leBytes(Math.min(declaredCount, 65535), 2), ...body, 0xff];
}

export type ZlElement =
  | string
  | number
  | { int16: number }
  | { int24: number }
  | { int32: number }
  | { int64: bigint }
  | { int8: number };

/** A ziplist; small numbers 0-12 use the immediate encoding. */
export function ziplist(elements: ZlElement[]): number[] {
  const entries: number[][] = [];
  let previous = 0;
  for (const element of elements) {
    const prevlen = previous < 254 ? [previous] : [0xfe, ...leBytes(previous, 4)];
    let encoding: number[];
    if (typeof element === 'string') {
      const n = element.length;
      const header =
        n < 64 ? [n] : n < 16384 ? [0x40 | (n >> 8), n & 255] : [0x80, ...beBytes(BigInt(n), 4)];
      encoding = [...header, ...latin1(element)];
    } else if (typeof element === 'number') {
      if (element < 0 || element > 12) throw new Error('use an explicit width');
      encoding = [0xf1 + element];
    } else if ('int8' in element) encoding = [0xfe, ...leBytes(element.int8, 1)];
    else if ('int16' in element) encoding = [0xc0, ...leBytes(element.int16, 2)];
    else if ('int24' in element) encoding = [0xf0, ...leBytes(element.int24, 3)];
    else if ('int32' in element) encoding = [0xd0, ...leBytes(element.int32, 4)];
    else encoding = [0xe0, ...leBytes(element.int64, 8)];
    const entry = [...prevlen, ...encoding];
    entries.push(entry);
    previous = entry.length;
  }
  const body = entries.flat();
  const tail = 10 + body.length - (entries.at(-1)?.length ?? 0);
  return [
    ...leBytes(10 + body.length + 1, 4),
    ...leBytes(tail, 4),
    ...leBytes(elements.length, 2),
    ...body,
    0xff,
  ];
}

export function intset(width: 2 | 4 | 8, values: Array<number | bigint>): number[] {
  return [
    ...leBytes(width, 4),
    ...leBytes(values.length, 4),
    ...values.flatMap((v) => leBytes(v, width)),
  ];
}

/** A zipmap; `free` adds unused bytes after a value (as after an in-place shrink). */
export function zipmap(pairs: Array<[string, string, number?]>): number[] {
  const len = (n: number): number[] => (n < 254 ? [n] : [254, ...leBytes(n, 4)]);
  const body = pairs.flatMap(([field, value, free = 0]) => [
    ...len(field.length),
    ...latin1(field),
    ...len(value.length),
    free,
    ...latin1(value),
    ...new Array<number>(free).fill(0x55),
  ]);
  return [Math.min(pairs.length, 254), ...body, 0xff];
}

/** A 16-byte big-endian stream ID, as node keys and PEL entries store it. */
export function rawStreamId(ms: bigint, seq: bigint): number[] {
  return [...beBytes(ms, 8), ...beBytes(seq, 8)];
}
