import { argumentError } from '../error.js';
import { parseNumber } from '../number.js';
import type { LuaTable } from '../table.js';
import { typeName, type LuaValue } from '../value.js';
import { libraryTable } from './arguments.js';

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** 2^52 + 2^51: adding it leaves a double's integer part, rounded to even, in its low word. */
const MAGIC = 6755399441055744;

/**
 * LuaBitOp's argument: the number (or numeric string) rounded to an integer and wrapped to 32
 * bits, as its barg does. Anything else (reading as 0) is an error.
 */
function bitArgument(args: LuaValue[], position: number, name: string): number {
  const value = args[position - 1];
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : undefined;
  if (number === undefined) {
    const got = position > args.length ? 'no value' : typeName(value);
    throw argumentError(position, name, `number expected, got ${got}`);
  }
  scratch[0] = number + MAGIC;
  return words[0] | 0;
}

/** band, bor, bxor: the operation over every argument, taken from the last to the second. */
function fold(name: string, op: (a: number, b: number) => number) {
  return (...args: LuaValue[]): LuaValue[] => {
    let result = bitArgument(args, 1, name);
    for (let i = args.length; i > 1; i--) result = op(result, bitArgument(args, i, name));
    return [result | 0];
  };
}

function shift(name: string, op: (a: number, n: number) => number) {
  return (...args: LuaValue[]): LuaValue[] => {
    const value = bitArgument(args, 1, name);
    return [op(value, bitArgument(args, 2, name) & 31) | 0];
  };
}

/** The `bit` library Redis bundles (LuaBitOp 1.0): 32-bit operations on numbers. */
export function installBit(): LuaTable {
  return libraryTable({
    arshift: shift('arshift', (a, n) => a >> n),
    band: fold('band', (a, b) => a & b),
    bnot: (...args) => [~bitArgument(args, 1, 'bnot')],
    bor: fold('bor', (a, b) => a | b),
    bswap: (...args) => {
      const b = bitArgument(args, 1, 'bswap');
      return [(b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24) | 0];
    },
    bxor: fold('bxor', (a, b) => a ^ b),
    lshift: shift('lshift', (a, n) => a << n),
    rol: shift('rol', (a, n) => (a << n) | (a >>> (32 - n))),
    ror: shift('ror', (a, n) => (a >>> n) | (a << (32 - n))),
    rshift: shift('rshift', (a, n) => a >>> n),
    tobit: (...args) => [bitArgument(args, 1, 'tobit')],
    tohex: (...args) => {
      const value = bitArgument(args, 1, 'tohex');
      let digits = args.length < 2 ? 8 : bitArgument(args, 2, 'tohex');
      const upper = digits < 0;
      if (upper) digits = -digits;
      if (digits > 8) digits = 8;
      const text = (value >>> 0)
        .toString(16)
        .padStart(8, '0')
        .slice(8 - digits);
      return [upper ? text.toUpperCase() : text];
    },
  });
}
