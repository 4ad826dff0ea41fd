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

/** A routine call's binding: a session's temporary function, or a macro in a place UC may know. */
export type RoutineBinding = { temporary: true } | { temporary: false; catalog: string; schema: string; name: string };

/**
 * DuckDB's candidates for a called name, in its lookup order. Unlike tables, a 2-part call is only
 * ever schema.function in the current database, and a 1-part one finds a macro of the current schema
 * before a built-in of the same name (built-ins are in `system`, never a candidate here).
 */
function routineCandidates(name: QualifiedName, currentCatalog: string, currentSchema: string): [string, string][] {
  const current = duckCatalogName(currentCatalog);
  if (name.length === 1) return [['temp', 'main'], [current, currentSchema], [current, 'main']];
  if (name.length === 2) return [[current, name[0]!]];
  return [[duckCatalogName(name[0]!), name[1]!]];
}

/**
 * Where DuckDB binds each called name among the macros (SQL functions) it has, one lookup for all;
 * undefined for a name that binds to no macro (a built-in, or nothing: the statement then fails as usual).
 */
export async function bindRoutines(conn: DuckDBConnection, names: readonly QualifiedName[], currentCatalog: string, currentSchema: string): Promise<(RoutineBinding | undefined)[]> {
  const wanted = [...new Set(names.filter((n) => n.length >= 1 && n.length <= 3).map((n) => n.at(-1)!.toLowerCase()))];
  if (wanted.length === 0) return names.map(() => undefined);
  const rows = (
    await conn.runAndReadAll(
      `SELECT DISTINCT lower(database_name), lower(schema_name), lower(function_name) FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') AND NOT internal AND lower(function_name) IN (${wanted.map(sqlString).join(', ')})`,
    )
  ).getRows();
  const found = new Set(rows.map(([d, s, f]) => `${String(d)}.${String(s)}.${String(f)}`));
  return names.map((name) => {
    if (name.length < 1 || name.length > 3) return undefined;
    const fn = name.at(-1)!.toLowerCase();
    for (const [db, schema] of routineCandidates(name, currentCatalog, currentSchema.toLowerCase())) {
      if (!found.has(`${db}.${schema}.${fn}`)) continue;
      return db === 'temp' ? { temporary: true } : { temporary: false, catalog: ucCatalogName(db), schema, name: fn };
    }
    return undefined;
  });
}

/** Whether DuckDB has this schema at all (UC's schemas and its internal ones, `main` of every database). */
export async function duckSchemaExists(conn: DuckDBConnection, catalog: string, schema: string): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT 1 FROM duckdb_schemas() WHERE lower(database_name) = ${sqlString(duckCatalogName(catalog))} AND lower(schema_name) = ${sqlString(schema.toLowerCase())}`);
  return r.currentRowCount > 0;
}
