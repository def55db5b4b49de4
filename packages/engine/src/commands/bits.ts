import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { WRONG_TYPE, lookupString } from '../typed-lookup.js';
import { checkStringLength, integerArgument, isKeyword, parseBitOffset } from '../arguments.js';
import { storeResult } from '../store-result.js';

function bitOffsetArgument(client: Client, engine: Engine, text: string): number | null {
  const offset = parseBitOffset(text, engine);
  if (offset === null) client.out.error(Errors.bitOffset);
  return offset;
}

// Offsets go up to 2^32 - 1: shifts would wrap them at 2^31, so bytes are found by division.
function bitAt(value: string, offset: number): number {
  const byte = Math.floor(offset / 8);
  if (byte >= value.length) return 0;
  return (value.charCodeAt(byte) >> (7 - (offset % 8))) & 1;
}

export function setbit(client: Client, argv: string[], engine: Engine): void {
  const offset = bitOffsetArgument(client, engine, argv[2]);
  if (offset === null) return;
  if (argv[3] !== '0' && argv[3] !== '1') {
    client.out.error(Errors.bitValue);
    return;
  }
  const current = lookupString(client, argv[1]);
  if (current === WRONG_TYPE) return;
  const byte = Math.floor(offset / 8);
  if (!checkStringLength(client, engine, byte + 1)) return;
  const bytes = Buffer.alloc(Math.max(current?.length ?? 0, byte + 1));
  if (current !== undefined) bytes.write(current, 0, 'latin1');
  const mask = 1 << (7 - (offset % 8));
  const old = bytes[byte] & mask ? 1 : 0;
  const bit = argv[3] === '1' ? 1 : 0;
  // As Redis: rewriting a bit with its own value in place is not a change (nor propagated).
  if (current === undefined || bytes.length > current.length || old !== bit) {
    bytes[byte] = bit === 1 ? bytes[byte] | mask : bytes[byte] & ~mask;
    client.db.set(argv[1], bytes.toString('latin1'), true);
    engine.notify(client.db, EventClass.string, 'setbit', argv[1]);
  }
  // Created or not, changed or not, the string is a raw one now (lookupStringForBitCommand).
  client.db.stringWritten(argv[1], 'raw');
  client.out.integer(old);
}

export function getbit(client: Client, argv: string[], engine: Engine): void {
  const offset = bitOffsetArgument(client, engine, argv[2]);
  if (offset === null) return;
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  client.out.integer(value === undefined ? 0 : bitAt(value, offset));
}

/**
 * Resolves BITCOUNT/BITPOS ranges like Redis: negative indexes from the end, clamped to the
 * string, in bytes or (with BIT) in bits. Returns [firstBit, lastBit] or null when empty.
 */
function bitRange(
  start: number,
  end: number,
  totalUnits: number,
  unitBits: number,
): [number, number] | null {
  if (start < 0) start = Math.max(0, totalUnits + start);
  if (end < 0) end = Math.max(0, totalUnits + end);
  if (end >= totalUnits) end = totalUnits - 1;
  if (start > end || totalUnits === 0) return null;
  return [start * unitBits, end * unitBits + unitBits - 1];
}

/** Parses the optional "start end [BYTE|BIT]" tail; unit bits, or null after an error. */
function rangeUnit(client: Client, text: string | undefined): number | null {
  if (text === undefined || isKeyword(text, 'byte')) return 8;
  if (isKeyword(text, 'bit')) return 1;
  client.out.error(Errors.syntax);
  return null;
}

/** BITCOUNT key [start end [BYTE|BIT]]: checks in Redis's order (a missing key answers 0 first). */
export function bitcount(client: Client, argv: string[]): void {
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  if (value === undefined) {
    client.out.integer(0);
    return;
  }
  let first = 0;
  let last = value.length * 8 - 1;
  if (argv.length === 4 || argv.length === 5) {
    const start = integerArgument(client, argv[2]);
    if (start === null) return;
    const end = integerArgument(client, argv[3]);
    if (end === null) return;
    // Both from the end and crossed: empty, before the unit is even read.
    if (start < 0 && end < 0 && start > end) {
      client.out.integer(0);
      return;
    }
    const unit = rangeUnit(client, argv[4]);
    if (unit === null) return;
    const range = bitRange(start, end, unit === 8 ? value.length : value.length * 8, unit);
    if (range === null) {
      client.out.integer(0);
      return;
    }
    [first, last] = range;
  } else if (argv.length !== 2) {
    client.out.error(Errors.syntax);
    return;
  }
  let count = 0;
  for (let bit = first; bit <= last; bit++) count += bitAt(value, bit);
  client.out.integer(count);
}

/** BITPOS key bit [start [end [BYTE|BIT]]]: checks in Redis's order. */
export function bitpos(client: Client, argv: string[]): void {
  const bit = integerArgument(client, argv[2]);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) {
    client.out.error('ERR The bit argument must be 1 or 0.');
    return;
  }
  // A missing key is an endless run of zeros.
  const value = lookupString(client, argv[1]);
  if (value === WRONG_TYPE) return;
  if (value === undefined) {
    client.out.integer(bit === 1 ? -1 : 0);
    return;
  }
  if (argv.length > 6) {
    client.out.error(Errors.syntax);
    return;
  }
  let start = 0;
  let end = -1;
  const endGiven = argv.length >= 5;
  if (argv.length >= 4) {
    const parsed = integerArgument(client, argv[3]);
    if (parsed === null) return;
    start = parsed;
  }
  const unit = rangeUnit(client, argv[5]);
  if (unit === null) return;
  if (endGiven) {
    const parsed = integerArgument(client, argv[4]);
    if (parsed === null) return;
    end = parsed;
  }
  const range = bitRange(start, end, unit === 8 ? value.length : value.length * 8, unit);
  if (range === null) {
    client.out.integer(-1);
    return;
  }
  for (let at = range[0]; at <= range[1]; at++) {
    if (bitAt(value, at) === bit) {
      client.out.integer(at);
      return;
    }
  }
  // Looking for a clear bit with no explicit end: the string is as if padded with zeros.
  client.out.integer(bit === 0 && !endGiven ? range[1] + 1 : -1);
}

const BITOP_OPERATIONS = ['and', 'or', 'xor', 'not'] as const;
type BitOperation = (typeof BITOP_OPERATIONS)[number];

/**
 * BITOP AND|OR|XOR|NOT destkey key [key ...]: the result is as long as the longest source,
 * missing keys and bytes counting as zero; an empty result deletes the destination.
 */
export function bitop(client: Client, argv: string[], engine: Engine): void {
  const operation = BITOP_OPERATIONS.find((name) => isKeyword(argv[1], name));
  if (operation === undefined) {
    client.out.error(Errors.syntax);
    return;
  }
  if (operation === 'not' && argv.length !== 4) {
    client.out.error('ERR BITOP NOT must be called with a single source key.');
    return;
  }
  const sources: string[] = [];
  for (const key of argv.slice(3)) {
    const value = engine.readingKeys(() => lookupString(client, key));
    if (value === WRONG_TYPE) return;
    sources.push(value ?? '');
  }
  const length = Math.max(...sources.map((source) => source.length));
  const result = length === 0 ? null : combine(operation, sources, length).toString('latin1');
  storeResult(client, engine, argv[2], result, EventClass.string, 'set');
  if (result !== null) client.db.stringWritten(argv[2], 'raw');
  client.out.integer(length);
}

function combine(operation: BitOperation, sources: readonly string[], length: number): Buffer {
  const inputs = sources.map((source) => Buffer.from(source, 'latin1'));
  const result = Buffer.alloc(length);
  if (operation === 'not') {
    for (let i = 0; i < length; i++) result[i] = ~inputs[0][i] & 0xff;
    return result;
  }
  for (let i = 0; i < length; i++) {
    // Past a source's end its bytes count as zero.
    let byte = i < inputs[0].length ? inputs[0][i] : 0;
    for (let j = 1; j < inputs.length; j++) {
      const other = i < inputs[j].length ? inputs[j][i] : 0;
      if (operation === 'and') byte &= other;
      else if (operation === 'or') byte |= other;
      else byte ^= other;
    }
    result[i] = byte;
  }
  return result;
}
