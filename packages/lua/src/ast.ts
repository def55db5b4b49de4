/** The syntax tree of a Lua 5.1 chunk, as the parser builds it and the compiler reads it. */

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '^' | '..' | '==' | '~=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type UnaryOperator = '-' | 'not' | '#';

export type Expression =
  | { kind: 'nil' }
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'vararg' }
  | { kind: 'function'; body: FunctionBody }
  | { kind: 'table'; items: TableItem[]; line: number }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression; line: number }
  | { kind: 'unary'; operator: UnaryOperator; operand: Expression; line: number }
  | { kind: 'name'; name: string; line: number }
  | { kind: 'index'; object: Expression; key: Expression; line: number }
  | Call
  | { kind: 'paren'; expression: Expression };

export type Call =
  | { kind: 'call'; callee: Expression; args: Expression[]; line: number }
  | { kind: 'method'; object: Expression; name: string; args: Expression[]; line: number };

/** `[k] = v` and `k = v` entries carry their key; positional entries do not. */
export interface TableItem {
  key: Expression | undefined;
  value: Expression;
}

/** What an assignment can write to. */
export type Target = Extract<Expression, { kind: 'name' } | { kind: 'index' }>;

export type Statement = (
  | { kind: 'local'; names: string[]; values: Expression[] }
  | { kind: 'assign'; targets: Target[]; values: Expression[] }
  | { kind: 'call'; call: Call }
  | { kind: 'do'; body: Statement[] }
  | { kind: 'while'; condition: Expression; body: Statement[] }
  | { kind: 'repeat'; body: Statement[]; condition: Expression }
  | {
      kind: 'if';
      clauses: { condition: Expression; body: Statement[] }[];
      otherwise: Statement[] | undefined;
    }
  | {
      kind: 'numericFor';
      variable: string;
      start: Expression;
      limit: Expression;
      step: Expression | undefined;
      body: Statement[];
    }
  | { kind: 'genericFor'; names: string[]; values: Expression[]; body: Statement[] }
  | { kind: 'function'; target: Target; body: FunctionBody }
  | { kind: 'localFunction'; name: string; body: FunctionBody }
  | { kind: 'return'; values: Expression[] }
  | { kind: 'break' }
) & { line: number };

export interface FunctionBody {
  /** Parameter names; a method (`function a:b()`) has `self` first. */
  parameters: string[];
  /** Whether its own body uses `...` (the compiled function then takes its extra arguments). */
  usesVararg: boolean;
  /**
   * Whether it was declared with `...` (a main chunk is not): Lua 5.1 then gives it a local
   * `arg`, its extra arguments as a table with their count in `n` when the body does not use
   * `...`, else nil (LUA_COMPAT_VARARG).
   */
  declaresVararg: boolean;
  body: Statement[];
  line: number;
  /** Whether its body holds a loop or a function, at any depth. */
  hasLoopOrFunction: boolean;
}
