import { notSupported } from './errors.js';
import { MAIN_DUCK_NAME } from './names.js';

/**
 * Databricks SQL functions that DuckDB lacks or implements with different semantics, rewritten
 * to DuckDB expressions with the Databricks meaning. Functions that exist in both with the same
 * meaning pass through untouched; functions DuckDB does not know fail there with UNRESOLVED_ROUTINE.
 * A handler gets already-translated argument SQL and returns the replacement, or undefined to keep
 * the call as written.
 */
export interface FunctionContext {
  currentUser: string;
  /** Virtual epoch ms at statement start: the emulated workspace's "now" (constant within a statement, as in Spark). */
  now: number;
}
export type FunctionRewrite = (args: string[], ctx: FunctionContext) => string | undefined;

/** `TIMESTAMP '…'` / `DATE '…'` literals for the virtual clock's now (UTC). */
export const nowTimestamp = (ctx: FunctionContext) => `TIMESTAMP '${new Date(ctx.now).toISOString().replace('T', ' ').replace('Z', '')}'`;
export const nowDate = (ctx: FunctionContext) => `DATE '${new Date(ctx.now).toISOString().slice(0, 10)}'`;

const cast = (expr: string, type: string) => `CAST(${expr} AS ${type})`;
const arity = (name: string, args: string[], ...allowed: number[]) => {
  if (!allowed.includes(args.length)) throw notSupported(`${name} with ${args.length} argument(s)`);
};

/** Spark/Java datetime pattern → strftime/strptime format; unknown letters are refused. */
export function convertDatetimePattern(literal: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(literal.trim());
  if (!m) throw notSupported('a datetime pattern that is not a string literal');
  const pattern = m[1]!.replaceAll("''", "'");
  const map: [string, string][] = [
    ['yyyy', '%Y'], ['yy', '%y'], ['MMMM', '%B'], ['MMM', '%b'], ['MM', '%m'], ['dd', '%d'],
    ['HH', '%H'], ['hh', '%I'], ['mm', '%M'], ['ss', '%S'], ['SSSSSS', '%f'], ['SSS', '%g'],
    ['EEEE', '%A'], ['EEE', '%a'], ['a', '%p'], ['XXX', '%z'], ['Z', '%z'],
  ];
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw notSupported(`datetime pattern ${literal}`);
      out += pattern.slice(i + 1, end).replaceAll('%', '%%');
      i = end + 1;
      continue;
    }
    const hit = map.find(([p]) => pattern.startsWith(p, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) throw notSupported(`datetime pattern letter '${ch}' in ${literal}`);
    out += ch === '%' ? '%%' : ch;
    i++;
  }
  return `'${out.replaceAll("'", "''")}'`;
}

const INTERVAL_UNITS: Record<string, string> = {
  YEAR: 'to_years', QUARTER: 'QUARTER', MONTH: 'to_months', WEEK: 'to_weeks', DAY: 'to_days',
  HOUR: 'to_hours', MINUTE: 'to_minutes', SECOND: 'to_seconds', MILLISECOND: 'to_milliseconds', MICROSECOND: 'to_microseconds',
};

function unitOf(arg: string): string {
  return arg.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1').toUpperCase();
}

function addUnits(unitArg: string, n: string, ts: string): string {
  const unit = unitOf(unitArg);
  const fn = INTERVAL_UNITS[unit];
  if (!fn) throw notSupported(`date arithmetic unit ${unitArg.trim()}`);
  if (fn === 'QUARTER') return cast(`${cast(ts, 'TIMESTAMP')} + to_months(3 * ${cast(n, 'INTEGER')})`, 'TIMESTAMP');
  return cast(`${cast(ts, 'TIMESTAMP')} + ${fn}(${cast(n, fn === 'to_seconds' || fn === 'to_milliseconds' ? 'DOUBLE' : 'INTEGER')})`, 'TIMESTAMP');
}

const castFn = (type: string): FunctionRewrite => (a) => {
  arity(type, a, 1);
  return cast(a[0]!, type);
};

export const FUNCTION_REWRITES: Record<string, FunctionRewrite> = {
  // Same count; Spark names the column count(1), DuckDB would say count_star().
  COUNT: (a) => (a.length === 1 && a[0] === '*' ? 'count(1)' : undefined),
  // NULL instead of DIVIDE_BY_ZERO.
  TRY_DIVIDE: (a) => (arity('try_divide', a, 2), `(CASE WHEN (${a[1]}) = 0 THEN NULL ELSE (${a[0]}) / (${a[1]}) END)`),
  NVL: (a) => (arity('nvl', a, 2), `coalesce(${a.join(', ')})`),
  NVL2: (a) => (arity('nvl2', a, 3), `(CASE WHEN (${a[0]}) IS NOT NULL THEN ${a[1]} ELSE ${a[2]} END)`),
  ISNULL: (a) => (arity('isnull', a, 1), `((${a[0]}) IS NULL)`),
  ISNOTNULL: (a) => (arity('isnotnull', a, 1), `((${a[0]}) IS NOT NULL)`),
  CURRENT_TIMESTAMP: (a, ctx) => (arity('current_timestamp', a, 0), nowTimestamp(ctx)),
  NOW: (a, ctx) => (arity('now', a, 0), nowTimestamp(ctx)),
  CURRENT_DATE: (a, ctx) => (arity('current_date', a, 0), nowDate(ctx)),
  CURRENT_USER: (a, ctx) => (arity('current_user', a, 0), `'${ctx.currentUser.replaceAll("'", "''")}'`),
  CURRENT_CATALOG: (a) => (arity('current_catalog', a, 0), `(CASE WHEN current_database() = '${MAIN_DUCK_NAME}' THEN 'main' ELSE lower(current_database()) END)`),
  CURRENT_SCHEMA: (a) => (arity('current_schema', a, 0), 'current_schema()'),
  CURRENT_DATABASE: (a) => (arity('current_database', a, 0), 'current_schema()'),
  DATE_ADD: (a) => {
    arity('date_add', a, 2, 3);
    if (a.length === 3) return addUnits(a[0]!, a[1]!, a[2]!);
    return cast(`${cast(a[0]!, 'DATE')} + ${cast(a[1]!, 'INTEGER')}`, 'DATE');
  },
  DATEADD: (a, ctx) => FUNCTION_REWRITES.DATE_ADD!(a, ctx),
  TIMESTAMPADD: (a) => (arity('timestampadd', a, 3), addUnits(a[0]!, a[1]!, a[2]!)),
  DATE_SUB: (a) => (arity('date_sub', a, 2), cast(`${cast(a[0]!, 'DATE')} - ${cast(a[1]!, 'INTEGER')}`, 'DATE')),
  DATEDIFF: (a) => {
    // The 3-argument form counts whole elapsed units in Databricks but crossed boundaries in DuckDB.
    arity('datediff', a, 2);
    return cast(`${cast(a[0]!, 'DATE')} - ${cast(a[1]!, 'DATE')}`, 'INTEGER');
  },
  ADD_MONTHS: (a) => (arity('add_months', a, 2), cast(`${cast(a[0]!, 'DATE')} + to_months(${cast(a[1]!, 'INTEGER')})`, 'DATE')),
  TO_DATE: (a) => {
    arity('to_date', a, 1, 2);
    if (a.length === 2) return cast(`strptime(${cast(a[0]!, 'VARCHAR')}, ${convertDatetimePattern(a[1]!)})`, 'DATE');
    return cast(cast(a[0]!, 'TIMESTAMP'), 'DATE');
  },
  TO_TIMESTAMP: (a) => {
    arity('to_timestamp', a, 1, 2);
    if (a.length === 2) return cast(`strptime(${cast(a[0]!, 'VARCHAR')}, ${convertDatetimePattern(a[1]!)})`, 'TIMESTAMP');
    return cast(a[0]!, 'TIMESTAMP');
  },
  DATE_FORMAT: (a) => (arity('date_format', a, 2), `strftime(${cast(a[0]!, 'TIMESTAMP')}, ${convertDatetimePattern(a[1]!)})`),
  DATE_TRUNC: (a) => (arity('date_trunc', a, 2), cast(`date_trunc(${a[0]}, ${cast(a[1]!, 'TIMESTAMP')})`, 'TIMESTAMP')),
  UNIX_TIMESTAMP: (a, ctx) => {
    arity('unix_timestamp', a, 0, 1);
    return cast(`epoch(${a.length ? cast(a[0]!, 'TIMESTAMP') : nowTimestamp(ctx)})`, 'BIGINT');
  },
  FROM_UNIXTIME: (a) => (arity('from_unixtime', a, 1), `strftime(make_timestamp(${cast(a[0]!, 'BIGINT')} * 1000000), '%Y-%m-%d %H:%M:%S')`),
  // Spark: 1 = Sunday … 7 = Saturday; DuckDB's dayofweek is 0-based.
  DAYOFWEEK: (a) => (arity('dayofweek', a, 1), `(dayofweek(${a[0]}) + 1)`),
  WEEKDAY: (a) => (arity('weekday', a, 1), `(isodow(${a[0]}) - 1)`),
  WEEKOFYEAR: (a) => (arity('weekofyear', a, 1), `weekofyear(${a[0]})`),
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
  // Spark's one-argument log is natural; DuckDB's is base 10.
  LOG: (a) => (a.length === 1 ? `ln(${a[0]})` : undefined),
  SIZE: (a) => (arity('size', a, 1), `len(${a[0]})`),
  CARDINALITY: (a) => (arity('cardinality', a, 1), `len(${a[0]})`),
  ARRAY: (a) => (a.length > 0 && /^\s*\(?\s*SELECT\b/i.test(a[0]!) ? undefined : `list_value(${a.join(', ')})`),
  ARRAY_JOIN: (a) => (arity('array_join', a, 2), `array_to_string(${a[0]}, ${a[1]})`),
  ELEMENT_AT: (a) => (arity('element_at', a, 2), `(${a[0]})[${a[1]}]`),
  EXPLODE: (a) => (arity('explode', a, 1), `unnest(${a[0]})`),
  LOCATE: (a) => (arity('locate', a, 2), `instr(${a[1]}, ${a[0]})`),
  SHA2: (a) => {
    arity('sha2', a, 2);
    if (!['256', '0'].includes(a[1]!.trim())) throw notSupported(`sha2 with bit length ${a[1]!.trim()}`);
    return `sha256(${a[0]})`;
  },
  BROUND: (a) => `round_even(${a[0]}, ${a[1] ?? '0'})`,
  PERCENTILE: (a) => (arity('percentile', a, 2), `quantile_cont(${a[0]}, ${a[1]})`),
  NAMED_STRUCT: (a) => {
    if (a.length % 2 !== 0) throw notSupported('named_struct with an odd number of arguments');
    const parts: string[] = [];
    for (let i = 0; i < a.length; i += 2) {
      const name = /^'((?:[^']|'')*)'$/.exec(a[i]!.trim());
      if (!name) throw notSupported('named_struct with a non-literal field name');
      parts.push(`"${name[1]!.replaceAll("''", "'").replaceAll('"', '""')}" := ${a[i + 1]}`);
    }
    return `struct_pack(${parts.join(', ')})`;
  },
  MAP: (a) => {
    if (a.length % 2 !== 0) throw notSupported('map with an odd number of arguments');
    const parts: string[] = [];
    for (let i = 0; i < a.length; i += 2) parts.push(`${a[i]}: ${a[i + 1]}`);
    return `MAP {${parts.join(', ')}}`;
  },
  // Different hash functions: any answer would silently differ from Databricks.
  HASH: () => {
    throw notSupported('hash() (Murmur3 values cannot be reproduced)');
  },
  XXHASH64: () => {
    throw notSupported('xxhash64()');
  },
  PERCENTILE_APPROX: () => {
    throw notSupported('percentile_approx()');
  },
  APPROX_PERCENTILE: () => {
    throw notSupported('approx_percentile()');
  },
  COLLECT_LIST: () => {
    throw notSupported('collect_list() (use array_agg with FILTER (WHERE x IS NOT NULL))');
  },
  COLLECT_SET: () => {
    throw notSupported('collect_set()');
  },
  INT: castFn('INTEGER'),
  BIGINT: castFn('BIGINT'),
  SMALLINT: castFn('SMALLINT'),
  TINYINT: castFn('TINYINT'),
  DOUBLE: castFn('DOUBLE'),
  FLOAT: castFn('FLOAT'),
  STRING: castFn('VARCHAR'),
  BOOLEAN: castFn('BOOLEAN'),
  DATE: castFn('DATE'),
  TIMESTAMP: castFn('TIMESTAMP'),
};
