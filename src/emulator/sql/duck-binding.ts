import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './lexer.js';
import { duckCatalogName, ucCatalogName } from './names.js';
import type { QualifiedName } from './translate.js';

/**
 * Where DuckDB binds a table name, which is not always where Unity Catalog would: a 1-part name
 * falls back from the current schema to the database's internal `main` schema, and `a.t` means
 * schema `a` of the current catalog or else table `t` in database `a`'s `main` — including the
 * engine's own `memory` database, which holds other statements' results. The privilege check asks
 * DuckDB's own candidates in its order, so what it checks is what the statement will read.
 */
export type Binding = { temporary: true } | { temporary: false; catalog: string; schema: string; table: string };

/** DuckDB's candidates for a name, in its lookup order, as [database, schema] (DuckDB names). */
function candidates(name: QualifiedName, currentCatalog: string, currentSchema: string): [string, string][] {
  const current = duckCatalogName(currentCatalog);
  if (name.length === 1) return [['temp', 'main'], [current, currentSchema], [current, 'main']];
  if (name.length === 2) return [[current, name[0]!], [duckCatalogName(name[0]!), 'main']];
  return [[duckCatalogName(name[0]!), name[1]!]];
}

/** The table or view DuckDB would bind `name` to, or undefined when there is none (the statement then fails as usual). */
export async function bindTable(conn: DuckDBConnection, name: QualifiedName, currentCatalog: string, currentSchema: string): Promise<Binding | undefined> {
  if (name.length < 1 || name.length > 3) return undefined;
  const table = name.at(-1)!.toLowerCase();
  const places = candidates(name, currentCatalog, currentSchema.toLowerCase());
  const found = (
    await conn.runAndReadAll(
      `SELECT lower(database_name), lower(schema_name) FROM (SELECT database_name, schema_name, table_name AS n FROM duckdb_tables() UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views() WHERE NOT internal) WHERE lower(n) = ${sqlString(table)}`,
    )
  ).getRows().map(([d, s]) => `${String(d)}.${String(s)}`);
  for (const [db, schema] of places) {
    if (!found.includes(`${db}.${schema}`)) continue;
    return db === 'temp' ? { temporary: true } : { temporary: false, catalog: ucCatalogName(db), schema, table };
  }
  return undefined;
}

/** Whether DuckDB has this schema at all (UC's schemas and its internal ones, `main` of every database). */
export async function duckSchemaExists(conn: DuckDBConnection, catalog: string, schema: string): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT 1 FROM duckdb_schemas() WHERE lower(database_name) = ${sqlString(duckCatalogName(catalog))} AND lower(schema_name) = ${sqlString(schema.toLowerCase())}`);
  return r.currentRowCount > 0;
}
