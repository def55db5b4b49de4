import { decodeLatin1, type ReplyWriter } from '@rc/resp';
import { LuaTable, formatNumber, type LuaValue } from '@rc/lua';

/**
 * Redis's error table `{err = "CODE message"}`. As Redis's luaPushErrorBuff: "-CODE msg" keeps
 * its code, a text without the leading dash gets "ERR", trailing CR/LF are trimmed.
 * `ignoreStats` marks an error a command already counted (ignore_error_stats_update).
 */
export function errorTable(error: string, ignoreStats = false): LuaTable {
  let message: string;
  if (error.charCodeAt(0) === 45 /* - */) {
    const space = error.indexOf(' ');
    message =
      space === -1 ? `ERR ${error.slice(1)}` : `${error.slice(1, space)} ${error.slice(space + 1)}`;
  } else {
    message = `ERR ${error}`;
  }
  let end = message.length;
  while (end > 0 && (message.charCodeAt(end - 1) === 13 || message.charCodeAt(end - 1) === 10))
    end--;
  const table = new LuaTable();
  table.set('err', message.slice(0, end));
  if (ignoreStats) table.set('ignore_error_stats_update', true);
  return table;
}

/** A table with one field: Redis's `{ok=...}`, `{double=...}` and the like. */
function single(field: string, value: LuaValue): LuaTable {
  return LuaTable.fromConstructor([], [field, value], 0, 1);
}

/**
 * Reads the RESP reply a command wrote (RESP2 or RESP3) as a Lua value, as Redis's
 * redisProtocolToLuaType: integer → number, bulk → string, null bulk/array → false (RESP3 null
 * → nil), array → table, status → {ok=...}, error → {err=...}, and the RESP3 types to
 * {map=}, {set=}, {double=}, {big_number=}, {verbatim_string=}, booleans.
 */
export class ReplyReader {
  private at = 0;
  private bytes: Buffer = Buffer.alloc(0);
  private result: LuaValue = undefined;
  /** Whether the reply `readFrom` read last was an error. */
  wasError = false;
  /** Reads the writer's pending bytes in place (no copy per redis.call), once bound. */
  private readonly readView = (bytes: Buffer): boolean => {
    this.wasError = bytes[0] === 45; /* - */
    this.result = this.read(bytes);
    return false;
  };

  read(bytes: Buffer): LuaValue {
    this.bytes = bytes;
    this.at = 0;
    return this.value();
  }

  /** Reads the reply pending in `out` and leaves `out` empty. */
  readFrom(out: ReplyWriter): LuaValue {
    out.sendTo(this.readView);
    const result = this.result;
    this.result = undefined;
    return result;
  }

  private text(start: number, end: number): string {
    return decodeLatin1(this.bytes, start, end);
  }

  private line(): string {
    const start = this.at + 1;
    const end = this.bytes.indexOf(13, start);
    this.at = end + 2;
    return this.text(start, end);
  }

  /**
   * The integer on the rest of the line (a length, a count, an integer reply), read from its
   * bytes; past 15 digits as Number reads the text, rounded once to the nearest double.
   */
  private count(): number {
    const bytes = this.bytes;
    const start = this.at + 1;
    let at = start;
    const negative = bytes[at] === 45; /* - */
    if (negative) at++;
    let value = 0;
    for (let byte = bytes[at]; byte !== 13; byte = bytes[++at]) value = value * 10 + byte - 48;
    this.at = at + 2;
    if (at - start > 15) return Number(this.text(start, at));
    return negative ? -value : value;
  }

  private bulk(length: number): string {
    const start = this.at;
    this.at = start + length + 2;
    return this.text(start, start + length);
  }

  private value(): LuaValue {
    switch (this.bytes[this.at]) {
      case 58 /* : */:
        return this.count();
      case 36 /* $ */: {
        const length = this.count();
        return length < 0 ? false : this.bulk(length);
      }
      case 43 /* + */:
        return single('ok', this.line());
      case 45 /* - */: {
        const start = this.at;
        const end = this.bytes.indexOf(13, start);
        this.at = end + 2;
        return errorTable(this.text(start, end), true);
      }
      case 42 /* * */: {
        const length = this.count();
        if (length < 0) return false;
        const values = new Array<LuaValue>(length);
        for (let i = 0; i < length; i++) values[i] = this.value();
        return LuaTable.fromArray(values);
      }
      case 37 /* % */:
      case 126 /* ~ */: {
        const isMap = this.bytes[this.at] === 37;
        const length = this.count();
        const inner = new LuaTable();
        for (let i = 0; i < length; i++) {
          const key = this.value();
          inner.set(key, isMap ? this.value() : true);
        }
        return single(isMap ? 'map' : 'set', inner);
      }
      case 95 /* _ */:
        this.line();
        return undefined;
      case 35 /* # */:
        return this.line() === 't';
      case 44 /* , */:
        return single('double', parseRespDouble(this.line()));
      case 40 /* ( */:
        return single('big_number', this.line());
      case 61 /* = */: {
        const text = this.bulk(this.count());
        const verbatim = new LuaTable();
        verbatim.set('string', text.slice(4));
        verbatim.set('format', text.slice(0, 3));
        return single('verbatim_string', verbatim);
      }
      case 124 /* | */: {
        // Attributes are not exposed to scripts: skip them, read what they annotate.
        const pairs = this.count();
        for (let i = 0; i < pairs * 2; i++) this.value();
        return this.value();
      }
      default:
        throw new Error(`rc: cannot convert reply type ${this.bytes[this.at]} for Lua`);
    }
  }
}

function parseRespDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  return Number(text);
}

const LLONG_MIN = -9223372036854775808n;

/** C's (long long) cast of a double, as Redis converts Lua numbers: truncation, UB → LLONG_MIN. */
export function luaNumberToInteger(n: number): number | bigint {
  if (n !== n || n >= 2 ** 63 || n < -(2 ** 63)) return LLONG_MIN;
  const truncated = Math.trunc(n);
  if (truncated > -1e15 && truncated < 1e15) return truncated === 0 ? 0 : truncated;
  return BigInt(truncated);
}

/** The deepest value of a reply Redis writes before its Lua stack check (8000 slots) fails. */
const MAX_REPLY_DEPTH = 7994;

/**
 * Writes a script's result as a reply, as Redis's luaReplyToRedisReply: string → bulk, number
 * → integer (truncated), boolean → 1 / null (RESP2 scripts) or a RESP3 boolean, {err=} →
 * error, {ok=} → status, {double=}, {big_number=}, {verbatim_string=}, {map=}, {set=}, and any
 * other table → array up to its first nil. Nested tables are walked with a stack of their own,
 * as deep as Redis goes (a table that contains itself is 7995 levels of reply).
 */
export function writeLuaValue(value: LuaValue, out: ReplyWriter, scriptProtocol: 2 | 3): void {
  if (!(value instanceof LuaTable)) {
    writeScalar(value, out, scriptProtocol);
    return;
  }
  const pending: LuaValue[] = [value];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const next = pending.pop();
    const depth = depths.pop() as number;
    if (depth > MAX_REPLY_DEPTH) {
      out.error('ERR reached lua stack limit');
    } else if (next instanceof LuaTable) {
      const children = writeTable(next, out);
      for (let i = children.length - 1; i >= 0; i--) {
        pending.push(children[i]);
        depths.push(depth + 1);
      }
    } else {
      writeScalar(next, out, scriptProtocol);
    }
  }
}

function writeScalar(value: LuaValue, out: ReplyWriter, scriptProtocol: 2 | 3): void {
  switch (typeof value) {
    case 'string':
      out.bulk(value);
      return;
    case 'boolean':
      if (scriptProtocol === 3) out.boolean(value);
      else if (value) out.integer(1);
      else out.nullBulk();
      return;
    case 'number':
      out.integer(luaNumberToInteger(value));
      return;
    default:
      out.nullBulk();
  }
}

/** A field that is a string or a number (which Lua reads as a string), or null. */
function stringField(table: LuaTable, name: string): string | null {
  const value = table.get(name);
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? formatNumber(value) : null;
}

function spaced(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

const NO_CHILDREN: LuaValue[] = [];

/** Writes a table's own reply (or the header of its aggregate); returns what goes inside. */
function writeTable(table: LuaTable, out: ReplyWriter): LuaValue[] {
  const err = table.get('err');
  if (typeof err === 'string') {
    // The error of a redis.pcall returned as it is was counted when the command failed.
    if (table.get('ignore_error_stats_update') === true) out.errorCountedBefore(err);
    else out.error(err);
    return NO_CHILDREN;
  }
  const ok = table.get('ok');
  if (typeof ok === 'string') {
    out.simple(spaced(ok));
    return NO_CHILDREN;
  }
  const double = table.get('double');
  if (typeof double === 'number') {
    out.double(double);
    return NO_CHILDREN;
  }
  const bigNumber = table.get('big_number');
  if (typeof bigNumber === 'string') {
    out.bigNumber(spaced(bigNumber));
    return NO_CHILDREN;
  }
  const verbatim = table.get('verbatim_string');
  if (verbatim instanceof LuaTable) {
    const format = stringField(verbatim, 'format');
    const text = stringField(verbatim, 'string');
    if (format !== null && text !== null) {
      out.verbatim(format.slice(0, 3), text);
      return NO_CHILDREN;
    }
  }
  const map = table.get('map');
  if (map instanceof LuaTable) {
    const children: LuaValue[] = [];
    for (let entry = map.next(undefined); entry !== undefined; entry = map.next(entry[0])) {
      children.push(entry[0], entry[1]);
    }
    out.map(children.length / 2);
    return children;
  }
  const set = table.get('set');
  if (set instanceof LuaTable) {
    const children: LuaValue[] = [];
    for (let entry = set.next(undefined); entry !== undefined; entry = set.next(entry[0])) {
      children.push(entry[0]);
    }
    out.set(children.length);
    return children;
  }
  const children: LuaValue[] = [];
  for (let value = table.get(1); value !== undefined; value = table.get(children.length + 1)) {
    children.push(value);
  }
  out.array(children.length);
  return children;
}
