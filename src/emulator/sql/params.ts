import { SqlError } from './errors.js';
import { parseType } from './expressions.js';
import { sqlString, tokenize, type Token } from './lexer.js';

/** A statement parameter as the statement API accepts it: no value = NULL, no type = STRING. */
export interface StatementParameter {
  name: string;
  value?: string | null;
  type?: string;
}

/** Why a parameter list was rejected before execution (the API answers 400). */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a parameter list up front: names must be identifiers and unique, types must be scalar
 * Databricks types. Returns the DuckDB type for each parameter.
 */
export function validateParameters(params: readonly StatementParameter[]): Map<string, { value: string | null; duckType: string }> {
  const out = new Map<string, { value: string | null; duckType: string }>();
  params.forEach((p, i) => {
    if (!NAME.test(p.name)) throw new ParameterError(`parameters[${i}].name: '${p.name}' is not a valid parameter name`);
    const key = p.name.toLowerCase();
    if (out.has(key)) throw new ParameterError(`parameters[${i}].name: duplicate parameter '${p.name}'`);
    const typeText = (p.type ?? 'STRING').trim();
    let duckType: string;
    try {
      const tokens = tokenize(typeText);
      const parsed = parseType(tokens, 0);
      if (parsed.next !== tokens.length) throw new Error('trailing tokens');
      if (/[[\]]|MAP\(|STRUCT\(/.test(parsed.sql)) throw new Error('complex');
      duckType = parsed.sql;
    } catch {
      throw new ParameterError(`parameters[${i}].type: '${typeText}' is not a supported parameter type (scalar types only)`);
    }
    out.set(key, { value: p.value ?? null, duckType });
  });
  return out;
}

/**
 * Replaces `:name` markers by typed literals. Inlining (rather than binding) keeps parameters
 * working in every statement form, including the multi-statement plans translation produces;
 * DuckDB strings have no escape syntax besides doubled quotes, so the literal cannot break out.
 */
export function bindParameters(tokens: readonly Token[], params: Map<string, { value: string | null; duckType: string }>): Token[] {
  return tokens.map((t) => {
    // The API binds parameters by name only; DuckDB would take `?` as an unbound positional one.
    if (t.kind === 'op' && t.text === '?') throw new SqlError('UNBOUND_SQL_PARAMETER', 'Found a positional parameter marker (?): statement parameters are bound by name (:name).');
    if (t.kind !== 'param') return t;
    const p = params.get(t.value.toLowerCase());
    if (!p) throw new SqlError('UNBOUND_SQL_PARAMETER', `Found the unbound parameter: ${t.value}.`);
    const literal = p.value === null ? `CAST(NULL AS ${p.duckType})` : `CAST(${sqlString(p.value)} AS ${p.duckType})`;
    return { kind: 'op', text: literal, value: literal, pre: t.pre };
  });
}
