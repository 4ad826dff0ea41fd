/**
 * Unity Catalog catalog names ↔ DuckDB database names. DuckDB reserves `main` as an attach name,
 * and an attached "Main" makes DuckDB's own `main.<function>` references ambiguous, so the
 * Databricks `main` catalog lives in a DuckDB database whose name no UC name can take (`$` is
 * not allowed in emulator catalog names); translation rewrites `main.schema.table` references.
 */
import { sqlIdent } from './lexer.js';

export const MAIN_DUCK_NAME = 'main$uc';

export const duckCatalogName = (uc: string): string => (uc.toLowerCase() === 'main' ? MAIN_DUCK_NAME : uc.toLowerCase());

export const ucCatalogName = (duck: string): string => (duck.toLowerCase() === MAIN_DUCK_NAME ? 'main' : duck.toLowerCase());

/** The DuckDB reference of the UC table (or view) `catalog.schema.table`, quoted. */
export const tableSql = (catalog: string, schema: string, table: string): string => `${sqlIdent(duckCatalogName(catalog))}.${sqlIdent(schema)}.${sqlIdent(table)}`;

/** Catalog, schema, table and volume names Unity Catalog accepts (after lower-casing). */
export const UC_NAME_RE = /^[a-z0-9_][a-z0-9_-]{0,254}$/;
