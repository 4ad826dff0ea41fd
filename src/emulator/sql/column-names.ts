import type { Token } from './lexer.js';

/**
 * Result column names as Databricks gives them to select-list items without an alias.
 *
 * DuckDB names such a column after its own rendering of the expression, and the emulator's
 * expression is often a translation (`concat('a','b')` runs as `('a' || 'b')`, `date_add` as a CAST
 * chain), so the name would show DuckDB internals. Spark names it after the expression's "pretty"
 * SQL: literals unquoted, qualifiers dropped, function names in lower case, every binary operator
 * in parentheses (`upper(a)`, `(x + 1)`, `count(1)` for `count(*)`, `CAST(x AS INT)`). This module
 * parses the items of the query's first select list with a small precedence parser and adds that
 * name as an alias. It is deliberately strict: any construct it does not know (window functions,
 * lambdas, subscripts, IF, BETWEEN, …) leaves the item as it was.
 */

const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'QUALIFY', 'CLUSTER', 'DISTRIBUTE', 'SORT', 'LATERAL', 'INTO', 'OFFSET']);

/** Words that never start or continue an expression here (so `a b` reads as an alias, `x IS NULL` does not). */
const RESERVED = new Set([...LIST_END, 'SELECT', 'AS', 'AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'DISTINCT', 'ALL', 'OVER', 'DIV', 'ON', 'JOIN', 'USING']);

const SPARK_TYPES: Record<string, string> = {
  STRING: 'STRING',
  VARCHAR: 'STRING',
  INT: 'INT',
  INTEGER: 'INT',
  LONG: 'BIGINT',
  BIGINT: 'BIGINT',
  SHORT: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  BYTE: 'TINYINT',
  TINYINT: 'TINYINT',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_NTZ: 'TIMESTAMP_NTZ',
  BINARY: 'BINARY',
};

/** Binary operators by precedence (higher binds tighter) and how Spark names them. */
const BINARY: Record<string, { prec: number; name?: (l: string, r: string) => string }> = {
  OR: { prec: 1 },
  AND: { prec: 2 },
  '=': { prec: 4 },
  '==': { prec: 4, name: (l, r) => `(${l} = ${r})` },
  '!=': { prec: 4, name: (l, r) => `(NOT (${l} = ${r}))` },
  '<>': { prec: 4, name: (l, r) => `(NOT (${l} = ${r}))` },
  '<=>': { prec: 4 },
  '<': { prec: 4 },
  '<=': { prec: 4 },
  '>': { prec: 4 },
  '>=': { prec: 4 },
  '+': { prec: 6 },
  '-': { prec: 6 },
  '||': { prec: 6, name: (l, r) => `concat(${l}, ${r})` },
  '*': { prec: 7 },
  '/': { prec: 7 },
  '%': { prec: 7 },
  DIV: { prec: 7, name: (l, r) => `(${l} div ${r})` },
};

class NotNamed extends Error {}

interface Expr {
  /** Spark's name for it. */
  name: string;
  /** A bare column reference or star: DuckDB already names it as Spark does. */
  plain?: boolean;
}

/** Parses one expression from tokens[from, to); `parse()` fails unless it consumes all of them. */
class ExprParser {
  private i: number;

  constructor(
    private readonly tokens: readonly Token[],
    from: number,
    private readonly to: number,
  ) {
    this.i = from;
  }

  parse(): Expr {
    const e = this.expr(0);
    if (this.i !== this.to) throw new NotNamed();
    return e;
  }

  private peek(k = 0): Token | undefined {
    return this.i + k < this.to ? this.tokens[this.i + k] : undefined;
  }

  private word(k = 0): string | undefined {
    const t = this.peek(k);
    return t?.kind === 'word' ? t.value : undefined;
  }

  private op(k = 0): string | undefined {
    const t = this.peek(k);
    return t?.kind === 'op' ? t.text : undefined;
  }

  private take(): Token {
    const t = this.peek();
    if (!t) throw new NotNamed();
    this.i++;
    return t;
  }

  private expectOp(text: string): void {
    if (this.op() !== text) throw new NotNamed();
    this.i++;
  }

  private expectWord(value: string): void {
    if (this.word() !== value) throw new NotNamed();
    this.i++;
  }

  private expr(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const w = this.word();
      if (w === 'IS' && minPrec <= 4) {
        this.i++;
        const not = this.word() === 'NOT' ? (this.i++, true) : false;
        this.expectWord('NULL');
        left = { name: `(${left.name} IS ${not ? 'NOT ' : ''}NULL)` };
        continue;
      }
      if ((w === 'IN' || (w === 'NOT' && this.word(1) === 'IN')) && minPrec <= 4) {
        const not = w === 'NOT';
        this.i += not ? 2 : 1;
        const items = this.args();
        if (items.length === 0) throw new NotNamed();
        const inList = `(${left.name} IN (${items.join(', ')}))`;
        left = { name: not ? `(NOT ${inList})` : inList };
        continue;
      }
      if (w === 'LIKE' && minPrec <= 4) {
        this.i++;
        left = { name: `${left.name} LIKE ${this.expr(5).name}` };
        continue;
      }
      const key = w ?? this.op();
      const bin = key !== undefined ? BINARY[key] : undefined;
      if (!bin || bin.prec < minPrec || (w !== undefined && key !== 'AND' && key !== 'OR' && key !== 'DIV')) break;
      this.i++;
      const right = this.expr(bin.prec + 1);
      left = { name: bin.name ? bin.name(left.name, right.name) : `(${left.name} ${key} ${right.name})` };
    }
    return left;
  }

  private unary(): Expr {
    if (this.word() === 'NOT') {
      this.i++;
      return { name: `(NOT ${this.expr(3).name})` };
    }
    if (this.op() === '-') {
      this.i++;
      const next = this.peek();
      if (next?.kind === 'number') {
        // Spark's parser folds the sign into a numeric literal.
        this.i++;
        return this.postfix({ name: `-${numberName(next.text)}` });
      }
      return { name: `(- ${this.expr(8).name})` };
    }
    return this.postfix(this.primary());
  }

  /** `x::type` casts. */
  private postfix(e: Expr): Expr {
    while (this.op() === '::') {
      this.i++;
      e = { name: `CAST(${e.name} AS ${this.type()})` };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.take();
    switch (t.kind) {
      case 'number':
        return { name: numberName(t.text) };
      case 'string':
        return { name: t.value };
      case 'quoted':
        return this.reference(t.value);
      case 'op':
        if (t.text === '*') return { name: '*', plain: true };
        if (t.text === '(') {
          const inner = this.expr(0);
          this.expectOp(')');
          return { name: inner.name };
        }
        throw new NotNamed();
      case 'word':
        break;
      default:
        throw new NotNamed();
    }
    const v = t.value;
    if (v === 'NULL') return { name: 'NULL' };
    if (v === 'TRUE' || v === 'FALSE') return { name: v.toLowerCase() };
    if ((v === 'DATE' || v === 'TIMESTAMP') && this.peek()?.kind === 'string') return { name: `${v} '${this.take().value}'` };
    if (v === 'CURRENT_DATE' || v === 'CURRENT_TIMESTAMP') {
      if (this.op() === '(') this.args();
      return { name: `${v.toLowerCase()}()` };
    }
    if (v === 'CAST' && this.op() === '(') {
      this.i++;
      const inner = this.expr(0);
      this.expectWord('AS');
      const type = this.type();
      this.expectOp(')');
      return { name: `CAST(${inner.name} AS ${type})` };
    }
    if (v === 'CASE') return this.caseWhen();
    if (RESERVED.has(v)) throw new NotNamed();
    if (this.op() === '(') return this.call(t.text.toLowerCase());
    return this.reference(t.text);
  }

  /** `a`, `t.a`, `t.*`: Spark shows the last part only. */
  private reference(first: string): Expr {
    let name = first;
    while (this.op() === '.') {
      this.i++;
      const part = this.take();
      if (part.kind === 'op' && part.text === '*') return { name: '*', plain: true };
      if (part.kind !== 'word' && part.kind !== 'quoted') throw new NotNamed();
      name = part.kind === 'quoted' ? part.value : part.text;
    }
    return { name, plain: true };
  }

  private call(fn: string): Expr {
    if (fn === 'if' || fn === 'iff') throw new NotNamed(); // Spark wraps IF in its own parentheses; not modelled
    this.expectOp('(');
    let distinct = false;
    if (this.word() === 'DISTINCT') {
      distinct = true;
      this.i++;
    }
    let args: string[];
    if (this.op() === '*' && this.op(1) === ')') {
      this.i += 2;
      args = fn === 'count' ? ['1'] : ['*'];
    } else args = this.args(true);
    if (this.word() === 'OVER' || this.word() === 'FILTER' || this.word() === 'WITHIN') throw new NotNamed();
    return { name: `${fn}(${distinct ? 'DISTINCT ' : ''}${args.join(', ')})` };
  }

  /** `( a, b, … )`: the `(` is next, or already taken when `opened`. */
  private args(opened = false): string[] {
    if (!opened) this.expectOp('(');
    const out: string[] = [];
    if (this.op() === ')') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.expr(0).name);
      if (this.op() === ',') {
        this.i++;
        continue;
      }
      this.expectOp(')');
      return out;
    }
  }

  private caseWhen(): Expr {
    if (this.word() !== 'WHEN') throw new NotNamed(); // simple CASE x WHEN …: not modelled
    let name = 'CASE';
    while (this.word() === 'WHEN') {
      this.i++;
      const cond = this.expr(0);
      this.expectWord('THEN');
      name += ` WHEN ${cond.name} THEN ${this.expr(0).name}`;
    }
    if (this.word() === 'ELSE') {
      this.i++;
      name += ` ELSE ${this.expr(0).name}`;
    }
    this.expectWord('END');
    return { name: `${name} END` };
  }

  private type(): string {
    const t = this.take();
    if (t.kind !== 'word') throw new NotNamed();
    if (t.value === 'DECIMAL' || t.value === 'DEC' || t.value === 'NUMERIC') {
      if (this.op() !== '(') return 'DECIMAL(10,0)';
      const [p, s] = this.args();
      return `DECIMAL(${p},${s ?? '0'})`;
    }
    const spark = SPARK_TYPES[t.value];
    if (!spark) throw new NotNamed();
    return spark;
  }
}

/** `1L` → `1`, `1.5D` → `1.5`: Spark drops the type suffix from the name. */
function numberName(text: string): string {
  return text.replace(/(?:BD|[LSYDF])$/i, '');
}

/** Spark's name for the expression tokens[from, to), or undefined when it cannot tell. */
export function sparkName(tokens: readonly Token[], from = 0, to = tokens.length): { name: string; plain: boolean } | undefined {
  try {
    const e = new ExprParser(tokens, from, to).parse();
    return { name: e.name, plain: e.plain === true };
  } catch (err) {
    if (err instanceof NotNamed) return undefined;
    throw err;
  }
}

const isWord = (t: Token | undefined, ...values: string[]) => t?.kind === 'word' && values.includes(t.value);
const isOp = (t: Token | undefined, text: string) => t?.kind === 'op' && t.text === text;

/** Where the first select list at nesting depth 0 starts and ends, or undefined. */
function firstSelectList(tokens: readonly Token[]): { from: number; to: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(') || isOp(t, '[')) depth++;
    else if (isOp(t, ')') || isOp(t, ']')) depth--;
    else if (depth === 0 && start === -1 && isWord(t, 'SELECT')) {
      start = i + 1;
      if (isWord(tokens[start], 'DISTINCT', 'ALL')) start++;
    } else if (depth === 0 && start !== -1 && t.kind === 'word' && LIST_END.has(t.value)) return { from: start, to: i };
  }
  return start === -1 ? undefined : { from: start, to: tokens.length };
}

/** Whether an item is the NULL literal itself, aliased or not (`NULL`, `NULL AS x`, `NULL x`). */
function isNullLiteral(item: readonly Token[]): boolean {
  if (!isWord(item[0], 'NULL')) return false;
  const rest = item.slice(1);
  if (isWord(rest[0], 'AS')) rest.shift();
  return rest.length === 0 || (rest.length === 1 && (rest[0]!.kind === 'word' || rest[0]!.kind === 'quoted'));
}

/** Whether the query combines select lists (UNION, EXCEPT, …), whose columns take a common type. */
function hasSetOperation(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS')) return true;
  }
  return false;
}

/**
 * The tokens with an alias added to each item of the query's first select list that has none and
 * whose Databricks name differs from a bare column's: `SELECT upper(name) FROM t` runs as
 * `SELECT upper(name) AS \`upper(name)\` FROM t`. Items it cannot name are left alone.
 *
 * Also the positions of result columns that are the NULL literal: Databricks types them VOID
 * (type_name NULL), while DuckDB turns a NULL-typed result column into INTEGER. Known only for
 * items before any `*` (which expands to an unknown number of columns) and without set operations
 * (where NULL takes the other branches' type).
 */
export function withSparkColumnNames(tokens: readonly Token[]): { tokens: Token[]; nullColumns: number[] } {
  const list = firstSelectList(tokens);
  if (!list) return { tokens: [...tokens], nullColumns: [] };
  const out: Token[] = tokens.slice(0, list.from);
  const nullColumns: number[] = [];
  let positionsKnown = !hasSetOperation(tokens);
  let itemStart = list.from;
  let position = 0;
  let depth = 0;
  for (let i = list.from; i <= list.to; i++) {
    const t = tokens[i];
    if (i < list.to && (isOp(t, '(') || isOp(t, '['))) depth++;
    else if (i < list.to && (isOp(t, ')') || isOp(t, ']'))) depth--;
    if (i < list.to && !(depth === 0 && isOp(t, ','))) continue;
    const item = tokens.slice(itemStart, i);
    out.push(...item);
    const named = sparkName(tokens, itemStart, i);
    if (named && !named.plain) out.push({ kind: 'word', text: 'AS', value: 'AS', pre: ' ' }, { kind: 'quoted', text: `\`${named.name.replaceAll('`', '``')}\``, value: named.name, pre: ' ' });
    if (named?.name === '*') positionsKnown = false;
    else if (positionsKnown && isNullLiteral(item)) nullColumns.push(position);
    if (i < list.to) out.push(t!);
    itemStart = i + 1;
    position++;
  }
  out.push(...tokens.slice(list.to));
  return { tokens: out, nullColumns };
}
