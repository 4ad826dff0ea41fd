import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from './errors.js';
import { sqlIdent, sqlString } from './lexer.js';
import { duckCatalogName, tableSql, ucCatalogName } from './names.js';

/**
 * Schemaless tables: `CREATE TABLE t;` makes a Delta table with no columns, whose schema the first
 * COPY INTO … COPY_OPTIONS ('mergeSchema' = 'true') gives it (Databricks' COPY INTO tutorial).
 * DuckDB has no zero-column tables, so such a table is a DuckDB table whose one column is
 * PLACEHOLDER_COLUMN: it lists, drops, is granted and persists like any table, the catalog hides
 * the column (no columns in the tables API, DESCRIBE, SHOW COLUMNS), and the column is dropped once
 * real columns arrive. The DuckDB table is the truth; this registry only saves statements that name
 * no schemaless table a lookup, and re-checks DuckDB before it refuses anything.
 */
export const PLACEHOLDER_COLUMN = '__durabricks_no_columns';
/** The column list of a schemaless table's DuckDB table. */
export const PLACEHOLDER_COLUMNS_SQL = ` (${sqlIdent(PLACEHOLDER_COLUMN)} BOOLEAN)`;

export class SchemalessTables {
  /** `catalog.schema.table` keys (UC names); loaded from DuckDB on first use. */
  private keys: Set<string> | undefined;
  constructor(private readonly connect: () => Promise<DuckDBConnection>) {}

  /** True while no schemaless table exists (the usual case): statements need no further look. */
  async none(): Promise<boolean> {
    return (await this.all()).size === 0;
  }

  /** Whether a statement naming these tables (last name parts, any case) may touch a schemaless one. */
  async mayName(tables: readonly string[]): Promise<boolean> {
    const keys = await this.all();
    if (keys.size === 0) return false;
    const names = new Set([...keys].map((k) => k.split('.')[2]));
    return tables.some((t) => names.has(t.toLowerCase()));
  }

  async has(catalog: string, schema: string, table: string): Promise<boolean> {
    const key = `${catalog}.${schema}.${table}`;
    if (!(await this.all()).has(key)) return false;
    const conn = await this.connect();
    try {
      if (await isPlaceholder(conn, catalog, schema, table)) return true;
    } finally {
      conn.closeSync();
    }
    this.keys!.delete(key);
    return false;
  }

  add(key: string): void {
    this.keys?.add(key);
  }

  forget(key: string): void {
    this.keys?.delete(key);
  }

  /** Keeps only the keys of tables that still exist (after DROPs). */
  retain(live: ReadonlySet<string>): void {
    for (const k of this.keys ?? []) if (!live.has(k)) this.keys!.delete(k);
  }

  /** After ALTER TABLE … ADD COLUMNS: a schemaless table that gained columns drops its placeholder. */
  async settle(): Promise<void> {
    const keys = await this.all();
    if (keys.size === 0) return;
    const conn = await this.connect();
    try {
      for (const key of [...keys]) {
        const [c, s, t] = key.split('.') as [string, string, string];
        const cols = await columnNames(conn, c, s, t);
        if (cols.length > 1 && cols.includes(PLACEHOLDER_COLUMN)) await conn.run(`ALTER TABLE ${tableSql(c, s, t)} DROP COLUMN ${sqlIdent(PLACEHOLDER_COLUMN)}`);
        if (cols.length !== 1 || cols[0] !== PLACEHOLDER_COLUMN) keys.delete(key);
      }
    } finally {
      conn.closeSync();
    }
  }

  private async all(): Promise<Set<string>> {
    if (this.keys) return this.keys;
    const conn = await this.connect();
    try {
      const rows = (
        await conn.runAndReadAll(
          `SELECT database_name, schema_name, table_name FROM duckdb_columns() WHERE NOT internal GROUP BY ALL HAVING count(*) = 1 AND bool_and(column_name = ${sqlString(PLACEHOLDER_COLUMN)})`,
        )
      ).getRows();
      this.keys = new Set(rows.map(([d, s, t]) => `${ucCatalogName(String(d))}.${String(s).toLowerCase()}.${String(t).toLowerCase()}`));
    } finally {
      conn.closeSync();
    }
    return this.keys;
  }
}

async function columnNames(conn: DuckDBConnection, catalog: string, schema: string, table: string): Promise<string[]> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT column_name FROM duckdb_columns() WHERE lower(database_name) = ${sqlString(duckCatalogName(catalog))} AND lower(schema_name) = ${sqlString(schema)} AND lower(table_name) = ${sqlString(table)} ORDER BY column_index`,
    )
  ).getRows();
  return rows.map(([n]) => String(n));
}

async function isPlaceholder(conn: DuckDBConnection, catalog: string, schema: string, table: string): Promise<boolean> {
  const cols = await columnNames(conn, catalog, schema, table);
  return cols.length === 1 && cols[0] === PLACEHOLDER_COLUMN;
}

/** Reading a table with no columns: Delta's error (class and text from Delta Lake's DeltaErrors and its tests). */
export function readWithoutColumns(catalog: string, schema: string, table: string): SqlError {
  // The quoting of the name for a Unity Catalog table is unverified (Delta prints delta.`<path>` for path tables).
  return new SqlError(
    'DELTA_READ_TABLE_WITHOUT_COLUMNS',
    `You are trying to read a Delta table \`${catalog}\`.\`${schema}\`.\`${table}\` that does not have any columns.\n\nWrite some new data with the option \`mergeSchema = true\` to be able to read the table.`,
  );
}

/**
 * A write whose data has columns the table lacks, without mergeSchema: Databricks' words (a COPY
 * INTO answer quoted in estuary/connectors#1021; Delta's tests expect the same first line for an
 * INSERT into a table with no columns); the error class is unverified.
 */
export function schemaMismatch(tableId: string, detail: string): SqlError {
  return new SqlError(
    'DELTA_METADATA_MISMATCH',
    `A schema mismatch detected when writing to the Delta table (Table ID: ${tableId}).\nTo enable schema migration using DataFrameWriter or DataStreamWriter, please set:\n'.option("mergeSchema", "true")'.\nFor other operations, set the session configuration\nspark.databricks.delta.schema.autoMerge.enabled to "true". See the documentation\nspecific to the operation for details.\n\n${detail}`,
  );
}
