import { notSupported } from './errors.js';
import { ARRAY_FUNCTIONS } from './functions-arrays.js';
import { arity, bind, type FunctionTable } from './functions-common.js';
import { DATETIME_FUNCTIONS } from './functions-datetime.js';
import { JSON_FUNCTIONS } from './functions-json.js';
import { STRING_FUNCTIONS } from './functions-strings.js';
import { TYPE_FUNCTIONS } from './functions-types.js';
import { MAIN_DUCK_NAME } from './names.js';

export type { FunctionContext, FunctionRewrite } from './functions-common.js';
export { convertDatetimePattern, nowDate, nowTimestamp } from './functions-datetime.js';

const refuse = (what: string) => () => {
  throw notSupported(what);
};

/** decode(expr, key1, value1, …[, default]): the first key that matches, NULL matching NULL. */
function decode(a: string[]): string {
  if (a.length === 2) throw notSupported('decode(binary, charset)');
  if (a.length < 3) throw notSupported(`decode with ${a.length} argument(s)`);
  return bind([a[0]!], ([e]) => {
    let sql = '(CASE';
    let i = 1;
    for (; i + 1 < a.length; i += 2) sql += ` WHEN ${e} IS NOT DISTINCT FROM ${a[i]} THEN ${a[i + 1]}`;
    return `${sql} ELSE ${i < a.length ? a[i] : 'NULL'} END)`;
  });
}

const GENERAL_FUNCTIONS: FunctionTable = {
  // Same count; Spark names the column count(1), DuckDB would say count_star().
  COUNT: (a) => (a.length === 1 && a[0] === '*' ? 'count(1)' : undefined),
  // NULL instead of DIVIDE_BY_ZERO.
  TRY_DIVIDE: (a) => (arity('try_divide', a, 2), `(CASE WHEN (${a[1]}) = 0 THEN NULL ELSE (${a[0]}) / (${a[1]}) END)`),
  NVL: (a) => (arity('nvl', a, 2), `coalesce(${a.join(', ')})`),
  NVL2: (a) => (arity('nvl2', a, 3), `(CASE WHEN (${a[0]}) IS NOT NULL THEN ${a[1]} ELSE ${a[2]} END)`),
  ISNULL: (a) => (arity('isnull', a, 1), `((${a[0]}) IS NULL)`),
  ISNOTNULL: (a) => (arity('isnotnull', a, 1), `((${a[0]}) IS NOT NULL)`),
  DECODE: decode,
  CURRENT_USER: (a, ctx) => (arity('current_user', a, 0), `'${ctx.currentUser.replaceAll("'", "''")}'`),
  CURRENT_CATALOG: (a) => (arity('current_catalog', a, 0), `(CASE WHEN current_database() = '${MAIN_DUCK_NAME}' THEN 'main' ELSE lower(current_database()) END)`),
  CURRENT_SCHEMA: (a) => (arity('current_schema', a, 0), 'current_schema()'),
  CURRENT_DATABASE: (a) => (arity('current_database', a, 0), 'current_schema()'),
  // Spark's one-argument log is natural; DuckDB's is base 10.
  LOG: (a) => (a.length === 1 ? `ln(${a[0]})` : undefined),
  BROUND: (a) => `round_even(${a[0]}, ${a[1] ?? '0'})`,
  PERCENTILE: (a) => (arity('percentile', a, 2), `quantile_cont(${a[0]}, ${a[1]})`),
  // Different hash functions: any answer would silently differ from Databricks.
  HASH: refuse('hash() (Murmur3 values cannot be reproduced)'),
  XXHASH64: refuse('xxhash64()'),
  PERCENTILE_APPROX: refuse('percentile_approx()'),
  APPROX_PERCENTILE: refuse('approx_percentile()'),
  COLLECT_LIST: refuse('collect_list() (use array_agg with FILTER (WHERE x IS NOT NULL))'),
  COLLECT_SET: refuse('collect_set()'),
};

/**
 * Databricks SQL functions that DuckDB lacks or implements with different semantics, rewritten
 * to DuckDB expressions with the Databricks meaning. Functions that exist in both with the same
 * meaning pass through untouched; functions DuckDB does not know fail there with UNRESOLVED_ROUTINE.
 * A handler gets already-translated argument SQL and returns the replacement, or undefined to keep
 * the call as written.
 */
export const FUNCTION_REWRITES: FunctionTable = {
  ...GENERAL_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...TYPE_FUNCTIONS,
};
