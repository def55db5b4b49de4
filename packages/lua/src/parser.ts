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
import { syntaxError, tokenize, type Token } from './lexer.js';

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
  return new Parser(tokenize(source, chunkName), chunkName).chunk();
}

class Parser {
  private current: Token;
  private lookahead: Token | undefined = undefined;
  /** The line of the token before `current` (for the ambiguous-call check). */
  private previousLine = 0;
  /** Whether the function being parsed may use `...` and whether it does, innermost last. */
  private readonly varargScopes: Array<{ isVararg: boolean; used: boolean }> = [];

  constructor(
    private readonly nextToken: () => Token,
    private readonly chunkName: string,
  ) {
    this.current = nextToken();
  }

  chunk(): FunctionBody {
    const vararg = { isVararg: true, used: false };
    this.varargScopes.push(vararg);
    const body = this.block();
    if (this.current.kind !== 'eof') throw this.errorExpected("'<eof>'");
    this.varargScopes.pop();
    return { parameters: [], usesVararg: vararg.used, declaresVararg: false, body, line: 0 };
  }

  private next(): Token {
    const token = this.current;
    this.previousLine = token.line;
    this.current = this.lookahead ?? this.nextToken();
    this.lookahead = undefined;
    return token;
  }

  private peek(): Token {
    return (this.lookahead ??= this.nextToken());
  }

  private check(kind: string): boolean {
    return this.current.kind === kind;
  }

  private accept(kind: string): boolean {
    if (this.current.kind !== kind) return false;
    this.next();
    return true;
  }

  private error(message: string, token: Token = this.current): LuaError {
    return syntaxError(this.chunkName, token.line, message, token.text);
  }

  private errorExpected(what: string): LuaError {
    return this.error(`${what} expected`);
  }

  private expect(kind: string): Token {
    if (!this.check(kind)) throw this.errorExpected(`'${kind}'`);
    return this.next();
  }

  /** Closes a construct opened at `line` with `what` (5.1's check_match wording). */
  private expectClosing(what: string, opener: string, line: number): void {
    if (this.accept(what)) return;
    if (line === this.current.line) throw this.errorExpected(`'${what}'`);
    throw this.error(`'${what}' expected (to close '${opener}' at line ${line})`);
  }

  private name(): string {
    if (!this.check('name')) throw this.errorExpected("'<name>'");
    return this.next().value as string;
  }

  private blockFollows(): boolean {
    const kind = this.current.kind;
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
    const token = this.next();
    if (token.kind === 'break') return { kind: 'break', line: token.line };
    const values = this.blockFollows() || this.check(';') ? [] : this.expressionList();
    return { kind: 'return', values, line: token.line };
  }

  private statement(): Statement {
    const token = this.current;
    const line = token.line;
    switch (token.kind) {
      case 'if':
        return this.ifStatement();
      case 'while': {
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
    const line = this.current.line;
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
    const line = this.next().line;
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
    const line = this.current.line;
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
    return { parameters, usesVararg: vararg.used, declaresVararg: isVararg, body, line };
  }

  private expressionList(): Expression[] {
    const list = [this.expression()];
    while (this.accept(',')) list.push(this.expression());
    return list;
  }

  expression(limit = 0): Expression {
    let left: Expression;
    const token = this.current;
    if (token.kind === 'not' || token.kind === '-' || token.kind === '#') {
      this.next();
      const operand = this.expression(UNARY_PRIORITY);
      // 5.1 reports an operator's error at the line where its last operand ends.
      left = { kind: 'unary', operator: token.kind, operand, line: this.previousLine };
    } else {
      left = this.simpleExpression();
    }
    for (;;) {
      const operator = this.current.kind as BinaryOperator;
      const priority = Object.hasOwn(PRIORITY, operator) ? PRIORITY[operator] : undefined;
      if (priority === undefined || priority[0] <= limit) return left;
      this.next();
      const right = this.expression(priority[1]);
      left = { kind: 'binary', operator, left, right, line: this.previousLine };
    }
  }

  private simpleExpression(): Expression {
    const token = this.current;
    switch (token.kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: token.value as number };
      case 'string':
        this.next();
        return { kind: 'string', value: token.value as string };
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
        this.next();
        return { kind: 'function', body: this.functionBody(false, token.line) };
      default:
        return this.suffixedExpression();
    }
  }

  private primaryExpression(): Expression {
    const token = this.current;
    if (token.kind === 'name') {
      this.next();
      return { kind: 'name', name: token.value as string, line: token.line };
    }
    if (token.kind === '(') {
      this.next();
      const expression = this.expression();
      this.expectClosing(')', '(', token.line);
      return { kind: 'paren', expression };
    }
    throw this.error('unexpected symbol');
  }

  private suffixedExpression(): Expression {
    let expression = this.primaryExpression();
    for (;;) {
      const token = this.current;
      switch (token.kind) {
        case '.':
          this.next();
          expression = {
            kind: 'index',
            object: expression,
            key: { kind: 'string', value: this.name() },
            line: token.line,
          };
          break;
        case '[': {
          this.next();
          const key = this.expression();
          this.expect(']');
          expression = { kind: 'index', object: expression, key, line: token.line };
          break;
        }
        case ':': {
          this.next();
          const name = this.name();
          const args = this.callArguments();
          expression = { kind: 'method', object: expression, name, args, line: token.line };
          break;
        }
        case '(':
        case 'string':
        case '{': {
          const args = this.callArguments();
          expression = { kind: 'call', callee: expression, args, line: token.line } satisfies Call;
          break;
        }
        default:
          return expression;
      }
    }
  }

  private callArguments(): Expression[] {
    const token = this.current;
    if (token.kind === 'string') {
      this.next();
      return [{ kind: 'string', value: token.value as string }];
    }
    if (token.kind === '{') return [this.tableConstructor()];
    if (token.kind !== '(') throw this.error('function arguments expected');
    if (this.previousLine !== token.line) {
      throw this.error('ambiguous syntax (function call x new statement)');
    }
    this.next();
    const args = this.check(')') ? [] : this.expressionList();
    this.expectClosing(')', '(', token.line);
    return args;
  }

  private tableConstructor(): Expression {
    const line = this.expect('{').line;
    const items: TableItem[] = [];
    while (!this.check('}')) {
      if (this.check('name') && this.peek().kind === '=') {
        const key: Expression = { kind: 'string', value: this.next().value as string };
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
