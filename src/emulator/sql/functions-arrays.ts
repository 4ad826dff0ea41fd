import { notSupported } from './errors.js';
import { arity, bind, freshNames, indexedLambda, lambda, parseLambda, raise, refuseAtRuntime, type FunctionTable } from './functions-common.js';
import { sqlString } from './lexer.js';

const isSubquery = (sql: string | undefined) => sql !== undefined && /^\s*\(?\s*(SELECT|WITH|FROM|VALUES)\b/i.test(sql);

/** Spark's exists/forall are three-valued: SQL's OR/AND folded over the predicate results are too. */
function fold(fn: string, a: string[], op: 'OR' | 'AND', empty: string): string {
  const f = parseLambda(fn, a[1]!, 1);
  const [p, q] = freshNames([a[0]!, f.body], 2);
  return `list_reduce(list_transform(${a[0]}, ${lambda(f.params, f.body)}), ${lambda([p!, q!], `${p} ${op} ${q}`)}, ${empty})`;
}

/**
 * aggregate/reduce: a NULL array gives NULL (finish is not applied), and the merge function must
 * return the start value's type (Spark rejects the query otherwise; DuckDB would widen).
 */
function aggregate(fn: string, a: string[]): string {
  arity(fn, a, 3, 4);
  const merge = parseLambda(fn, a[2]!, 2);
  const finish = a[3] === undefined ? undefined : parseLambda(fn, a[3], 1);
  return bind([a[0]!, a[1]!], ([arr, start]) => {
    const reduced = `list_reduce(${arr}, ${lambda(merge.params, merge.body)}, ${start})`;
    const result = finish ? `list_transform([${reduced}], ${lambda(finish.params, finish.body)})[1]` : reduced;
    const mismatch = raise('DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE', `${sqlString(`${fn}: the merge function returns `)} || typeof(${reduced}) || ' where the start value is ' || typeof(${start})`);
    return `(CASE WHEN typeof(${start}) <> typeof(${reduced}) THEN ${mismatch} WHEN ${arr} IS NULL THEN NULL ELSE ${result} END)`;
  });
}

const INTEGRAL = "('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT')";

/** Integer sequences only: date and timestamp sequences step by intervals DuckDB adds differently. */
function sequence(a: string[]): string {
  arity('sequence', a, 2, 3);
  if (a[2] !== undefined && /\bINTERVAL\b|to_(years|months|days|hours|minutes|seconds)/i.test(a[2])) throw notSupported('sequence of dates or timestamps');
  return bind(a, ([start, stop, given]) => {
    const step = given ?? `(CASE WHEN ${start} <= ${stop} THEN 1 ELSE -1 END)`;
    const common = `coalesce(${start}, ${stop})`;
    const [x] = freshNames([start!, stop!, step], 1);
    const asBigint = (v: string) => `TRY_CAST(${v} AS BIGINT)`;
    const series = `generate_series(${asBigint(start!)}, ${asBigint(stop!)}, CASE WHEN ${step} = 0 THEN 1 ELSE ${asBigint(step)} END)`;
    const illegal = raise('ILLEGAL_SEQUENCE_BOUNDARIES', `'Illegal sequence boundaries: ' || ${start} || ' to ' || ${stop} || ' by ' || ${step}`);
    return `(CASE WHEN typeof(${common}) NOT IN ${INTEGRAL} OR typeof(${step}) NOT IN ${INTEGRAL} THEN ${refuseAtRuntime('sequence of non-integer values')}
      WHEN ${start} IS NULL OR ${stop} IS NULL OR ${step} IS NULL THEN NULL
      WHEN NOT ((${step} > 0 AND ${start} <= ${stop}) OR (${step} < 0 AND ${start} >= ${stop}) OR (${step} = 0 AND ${start} = ${stop})) THEN ${illegal}
      ELSE list_transform(${series}, ${lambda([x!], `cast_to_type(CAST(${x} AS VARCHAR), ${common})`)}) END)`;
  });
}

export const ARRAY_FUNCTIONS: FunctionTable = {
  SIZE: (a) => (arity('size', a, 1), `len(${a[0]})`),
  CARDINALITY: (a) => (arity('cardinality', a, 1), `len(${a[0]})`),
  ARRAY: (a) => (a.length > 0 && isSubquery(a[0]) ? undefined : `list_value(${a.join(', ')})`),
  ARRAY_JOIN: (a) => (arity('array_join', a, 2), `array_to_string(${a[0]}, ${a[1]})`),
  ELEMENT_AT: (a) => (arity('element_at', a, 2), `(${a[0]})[${a[1]}]`),
  EXPLODE: (a) => (arity('explode', a, 1), `unnest(${a[0]})`),
  // Spark keeps each element's first occurrence in place (one NULL included); DuckDB's list_distinct
  // reorders and drops NULLs.
  ARRAY_DISTINCT: (a) => {
    arity('array_distinct', a, 1);
    return bind(a, ([arr]) => {
      const [x, i] = freshNames([arr!], 2);
      return `list_filter(${arr}, ${lambda([x!, i!], `list_position(${arr}, ${x}) = ${i}`)})`;
    });
  },
  // Spark puts NULLs first ascending and last descending; the order must be a literal.
  SORT_ARRAY: (a) => {
    arity('sort_array', a, 1, 2);
    const asc = (a[1] ?? 'TRUE').trim().toUpperCase();
    if (asc !== 'TRUE' && asc !== 'FALSE') throw notSupported('sort_array with a sort order that is not a boolean literal');
    return asc === 'TRUE' ? `list_sort(${a[0]}, 'ASC', 'NULLS FIRST')` : `list_sort(${a[0]}, 'DESC', 'NULLS LAST')`;
  },
  ARRAY_MAX: (a) => (arity('array_max', a, 1), `list_max(${a[0]})`),
  ARRAY_MIN: (a) => (arity('array_min', a, 1), `list_min(${a[0]})`),
  // The (x, i) form's index is 0-based in Spark, 1-based in DuckDB.
  TRANSFORM: (a) => (arity('transform', a, 2), `list_transform(${a[0]}, ${indexedLambda(parseLambda('transform', a[1]!, 1, 2))})`),
  // `FILTER (WHERE …)` after an aggregate is the same token sequence: leave it alone.
  FILTER: (a) => (a.length !== 2 || /^\s*WHERE\b/i.test(a[0]!) ? undefined : `list_filter(${a[0]}, ${indexedLambda(parseLambda('filter', a[1]!, 1, 2))})`),
  // `EXISTS (SELECT …)` is a subquery, not the array function.
  EXISTS: (a) => (a.length !== 2 || isSubquery(a[0]) ? undefined : fold('exists', a, 'OR', 'false')),
  FORALL: (a) => (arity('forall', a, 2), fold('forall', a, 'AND', 'true')),
  AGGREGATE: (a) => aggregate('aggregate', a),
  REDUCE: (a) => aggregate('reduce', a),
  SEQUENCE: sequence,
};
