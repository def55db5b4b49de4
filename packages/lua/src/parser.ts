import type {
  BinaryOperator,
  Call,
  Expression,
  FunctionBody,
  Statement,
  TableItem,
  Target,
} from './ast.js';
import type { LuaError } from './error.js';
import { Lexer, syntaxError } from './lexer.js';

/** Binary operator priorities (left, right) as Lua 5.1's parser has them. */
const PRIORITY: Record<BinaryOperator, [number, number]> = {
  '+': [6, 6],
  '-': [6, 6],
  '*': [7, 7],
  '/': [7, 7],
  '%': [7, 7],
  '^': [10, 9],
  '..': [5, 4],
  '==': [3, 3],
  '~=': [3, 3],
  '<': [3, 3],
  '<=': [3, 3],
  '>': [3, 3],
  '>=': [3, 3],
  and: [2, 2],
  or: [1, 1],
};
const UNARY_PRIORITY = 8;

/** Parses a Lua 5.1 chunk into the body of its main function (a vararg function). */
export function parse(source: string, chunkName: string): FunctionBody {
  return new Parser(new Lexer(source, chunkName), chunkName).chunk();
}

class Parser {
  /** The line of the token before the lexer's current one (for the ambiguous-call check). */
  private previousLine = 0;
  /** Whether the function being parsed may use `...` and whether it does, innermost last. */
  private readonly varargScopes: Array<{ isVararg: boolean; used: boolean }> = [];
  /** Loops and functions parsed so far (FunctionBody.hasLoopOrFunction). */
  private loopsAndFunctions = 0;

  constructor(
    /** Holds the current token. */
    private readonly lexer: Lexer,
    private readonly chunkName: string,
  ) {
    lexer.next();
  }

  chunk(): FunctionBody {
    const vararg = { isVararg: true, used: false };
    this.varargScopes.push(vararg);
    const body = this.block();
    if (this.lexer.kind !== 'eof') throw this.errorExpected("'<eof>'");
    this.varargScopes.pop();
    return {
      parameters: [],
      usesVararg: vararg.used,
      declaresVararg: false,
      body,
      line: 0,
      hasLoopOrFunction: this.loopsAndFunctions > 0,
    };
  }

  /** Moves to the next token; returns the line of the one passed. */
  private next(): number {
    const line = this.lexer.line;
    this.previousLine = line;
    this.lexer.next();
    return line;
  }

  private check(kind: string): boolean {
    return this.lexer.kind === kind;
  }

  private accept(kind: string): boolean {
    if (this.lexer.kind !== kind) return false;
    this.next();
    return true;
  }

  /** An error at the current token. */
  private error(message: string): LuaError {
    return syntaxError(this.chunkName, this.lexer.line, message, this.lexer.text());
  }

  private errorExpected(what: string): LuaError {
    return this.error(`${what} expected`);
  }

  /** Passes a token of `kind`; returns its line. */
  private expect(kind: string): number {
    if (!this.check(kind)) throw this.errorExpected(`'${kind}'`);
    return this.next();
  }

  /** Closes a construct opened at `line` with `what` (5.1's check_match wording). */
  private expectClosing(what: string, opener: string, line: number): void {
    if (this.accept(what)) return;
    if (line === this.lexer.line) throw this.errorExpected(`'${what}'`);
    throw this.error(`'${what}' expected (to close '${opener}' at line ${line})`);
  }

  private name(): string {
    if (!this.check('name')) throw this.errorExpected("'<name>'");
    const name = this.lexer.value as string;
    this.next();
    return name;
  }

  private blockFollows(): boolean {
    const kind = this.lexer.kind;
    return (
      kind === 'else' || kind === 'elseif' || kind === 'end' || kind === 'until' || kind === 'eof'
    );
  }

  private block(): Statement[] {
    const statements: Statement[] = [];
    while (!this.blockFollows()) {
      if (this.check('return') || this.check('break')) {
        statements.push(this.lastStatement());
        this.accept(';');
        break;
      }
      statements.push(this.statement());
      this.accept(';');
    }
    return statements;
  }

  private lastStatement(): Statement {
    const isBreak = this.check('break');
    const line = this.next();
    if (isBreak) return { kind: 'break', line };
    const values = this.blockFollows() || this.check(';') ? [] : this.expressionList();
    return { kind: 'return', values, line };
  }

  private statement(): Statement {
    const line = this.lexer.line;
    switch (this.lexer.kind) {
      case 'if':
        return this.ifStatement();
      case 'while': {
        this.loopsAndFunctions++;
        this.next();
        const condition = this.expression();
        this.expect('do');
        const body = this.block();
        this.expectClosing('end', 'while', line);
        return { kind: 'while', condition, body, line };
      }
      case 'do': {
        this.next();
        const body = this.block();
        this.expectClosing('end', 'do', line);
        return { kind: 'do', body, line };
      }
      case 'for':
        return this.forStatement();
      case 'repeat': {
        this.loopsAndFunctions++;
        this.next();
        const body = this.block();
        this.expectClosing('until', 'repeat', line);
        const condition = this.expression();
        return { kind: 'repeat', body, condition, line };
      }
      case 'function': {
        this.next();
        let target: Target = { kind: 'name', name: this.name(), line };
        while (this.check('.')) {
          this.next();
          target = {
            kind: 'index',
            object: target,
            key: { kind: 'string', value: this.name() },
            line,
          };
        }
        const isMethod = this.accept(':');
        if (isMethod) {
          target = {
            kind: 'index',
            object: target,
            key: { kind: 'string', value: this.name() },
            line,
          };
        }
        const body = this.functionBody(isMethod, line);
        return { kind: 'function', target, body, line };
      }
      case 'local': {
        this.next();
        if (this.accept('function')) {
          const name = this.name();
          return { kind: 'localFunction', name, body: this.functionBody(false, line), line };
        }
        const names = [this.name()];
        while (this.accept(',')) names.push(this.name());
        const values = this.accept('=') ? this.expressionList() : [];
        return { kind: 'local', names, values, line };
      }
      default:
        return this.expressionStatement();
    }
  }

  private ifStatement(): Statement {
    const line = this.lexer.line;
    const clauses: { condition: Expression; body: Statement[] }[] = [];
    do {
      this.next();
      const condition = this.expression();
      this.expect('then');
      clauses.push({ condition, body: this.block() });
    } while (this.check('elseif'));
    let otherwise: Statement[] | undefined;
    if (this.accept('else')) otherwise = this.block();
    this.expectClosing('end', 'if', line);
    return { kind: 'if', clauses, otherwise, line };
  }

  private forStatement(): Statement {
    this.loopsAndFunctions++;
    const line = this.next();
    const first = this.name();
    if (this.accept('=')) {
      const start = this.expression();
      this.expect(',');
      const limit = this.expression();
      const step = this.accept(',') ? this.expression() : undefined;
      this.expect('do');
      const body = this.block();
      this.expectClosing('end', 'for', line);
      return { kind: 'numericFor', variable: first, start, limit, step, body, line };
    }
    if (!this.check(',') && !this.check('in')) throw this.errorExpected("'=' or 'in'");
    const names = [first];
    while (this.accept(',')) names.push(this.name());
    this.expect('in');
    const values = this.expressionList();
    this.expect('do');
    const body = this.block();
    this.expectClosing('end', 'for', line);
    return { kind: 'genericFor', names, values, body, line };
  }

  /** A call, or else an assignment (5.1's exprstat: anything but a call must be assigned). */
  private expressionStatement(): Statement {
    const line = this.lexer.line;
    const first = this.suffixedExpression();
    if (first.kind === 'call' || first.kind === 'method')
      return { kind: 'call', call: first, line };
    const targets = [this.asTarget(first)];
    while (this.accept(',')) targets.push(this.asTarget(this.suffixedExpression()));
    this.expect('=');
    const values = this.expressionList();
    return { kind: 'assign', targets, values, line };
  }

  private asTarget(expression: Expression): Target {
    if (expression.kind === 'name' || expression.kind === 'index') return expression;
    throw this.error('syntax error');
  }

  private functionBody(isMethod: boolean, line: number): FunctionBody {
    this.loopsAndFunctions++;
    const before = this.loopsAndFunctions;
    const parameters = isMethod ? ['self'] : [];
    let isVararg = false;
    this.expect('(');
    if (!this.check(')')) {
      do {
        if (this.accept('...')) {
          isVararg = true;
          break;
        }
        if (!this.check('name')) throw this.errorExpected("<name> or '...'");
        parameters.push(this.name());
      } while (this.accept(','));
    }
    this.expect(')');
    const vararg = { isVararg, used: false };
    this.varargScopes.push(vararg);
    const body = this.block();
    this.varargScopes.pop();
    this.expectClosing('end', 'function', line);
    return {
      parameters,
      usesVararg: vararg.used,
      declaresVararg: isVararg,
      body,
      line,
      hasLoopOrFunction: this.loopsAndFunctions > before,
    };
  }

  private expressionList(): Expression[] {
    const list = [this.expression()];
    while (this.accept(',')) list.push(this.expression());
    return list;
  }

  expression(limit = 0): Expression {
    let left: Expression;
    const kind = this.lexer.kind;
    if (kind === 'not' || kind === '-' || kind === '#') {
      this.next();
      const operand = this.expression(UNARY_PRIORITY);
      // 5.1 reports an operator's error at the line where its last operand ends.
      left = { kind: 'unary', operator: kind, operand, line: this.previousLine };
    } else {
      left = this.simpleExpression();
    }
    for (;;) {
      const operator = this.lexer.kind as BinaryOperator;
      const priority = Object.hasOwn(PRIORITY, operator) ? PRIORITY[operator] : undefined;
      if (priority === undefined || priority[0] <= limit) return left;
      this.next();
      const right = this.expression(priority[1]);
      left = { kind: 'binary', operator, left, right, line: this.previousLine };
    }
  }

  private simpleExpression(): Expression {
    const { kind, value } = this.lexer;
    switch (kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: value as number };
      case 'string':
        this.next();
        return { kind: 'string', value: value as string };
      case 'nil':
        this.next();
        return { kind: 'nil' };
      case 'true':
        this.next();
        return { kind: 'true' };
      case 'false':
        this.next();
        return { kind: 'false' };
      case '...': {
        const vararg = this.varargScopes[this.varargScopes.length - 1]!;
        if (!vararg.isVararg) throw this.error("cannot use '...' outside a vararg function");
        vararg.used = true;
        this.next();
        return { kind: 'vararg' };
      }
      case '{':
        return this.tableConstructor();
      case 'function':
        return { kind: 'function', body: this.functionBody(false, this.next()) };
      default:
        return this.suffixedExpression();
    }
  }

  private primaryExpression(): Expression {
    const { kind, value, line } = this.lexer;
    if (kind === 'name') {
      this.next();
      return { kind: 'name', name: value as string, line };
    }
    if (kind === '(') {
      this.next();
      const expression = this.expression();
      this.expectClosing(')', '(', line);
      return { kind: 'paren', expression };
    }
    throw this.error('unexpected symbol');
  }

  private suffixedExpression(): Expression {
    let expression = this.primaryExpression();
    for (;;) {
      const line = this.lexer.line;
      switch (this.lexer.kind) {
        case '.':
          this.next();
          expression = {
            kind: 'index',
            object: expression,
            key: { kind: 'string', value: this.name() },
            line,
          };
          break;
        case '[': {
          this.next();
          const key = this.expression();
          this.expect(']');
          expression = { kind: 'index', object: expression, key, line };
          break;
        }
        case ':': {
          this.next();
          const name = this.name();
          const args = this.callArguments();
          expression = { kind: 'method', object: expression, name, args, line };
          break;
        }
        case '(':
        case 'string':
        case '{': {
          const args = this.callArguments();
          expression = { kind: 'call', callee: expression, args, line } satisfies Call;
          break;
        }
        default:
          return expression;
      }
    }
  }

  private callArguments(): Expression[] {
    const { kind, value, line } = this.lexer;
    if (kind === 'string') {
      this.next();
      return [{ kind: 'string', value: value as string }];
    }
    if (kind === '{') return [this.tableConstructor()];
    if (kind !== '(') throw this.error('function arguments expected');
    if (this.previousLine !== line) {
      throw this.error('ambiguous syntax (function call x new statement)');
    }
    this.next();
    const args = this.check(')') ? [] : this.expressionList();
    this.expectClosing(')', '(', line);
    return args;
  }

  private tableConstructor(): Expression {
    const line = this.expect('{');
    const items: TableItem[] = [];
    while (!this.check('}')) {
      if (this.check('name') && this.lexer.peekKind() === '=') {
        const key: Expression = { kind: 'string', value: this.name() };
        this.next();
        items.push({ key, value: this.expression() });
      } else if (this.accept('[')) {
        const key = this.expression();
        this.expect(']');
        this.expect('=');
        items.push({ key, value: this.expression() });
      } else {
        items.push({ key: undefined, value: this.expression() });
      }
      if (!this.accept(',') && !this.accept(';')) break;
    }
    this.expectClosing('}', '{', line);
    return { kind: 'table', items, line };
  }
}
