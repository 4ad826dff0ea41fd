import { notSupported } from './errors.js';
import { arity, bind, cast, freshNames, intLiteral, lambda, refuseAtRuntime, type FunctionTable } from './functions-common.js';

/**
 * Where DuckDB's simple Unicode case mapping differs from Spark's (Java/ICU special casing):
 * lower-casing İ and Σ (final sigma) anywhere, and title-casing ß, ŉ, ǰ, ΐ, ΰ, և, ligatures, the
 * DŽ/LJ/NJ/DZ digraphs, Georgian and Greek with iota subscript at the start of a word.
 */
const SPECIAL_CASING = "'[İΣ]|(^| )[ßŉǰΐΰև\\x{01C4}-\\x{01CC}\\x{01F1}-\\x{01F3}\\x{10D0}-\\x{10FF}\\x{1F80}-\\x{1FFF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}]'";

/** Spark: lower-case everything, then upper-case the first letter and each one after an ASCII space. */
function initcap(s: string): string {
  return bind([s], ([v]) => {
    const [w] = freshNames([v!], 1);
    const words = `list_transform(string_split(lower(${v}), ' '), ${lambda([w!], `upper(left(${w}, 1)) || substr(${w}, 2)`)})`;
    return `(CASE WHEN regexp_matches(${v}, ${SPECIAL_CASING}) THEN ${refuseAtRuntime('initcap of letters whose case mapping differs in Spark (İ, Σ; ß, ligatures, digraphs starting a word)')} ELSE array_to_string(${words}, ' ') END)`;
  });
}

const INTEGERS = "('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')";

/**
 * Java's DecimalFormat('#,##0.00…'), US locale, HALF_EVEN — what Spark's format_number uses.
 * Decimals and integers round exactly. A double is formatted from its shortest decimal form, which
 * matches rounding its exact binary value (what DuckDB's format does) while |x|·10^d < 2^52;
 * beyond that (and for NaN/Infinity) the emulator refuses.
 */
function formatNumber(x: string, dSql: string): string {
  const d = intLiteral(dSql);
  if (d === undefined) throw notSupported('format_number with a format that is not an integer literal');
  if (d < 0) return 'CAST(NULL AS VARCHAR)';
  if (d > 30) throw notSupported('format_number with more than 30 decimal places');
  const frac = d > 0 ? `.${'0'.repeat(d)}` : '';
  return bind([x], ([v]) => {
    const dbl = cast(v!, 'DOUBLE');
    const double = `(CASE WHEN isnan(${dbl}) OR isinf(${dbl}) OR abs(${dbl}) * 1e${d} >= 4503599627370496 THEN ${refuseAtRuntime('format_number of a double this large, NaN or Infinity')}
      ELSE format('{:,.${d}f}', ${dbl}) END)`;
    const sign = `(CASE WHEN ${v} < 0 THEN '-' ELSE '' END)`;
    const integer = `${sign} || format('{:,}', abs(${cast(v!, 'HUGEINT')})) || '${frac}'`;
    const abs = `abs(${v})`;
    const t = `trunc(${abs}, ${d})`;
    const tie = d === 0 ? '0.5' : `0.${'0'.repeat(d)}5`;
    const halfEven = `(CASE WHEN ${abs} - ${t} = ${tie} AND right(CAST(${t} AS VARCHAR), 1) IN ('0', '2', '4', '6', '8') THEN ${t} ELSE round(${abs}, ${d}) END)`;
    const digits = `CAST(CAST(${halfEven} AS DECIMAL(38, ${d})) AS VARCHAR)`;
    const decimal = `${sign} || format('{:,}', CAST(split_part(${digits}, '.', 1) AS HUGEINT))${d > 0 ? ` || '.' || split_part(${digits}, '.', 2)` : ''}`;
    return `(CASE WHEN ${v} IS NULL THEN NULL WHEN typeof(${v}) IN ('FLOAT', 'DOUBLE') THEN ${double}
      WHEN typeof(${v}) IN ${INTEGERS} THEN ${integer} WHEN typeof(${v}) LIKE 'DECIMAL%' THEN ${decimal}
      ELSE ${refuseAtRuntime('format_number of a value that is not a number')} END)`;
  });
}

export const STRING_FUNCTIONS: FunctionTable = {
  // NULL-propagating, unlike DuckDB's concat which skips NULLs.
  CONCAT: (a) => (a.length === 0 ? "''" : `(${a.map((x) => cast(x, 'VARCHAR')).join(' || ')})`),
  // Spark replaces every match and writes groups as $1; DuckDB replaces the first unless 'g', groups as \1.
  REGEXP_REPLACE: (a) => {
    arity('regexp_replace', a, 3);
    const repl = /^'.*'$/s.test(a[2]!.trim()) ? a[2]!.trim().replace(/\$(\d)/g, '\\$1') : a[2]!;
    return `regexp_replace(${a[0]}, ${a[1]}, ${repl}, 'g')`;
  },
  // Spark's default group is 1, DuckDB's is 0.
  REGEXP_EXTRACT: (a) => (arity('regexp_extract', a, 2, 3), `regexp_extract(${a[0]}, ${a[1]}, ${a[2] ?? '1'})`),
  REGEXP_LIKE: (a) => (arity('regexp_like', a, 2), `regexp_matches(${a[0]}, ${a[1]})`),
  RLIKE: (a) => (arity('rlike', a, 2), `regexp_matches(${a[0]}, ${a[1]})`),
  // Spark splits on a regex; DuckDB's split is literal.
  SPLIT: (a) => (arity('split', a, 2), `string_split_regex(${a[0]}, ${a[1]})`),
  LOCATE: (a) => (arity('locate', a, 2), `instr(${a[1]}, ${a[0]})`),
  SHA2: (a) => {
    arity('sha2', a, 2);
    if (!['256', '0'].includes(a[1]!.trim())) throw notSupported(`sha2 with bit length ${a[1]!.trim()}`);
    return `sha256(${a[0]})`;
  },
  INITCAP: (a) => (arity('initcap', a, 1), initcap(a[0]!)),
  FORMAT_NUMBER: (a) => (arity('format_number', a, 2), formatNumber(a[0]!, a[1]!)),
};
