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
 * Maps a DuckDB error to the closest Databricks error class. The DuckDB text is kept after the
 * class so the cause stays visible; only the prefix is Databricks-shaped.
 */
export function fromDuckDbError(err: unknown): SqlError {
  if (err instanceof SqlError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // DuckDB appends a caret diagram ("LINE 1: …"); the first line carries the meaning.
  const message = raw.split('\n')[0] ?? raw;
  // Errors raised on purpose by translated SQL (error('[CLASS] …')) carry their class already.
  const own = /^Invalid Input Error: \[([A-Z_.]+)\] (.*)$/.exec(message);
  if (own) return new SqlError(own[1]!, own[2]!);
  const rules: [RegExp, string][] = [
    [/^Parser Error/, 'PARSE_SYNTAX_ERROR'],
    [/^Catalog Error: Table with name .* does not exist/, 'TABLE_OR_VIEW_NOT_FOUND'],
    [/^Catalog Error: .*already exists/, 'TABLE_OR_VIEW_ALREADY_EXISTS'],
    [/^Catalog Error: Schema with name .* does not exist/, 'SCHEMA_NOT_FOUND'],
    [/^Catalog Error: .*Function with name .* does not exist/, 'UNRESOLVED_ROUTINE'],
    [/^Binder Error: Catalog .* does not exist/, 'NO_SUCH_CATALOG_EXCEPTION'],
    [/^Binder Error: Referenced column .* not found/, 'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION'],
    [/^Binder Error: Table .* does not have a column/, 'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION'],
    [/^Conversion Error/, 'CAST_INVALID_INPUT'],
    [/^Out of Range Error/, 'ARITHMETIC_OVERFLOW'],
    [/^Constraint Error/, 'DELTA_NOT_NULL_CONSTRAINT_VIOLATED'],
    [/^Binder Error/, 'DATATYPE_MISMATCH'],
    [/^Catalog Error/, 'TABLE_OR_VIEW_NOT_FOUND'],
  ];
  for (const [re, cls] of rules) if (re.test(message)) return new SqlError(cls, message);
  return new SqlError('INTERNAL_ERROR', message, 'INTERNAL_ERROR');
}
