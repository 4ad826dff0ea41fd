import { notSupported, SqlError } from './errors.js';
import { parseType, splitTopLevel } from './expressions.js';
import { sqlIdent, sqlString, tokenize } from './lexer.js';

/**
 * How files are read: the format and the reader options of `read_files(…, key => value)` and of
 * COPY INTO's FILEFORMAT and FORMAT_OPTIONS, checked and turned into one DuckDB reader call.
 * Spark option names are case-insensitive. Options the emulator cannot honour exactly are refused
 * (`not supported by the emulator: read_files option X`); none is silently ignored.
 */
export type FileFormat = 'csv' | 'json' | 'parquet' | 'text';

export interface ReadSpec {
  format: FileFormat;
  /** DuckDB columns of a given schema (`schema => 'a INT, b STRING'`), in order. */
  schema?: { name: string; type: string }[];
  header: boolean;
  sep: string;
  quote: string;
  escape: string;
  nullValue?: string;
  /** CSV columns typed by inference (read_files' inferColumnTypes, COPY INTO's inferSchema), or all STRING. */
  inferTypes: boolean;
  multiLine: boolean;
  wholeText: boolean;
  /** The rescued data column read_files adds (`_rescued_data`), or none. */
  rescuedColumn?: string;
}

/** Who reads: read_files (its defaults: typed CSV columns, a rescued data column) or COPY INTO (untyped CSV, none). */
export type Reader = 'read_files' | 'COPY INTO';

const FORMATS: Record<string, FileFormat> = { CSV: 'csv', JSON: 'json', PARQUET: 'parquet', TEXT: 'text' };
/** Extensions read_files' format inference recognises here (the emulator's choice; see docs/emulator-sql.md). */
const EXTENSIONS: Record<string, FileFormat> = { csv: 'csv', json: 'json', jsonl: 'json', parquet: 'parquet', txt: 'text' };

export function parseFormat(name: string, who: Reader): FileFormat {
  const f = FORMATS[name.toUpperCase()];
  if (!f) throw notSupported(`${who} format '${name}' (the emulator reads CSV, JSON, PARQUET and TEXT)`);
  return f;
}

/** The format of the files by their extension, when every file has the same known one. */
export function inferFormat(names: readonly string[]): FileFormat {
  const found = new Set(names.map((n) => EXTENSIONS[/\.([^./]+)$/.exec(n)?.[1]?.toLowerCase() ?? '']));
  const [only] = found;
  if (found.size !== 1 || !only) throw notSupported("read_files without format => … on files whose extensions are not all one of .csv, .json, .jsonl, .parquet, .txt (give format => 'csv'|'json'|'parquet'|'text')");
  return only;
}

const bool = (key: string, v: string): boolean => {
  const l = v.toLowerCase();
  if (l !== 'true' && l !== 'false') throw new SqlError('INVALID_OPTION_VALUE', `The value '${v}' of option '${key}' is not a boolean.`);
  return l === 'true';
};

const oneChar = (key: string, v: string): string => {
  if ([...v].length !== 1) throw notSupported(`read_files option ${key} of ${[...v].length} characters (one character only)`);
  return v;
};

/**
 * The spec for `format` (undefined: inferred later from the files) and `options` (keys as written,
 * values as text). `format` itself may be among the options (read_files).
 */
export type PartialSpec = Omit<ReadSpec, 'format'> & { format?: FileFormat };

export function readSpec(options: ReadonlyMap<string, string>, who: Reader, format?: FileFormat): PartialSpec {
  const spec: PartialSpec = { header: false, sep: ',', quote: '"', escape: '\\', inferTypes: who === 'read_files', multiLine: false, wholeText: false };
  if (format) spec.format = format;
  let evolution: string | undefined;
  let rescued: string | undefined = who === 'read_files' ? '_rescued_data' : undefined;
  for (const [key, value] of options) {
    switch (key.toLowerCase()) {
      case 'format':
        spec.format = parseFormat(value, who);
        break;
      case 'header':
        spec.header = bool(key, value);
        break;
      case 'sep':
      case 'delimiter':
        spec.sep = oneChar(key, value);
        break;
      case 'quote':
        spec.quote = oneChar(key, value);
        break;
      case 'escape':
        spec.escape = oneChar(key, value);
        break;
      case 'nullvalue':
        spec.nullValue = value;
        break;
      case 'inferschema':
      case 'infercolumntypes':
        spec.inferTypes = bool(key, value);
        break;
      case 'multiline':
        spec.multiLine = bool(key, value);
        break;
      case 'wholetext':
        spec.wholeText = bool(key, value);
        break;
      case 'mergeschema':
        // Schemas of all files are unified anyway (union by name), as read_files documents.
        bool(key, value);
        break;
      case 'encoding':
      case 'charset':
        if (!/^utf-?8$/i.test(value)) throw notSupported(`${who} option ${key} '${value}' (UTF-8 only)`);
        break;
      case 'mode':
        // Malformed input fails the statement here; PERMISSIVE's nulls and rescued values are not modelled.
        if (!/^(PERMISSIVE|FAILFAST)$/i.test(value)) throw notSupported(`${who} option mode '${value}'`);
        break;
      case 'schema':
        spec.schema = parseSchema(value);
        break;
      case 'rescueddatacolumn':
        rescued = value;
        break;
      case 'schemaevolutionmode':
        evolution = value.toLowerCase();
        if (evolution !== 'none' && evolution !== 'rescue') throw notSupported(`${who} option schemaEvolutionMode '${value}'`);
        break;
      default:
        throw notSupported(`${who} option ${key}`);
    }
  }
  if (evolution === 'none' && ![...options.keys()].some((k) => k.toLowerCase() === 'rescueddatacolumn')) rescued = undefined;
  if (rescued !== undefined && (spec.format === 'csv' || spec.format === 'json' || spec.format === undefined)) spec.rescuedColumn = rescued;
  return spec;
}

/** The spec once the format is known (given or inferred): only CSV and JSON reads get a rescued data column. */
export function withFormat(spec: PartialSpec, format: FileFormat): ReadSpec {
  const { rescuedColumn, ...rest } = spec;
  return { ...rest, format, ...(rescuedColumn !== undefined && (format === 'csv' || format === 'json') ? { rescuedColumn } : {}) };
}

/** `a INT, b STRING` (Spark DDL) as DuckDB columns. */
function parseSchema(ddl: string): { name: string; type: string }[] {
  const tokens = tokenize(ddl);
  const out: { name: string; type: string }[] = [];
  for (const part of splitTopLevel(tokens, 0, tokens.length, true)) {
    const name = part[0];
    if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error in the schema ${JSON.stringify(ddl)}.`);
    const t = parseType(part, 1);
    if (t.next < part.length) throw notSupported(`read_files schema clauses other than name and type (${JSON.stringify(ddl)})`);
    out.push({ name: name.kind === 'word' ? name.text : name.value, type: t.sql });
  }
  if (out.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error in the schema ${JSON.stringify(ddl)}.`);
  return out;
}

/** CSV type inference candidates: Spark's CSV inference yields INT, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP or STRING. */
const CSV_TYPES = `['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR']`;

const columnsArg = (cols: readonly { name: string; type: string }[]) => `{${cols.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;

/** The DuckDB reader over `files` (absolute paths), before column naming and the rescued data column. */
export function readerSql(spec: ReadSpec, files: readonly string[], columns?: readonly { name: string; type: string }[]): string {
  const list = `[${files.map(sqlString).join(', ')}]`;
  const cols = columns ?? spec.schema;
  switch (spec.format) {
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true)`;
    case 'json':
      return `read_json(${list}, format = ${spec.multiLine ? "'auto'" : "'newline_delimited'"}${cols ? `, columns = ${columnsArg(cols)}` : ''}${spec.schema ? '' : ', union_by_name = true'})`;
    case 'text':
      // Spark's text source: one row per line (\n, \r\n or \r), none for an empty file; wholetext: one per file.
      return spec.wholeText
        ? `(SELECT content AS value FROM read_text(${list}))`
        : `(SELECT unnest(regexp_split_to_array(regexp_replace(content, '(\\r\\n|\\r|\\n)$', ''), '\\r\\n|\\r|\\n')) AS value FROM read_text(${list}) WHERE content <> '')`;
    case 'csv': {
      const opts = [`header = ${spec.header}`, `delim = ${sqlString(spec.sep)}`, `quote = ${sqlString(spec.quote)}`, `escape = ${sqlString(spec.escape)}`];
      if (spec.nullValue !== undefined) opts.push(`nullstr = ${sqlString(spec.nullValue)}`);
      if (cols) opts.push(`columns = ${columnsArg(cols)}`, 'auto_detect = false');
      else if (spec.inferTypes) opts.push(`auto_type_candidates = ${CSV_TYPES}`, 'union_by_name = true');
      else opts.push('all_varchar = true', 'union_by_name = true');
      return `read_csv(${list}, ${opts.join(', ')})`;
    }
  }
}

/** `"a" AS "_c0"`, …: Spark names header-less CSV columns `_c0`, `_c1`, …. */
export function csvColumnNames(names: readonly string[]): string {
  return names.map((n, i) => `${sqlIdent(n)} AS ${sqlIdent(`_c${i}`)}`).join(', ');
}
