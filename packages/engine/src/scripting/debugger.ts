import { LuaTable, formatFloat, type LuaValue } from '@rc/lua';

/** Redis's LDB_BREAKPOINTS_MAX and LDB_MAX_LEN_DEFAULT. */
const MAX_BREAKPOINTS = 64;
const DEFAULT_MAXLEN = 256;
/** How deep a value dump goes before giving up (LUA_MINSTACK / 2). */
const MAX_DUMP_DEPTH = 10;

/** SCRIPT DEBUG's modes: YES (Redis forks the session) and SYNC (the server waits). */
export type DebugMode = 'yes' | 'sync';

/** What the script does after a debugger command. */
export type DebuggerStep = 'stay' | 'resume' | 'abort';

/** What the debugger needs of the script it debugs. */
export interface DebuggerHost {
  /** Runs `code` in the script's Lua state: its result, or the error message. */
  evaluate(code: string): { value: LuaValue } | { error: string };
  /** redis.call with the debugger logging the call and its reply. */
  redisCall(argv: string[]): void;
  /** A global of the script (KEYS and ARGV are printable). */
  global(name: string): LuaValue;
  /** The address `tostring` shows for a function or userdata. */
  address(value: LuaValue): string;
  /** Milliseconds a script may run without stopping before the debugger stops it. */
  timeLimit(): number;
}

const HELP = [
  'Redis Lua debugger help:',
  '[h]elp               Show this help.',
  '[s]tep               Run current line and stop again.',
  '[n]ext               Alias for step.',
  '[c]ontinue           Run till next breakpoint.',
  '[l]ist               List source code around current line.',
  '[l]ist [line]        List source code around [line].',
  '                     line = 0 means: current position.',
  '[l]ist [line] [ctx]  In this form [ctx] specifies how many lines',
  '                     to show before/after [line].',
  "[w]hole              List all source code. Alias for 'list 1 1000000'.",
  '[p]rint              Show all the local variables.',
  '[p]rint <var>        Show the value of the specified variable.',
  '                     Can also show global vars KEYS and ARGV.',
  '[b]reak              Show all breakpoints.',
  '[b]reak <line>       Add a breakpoint to the specified line.',
  '[b]reak -<line>      Remove breakpoint from the specified line.',
  '[b]reak 0            Remove all breakpoints.',
  '[t]race              Show a backtrace.',
  '[e]val <code>        Execute some Lua code (in a different callframe).',
  '[r]edis <cmd>        Execute a Redis command.',
  '[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.',
  '                     Specifying zero as <len> means unlimited.',
  '[a]bort              Stop the execution of the script. In sync',
  '                     mode dataset changes will be retained.',
  '',
  'Debugger functions you can call from Lua scripts:',
  'redis.debug()        Produce logs in the debugger console.',
  'redis.breakpoint()   Stop execution like if there was a breakpoint in the',
  '                     next line of code.',
];

/**
 * Redis's Lua debugger (LDB) for one EVAL: stops before statements (stepping, breakpoints,
 * redis.breakpoint(), a script running too long), reads the debugging client's commands while
 * stopped, and logs what it shows as Redis does: a multi-bulk of status lines per exchange.
 */
export class LuaDebugger {
  /** Step mode: stop before the next statement. */
  step = true;
  currentLine = 0;
  /** The client is gone: the script runs to its end without stopping. */
  detached = false;
  private logs: string[] = [];
  private readonly lines: string[];
  private breakpoints: number[] = [];
  private luaBreakpoint = false;
  private maxlen = DEFAULT_MAXLEN;
  private maxlenHintSent = false;
  private locals: () => [string, LuaValue][] = () => [];
  /** Running the client's `eval`: its code is not the script (Lua runs no hook in a hook). */
  private evaluating = false;
  private lastStop: number;

  constructor(
    source: string,
    private readonly host: DebuggerHost,
  ) {
    this.lines = source.replace(/[\r\n]+$/, '').split('\n');
    this.lastStop = performance.now();
  }

  /** Takes the pending log lines as Redis's ldbSendLogs writes them: "*n" and "+line"s. */
  takeLogs(): Buffer {
    let reply = `*${this.logs.length}\r\n`;
    for (const line of this.logs) reply += `+${line.replace(/[\r\n]/g, ' ')}\r\n`;
    this.logs = [];
    return Buffer.from(reply, 'latin1');
  }

  log(entry: string): void {
    this.logs.push(entry);
  }

  /** A log line trimmed to `maxlen`, with Redis's hint the first time. */
  logTrimmed(entry: string): void {
    if (this.maxlen !== 0 && entry.length > this.maxlen) {
      this.log(`${entry.slice(0, this.maxlen)} ...`);
      if (!this.maxlenHintSent) {
        this.maxlenHintSent = true;
        this.log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
      }
      return;
    }
    this.log(entry);
  }

  /** Whether redis.call logs its commands and replies now (stepping). */
  get tracing(): boolean {
    return this.step && !this.detached;
  }

  /** redis.breakpoint(): stop at the next line. */
  breakNext(): void {
    this.luaBreakpoint = true;
  }

  /**
   * Before each statement: whether to stop there, with the reason logged (Redis's
   * luaLdbLineHook). Statements sharing a line stop once, as Lua's line hook.
   */
  shouldStop(line: number, locals: () => [string, LuaValue][]): boolean {
    if (this.evaluating) return false;
    const sameLine = line === this.currentLine;
    this.currentLine = line;
    this.locals = locals;
    if (this.detached) return false;
    const breakpoint = (!sameLine && this.breakpoints.includes(line)) || this.luaBreakpoint;
    let reason: string;
    if (breakpoint) {
      reason = this.luaBreakpoint ? 'redis.breakpoint() called' : 'break point';
    } else if (this.step && !sameLine) {
      reason = 'step over';
    } else if (performance.now() - this.lastStop >= this.host.timeLimit()) {
      reason = 'timeout reached, infinite loop?';
    } else {
      return false;
    }
    this.step = false;
    this.luaBreakpoint = false;
    this.log(`* Stopped at ${line}, stop reason = ${reason}`);
    this.logSourceLine(line);
    return true;
  }

  /** The script goes on after a stop: its time limit counts from now. */
  resumed(): void {
    this.lastStop = performance.now();
  }

  /** One command of the debugging client while stopped (Redis's ldbRepl). */
  command(argv: string[]): DebuggerStep {
    const name = argv[0].toLowerCase();
    switch (name) {
      case 'h':
      case 'help':
        for (const line of HELP) this.log(line);
        return 'stay';
      case 's':
      case 'step':
      case 'n':
      case 'next':
        this.step = true;
        return 'resume';
      case 'c':
      case 'continue':
        return 'resume';
      case 't':
      case 'trace':
        this.log('In top level:');
        this.logSourceLine(this.currentLine);
        return 'stay';
      case 'm':
      case 'maxlen':
        this.setMaxlen(argv);
        return 'stay';
      case 'b':
      case 'break':
        this.breakCommand(argv);
        return 'stay';
      case 'e':
      case 'eval':
        this.evaluate(argv.slice(1).join(' '));
        return 'stay';
      case 'a':
      case 'abort':
        return 'abort';
      case 'p':
      case 'print':
        if (argv.length === 2) this.print(argv[1]);
        else this.printAll();
        return 'stay';
      case 'l':
      case 'list': {
        const line = argv.length > 1 ? parseInt(argv[1], 10) : 0;
        const context = argv.length > 2 ? parseInt(argv[2], 10) || 0 : 5;
        this.list(line > 0 ? line : this.currentLine, context);
        return 'stay';
      }
      case 'w':
      case 'whole':
        this.list(1, 1000000);
        return 'stay';
    }
    if (argv.length > 1 && (name === 'r' || name === 'redis')) {
      const step = this.step;
      this.step = true;
      this.host.redisCall(argv.slice(1));
      this.step = step;
      return 'stay';
    }
    this.log('<error> Unknown Redis Lua debugger command or wrong number of arguments.');
    return 'stay';
  }

  /** redis.debug(...): the values on one line. */
  debugLog(values: LuaValue[]): void {
    this.log(
      `<debug> line ${this.currentLine}: ${values.map((value) => this.dump(value)).join(', ')}`,
    );
  }

  /** A command a script calls, while stepping: "<redis> cmd args". */
  logCommand(argv: string[]): void {
    let line = '<redis>';
    for (let j = 0; j < argv.length; j++) {
      if (j === 10) {
        line += ` ... (${argv.length - j - 1} more)`;
        break;
      }
      line += ` ${argv[j]}`;
    }
    this.log(line);
  }

  /** A command's reply, in the debugger's human-readable form. */
  logReply(reply: Buffer): void {
    this.logTrimmed(`<reply> ${humanReply(reply, { at: 0 })}`);
  }

  private logSourceLine(line: number): void {
    const text = line >= 1 && line <= this.lines.length ? this.lines[line - 1] : null;
    const breakpoint = this.breakpoints.includes(line);
    const current = this.currentLine === line;
    const prefix = current ? (breakpoint ? '->#' : '-> ') : breakpoint ? '  #' : '   ';
    this.log(`${prefix}${String(line).padEnd(3)} ${text ?? '<out of range source code line>'}`);
  }

  private list(around: number, context: number): void {
    for (let line = 1; line <= this.lines.length; line++) {
      if (around !== 0 && Math.abs(around - line) > context) continue;
      this.logSourceLine(line);
    }
  }

  private setMaxlen(argv: string[]): void {
    if (argv.length === 2) {
      let value = parseInt(argv[1], 10) || 0;
      this.maxlenHintSent = true;
      if (value !== 0 && value <= 60) value = 60;
      this.maxlen = value;
    }
    this.log(
      this.maxlen !== 0
        ? `<value> replies are truncated at ${this.maxlen} bytes.`
        : '<value> replies are unlimited.',
    );
  }

  private breakCommand(argv: string[]): void {
    if (argv.length === 1) {
      if (this.breakpoints.length === 0) {
        this.log("No breakpoints set. Use 'b <line>' to add one.");
        return;
      }
      this.log(`${this.breakpoints.length} breakpoints set:`);
      for (const line of this.breakpoints) this.logSourceLine(line);
      return;
    }
    for (const arg of argv.slice(1)) {
      if (!/^-?\d+$/.test(arg)) {
        this.log(`Invalid argument:'${arg}'`);
        continue;
      }
      const line = Number(arg);
      if (line === 0) {
        this.breakpoints = [];
        this.log('All breakpoints removed.');
      } else if (line > 0) {
        if (this.breakpoints.length === MAX_BREAKPOINTS) this.log('Too many breakpoints set.');
        else if (line <= this.lines.length && !this.breakpoints.includes(line)) {
          this.breakpoints.push(line);
          this.list(line, 1);
        } else this.log('Wrong line number.');
      } else {
        const index = this.breakpoints.indexOf(-line);
        if (index === -1) this.log('No breakpoint in the specified line.');
        else {
          this.breakpoints.splice(index, 1);
          this.log('Breakpoint removed.');
        }
      }
    }
  }

  private evaluate(code: string): void {
    this.evaluating = true;
    let result: ReturnType<DebuggerHost['evaluate']>;
    try {
      result = this.host.evaluate(code);
    } finally {
      this.evaluating = false;
    }
    if ('error' in result) this.log(`<error> ${result.error}`);
    else this.logTrimmed(`<retval> ${this.dump(result.value)}`);
  }

  private print(name: string): void {
    for (const [local, value] of this.locals()) {
      if (local === name) {
        this.logTrimmed(`<value> ${this.dump(value)}`);
        return;
      }
    }
    if (name === 'KEYS' || name === 'ARGV') {
      this.logTrimmed(`<value> ${this.dump(this.host.global(name))}`);
    } else {
      this.log('No such variable.');
    }
  }

  private dump(value: LuaValue): string {
    return dumpValue(value, (each) => this.host.address(each));
  }

  private printAll(): void {
    const locals = this.locals();
    for (const [name, value] of locals) this.logTrimmed(`<value> ${name} = ${this.dump(value)}`);
    if (locals.length === 0) this.log('No local variables in the current context.');
  }
}

/** A Lua value as the debugger shows it (Redis's ldbCatStackValue). */
export function dumpValue(
  value: LuaValue,
  address: (value: LuaValue) => string,
  depth = 0,
): string {
  if (depth === MAX_DUMP_DEPTH) return '<max recursion level reached! Nested table?>';
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return formatFloat({ flags: '', width: 0, precision: 6, conversion: 'g' }, value);
    case 'undefined':
      return 'nil';
    case 'function':
      return `"function@${address(value)}"`;
  }
  if (!(value instanceof LuaTable)) return `"light-userdata@${address(value)}"`;
  let isArray = true;
  let expected = 1;
  const asArray: string[] = [];
  const asMap: string[] = [];
  for (let entry = value.next(undefined); entry !== undefined; entry = value.next(entry[0])) {
    if (entry[0] !== expected) isArray = false;
    const shown = dumpValue(entry[1], address, depth + 1);
    asArray.push(shown);
    asMap.push(`[${dumpValue(entry[0], address, depth + 1)}]=${shown}`);
    expected++;
  }
  return `{${(isArray ? asArray : asMap).join('; ')}}`;
}

/** C's sdscatrepr: a quoted string with escapes for quotes, backslashes and unprintables. */
function quoted(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i];
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code >= 32 && code < 127) out += char;
    else out += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** A RESP reply as the debugger shows it (Redis's ldbRedisProtocolToHuman). */
function humanReply(reply: Buffer, cursor: { at: number }): string {
  const start = cursor.at;
  const lineEnd = reply.indexOf(13, start);
  const line = reply.toString('latin1', start + 1, lineEnd);
  cursor.at = lineEnd + 2;
  const items = (count: number): string =>
    Array.from({ length: count }, () => humanReply(reply, cursor)).join(',');
  switch (reply[start]) {
    case 58 /* : */:
      return line;
    case 36 /* $ */: {
      const length = Number(line);
      if (length === -1) return 'NULL';
      const text = reply.toString('latin1', cursor.at, cursor.at + length);
      cursor.at += length + 2;
      return quoted(text);
    }
    case 43 /* + */:
    case 45 /* - */:
      return quoted(reply.toString('latin1', start, lineEnd));
    case 42 /* * */:
      return Number(line) === -1 ? 'NULL' : `[${items(Number(line))}]`;
    case 126 /* ~ */:
      return `~(${items(Number(line))})`;
    case 37 /* % */: {
      const pairs: string[] = [];
      for (let i = 0; i < Number(line); i++) {
        pairs.push(`${humanReply(reply, cursor)} => ${humanReply(reply, cursor)}`);
      }
      return `{${pairs.join(',')}}`;
    }
    case 95 /* _ */:
      return '(null)';
    case 35 /* # */:
      return line === 't' ? '#true' : '#false';
    case 44 /* , */:
      return `(double) ${line}`;
    default:
      return '';
  }
}
