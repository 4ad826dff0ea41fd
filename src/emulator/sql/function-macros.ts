import { withSparkColumnNames } from './column-names.js';
import { notSupported, SqlError } from './errors.js';
import { parseType, rewrite, type RewriteContext } from './expressions.js';
import { sqlIdent, tokenize, type Token } from './lexer.js';

/**
 * A SQL user-defined function as Databricks defines it (CREATE FUNCTION or the functions API), and
 * its DuckDB backing: a scalar function is a DuckDB macro, a table function a table macro. The body
 * stays Databricks SQL here (it is what `routine_definition` shows) and is translated like any
 * other expression when the macro is made.
 */
export interface FunctionParam {
  name: string;
  /** Databricks type text as written (`INT`, `decimal(10,2)`, `array<string>`). */
  typeText: string;
  /** Databricks SQL expression text of the DEFAULT. */
  default?: string;
  comment?: string;
}

export interface FunctionBody {
  params: FunctionParam[];
  /** Scalar return type text; undefined (and no `table`) = derived from the body. */
  returns?: string;
  /** RETURNS TABLE columns; `[]` = derived from the query. */
  table?: FunctionParam[];
  /** Databricks SQL: an expression (scalar) or a query (table). */
  body: string;
  comment?: string;
  /** Undefined = derived from the body, as Databricks does when neither DETERMINISTIC clause is given. */
  deterministic?: boolean;
  /** Undefined = derived from the body (CONTAINS SQL unless it reads a table). */
  dataAccess?: 'CONTAINS_SQL' | 'READS_SQL_DATA';
}

/** A Databricks type text as DuckDB SQL; a type the translator does not know is refused. */
export function duckType(typeText: string): string {
  const tokens = tokenize(typeText);
  const parsed = parseType(tokens, 0);
  if (parsed.next !== tokens.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error in the data type '${typeText}'`);
  return parsed.sql;
}

/**
 * Functions whose rewrite inlines the caller's statement (current_user() becomes a literal, now()
 * the statement's instant): inside a stored body they would freeze the creator's values.
 */
const FROZEN = new Set(['CURRENT_USER', 'USER', 'SESSION_USER', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'NOW', 'CURDATE', 'LOCALTIMESTAMP']);

function bodyTokens(text: string): Token[] {
  const tokens = tokenize(text).filter((t) => t.kind !== 'semicolon');
  if (tokens.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: a function needs a body after RETURN');
  const frozen = tokens.find((t) => t.kind === 'word' && FROZEN.has(t.value));
  if (frozen) throw notSupported(`${frozen.text} in a function body (the emulator would freeze the creator's value)`);
  return tokens;
}

const startsQuery = (tokens: readonly Token[]) => tokens[0]?.kind === 'word' && ['SELECT', 'WITH', 'FROM'].includes(tokens[0].value);

/** CONTAINS SQL unless the body names a FROM clause (a table, a view or a table function). */
export function derivedDataAccess(text: string): 'CONTAINS_SQL' | 'READS_SQL_DATA' {
  return tokenize(text).some((t) => t.kind === 'word' && t.value === 'FROM') ? 'READS_SQL_DATA' : 'CONTAINS_SQL';
}

/** Deterministic unless the body calls a random function. */
export function derivedDeterminism(text: string): boolean {
  return !tokenize(text).some((t) => t.kind === 'word' && ['RAND', 'RANDN', 'RANDOM', 'UUID', 'SHUFFLE'].includes(t.value));
}

/**
 * The parameter list of the macro, untyped with `:=` defaults. Typed DuckDB macro parameters would
 * refuse arguments Databricks casts implicitly (a BIGINT for an INT) and cannot be stored in
 * catalog files of older storage versions; the body casts each parameter instead (castParams).
 */
function paramsSql(params: readonly FunctionParam[], ctx: RewriteContext): string {
  let defaults = false;
  return params
    .map((p) => {
      if (p.default === undefined && defaults) throw new SqlError('INVALID_SQL_SYNTAX', `A parameter without a DEFAULT (${p.name}) cannot follow parameters with one.`);
      defaults ||= p.default !== undefined;
      return `${sqlIdent(p.name)}${p.default === undefined ? '' : ` := ${rewrite(bodyTokens(p.default), ctx).trim()}`}`;
    })
    .join(', ');
}

/**
 * Every reference to a parameter in the body becomes `(CAST(param AS type))`, so the body sees
 * the declared types whatever the caller passed. A name after `.` or AS, or before `(`, is not one.
 */
function castParams(tokens: Token[], params: readonly FunctionParam[]): Token[] {
  const types = new Map(params.map((p) => [p.name.toLowerCase(), duckType(p.typeText)]));
  return tokens.map((t, k) => {
    const name = t.kind === 'word' ? t.text.toLowerCase() : t.kind === 'quoted' ? t.value.toLowerCase() : undefined;
    const type = name === undefined ? undefined : types.get(name);
    const prev = tokens[k - 1];
    if (type === undefined || (prev?.kind === 'op' && prev.text === '.') || (prev?.kind === 'word' && prev.value === 'AS') || (tokens[k + 1]?.kind === 'op' && tokens[k + 1]!.text === '(')) return t;
    const sql = `(CAST(${sqlIdent(name!)} AS ${type}))`;
    return { kind: 'op', text: sql, value: sql, pre: t.pre };
  });
}

/** `CREATE [OR REPLACE] [TEMP] MACRO target(params) AS …` for the function. */
export function macroSql(f: FunctionBody, target: string, ctx: RewriteContext, opts: { replace?: boolean; temp?: boolean } = {}): string {
  const head = `CREATE ${opts.replace ? 'OR REPLACE ' : ''}${opts.temp ? 'TEMP ' : ''}MACRO ${target}(${paramsSql(f.params, ctx)}) AS`;
  const tokens = castParams(bodyTokens(f.body), f.params);
  if (f.table === undefined) {
    const expr = rewrite(tokens, ctx).trim();
    // Parenthesised, a RETURN query (one row, one column) is a scalar subquery.
    const value = `(${expr})`;
    return `${head} ${f.returns === undefined ? value : `CAST(${value} AS ${duckType(f.returns)})`}`;
  }
  if (!startsQuery(tokens)) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: a table function must RETURN a query');
  const query = rewrite(withSparkColumnNames(tokens).tokens, ctx).trim();
  if (f.table.length === 0) return `${head} TABLE ${query}`;
  // Declared columns rename the query's columns by position and cast them to the declared types.
  const inner = f.table.map((_, k) => sqlIdent(`__c${k}`));
  const cols = f.table.map((c, k) => `CAST(${inner[k]} AS ${duckType(c.typeText)}) AS ${sqlIdent(c.name)}`);
  return `${head} TABLE SELECT ${cols.join(', ')} FROM (${query}) AS __f(${inner.join(', ')})`;
}
