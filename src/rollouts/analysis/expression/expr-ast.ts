// The syntax tree of a condition. Every node keeps its source offset for error messages.

export type ExprNode =
  | { type: 'literal'; value: null | boolean | number | string; pos: number }
  | { type: 'name'; name: string; pos: number }
  /** `#` (the current element of a predicate), `#index`, `#acc`. */
  | { type: 'pointer'; name: string; pos: number }
  | { type: 'member'; object: ExprNode; property: ExprNode; optional: boolean; pos: number }
  | { type: 'unary'; op: string; operand: ExprNode; pos: number }
  | { type: 'binary'; op: string; left: ExprNode; right: ExprNode; pos: number }
  | { type: 'conditional'; test: ExprNode; consequent: ExprNode; alternate: ExprNode; pos: number }
  | { type: 'call'; callee: string; args: ExprNode[]; pos: number }
  /** A predicate such as `{# > 0.9}` passed to all/any/filter...; evaluated once per element. */
  | { type: 'closure'; body: ExprNode; pos: number }
  | { type: 'array'; elements: ExprNode[]; pos: number }
  | { type: 'map'; entries: [string, ExprNode][]; pos: number };
