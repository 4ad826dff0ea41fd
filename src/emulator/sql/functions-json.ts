import { notSupported } from './errors.js';
import { arity, bind, cast, refuseAtRuntime, stringLiteral, type FunctionTable } from './functions-common.js';
import { sqlString } from './lexer.js';
import { javaDoubleExpression } from './types.js';

interface JsonPath {
  /** The same path in DuckDB's syntax. */
  duck: string;
  /** Spark answers 'null' for a JSON null reached by an index (or the root), NULL when reached by a key. */
  nullAsText: boolean;
}

/**
 * Spark's get_json_object path grammar: `$` then `.name`, `['name']` or `[index]`. Wildcards
 * (`*`) are refused (Spark unwraps single matches in ways DuckDB does not); an ill-formed path
 * gives undefined (Spark answers NULL).
 */
function parsePath(path: string): JsonPath | undefined {
  if (!path.startsWith('$')) return undefined;
  let duck = '$';
  let nullAsText = true;
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    if (/^(\.\*|\['\*'\]|\[\*\])/.test(rest)) throw notSupported('get_json_object with a wildcard path');
    const m = /^\.([^.[]+)/.exec(rest) ?? /^\['([^'?]+)'\]/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    if (m) {
      if (/["\\]/.test(m[1]!)) throw notSupported('get_json_object with a key containing a quote or backslash');
      duck += `."${m[1]}"`;
      nullAsText = false;
      i += m[0].length;
    } else if (index) {
      duck += `[${BigInt(index[1]!)}]`;
      nullAsText = true;
      i += index[0].length;
    } else return undefined;
  }
  return { duck, nullAsText };
}

/**
 * Spark re-serialises what it extracts with Jackson: strings raw, integers as written (-0 → 0),
 * floating-point numbers as Java's Double.toString, objects and arrays as compact JSON. DuckDB's
 * compact JSON matches except for floats inside objects/arrays, which are refused. Jackson also
 * reads single quotes and raw control characters, so invalid JSON holding those is refused rather
 * than answered NULL.
 */
function getJsonObject(json: string, pathSql: string): string {
  const pathText = stringLiteral(pathSql);
  if (pathText === undefined) throw notSupported('get_json_object with a path that is not a string literal');
  const path = parsePath(pathText);
  if (!path) return 'CAST(NULL AS VARCHAR)';
  const p = sqlString(path.duck);
  return bind([cast(json, 'VARCHAR')], ([j]) => {
    const type = `json_type(${j}, ${p})`;
    const text = `json_extract_string(${j}, ${p})`;
    const dbl = cast(text, 'DOUBLE');
    return `(CASE WHEN ${j} IS NULL THEN NULL
      WHEN NOT json_valid(${j}) THEN (CASE WHEN regexp_matches(${j}, '[''\\x00-\\x1f]') THEN ${refuseAtRuntime('get_json_object of JSON with single quotes or raw control characters')} END)
      WHEN ${type} IS NULL THEN NULL
      WHEN ${type} = 'NULL' THEN ${path.nullAsText ? "'null'" : 'NULL'}
      WHEN ${type} IN ('VARCHAR', 'BOOLEAN', 'BIGINT', 'UBIGINT') THEN ${text}
      WHEN ${type} = 'DOUBLE' AND regexp_full_match(${text}, '-?[0-9]+') THEN ${text}
      WHEN ${type} = 'DOUBLE' AND NOT isinf(${dbl}) THEN ${javaDoubleExpression(dbl)}
      WHEN ${type} IN ('OBJECT', 'ARRAY') AND NOT regexp_matches(json_structure(json_extract(${j}, ${p})), '(^|[:\\[])"DOUBLE"') THEN ${text}
      ELSE ${refuseAtRuntime('get_json_object of a floating-point number inside an object or array, or out of range')} END)`;
  });
}

export const JSON_FUNCTIONS: FunctionTable = {
  GET_JSON_OBJECT: (a) => (arity('get_json_object', a, 2), getJsonObject(a[0]!, a[1]!)),
};
