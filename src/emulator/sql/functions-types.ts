import { notSupported } from './errors.js';
import { arity, bind, cast, IDENT, isColumnRef, lastNamePart, raise, refuseAtRuntime, stringLiteral, type FunctionRewrite, type FunctionTable } from './functions-common.js';
import { sqlIdent, sqlString } from './lexer.js';

const SCALARS: [string, string][] = [
  ['BOOLEAN', 'boolean'], ['TINYINT', 'tinyint'], ['SMALLINT', 'smallint'], ['INTEGER', 'int'], ['BIGINT', 'bigint'],
  // What DuckDB returns for SUM of integers, where Spark returns BIGINT (the emulator reports LONG too).
  ['HUGEINT', 'bigint'],
  ['FLOAT', 'float'], ['DOUBLE', 'double'], ['VARCHAR', 'string'], ['DATE', 'date'],
  // The emulator's one timestamp type stands for Databricks' TIMESTAMP (see types.ts).
  ['TIMESTAMP', 'timestamp'], ['BLOB', 'binary'], ['VOID', 'void'],
];

const regexpSteps = (sql: string, steps: readonly (readonly [string, string])[]) =>
  steps.reduce((acc, [re, to]) => `regexp_replace(${acc}, ${sqlString(re)}, ${sqlString(to)}, 'g')`, sql);

const NESTING_LEVELS = 4;
const SUFFIX = '\\[\\d*\\]';

/**
 * Rewrites a DuckDB type string (`STRUCT(a INTEGER, b VARCHAR[])`, `MAP(VARCHAR, DECIMAL(10,2))`)
 * into Spark's catalog string (`struct<a:int,b:array<string>>`, `map<string,decimal(10,2)>`) with
 * regular expressions, innermost types first: field names are marked `§name:` so they are never
 * taken for types, DECIMAL(p,s) hides its parentheses as `decimal{p;s}`, and a STRUCT/MAP is
 * converted together with its array suffixes once it has no unconverted parentheses inside.
 * Anything left upper case afterwards (INTERVAL, UUID, field names holding `"`, `:` or `,`, deeper
 * nesting) has no exact Spark name and is refused.
 */
function sparkTypeName(duckType: string): string {
  return bind([duckType], ([t]) => {
    const steps: [string, string][] = [
      ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP'],
      ['"NULL"($|[\\[,)])', 'VOID\\1'],
      ['([(]|, )"([^":,]+)" ', '\\1§\\2:'],
      ['([(]|, )([^\\s",()\\[\\]§]+) ', '\\1§\\2:'],
      [', ', ','],
      ['DECIMAL\\((\\d+),(\\d+)\\)', 'decimal{\\1;\\2}'],
      ...SCALARS.map(([duck, spark]): [string, string] => [`([(,:]|^)${duck}\\b`, `\\1${spark}`]),
    ];
    for (let level = 0; level < NESTING_LEVELS; level++) {
      for (let pass = 0; pass < 3; pass++) steps.push([`([(,:]|^)([a-z]+|decimal\\{\\d+;\\d+\\}|array<[a-z0-9{};<>]*>)${SUFFIX}`, '\\1array<\\2>']);
      for (const kind of ['STRUCT', 'MAP']) {
        for (let n = 3; n >= 0; n--) steps.push([`${kind}\\(([^()]*)\\)${SUFFIX.repeat(n)}`, `${'array<'.repeat(n)}${kind.toLowerCase()}<\\1>${'>'.repeat(n)}`]);
      }
    }
    steps.push(['decimal\\{(\\d+);(\\d+)\\}', 'decimal(\\1,\\2)']);
    return bind([regexpSteps(t!, steps)], ([c]) => {
      const withoutNames = `regexp_replace(${c}, '§[^:]*:', '', 'g')`;
      const refusal = raise('NOT_SUPPORTED_BY_EMULATOR', `'not supported by the emulator: typeof() of DuckDB type ' || ${t}`);
      return `(CASE WHEN regexp_full_match(${withoutNames}, '[a-z0-9<>,(){};]*') THEN replace(${c}, '§', '') ELSE ${refusal} END)`;
    });
  });
}

/** Spark's type of a numeric literal, which DuckDB sometimes types differently (0.5 is DECIMAL(2,1) there). */
function literalType(sql: string): string | undefined {
  const s = sql.trim().replace(/^-\s*/, '');
  if (/^\d+$/.test(s)) {
    const n = BigInt(s);
    if (n <= 2147483647n) return 'int';
    if (n <= 9223372036854775807n) return 'bigint';
    return s.replace(/^0+/, '').length <= 38 ? `decimal(${s.replace(/^0+/, '').length},0)` : undefined;
  }
  const m = /^(\d*)\.(\d*)$/.exec(s);
  if (m && (m[1] || m[2])) {
    const scale = m[2]!.length;
    const precision = Math.max((m[1]! + m[2]!).replace(/^0+/, '').length || 1, scale);
    return precision <= 38 ? `decimal(${precision},${scale})` : undefined;
  }
  if (/^(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(s)) return 'double';
  return undefined;
}

/** `CAST(… AS DECIMAL(p,s))` as a whole: its type is the one written. */
function isDecimalCast(sql: string): boolean {
  const s = sql.trim();
  if (!/^(TRY_)?CAST\(/i.test(s) || !/ AS DECIMAL\(\d+,\s*\d+\)\)$/i.test(s)) return false;
  let depth = 0;
  let quote = '';
  for (let i = s.indexOf('('); i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}

/**
 * typeof: DuckDB's type names mapped to Spark's. A computed DECIMAL is refused: DuckDB's precision
 * rules for arithmetic and aggregates differ from Spark's, so only columns, literals and explicit
 * casts have the decimal type Spark would report.
 */
const typeofFn: FunctionRewrite = (a) => {
  arity('typeof', a, 1);
  const literal = literalType(a[0]!);
  if (literal) return sqlString(literal);
  const name = sparkTypeName(`typeof(${a[0]})`);
  if (isColumnRef(a[0]!) || isDecimalCast(a[0]!)) return name;
  return `(CASE WHEN contains(typeof(${a[0]}), 'DECIMAL') THEN ${refuseAtRuntime('typeof() of a computed DECIMAL (its precision follows DuckDB rules)')} ELSE ${name} END)`;
};

const ALIAS = new RegExp(`^([\\s\\S]*\\S)\\s+AS\\s+(${IDENT})$`, 'i');

/**
 * struct(): a field is named by its alias, or by the column a bare reference names, or colN.
 * A one-part reference is left unnamed so DuckDB uses the column's own spelling, as Spark does.
 */
const structFn: FunctionRewrite = (a) => {
  if (a.length === 0) throw notSupported('struct() without fields');
  const fields = a.map((arg, k) => {
    if (arg.trim() === '*' || /\.\s*\*$/.test(arg.trim())) throw notSupported('struct(*)');
    const alias = ALIAS.exec(arg.trim());
    if (alias) return `${sqlIdent(lastNamePart(alias[2]!))} := ${alias[1]}`;
    if (isColumnRef(arg)) return new RegExp(`^${IDENT}$`).test(arg.trim()) ? arg.trim() : `${sqlIdent(lastNamePart(arg))} := ${arg.trim()}`;
    return `${sqlIdent(`col${k + 1}`)} := ${arg}`;
  });
  return `struct_pack(${fields.join(', ')})`;
};

const castFn = (type: string): FunctionRewrite => (a) => {
  arity(type, a, 1);
  return cast(a[0]!, type);
};

export const TYPE_FUNCTIONS: FunctionTable = {
  TYPEOF: typeofFn,
  STRUCT: structFn,
  NAMED_STRUCT: (a) => {
    if (a.length % 2 !== 0) throw notSupported('named_struct with an odd number of arguments');
    const parts: string[] = [];
    for (let i = 0; i < a.length; i += 2) {
      const name = stringLiteral(a[i]!);
      if (name === undefined) throw notSupported('named_struct with a non-literal field name');
      parts.push(`${sqlIdent(name)} := ${a[i + 1]}`);
    }
    return `struct_pack(${parts.join(', ')})`;
  },
  MAP: (a) => {
    if (a.length % 2 !== 0) throw notSupported('map with an odd number of arguments');
    const parts: string[] = [];
    for (let i = 0; i < a.length; i += 2) parts.push(`${a[i]}: ${a[i + 1]}`);
    return `MAP {${parts.join(', ')}}`;
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
