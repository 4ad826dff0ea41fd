/**
 * Errors raised while executing SQL. They carry a Databricks-style error class (the bracketed
 * prefix real messages start with, e.g. `[TABLE_OR_VIEW_NOT_FOUND]`) so callers that grep messages
 * behave the same against the emulator, and the statement API's `status.error.error_code`.
 */
export type StatementErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'INTERNAL_ERROR' | 'CANCELLED' | 'RESOURCE_EXHAUSTED';

export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    /** Databricks error class, e.g. PARSE_SYNTAX_ERROR. */
    readonly errorClass: string,
    detail: string,
    readonly errorCode: StatementErrorCode = 'BAD_REQUEST',
  ) {
    super(`[${errorClass}] ${detail}`);
  }
}

/** Syntax the emulator recognises but cannot reproduce faithfully: fail loudly, never answer differently. */
export function notSupported(what: string): SqlError {
  return new SqlError('NOT_SUPPORTED_BY_EMULATOR', `not supported by the emulator: ${what}`);
}

/**
 * A statement the caller lacks privileges for, one line per missing privilege. The verified real text
 * is `[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have USE CATALOG on Catalog
 * 'x'. SQLSTATE: 42501`; one line per missing privilege is assumed.
 */
export function insufficientPrivileges(lines: readonly string[]): SqlError {
  return new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges:\n${lines.join('\n')} SQLSTATE: 42501`);
}

/** A DuckDB name as Databricks quotes it: `a`.`b` (DuckDB writes "a.b" or a bare name). */
const ticked = (name: string) =>
  name
    .replace(/^"|"$/g, '')
    .split('.')
    .map((p) => `\`${p}\``)
    .join('.');

/** Databricks' TABLE_OR_VIEW_NOT_FOUND text for a name as written (`a.b` or DuckDB's "a.b"). */
const tableNotFoundDetail = (name: string) =>
  `The table or view ${ticked(name)} cannot be found. Verify the spelling and correctness of the schema and catalog. If you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog. SQLSTATE: 42P01`;

export function tableNotFound(name: string): SqlError {
  return new SqlError('TABLE_OR_VIEW_NOT_FOUND', tableNotFoundDetail(name));
}

/**
 * DuckDB errors → the Databricks error class, and for the common ones Databricks' own wording (so
 * a message a user sees, logs or matches reads as it would on a warehouse). Others keep DuckDB's
 * text after the class, so the cause stays visible.
 */
const RULES: [RegExp, string, ((m: RegExpExecArray) => string)?][] = [
  [/^Parser Error: syntax error at or near (".*")$/, 'PARSE_SYNTAX_ERROR', (m) => `Syntax error at or near '${m[1]!.slice(1, -1)}'. SQLSTATE: 42601`],
  [/^Parser Error: syntax error at end of input$/, 'PARSE_SYNTAX_ERROR', () => 'Syntax error at or near end of input. SQLSTATE: 42601'],
  [/^Parser Error/, 'PARSE_SYNTAX_ERROR'],
  [/^Catalog Error: Table with name (\S+?) does not exist(?:!| because)/, 'TABLE_OR_VIEW_NOT_FOUND', (m) => tableNotFoundDetail(m[1]!)],
  [
    /^Catalog Error: (?:Table|View) with name (\S+?) already exists!/,
    'TABLE_OR_VIEW_ALREADY_EXISTS',
    (m) => `Cannot create table or view ${ticked(m[1]!)} because it already exists. Choose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. SQLSTATE: 42P07`,
  ],
  [/^Catalog Error: .*already exists/, 'TABLE_OR_VIEW_ALREADY_EXISTS'],
  [/^Catalog Error: Schema with name .* does not exist/, 'SCHEMA_NOT_FOUND'],
  [
    /^Catalog Error: \w+ Function with name (\S+) does not exist/,
    'UNRESOLVED_ROUTINE',
    (m) => `Cannot resolve routine ${ticked(m[1]!)} on search path [\`system\`.\`builtin\`, \`system\`.\`session\`]. Verify the spelling of ${ticked(m[1]!)}, check that the routine exists, and confirm you have USE privilege on the catalog and schema, and EXECUTE on the routine. SQLSTATE: 42883`,
  ],
  [/^Catalog Error: .*Function with name .* does not exist/, 'UNRESOLVED_ROUTINE'],
  [/^Binder Error: Catalog "(.*)" does not exist/, 'NO_SUCH_CATALOG_EXCEPTION', (m) => `Catalog '${m[1]}' was not found. Please verify the catalog name and then retry the query or command again. SQLSTATE: 42704`],
  [
    /^Binder Error: Referenced column "(.*?)" (?:was )?not found/,
    'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION',
    (m) => `A column, variable, or function parameter with name ${ticked(m[1]!)} cannot be resolved. SQLSTATE: 42703`,
  ],
  [/^Binder Error: Table .* does not have a column/, 'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION'],
  [
    /^Conversion Error: Could not convert string "(.*)" to /,
    'CAST_INVALID_INPUT',
    (m) => `The value '${m[1]}' of the type "STRING" cannot be cast to the target type because it is malformed. Correct the value as per the syntax, or change its target type. Use \`try_cast\` to tolerate malformed input and return NULL instead. SQLSTATE: 22018`,
  ],
  [/^Conversion Error/, 'CAST_INVALID_INPUT'],
  [/^Out of Range Error/, 'ARITHMETIC_OVERFLOW'],
  [/^Constraint Error/, 'DELTA_NOT_NULL_CONSTRAINT_VIOLATED'],
  [/^Binder Error/, 'DATATYPE_MISMATCH'],
  [/^Catalog Error/, 'TABLE_OR_VIEW_NOT_FOUND'],
];

export function fromDuckDbError(err: unknown): SqlError {
  if (err instanceof SqlError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // DuckDB appends a caret diagram ("LINE 1: …"); the first line carries the meaning.
  const message = raw.split('\n')[0] ?? raw;
  // Errors raised on purpose by translated SQL (error('[CLASS] …')) carry their class already.
  const own = /^Invalid Input Error: \[([A-Z_.]+)\] (.*)$/.exec(message);
  if (own) return new SqlError(own[1]!, own[2]!);
  for (const [re, cls, wording] of RULES) {
    const m = re.exec(message);
    if (m) return new SqlError(cls, wording ? wording(m) : message);
  }
  return new SqlError('INTERNAL_ERROR', message, 'INTERNAL_ERROR');
}
