import type { Call, Expression, FunctionBody, Statement, Target } from './ast.js';

/**
 * Lua 5.1 to JavaScript: one JavaScript function per Lua function, Lua locals as `let`
 * variables (so upvalues are JavaScript closures and each loop iteration gets fresh ones),
 * results as arrays. The generated source is the body of `new Function('$h', '$env', ...)`,
 * where `$h` holds the helpers (see helpers.ts) and `$env` is the chunk's globals table; it
 * returns `[main, setEnvironment, getEnvironment]`.
 */
export interface CompileOptions {
  chunkName: string;
  /**
   * Calls `$rt.debugStep(line, locals)` before each statement (for a debugger); in generator
   * variants, a true result pauses the run there.
   */
  debug: boolean;
  /** Also compiles each function as a generator, which coroutines and resumable runs use. */
  coroutines: boolean;
  /**
   * Compiles the generator forms alone (with `coroutines`): plain calls step them to their
   * end. A third of the code, for chunks that mostly run resumable.
   */
  generatorsOnly?: boolean;
}

/** The helper names the generated code takes from `$h`. */
export const HELPER_NAMES = [
  '$rt',
  '$NO',
  '$PAUSE',
  '$get',
  '$getf',
  '$set',
  '$fn',
  '$gcall',
  '$add',
  '$sub',
  '$mul',
  '$div',
  '$mod',
  '$pow',
  '$unm',
  '$len',
  '$concat',
  '$eq',
  '$lt',
  '$le',
  '$gt',
  '$ge',
  '$truthy',
  '$table',
  '$forNumber',
  '$closure',
  '$closureOfGenerator',
] as const;

interface Local {
  /** The JavaScript name (Lua name plus a unique suffix). */
  id: string;
  /** The Lua function that declared it (0 for the main chunk). */
  functionDepth: number;
}

class Scope {
  /** Made on the first declaration: most blocks declare nothing. */
  names: Map<string, Local> | undefined = undefined;
  constructor(readonly parent: Scope | undefined) {}

  declare(name: string, local: Local): void {
    (this.names ??= new Map()).set(name, local);
  }

  resolve(name: string): Local | undefined {
    return this.names?.get(name) ?? this.parent?.resolve(name);
  }

  /** The locals of one function visible here, by name (the innermost declaration wins). */
  visible(functionDepth: number, into = new Map<string, string>()): Map<string, string> {
    this.parent?.visible(functionDepth, into);
    if (this.names === undefined) return into;
    for (const [name, local] of this.names)
      if (local.functionDepth === functionDepth) into.set(name, local.id);
    return into;
  }
}

const BINARY_HELPERS: Record<string, string> = {
  '+': '$add',
  '-': '$sub',
  '*': '$mul',
  '/': '$div',
  '%': '$mod',
  '^': '$pow',
  '..': '$concat',
  '<': '$lt',
  '<=': '$le',
  '>': '$gt',
  '>=': '$ge',
};

const INLINE_OPERATORS: Record<string, string> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * Whether a line's calls can rename a native's argument error: one of them is a method (the
 * argument is renumbered), or the line makes one call only, by a name or by no name.
 */
const namesNatives = (sites: string[]): boolean =>
  sites.some((site) => site.startsWith(':')) || (sites.length === 1 && !sites[0]!.startsWith('.'));

/**
 * A plain call's site (see CallSites in helpers.ts): a name, `.field` (up to a quote in the
 * key, as the error's description is read), or `?`.
 */
function callSiteOf(callee: Expression): string {
  while (callee.kind === 'paren') callee = callee.expression;
  if (callee.kind === 'name' || callee.kind === 'method') return callee.name;
  if (callee.kind === 'index' && callee.key.kind === 'string')
    return `.${callee.key.value.split("'", 1)[0]}`;
  return '?';
}

const isMultiple = (e: Expression) =>
  e.kind === 'call' || e.kind === 'method' || e.kind === 'vararg';
/** `text` as a JavaScript string literal: most are names and words, which need no escapes. */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c > 126) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/**
 * `items` joined by `separator`. Array.prototype.join, inlined by V8, checks its receiver's map:
 * lists made here come empty, of one element or many, each kind another map, and each new one
 * met threw the optimized code of the compiler's largest functions away (V8 recompiled
 * `statement` four times over the first loads of a fresh server).
 */
function join(items: readonly string[], separator: string): string {
  let text = items.length === 0 ? '' : items[0]!;
  for (let i = 1; i < items.length; i++) text += separator + items[i]!;
  return text;
}

/** Where a function's lines go in the expression that creates it (see ChunkCode). */
const FUNCTION_START = '\u0001';
const FUNCTION_END = '\u0002';

/**
 * The lines of one chunk's JavaScript, written once: a function's text sits in an expression
 * (`f = $closureOfGenerator(function* () {...})`), so each function is first a marker (control
 * characters, which string literals escape) and its lines are put in place as the line with the
 * marker is added. One join at the end makes the source, where joining each function's text
 * and then its parent's copied nested functions once per level.
 */
class ChunkCode {
  readonly lines: string[] = [];
  /** Suffix of the next fresh JavaScript name. */
  next = 0;
  private readonly functions: (string[] | undefined)[] = [];
  private unplaced = 0;

  /** A function's lines (its header to its closing brace) as a marker for an expression. */
  mark(lines: string[]): string {
    this.functions.push(lines);
    this.unplaced++;
    return `${FUNCTION_START}${this.functions.length - 1}${FUNCTION_END}`;
  }

  /** Adds `text` to `out` as one line, or several with the functions marked in it. */
  append(out: string[], text: string): void {
    if (this.unplaced === 0 || !text.includes(FUNCTION_START)) {
      out.push(text);
      return;
    }
    let prefix = '';
    for (;;) {
      const start = text.indexOf(FUNCTION_START);
      if (start < 0) break;
      const end = text.indexOf(FUNCTION_END, start);
      const index = Number(text.slice(start + 1, end));
      const lines = this.functions[index]!;
      this.functions[index] = undefined;
      this.unplaced--;
      out.push(prefix + text.slice(0, start) + lines[0]!);
      for (let i = 1; i < lines.length - 1; i++) out.push(lines[i]!);
      prefix = lines[lines.length - 1]!;
      text = text.slice(end + 1);
    }
    out.push(prefix + text);
  }
}

/** Compiles a parsed chunk to the JavaScript source described above. */
export function compile(chunk: FunctionBody, options: CompileOptions): string {
  const code = new ChunkCode();
  const generatorsOnly = options.coroutines && options.generatorsOnly === true;
  // A chunk of generators only that has no loop and no function of its own cannot run long in
  // Lua code, so it never pauses (a run resets the interrupt budget): it compiles as a plain
  // function, which V8 runs faster (no generator object, no iterator results per call).
  const main =
    generatorsOnly && !options.debug && !chunk.hasLoopOrFunction
      ? new FunctionEmitter(chunk, undefined, 0, { ...options, coroutines: false }, code, false)
      : new FunctionEmitter(chunk, undefined, 0, options, code, generatorsOnly);
  const lines = code.lines;
  lines.push('"use strict";', `const {${HELPER_NAMES.join(', ')}} = $h;`);
  lines.push(`const $chunk = ${quote(options.chunkName)};`);
  code.append(lines, `const $main = ${main.closure()};`);
  lines.push('return [$main, (table) => { $env = table; }, () => $env];');
  return lines.join('\n');
}

class FunctionEmitter {
  private scope: Scope;
  /**
   * What `$line` holds at this point of the generated code, undefined when that depends on
   * the path taken. An operation that can raise sets `$line` to its own line (5.1 reports the
   * line of the instruction, not of the statement) when it differs.
   */
  private lineNow: number | undefined = undefined;
  /**
   * The calls of each line, as argument errors name them (see CallSites in helpers.ts):
   * `:name` a method, `.name` a field, `name` a global, local or upvalue, `?` anything else.
   */
  private readonly callSites = new Map<number, string[]>();
  /** This function's lines, its header to its closing brace. */
  private readonly out: string[] = [];

  constructor(
    private readonly body: FunctionBody,
    enclosing: Scope | undefined,
    private readonly depth: number,
    private readonly options: CompileOptions,
    private readonly code: ChunkCode,
    private readonly generator: boolean,
  ) {
    this.scope = new Scope(enclosing);
  }

  /** The expression creating this function as a closure value. */
  closure(): string {
    if (!this.options.coroutines) return this.emit();
    if (this.generator) return `$closureOfGenerator(${this.emit()})`;
    const generatorVariant = new FunctionEmitter(
      this.body,
      this.scope.parent,
      this.depth,
      this.options,
      this.code,
      true,
    );
    return `$closure(${this.emit()}, ${generatorVariant.emit()})`;
  }

  /** Writes the function; returns its marker (see ChunkCode). */
  private emit(): string {
    const parameters = this.body.parameters.map((name) => this.declare(name));
    if (this.body.usesVararg || this.body.declaresVararg) parameters.push('...$va');
    const keyword = this.generator ? 'function*' : 'function';
    this.out.push(`${keyword} (${join(parameters, ', ')}) {`);
    this.line(`let $line = ${this.body.line}, $t, $s, $v${this.generator ? ', $c' : ''};`);
    if (this.body.declaresVararg) {
      // Lua 5.1's `arg`: a table of the extra arguments and their count, unless `...` is used.
      const arg = this.declare('arg');
      if (this.body.usesVararg) this.line(`let ${arg};`);
      else this.line(`let ${arg} = $table($va, [${quote('n')}, $va.length], $va.length, 1);`);
    }
    this.interruptCheck();
    this.line('try {');
    this.block(this.body.body, false);
    this.line('return $NO;');
    this.line(`} catch ($e) { throw $rt.fault($e, $line, $chunk${this.callSitesArgument()}); }`);
    this.out.push('}');
    return this.code.mark(this.out);
  }

  /**
   * At function entry and loop back-edges: a decrement and compare, and every so often the
   * host's handler, which may ask a generator variant to pause (yield to the host).
   */
  private interruptCheck(): void {
    if (this.generator) this.line('if (--$rt.budget < 0 && $rt.interrupt()) yield $PAUSE;');
    else this.line('if (--$rt.budget < 0) $rt.interrupt();');
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.code.next++}`;
  }

  private declare(name: string): string {
    const id = `${name}$${this.code.next++}`;
    this.scope.declare(name, { id, functionDepth: this.depth });
    return id;
  }

  private line(text: string): void {
    this.code.append(this.out, text);
  }

  private block(statements: Statement[], newScope = true, prologue?: () => void): void {
    const saved = this.scope;
    if (newScope) this.scope = new Scope(saved);
    prologue?.();
    for (const statement of statements) this.statement(statement);
    this.scope = saved;
  }

  private statement(s: Statement): void {
    this.lineNow = s.line;
    this.line(`$line = ${s.line};`);
    if (this.options.debug) {
      const locals = [...this.scope.visible(this.depth)].map(
        ([name, id]) => `[${quote(name)}, ${id}]`,
      );
      const step = `$rt.debugStep(${s.line}, () => [${join(locals, ', ')}])`;
      // A debugger waiting for its client pauses a resumable run at the statement.
      this.line(this.generator ? `if (${step}) yield $PAUSE;` : `${step};`);
    }
    switch (s.kind) {
      case 'local':
        return this.localStatement(s.names, s.values);
      case 'assign':
        return this.assignment(s.targets, s.values);
      case 'call':
        return this.line(`${this.call(s.call)};`);
      case 'do':
        this.line('{');
        this.block(s.body);
        return this.line('}');
      case 'while':
        this.lineNow = undefined; // evaluated again after the body
        this.line(`while (${this.condition(s.condition)}) {`);
        this.block(s.body, true, () => this.interruptCheck());
        return this.line('}');
      case 'repeat': {
        this.line('for (;;) {');
        const saved = this.scope;
        this.scope = new Scope(saved);
        this.interruptCheck();
        for (const statement of s.body) this.statement(statement);
        // `until` sees the body's locals.
        this.lineNow = undefined;
        this.line(`if (${this.condition(s.condition)}) break;`);
        this.scope = saved;
        return this.line('}');
      }
      case 'if':
        s.clauses.forEach((clause, index) => {
          if (index > 0) this.lineNow = undefined;
          const opener = index === 0 ? 'if' : '} else if';
          this.line(`${opener} (${this.condition(clause.condition)}) {`);
          this.block(clause.body);
        });
        if (s.otherwise !== undefined) {
          this.line('} else {');
          this.block(s.otherwise);
        }
        return this.line('}');
      case 'numericFor':
        return this.numericFor(s);
      case 'genericFor':
        return this.genericFor(s);
      case 'function':
        return this.assignOne(s.target, this.functionValue(s.body));
      case 'localFunction': {
        const id = this.declare(s.name);
        return this.line(`let ${id}; ${id} = ${this.functionValue(s.body)};`);
      }
      case 'return':
        return this.line(`return ${this.valueArray(s.values)};`);
      case 'break':
        return this.line('break;');
    }
  }

  /**
   * As 5.1's FORPREP/FORLOOP: the three values are evaluated, then checked; the index starts at
   * `start - step` and each turn adds the step before the test (so float loops see the same
   * values as 5.1's).
   */
  private numericFor(s: Extract<Statement, { kind: 'numericFor' }>): void {
    const index = this.fresh('$i');
    const limit = this.fresh('$limit');
    const step = this.fresh('$step');
    const stepCode = s.step === undefined ? '1' : this.expression(s.step);
    this.line(
      `{ let ${index} = ${this.expression(s.start)}, ${limit} = ${this.expression(s.limit)}, ${step} = ${stepCode};`,
    );
    this.line(`${index} = $forNumber(${index}, "'for' initial value must be a number");`);
    this.line(`${limit} = $forNumber(${limit}, "'for' limit must be a number");`);
    if (s.step !== undefined)
      this.line(`${step} = $forNumber(${step}, "'for' step must be a number");`);
    const constantStep =
      s.step === undefined ? 1 : s.step.kind === 'number' ? s.step.value : undefined;
    const advance = `(${index} += ${step})`;
    const test =
      constantStep === undefined
        ? `(${advance}, ${step} > 0 ? ${index} <= ${limit} : ${index} >= ${limit})`
        : constantStep > 0
          ? `${advance} <= ${limit}`
          : `${advance} >= ${limit}`;
    this.line(`for (${index} -= ${step}; ${test}; ) {`);
    this.block(s.body, true, () => {
      this.interruptCheck();
      this.line(`let ${this.declare(s.variable)} = ${index};`);
    });
    this.line('} }');
  }

  private genericFor(s: Extract<Statement, { kind: 'genericFor' }>): void {
    const state = this.fresh('$for');
    this.line(`{ const ${state} = ${this.valueArray(s.values)};`);
    const f = this.fresh('$f');
    const invariant = this.fresh('$state');
    const control = this.fresh('$control');
    this.line(
      `const ${f} = ${state}[0], ${invariant} = ${state}[1]; let ${control} = ${state}[2];`,
    );
    this.line('for (;;) {');
    this.block(s.body, true, () => {
      this.interruptCheck();
      const results = this.fresh('$r');
      this.line(`$line = ${s.line};`);
      this.lineNow = s.line;
      this.line(`const ${results} = ${this.callCode(`$fn(${f})`, `${invariant}, ${control}`)};`);
      const ids = s.names.map((name) => this.declare(name));
      this.line(
        `let ${join(
          ids.map((id, i) => `${id} = ${results}[${i}]`),
          ', ',
        )};`,
      );
      this.line(`if (${ids[0]} === undefined) break;`);
      this.line(`${control} = ${ids[0]};`);
    });
    this.line('} }');
  }

  private localStatement(names: string[], values: Expression[]): void {
    const simple =
      values.length === names.length &&
      (values.length === 0 || !isMultiple(values[values.length - 1]));
    if (simple || (values.length === 0 && names.length > 0)) {
      // The values first: they see the locals before this statement.
      const codes: string[] = [];
      for (const value of values) codes.push(this.expression(value));
      let text = 'let ';
      for (let i = 0; i < names.length; i++) {
        const id = this.declare(names[i]!);
        text += `${i === 0 ? '' : ', '}${id}${i < codes.length ? ` = ${codes[i]}` : ''}`;
      }
      this.line(`${text};`);
      return;
    }
    const temp = this.fresh('$v');
    this.line(`const ${temp} = ${this.valueArray(values)};`);
    let text = 'let ';
    for (let i = 0; i < names.length; i++)
      text += `${i === 0 ? '' : ', '}${this.declare(names[i]!)} = ${temp}[${i}]`;
    this.line(`${text};`);
  }

  private assignment(targets: Target[], values: Expression[]): void {
    if (targets.length === 1 && values.length === 1) {
      this.assignOne(targets[0], this.expression(values[0]));
      return;
    }
    // Targets' tables and keys first, then all the values, then the stores (last first, as 5.1).
    this.line('{');
    const places = targets.map((target) => {
      if (target.kind === 'name') return target;
      const object = this.fresh('$o');
      const key = this.fresh('$k');
      this.line(
        `const ${object} = ${this.expression(target.object)}, ${key} = ${this.expression(target.key)};`,
      );
      return { object, key, description: this.describe(target.object) };
    });
    const temp = this.fresh('$v');
    this.line(`const ${temp} = ${this.valueArray(values)};`);
    for (let i = places.length - 1; i >= 0; i--) {
      const place = places[i];
      const value = `${temp}[${i}]`;
      if ('kind' in place) this.assignOne(place, value);
      else
        this.line(
          `$set(${place.object}, ${place.key}, ${value}${this.descriptionArgument(place.description)});`,
        );
    }
    this.line('}');
  }

  private assignOne(target: Target, value: string): void {
    if (target.kind === 'name') {
      const local = this.scope.resolve(target.name);
      if (local !== undefined) this.line(`${local.id} = ${value};`);
      else this.line(`$set($env, ${quote(target.name)}, ${value});`);
      return;
    }
    const object = this.expression(target.object);
    const key = this.expression(target.key);
    this.line(
      `$set(${object}, ${key}, ${value}${this.descriptionArgument(this.describe(target.object))});`,
    );
  }

  private functionValue(body: FunctionBody): string {
    const emitter = new FunctionEmitter(
      body,
      this.scope,
      this.depth + 1,
      this.options,
      this.code,
      this.generator,
    );
    return emitter.closure();
  }

  /** A list of values as an array expression, the last one expanded when it is a call or `...`. */
  private valueArray(values: Expression[]): string {
    if (values.length === 1 && isMultiple(values[0])) return this.multiple(values[0]);
    return `[${this.valueList(values)}]`;
  }

  /** A list of values as JavaScript arguments, the last one spread when multiple. */
  private valueList(values: Expression[]): string {
    return join(this.valueCodes(values), ', ');
  }

  private valueCodes(values: Expression[]): string[] {
    return values.map((value, i) =>
      i === values.length - 1 && isMultiple(value)
        ? `...${this.multiple(value)}`
        : this.expression(value),
    );
  }

  /** The array of all values of a call or `...`. */
  private multiple(e: Expression): string {
    if (e.kind === 'vararg') return '$va';
    return this.call(e as Call);
  }

  private call(call: Call): string {
    this.recordCallSite(call);
    if (call.kind === 'method') {
      const object = this.expression(call.object);
      const name = quote(call.name);
      const method = `$fn($getf($s, ${name}${this.descriptionArgument(this.describe(call.object))}), "method '${call.name}'")`;
      const args = this.valueCodes(call.args);
      if (args.length === 0)
        return this.callCode(`($s = ${object}, ${method})`, this.atLine(call.line, '$s'));
      args[args.length - 1] = this.atLine(call.line, args[args.length - 1]);
      return this.callCode(`($s = ${object}, ${method})`, `$s, ${join(args, ', ')}`);
    }
    let callee = this.expression(call.callee);
    const args = this.valueCodes(call.args);
    if (args.length === 0) callee = this.atLine(call.line, callee);
    else args[args.length - 1] = this.atLine(call.line, args[args.length - 1]);
    return this.callCode(
      `$fn(${callee}${this.descriptionArgument(this.describe(call.callee))})`,
      join(args, ', '),
    );
  }

  /**
   * An operand's code, evaluated last before an operation at `line`, made to leave `$line`
   * at `line` (a spread `...x` stays a spread).
   */
  private atLine(line: number, code: string): string {
    if (this.lineNow === line) return code;
    this.lineNow = line;
    if (code.startsWith('...')) return `...($v = ${code.slice(3)}, $line = ${line}, $v)`;
    return `($v = ${code}, $line = ${line}, $v)`;
  }

  /** Remembers how each line calls, for the argument errors of natives (see callSites). */
  private recordCallSite(call: Call): void {
    const site = call.kind === 'method' ? `:${call.name}` : callSiteOf(call.callee);
    const sites = this.callSites.get(call.line);
    if (sites === undefined) this.callSites.set(call.line, [site]);
    else sites.push(site);
  }

  /** The lines whose calls can name a native's argument error, with their calls, as an object literal. */
  private callSitesArgument(): string {
    const lines: number[] = [];
    this.callSites.forEach((sites, line) => {
      if (namesNatives(sites)) lines.push(line);
    });
    if (lines.length === 0) return '';
    // Statements come in order of their lines, so this rarely sorts.
    if (lines.some((line, i) => i > 0 && line < lines[i - 1]!)) lines.sort((a, b) => a - b);
    const entries = lines.map(
      (line) => `"${line}":[${join(this.callSites.get(line)!.map(quote), ',')}]`,
    );
    return `, {${join(entries, ',')}}`;
  }

  private callCode(f: string, args: string): string {
    if (this.generator) {
      const call = `$gcall(${f}${args.length === 0 ? '' : ', ' + args})`;
      return `(Array.isArray($c = ${call}) ? $c : yield* $c)`;
    }
    return `${f}(${args})`;
  }

  /** How 5.1 names an operand in errors (`"local 'x'"`), as a string literal; or undefined. */
  private describe(e: Expression): string | undefined {
    if (e.kind === 'name') {
      // Names need no escapes.
      const local = this.scope.resolve(e.name);
      if (local === undefined) return `"global '${e.name}'"`;
      return local.functionDepth === this.depth ? `"local '${e.name}'"` : `"upvalue '${e.name}'"`;
    }
    if (e.kind === 'index' && e.key.kind === 'string') return quote(`field '${e.key.value}'`);
    if (e.kind === 'method') return `"method '${e.name}'"`;
    return undefined;
  }

  private descriptionArgument(description: string | undefined): string {
    return description === undefined ? '' : `, ${description}`;
  }

  /** A Lua expression's first value. */
  private expression(e: Expression): string {
    switch (e.kind) {
      case 'nil':
        return 'undefined';
      case 'true':
        return 'true';
      case 'false':
        return 'false';
      case 'number':
        return Object.is(e.value, -0) ? '(-0)' : e.value < 0 ? `(${e.value})` : String(e.value);
      case 'string':
        return quote(e.value);
      case 'vararg':
        return '$va[0]';
      case 'function':
        return this.functionValue(e.body);
      case 'paren':
        return this.expression(e.expression);
      case 'call':
      case 'method':
        return `${this.call(e)}[0]`;
      case 'name': {
        const local = this.scope.resolve(e.name);
        if (local !== undefined) return local.id;
        return `$getf($env, ${this.atLine(e.line, quote(e.name))})`;
      }
      case 'index': {
        const description = this.descriptionArgument(this.describe(e.object));
        const object = this.expression(e.object);
        if (e.key.kind === 'string') {
          return `$getf(${object}, ${this.atLine(e.line, quote(e.key.value))}${description})`;
        }
        const key = this.atLine(e.line, this.expression(e.key));
        return `$get(${object}, ${key}${description})`;
      }
      case 'table':
        return this.table(e.items);
      case 'unary':
        return this.unary(e);
      case 'binary':
        return this.binary(e);
    }
  }

  private table(items: Extract<Expression, { kind: 'table' }>['items']): string {
    const positional = items.filter((item) => item.key === undefined).map((item) => item.value);
    const keyed = items.filter((item) => item.key !== undefined);
    const array = `[${this.valueList(positional)}]`;
    // 5.1 sizes the table by the counts of both kinds of items, a last call or `...` aside.
    const last = positional[positional.length - 1];
    const arrayItems = positional.length - (last !== undefined && isMultiple(last) ? 1 : 0);
    if (keyed.length === 0) return `$table(${array}, undefined, ${arrayItems}, 0)`;
    const pairs = keyed.map(
      (item) => `${this.expression(item.key!)}, ${this.expression(item.value)}`,
    );
    return `$table(${array}, [${join(pairs, ', ')}], ${arrayItems}, ${keyed.length})`;
  }

  private unary(e: Extract<Expression, { kind: 'unary' }>): string {
    if (e.operator === 'not') return `!${this.condition(e.operand)}`;
    if (e.operator === '-' && e.operand.kind === 'number') {
      return this.expression({ kind: 'number', value: -e.operand.value });
    }
    const operand = this.atLine(e.line, this.expression(e.operand));
    const description = this.descriptionArgument(this.describe(e.operand));
    return `${e.operator === '-' ? '$unm' : '$len'}(${operand}${description})`;
  }

  private binary(e: Extract<Expression, { kind: 'binary' }>): string {
    const { operator, left, right } = e;
    if (operator === 'and' || operator === 'or') {
      const a = this.expression(left);
      const after = this.lineNow;
      const b = this.expression(right);
      if (this.lineNow !== after) this.lineNow = undefined; // the right side may not run
      const isFalse = this.isSimple(left)
        ? `(${a} === undefined || ${a} === false)`
        : `(($t = ${a}) === undefined || $t === false)`;
      const first = this.isSimple(left) ? a : '$t';
      return operator === 'and'
        ? `(${isFalse} ? ${first} : ${b})`
        : `(${isFalse} ? ${b} : ${first})`;
    }
    if (operator === '==' || operator === '~=') {
      const test = `$eq(${this.expression(left)}, ${this.expression(right)})`;
      return operator === '==' ? test : `!${test}`;
    }
    const a = this.expression(left);
    const simple = this.isSimple(left) && this.isSimple(right);
    // Simple operands are used twice by the inline path: the line is set before them.
    const b = simple ? this.expression(right) : this.atLine(e.line, this.expression(right));
    const setLine = simple && this.lineNow !== e.line ? `$line = ${e.line}, ` : '';
    if (simple) this.lineNow = e.line;
    const inline = INLINE_OPERATORS[operator];
    const numeric = (x: Expression, code: string) =>
      x.kind === 'number' ? undefined : `typeof ${code} === 'number'`;
    const descriptions =
      operator === '<' || operator === '<=' || operator === '>' || operator === '>='
        ? ''
        : this.descriptionPair(left, right);
    const slow = `${BINARY_HELPERS[operator]}(${a}, ${b}${descriptions})`;
    if (!simple) return slow;
    if (inline === undefined) return `(${setLine}${slow})`;
    const checks = [numeric(left, a), numeric(right, b)].filter((check) => check !== undefined);
    if (checks.length === 0) return `(${a} ${inline} ${b})`;
    return `(${setLine}${join(checks, ' && ')} ? ${a} ${inline} ${b} : ${slow})`;
  }

  private descriptionPair(left: Expression, right: Expression): string {
    const da = this.describe(left);
    const db = this.describe(right);
    if (da === undefined && db === undefined) return '';
    return `, ${da ?? 'undefined'}${db === undefined ? '' : `, ${db}`}`;
  }

  /** An expression that can be evaluated twice: a local or a constant. */
  private isSimple(e: Expression): boolean {
    if (e.kind === 'name') return this.scope.resolve(e.name) !== undefined;
    return (
      e.kind === 'number' ||
      e.kind === 'string' ||
      e.kind === 'nil' ||
      e.kind === 'true' ||
      e.kind === 'false'
    );
  }

  /** A Lua expression as a JavaScript boolean (its truth). */
  private condition(e: Expression): string {
    switch (e.kind) {
      case 'true':
        return 'true';
      case 'false':
      case 'nil':
        return 'false';
      case 'unary':
        if (e.operator === 'not') return `!${this.condition(e.operand)}`;
        break;
      case 'binary':
        if (e.operator === 'and' || e.operator === 'or') {
          const a = this.condition(e.left);
          const after = this.lineNow;
          const b = this.condition(e.right);
          if (this.lineNow !== after) this.lineNow = undefined; // the right side may not run
          return `(${a} ${e.operator === 'and' ? '&&' : '||'} ${b})`;
        }
        if (['==', '~=', '<', '<=', '>', '>='].includes(e.operator)) return this.binary(e);
        break;
      case 'name':
      case 'paren':
        if (e.kind === 'paren') return this.condition(e.expression);
        if (this.scope.resolve(e.name) !== undefined) {
          const id = this.expression(e);
          return `(${id} !== undefined && ${id} !== false)`;
        }
        break;
    }
    return `$truthy(${this.expression(e)})`;
  }
}
