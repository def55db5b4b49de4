import { previousFengariConfig } from './fengari-config.js';
import fengari, { type LuaState, type LuaString } from 'fengari';
import lobject from 'fengari/src/lobject.js';
import lstring from 'fengari/src/lstring.js';

if (previousFengariConfig === undefined) delete process.env.FENGARICONF;
else process.env.FENGARICONF = previousFengariConfig;

export { fengari };
export type { LuaState, LuaString };

/**
 * Redis embeds Lua 5.1, where every number is a double; fengari is Lua 5.3 with 32-bit
 * integers, whose arithmetic would wrap (`tonumber(ARGV[1]) * 1000` on a timestamp). Two
 * patches give scripts 5.1's numbers: numerals and numeric strings always read as floats, and
 * integral floats print without 5.3's ".0" suffix, with 5.1's "%.14g" (`tostring(4/2)` is "2").
 * Integers only come from a few library functions now (`#t`, `math.floor`), with small values.
 */
let patched = false;
function patchNumbers(): void {
  if (patched) return;
  patched = true;
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (text, out) => {
    const consumed = str2num(text, out);
    if (consumed !== 0 && out.ttisinteger()) out.setfltvalue(out.value as number);
    return consumed;
  };
  const tostring = lobject.luaO_tostring;
  lobject.luaO_tostring = (L, value) => {
    if (!value.ttisfloat()) {
      tostring(L, value);
      return;
    }
    value.setsvalue(lstring.luaS_bless(L, latin1Bytes(formatLuaNumber(value.value as number))));
  };
}

/** C's "%.14g", as Lua 5.1 prints numbers: 1e+15, 0.1, 3, -inf, nan. */
export function formatLuaNumber(n: number): string {
  if (n !== n) return n > 0 ? 'nan' : '-nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) return String(n);
  const exponential = n.toExponential(13);
  const marker = exponential.indexOf('e');
  const exponent = Number(exponential.slice(marker + 1));
  if (exponent < -4 || exponent >= 14) {
    const mantissa = trimZeros(exponential.slice(0, marker));
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent));
    return `${mantissa}e${sign}${digits.length < 2 ? '0' : ''}${digits}`;
  }
  return trimZeros(n.toFixed(13 - exponent));
}

function trimZeros(text: string): string {
  if (text.indexOf('.') === -1) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/** A fresh Lua state with Redis's number semantics. */
export function newLuaState(): LuaState {
  patchNumbers();
  return fengari.lauxlib.luaL_newstate();
}

/** rc keeps keys and values as latin1 strings (one char per byte); Lua wants bytes. */
export function latin1Bytes(text: string): Uint8Array {
  const length = text.length;
  if (length > 64) return Buffer.from(text, 'latin1');
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Lua string bytes as a latin1 string. */
export function bytesLatin1(bytes: Uint8Array): string {
  const length = bytes.length;
  if (length > 64) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1');
  }
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/**
 * Compiles `code` and leaves the function on the stack; or returns the error, worded as Lua 5.1
 * (Redis's) words it: 5.3 prints the end of input unquoted where 5.1 quotes it, and a statement
 * that is neither a call nor an assignment (`x`) is 5.3's "syntax error" where 5.1 expected the
 * '=' of an assignment.
 */
export function compile(L: LuaState, code: Uint8Array, chunkName: Uint8Array): string | null {
  const { lua, lauxlib } = fengari;
  if (lauxlib.luaL_loadbuffer(L, code, code.length, chunkName) === lua.LUA_OK) return null;
  const message = bytesLatin1(lua.lua_tolstring(L, -1) ?? new Uint8Array());
  lua.lua_pop(L, 1);
  return message
    .replace(/ near <eof>$/, " near '<eof>'")
    .replace(/^(.*?:\d+:) syntax error near /, "$1 '=' expected near ");
}

/**
 * After lua_pcallk with a continuation caught an error, turns hooks back on. fengari saves the
 * caller's 'allowhook' with `callstatus &= ~CIST_OAH | allowhook`, which can clear the bit but
 * never set it, so recovery restores "hooks off": the count hook would stop for good (no more
 * timeout, no SCRIPT KILL). Scripts never run inside a hook, so "on" is the state to restore.
 */
export function allowHooksAfterError(L: LuaState): void {
  (L as unknown as { allowhook: number }).allowhook = 1;
}

/**
 * A runtime error worded as Lua 5.1 (Redis's) words it: 5.3 says "attempt to call a nil value
 * (field 'f')" where 5.1 says "attempt to call field 'f' (a nil value)".
 */
export function lua51Wording(message: string): string {
  return message.replace(
    /attempt to (\w+) a (\w+) value \((\w+) '([^']*)'\)/,
    "attempt to $1 $3 '$4' (a $2 value)",
  );
}
