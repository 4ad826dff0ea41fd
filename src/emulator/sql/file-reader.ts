import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { realpathSync } from 'node:fs';
import { notSupported, SqlError } from './errors.js';
import { csvColumnNames, readerSql, type ReadSpec } from './file-format.js';
import { sqlIdent, sqlString } from './lexer.js';

/**
 * Reads volume files into a table on a statement's connection. The engine's DuckDB has external
 * file access switched off for good (only the catalog directory is allowed, and that cannot change
 * once set), so the files are read by a DuckDB instance of their own whose only allowed directory is
 * the volume's: even a path that got past every check could not reach anything else on the host.
 * The rows go over as data chunks into a connection-local TEMP table, seen by no other session.
 */
export interface LoadedColumns {
  names: string[];
  types: DuckDBType[];
}

export async function loadFiles(conn: DuckDBConnection, volumeDir: string, spec: ReadSpec, files: readonly string[], table: string): Promise<LoadedColumns> {
  if (files.length === 0) return createEmpty(conn, spec, table);
  const scratch = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const sc = await scratch.connect();
    await sc.run(`SET allowed_directories = [${sqlString(`${realpathSync(volumeDir)}/`)}]`);
    await sc.run('SET enable_external_access = false');
    await sc.run(`SET TimeZone = 'UTC'`);
    const result = await sc.run(await selectSql(sc, spec, files));
    const names = result.columnNames();
    const types = result.columnTypes();
    await conn.run(`CREATE TEMP TABLE ${sqlIdent(table)} (${names.map((n, i) => `${sqlIdent(n)} ${types[i]!.toString()}`).join(', ')})`);
    const appender = await conn.createAppender(table, 'main', 'temp');
    try {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return { names, types };
  } finally {
    scratch.closeSync();
  }
}

/** The final SELECT over the reader: Spark's column names and order, and the rescued data column. */
async function selectSql(sc: DuckDBConnection, spec: ReadSpec, files: readonly string[]): Promise<string> {
  let reader = readerSql(spec, files);
  let list = '*';
  if (spec.format === 'json' && !spec.schema) {
    // Spark's JSON inference sorts fields by name (nested ones too) and keeps dates and times as strings.
    const described = await describe(sc, reader);
    const columns = described.map((c) => ({ name: c.name, type: sparkJsonType(c.type, c.name) })).sort((a, b) => compare(a.name, b.name));
    reader = readerSql(spec, files, columns);
  } else if (spec.format === 'csv' && !spec.schema && !spec.header) {
    list = csvColumnNames((await describe(sc, reader)).map((c) => c.name));
  }
  const rescued = spec.rescuedColumn !== undefined ? `, CAST(NULL AS VARCHAR) AS ${sqlIdent(spec.rescuedColumn)}` : '';
  return `SELECT ${list}${rescued} FROM ${reader}`;
}

async function describe(sc: DuckDBConnection, reader: string): Promise<{ name: string; type: DuckDBType }[]> {
  const prepared = await sc.prepare(`SELECT * FROM ${reader}`);
  try {
    return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: prepared.columnType(i) }));
  } finally {
    prepared.destroySync();
  }
}

/** Spark orders field names by code unit, as JavaScript's default comparison does. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What Spark's JSON inference makes of a field DuckDB inferred as `t`, as a DuckDB type. */
function sparkJsonType(t: DuckDBType, field: string): string {
  switch (t.typeId) {
    case DuckDBTypeId.STRUCT: {
      const s = t as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      const entries = s.entryNames.map((n, i) => ({ n, t: sparkJsonType(s.entryTypes[i]!, `${field}.${n}`) })).sort((a, b) => compare(a.n, b.n));
      return `STRUCT(${entries.map((e) => `${sqlIdent(e.n)} ${e.t}`).join(', ')})`;
    }
    case DuckDBTypeId.LIST:
      return `${sparkJsonType((t as unknown as { valueType: DuckDBType }).valueType, field)}[]`;
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.SQLNULL:
      return 'VARCHAR';
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.DOUBLE:
      return t.toString();
    case DuckDBTypeId.VARCHAR:
      // DuckDB's JSON type stands for values of mixed kinds, where Spark's answer depends on the mix.
      if ((t as { alias?: string }).alias === 'JSON') throw notSupported(`read_files JSON schema inference of field '${field}', whose values are of mixed kinds (give schema => …)`);
      return 'VARCHAR';
    default:
      throw notSupported(`read_files JSON schema inference of field '${field}' (DuckDB inferred ${t.toString()}; give schema => …)`);
  }
}

/** No files: an empty table of the given schema (text has its own), or Spark's inference error. */
async function createEmpty(conn: DuckDBConnection, spec: ReadSpec, table: string): Promise<LoadedColumns> {
  const cols = spec.format === 'text' ? [{ name: 'value', type: 'VARCHAR' }] : spec.schema;
  if (!cols) throw new SqlError('UNABLE_TO_INFER_SCHEMA', `Unable to infer schema for ${(spec.format ?? 'the files').toUpperCase()}. It must be specified manually. SQLSTATE: 42KD9`);
  const all = spec.rescuedColumn !== undefined ? [...cols, { name: spec.rescuedColumn, type: 'VARCHAR' }] : cols;
  await conn.run(`CREATE TEMP TABLE ${sqlIdent(table)} (${all.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`);
  const prepared = await conn.prepare(`SELECT * FROM temp.main.${sqlIdent(table)}`);
  try {
    return { names: all.map((c) => c.name), types: all.map((_, i) => prepared.columnType(i)) };
  } finally {
    prepared.destroySync();
  }
}
