import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { parseInteger } from '../numbers.js';
import { WRONG_TYPE, lookupString } from '../typed-lookup.js';
import { checkStringLength, isKeyword, parseBitOffset } from '../arguments.js';

type Overflow = 'wrap' | 'sat' | 'fail';

interface FieldOperation {
  readonly kind: 'get' | 'set' | 'incrby';
  readonly signed: boolean;
  readonly bits: number;
  /** Offset of the field's first (most significant) bit. */
  readonly offset: number;
  /** SET's value or INCRBY's increment. */
  readonly value: bigint;
  readonly overflow: Overflow;
}

const TYPE_ERROR =
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** i1..i64 or u1..u63. */
function fieldType(text: string): { signed: boolean; bits: number } | null {
  const signed = text[0] === 'i';
  if (!signed && text[0] !== 'u') return null;
  const bits = parseInteger(text.slice(1));
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) return null;
  return { signed, bits: Number(bits) };
}

function readField(bytes: Uint8Array, offset: number, bits: number, signed: boolean): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i++) {
    // Offsets go up to 2^32 - 1, past what shifts keep: bytes are found by division.
    const at = offset + i;
    const index = Math.floor(at / 8);
    const byte = index < bytes.length ? bytes[index] : 0;
    value = (value << 1n) | BigInt((byte >> (7 - (at % 8))) & 1);
  }
  return signed ? BigInt.asIntN(bits, value) : value;
}

function writeField(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const unsigned = BigInt.asUintN(bits, value);
  for (let i = 0; i < bits; i++) {
    const at = offset + i;
    const bit = Number((unsigned >> BigInt(bits - 1 - i)) & 1n);
    const index = Math.floor(at / 8);
    const mask = 1 << (7 - (at % 8));
    bytes[index] = bit ? bytes[index] | mask : bytes[index] & ~mask;
  }
}

/**
 * `current + increment` in the field's range: the sum itself, or on overflow the wrapped or
 * saturated value, or null for FAIL (as Redis's check*BitfieldOverflow).
 */
function addInField(
  current: bigint,
  increment: bigint,
  bits: number,
  signed: boolean,
  overflow: Overflow,
): bigint | null {
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const sum = current + increment;
  if (sum >= min && sum <= max) return sum;
  if (overflow === 'fail') return null;
  if (overflow === 'sat') return sum > max ? max : min;
  return signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum);
}

/** Parses the subcommands; null after replying the first error, as Redis stops there. */
function parseOperations(client: Client, argv: string[], engine: Engine): FieldOperation[] | null {
  const operations: FieldOperation[] = [];
  let overflow: Overflow = 'wrap';
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    const word = argv[i];
    let kind: FieldOperation['kind'];
    if (isKeyword(word, 'get') && remaining >= 2) kind = 'get';
    else if (isKeyword(word, 'set') && remaining >= 3) kind = 'set';
    else if (isKeyword(word, 'incrby') && remaining >= 3) kind = 'incrby';
    else if (isKeyword(word, 'overflow') && remaining >= 1) {
      const name = argv[++i].toLowerCase();
      if (name !== 'wrap' && name !== 'sat' && name !== 'fail') {
        client.out.error('ERR Invalid OVERFLOW type specified');
        return null;
      }
      overflow = name;
      continue;
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
    const type = fieldType(argv[i + 1]);
    if (type === null) {
      client.out.error(TYPE_ERROR);
      return null;
    }
    const offset = parseBitOffset(argv[i + 2], engine, type.bits);
    if (offset === null) {
      client.out.error(Errors.bitOffset);
      return null;
    }
    let value = 0n;
    if (kind !== 'get') {
      const parsed = parseInteger(argv[i + 3]);
      if (parsed === null) {
        client.out.error(Errors.notInteger);
        return null;
      }
      value = BigInt(parsed);
    }
    operations.push({ kind, ...type, offset, value, overflow });
    i += kind === 'get' ? 2 : 3;
  }
  return operations;
}

function bitfieldGeneric(client: Client, argv: string[], engine: Engine, readOnly: boolean): void {
  const operations = parseOperations(client, argv, engine);
  if (operations === null) return;
  const key = argv[1];
  const writes = operations.filter((operation) => operation.kind !== 'get');
  if (writes.length !== 0 && readOnly) {
    client.out.error('ERR BITFIELD_RO only supports the GET subcommand');
    return;
  }
  // Without writes, Redis reads the key as a read command would: a keyspace hit or miss.
  const current =
    writes.length === 0
      ? engine.readingKeys(() => lookupString(client, key))
      : lookupString(client, key);
  if (current === WRONG_TYPE) return;
  let bytes: Uint8Array = Buffer.from(current ?? '', 'latin1');
  // Writes first grow the string to the farthest bit they touch.
  const needed = Math.max(
    0,
    ...writes.map(({ offset, bits }) => Math.floor((offset + bits - 1) / 8) + 1),
  );
  if (!checkStringLength(client, engine, needed)) return;
  const grown = writes.length !== 0 && (current === undefined || needed > bytes.length);
  if (grown) {
    const larger = new Uint8Array(Math.max(needed, bytes.length));
    larger.set(bytes);
    bytes = larger;
  }
  const out = client.out;
  out.array(operations.length);
  let changes = 0;
  for (const operation of operations) {
    const { kind, offset, bits, signed } = operation;
    const old = readField(bytes, offset, bits, signed);
    if (kind === 'get') {
      out.integer(old);
      continue;
    }
    // SET's value goes in as Redis reads it: for an unsigned field, a negative value is a
    // huge one (two's complement), so it saturates high.
    const next =
      kind === 'incrby'
        ? addInField(old, operation.value, bits, signed, operation.overflow)
        : addInField(
            signed ? operation.value : BigInt.asUintN(64, operation.value),
            0n,
            bits,
            signed,
            operation.overflow,
          );
    if (next === null) {
      out.nullBulk();
      continue;
    }
    out.integer(kind === 'incrby' ? next : old);
    writeField(bytes, offset, bits, next);
    if (grown || next !== old) changes++;
  }
  // A new or grown string exists even when every write failed, as in Redis.
  if (changes !== 0 || grown) {
    client.db.set(key, Buffer.from(bytes).toString('latin1'), true);
  }
  // Writes make the string a raw one, whatever they changed (lookupStringForBitCommand).
  if (writes.length !== 0) client.db.stringWritten(key, 'raw');
  if (changes !== 0) engine.notify(client.db, EventClass.string, 'setbit', key);
  if (writes.length !== 0) engine.countChanges(changes);
}

export function bitfield(client: Client, argv: string[], engine: Engine): void {
  bitfieldGeneric(client, argv, engine, false);
}

export function bitfield_ro(client: Client, argv: string[], engine: Engine): void {
  bitfieldGeneric(client, argv, engine, true);
}
