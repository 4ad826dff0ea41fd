import { notSupported } from './errors.js';
import { sqlString } from './lexer.js';

/**
 * Shared pieces of the function rewrites (functions*.ts): a handler gets the already-translated
 * DuckDB SQL of its arguments and returns replacement SQL, or undefined to keep the call.
 */
export interface FunctionContext {
  currentUser: string;
  /** Virtual epoch ms at statement start: the emulated workspace's "now" (constant within a statement, as in Spark). */
  now: number;
}
export type FunctionRewrite = (args: string[], ctx: FunctionContext) => string | undefined;
export type FunctionTable = Record<string, FunctionRewrite>;

export const cast = (expr: string, type: string) => `CAST(${expr} AS ${type})`;

export const arity = (name: string, args: string[], ...allowed: number[]) => {
  if (!allowed.includes(args.length)) throw notSupported(`${name} with ${args.length} argument(s)`);
};

/** A DuckDB identifier as translation emits it: bare, or double-quoted with "" escapes. */
export const IDENT = '(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*)';
const COLUMN_REF = new RegExp(`^${IDENT}(?:\\s*\\.\\s*${IDENT})*$`);
const NOT_COLUMNS = new Set(['NULL', 'TRUE', 'FALSE']);

/** A (possibly qualified) column or lambda-variable reference, e.g. `a`, `t."my col"`. */
export const isColumnRef = (sql: string) => COLUMN_REF.test(sql.trim()) && !NOT_COLUMNS.has(sql.trim().toUpperCase());

/** The unquoted last part of a column reference. */
export function lastNamePart(sql: string): string {
  const parts = sql.trim().match(new RegExp(IDENT, 'g'))!;
  const last = parts[parts.length - 1]!;
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last;
}

/** The value of a translated string literal ('…' with '' escapes), or undefined if the SQL is not one. */
export function stringLiteral(sql: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/.exec(sql.trim());
  return m ? m[1]!.replaceAll("''", "'") : undefined;
}

export function intLiteral(sql: string): number | undefined {
  const m = /^(-?)\s*(\d+)$/.exec(sql.trim());
  return m ? Number(`${m[1]}${m[2]}`) : undefined;
}

/**
 * SQL that raises `[errorClass] message` when evaluated; `message` is SQL text (a string
 * expression), so runtime values can be part of it. fromDuckDbError turns it back into the class.
 */
export const raise = (errorClass: string, message: string) => `error(${sqlString(`[${errorClass}] `)} || ${message})`;

/** A refusal evaluated per row, for cases only the data can reveal. */
export const refuseAtRuntime = (what: string) => raise('NOT_SUPPORTED_BY_EMULATOR', sqlString(`not supported by the emulator: ${what}`));

/**
 * Lambda parameter names that cannot clash with the ones already in `texts` (the arguments hold
 * any rewrites nested inside; an enclosing rewrite will scan this one's output in turn).
 */
export function freshNames(texts: readonly string[], count: number): string[] {
  let max = 0;
  for (const t of texts) for (const m of t.matchAll(/__v(\d+)/g)) max = Math.max(max, Number(m[1]));
  return Array.from({ length: count }, (_, k) => `__v${max + k + 1}`);
}

const SIMPLE = /^(?:-?\d+(?:\.\d*)?|'(?:[^']|'')*'|NULL|TRUE|FALSE)$/i;

/**
 * Evaluates each expression once and hands `body` a reference to its value: a rewrite that needs
 * an argument several times must not run it several times (it may be costly or non-deterministic).
 * Column references and literals are used directly; anything else is bound by a one-element lambda,
 * unless the body holds a subquery, which DuckDB does not allow inside a lambda: then the
 * expression is repeated (the same value unless it is non-deterministic).
 */
export function bind(exprs: readonly string[], body: (refs: string[]) => string): string {
  const probe = body(exprs.map(() => ''));
  if (/\(\s*(SELECT|WITH)\b/i.test(probe)) return body([...exprs]);
  const complex = exprs.map((e) => !(isColumnRef(e) || SIMPLE.test(e.trim())));
  const names = freshNames([...exprs, probe], complex.filter(Boolean).length);
  let k = 0;
  const refs = exprs.map((e, i) => (complex[i] ? names[k++]! : e));
  let sql = body(refs);
  for (let i = exprs.length - 1; i >= 0; i--) if (complex[i]) sql = `list_transform([${exprs[i]}], lambda ${refs[i]}: ${sql})[1]`;
  return sql;
}

export interface Lambda {
  params: string[];
  body: string;
}

const LAMBDA = new RegExp(`^\\s*(?:\\(\\s*(${IDENT}(?:\\s*,\\s*${IDENT})*)\\s*\\)|(${IDENT}))\\s*->\\s*([\\s\\S]+)$`);

/** Parses a translated Spark lambda `x -> body` / `(x, i) -> body`; refuses anything else. */
export function parseLambda(fn: string, sql: string, ...paramCounts: number[]): Lambda {
  const m = LAMBDA.exec(sql);
  const params = m ? (m[1] ?? m[2]!).split(',').map((p) => p.trim()) : [];
  if (!m || !paramCounts.includes(params.length)) throw notSupported(`${fn} without a lambda of ${paramCounts.join(' or ')} parameter(s)`);
  return { params, body: m[3]!.trim() };
}

/** DuckDB lambda text (the `lambda` keyword form: DuckDB deprecates the arrow). */
export const lambda = (params: readonly string[], body: string) => `lambda ${params.join(', ')}: ${body}`;

/**
 * A DuckDB lambda over (element, index) whose body sees Spark's 0-based INT index under the
 * user's name (DuckDB passes a 1-based BIGINT).
 */
export function indexedLambda(f: Lambda): string {
  if (f.params.length < 2) return lambda(f.params, f.body);
  const [hidden] = freshNames([f.body], 1);
  return lambda([f.params[0]!, hidden!], `list_transform([CAST(${hidden} - 1 AS INTEGER)], ${lambda([f.params[1]!], f.body)})[1]`);
}
