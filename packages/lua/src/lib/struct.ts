import { argumentError, LuaError } from '../error.js';
import { isDigitAt, parseNumber } from '../number.js';
import type { LuaTable } from '../table.js';
import type { LuaValue } from '../value.js';
import { checkNumber, checkString, libraryTable, optInteger } from './arguments.js';

/*
 * The `struct` library Redis bundles (Roberto Ierusalimschy's lua_struct, as built on x86-64:
 * little-endian, long and size_t of 8 bytes, int of 4, doubles aligned to 8): binary packing
 * of numbers and strings by a format of one letter per item.
 */

const MAX_INTEGER_SIZE = 32;
const MAX_ALIGNMENT = 8;
const INT_MAX = 2147483647;

/** The byte order and largest alignment a format has set so far. */
interface Header {
  littleEndian: boolean;
  alignment: number;
}

/** Reads the format one option at a time: the letter, then its size. */
class FormatReader {
  position = 0;
  readonly header: Header = { littleEndian: true, alignment: 1 };

  constructor(readonly format: string) {
    // The C library reads the format as a C string: a zero byte ends it.
    const zero = format.indexOf('\0');
    if (zero !== -1) this.format = format.slice(0, zero);
  }

  done(): boolean {
    return this.position >= this.format.length;
  }

  option(): string {
    return this.format[this.position++];
  }

  private number(fallback: number): number {
    if (!isDigitAt(this.format, this.position)) return fallback;
    let value = 0;
    do {
      const digit = this.format.charCodeAt(this.position) - 48;
      if (value > INT_MAX / 10 || value * 10 > INT_MAX - digit) {
        throw new LuaError('integral size overflow');
      }
      value = value * 10 + digit;
      this.position++;
    } while (isDigitAt(this.format, this.position));
    return value;
  }

  /** The size in bytes of option `option` (0 for those that take none: s, c0, controls). */
  size(option: string): number {
    switch (option) {
      case 'B':
      case 'b':
      case 'x':
        return 1;
      case 'H':
      case 'h':
        return 2;
      case 'L':
      case 'l':
      case 'T':
      case 'd':
        return 8;
      case 'f':
        return 4;
      case 'c':
        return this.number(1);
      case 'i':
      case 'I': {
        const size = this.number(4);
        if (size > MAX_INTEGER_SIZE) {
          throw new LuaError(`integral size ${size} is larger than limit of ${MAX_INTEGER_SIZE}`);
        }
        return size;
      }
      default:
        return 0;
    }
  }

  /** The padding that aligns an item of `size` bytes at offset `offset`. */
  padding(offset: number, option: string, size: number): number {
    if (size === 0 || option === 'c') return 0;
    if (size > this.header.alignment) size = this.header.alignment;
    return (size - (offset & (size - 1))) & (size - 1);
  }

  /** Spaces, byte order (< >) and alignment (!n); anything else is an invalid option. */
  control(option: string, functionName: string): void {
    switch (option) {
      case ' ':
        return;
      case '>':
        this.header.littleEndian = false;
        return;
      case '<':
        this.header.littleEndian = true;
        return;
      case '!': {
        const alignment = this.number(MAX_ALIGNMENT);
        if (alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
          throw new LuaError(`alignment ${alignment} is not a power of 2`);
        }
        this.header.alignment = alignment;
        return;
      }
      default:
        throw argumentError(1, functionName, `invalid format option '${option}'`);
    }
  }
}

const INTEGER_OPTIONS = 'bBhHlLTiI';
const TWO_64 = 18446744073709551616;

/** A double converted to the 64 bits C's casts give it (as unsigned long, via long if negative). */
function integerBits(n: number): bigint {
  if (n < 0)
    return BigInt.asUintN(64, BigInt(n >= -9223372036854775808 ? Math.trunc(n) : -(2 ** 63)));
  return n < TWO_64 ? BigInt(Math.trunc(n)) : 0n;
}

function packInteger(n: number, size: number, littleEndian: boolean): string {
  let value = integerBits(n);
  const bytes = new Array<string>(size);
  for (let i = 0; i < size; i++) {
    bytes[littleEndian ? i : size - 1 - i] = String.fromCharCode(Number(value & 0xffn));
    value >>= 8n;
  }
  return bytes.join('');
}

function unpackInteger(
  data: string,
  at: number,
  size: number,
  littleEndian: boolean,
  signed: boolean,
): number {
  let value = 0n;
  for (let i = 0; i < size; i++) {
    const byte = data.charCodeAt(littleEndian ? at + size - 1 - i : at + i);
    value = BigInt.asUintN(64, (value << 8n) | BigInt(byte));
  }
  if (!signed) return Number(value);
  // x86-64 shifts by the count modulo 64, which is what a 9+ byte size gets.
  const mask = BigInt.asUintN(64, ~0n << BigInt((size * 8 - 1) & 63));
  if ((value & mask) !== 0n) value |= mask;
  return Number(BigInt.asIntN(64, value));
}

const scratch = new DataView(new ArrayBuffer(8));

function packFloat(n: number, size: 4 | 8, littleEndian: boolean): string {
  if (size === 4) scratch.setFloat32(0, n, littleEndian);
  else scratch.setFloat64(0, n, littleEndian);
  let bytes = '';
  for (let i = 0; i < size; i++) bytes += String.fromCharCode(scratch.getUint8(i));
  return bytes;
}

function unpackFloat(data: string, at: number, size: 4 | 8, littleEndian: boolean): number {
  for (let i = 0; i < size; i++) scratch.setUint8(i, data.charCodeAt(at + i));
  return size === 4 ? scratch.getFloat32(0, littleEndian) : scratch.getFloat64(0, littleEndian);
}

function structPack(...given: LuaValue[]): LuaValue[] {
  // lua_struct pushes a nil mark after its arguments: a missing one right after them is nil.
  const reader = new FormatReader(checkString(given, 1, 'pack'));
  const args = [...given, undefined];
  const { header } = reader;
  let output = '';
  let argument = 2;
  while (!reader.done()) {
    const option = reader.option();
    let size = reader.size(option);
    output += '\0'.repeat(reader.padding(output.length, option, size));
    if (INTEGER_OPTIONS.includes(option)) {
      output += packInteger(checkNumber(args, argument++, 'pack'), size, header.littleEndian);
    } else if (option === 'x') {
      output += '\0';
    } else if (option === 'f' || option === 'd') {
      output += packFloat(
        checkNumber(args, argument++, 'pack'),
        size as 4 | 8,
        header.littleEndian,
      );
    } else if (option === 'c' || option === 's') {
      const text = checkString(args, argument++, 'pack');
      if (size === 0) size = text.length;
      // lua_struct names the argument after the string, one past it.
      if (text.length < size) throw argumentError(argument, 'pack', 'string too short');
      output += text.slice(0, size);
      if (option === 's') output += '\0';
    } else {
      reader.control(option, 'pack');
    }
  }
  return [output];
}

function structUnpack(...args: LuaValue[]): LuaValue[] {
  const reader = new FormatReader(checkString(args, 1, 'unpack'));
  const { header } = reader;
  const data = checkString(args, 2, 'unpack');
  const start = optInteger(args, 3, 'unpack', 1);
  if (start <= 0) throw argumentError(3, 'unpack', 'offset must be 1 or greater');
  const results: LuaValue[] = [];
  let position = start - 1;
  const checkRoom = (size: number) => {
    if (size > data.length || position > data.length - size) {
      throw argumentError(2, 'unpack', 'data string too short');
    }
  };
  while (!reader.done()) {
    const option = reader.option();
    let size = reader.size(option);
    position += reader.padding(position, option, size);
    checkRoom(size);
    if (INTEGER_OPTIONS.includes(option)) {
      const signed = option === option.toLowerCase();
      results.push(unpackInteger(data, position, size, header.littleEndian, signed));
    } else if (option === 'f' || option === 'd') {
      results.push(unpackFloat(data, position, size as 4 | 8, header.littleEndian));
    } else if (option === 'c') {
      if (size === 0) {
        // c0 takes its length from the number unpacked just before.
        const previous = results.pop();
        const length =
          typeof previous === 'number'
            ? previous
            : typeof previous === 'string'
              ? parseNumber(previous)
              : undefined;
        if (length === undefined) throw new LuaError("format 'c0' needs a previous size");
        size = length < 0 ? Infinity : Math.trunc(length);
        checkRoom(size);
      }
      results.push(data.substr(position, size));
    } else if (option === 's') {
      const end = data.indexOf('\0', position);
      if (end === -1) throw new LuaError('unfinished string in data');
      results.push(data.slice(position, end));
      size = end - position + 1;
    } else if (option !== 'x') {
      reader.control(option, 'unpack');
    }
    position += size;
  }
  results.push(position + 1);
  return results;
}

function structSize(...args: LuaValue[]): LuaValue[] {
  const reader = new FormatReader(checkString(args, 1, 'size'));
  let position = 0;
  while (!reader.done()) {
    const option = reader.option();
    const size = reader.size(option);
    position += reader.padding(position, option, size);
    if (option === 's') throw argumentError(1, 'size', "option 's' has no fixed size");
    if (option === 'c' && size === 0)
      throw argumentError(1, 'size', "option 'c0' has no fixed size");
    // Unknown letters and digits count for nothing here, as in lua_struct.
    if (!/[0-9A-Za-z]/.test(option)) reader.control(option, 'size');
    position += size;
  }
  return [position];
}

export function installStruct(): LuaTable {
  return libraryTable({ pack: structPack, size: structSize, unpack: structUnpack });
}
