import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromDuckDbError, SqlError } from './errors.js';
import { matchParen, parseType } from './expressions.js';
import { sqlIdent, sqlString, tokenize } from './lexer.js';
import type { MetadataStore, ObjectMeta } from './metadata.js';
import { duckCatalogName, tableSql, UC_NAME_RE as NAME_RE, ucCatalogName } from './names.js';
import { commentOnColumn } from './translate.js';
import { toDatabricksType } from './types.js';
import { UcError } from './uc-error.js';
import { Grants, type GrantDirectory } from './grants.js';
import { Volumes } from './volumes.js';
import { ExternalLocations } from './external-locations.js';
import { isMetastoreLevelKey } from './metastore-objects.js';
import { StorageCredentials } from './storage-credentials.js';
import { Connections } from './connections.js';
import { Functions } from './uc-functions.js';
import { PLACEHOLDER_COLUMN, SchemalessTables } from './schemaless.js';

export { UcError };

/**
 * Unity Catalog on top of DuckDB: a catalog is an attached DuckDB database, a schema a DuckDB
 * schema, a table a DuckDB table or view. REST calls and SQL therefore see the same objects.
 */

/** DuckDB databases that are not Unity Catalog catalogs (its own, and the engine's result store). */
const INTERNAL_DATABASES = new Set(['memory', 'system', 'temp']);
/** Names DuckDB refuses for attached databases. */
const RESERVED = new Set(['memory', 'system', 'temp']);


export interface CatalogColumnInput {
  name: string;
  type_name?: string;
  type_text?: string;
  nullable?: boolean;
  comment?: string;
}

export class UnityCatalog {
  /**
   * Counts catalog and schema removals (and any statement that may have made one). A pooled
   * connection skips its USE only while this is unchanged: the place it is at still exists.
   */
  private removals = 0;
  /** Volumes of this metastore: metadata only (see volumes.ts); they go with their schema or catalog. */
  readonly volumes: Volumes;
  /** SQL functions (uc-functions.ts): DuckDB macros plus metadata; they go with their schema or catalog. */
  readonly functions: Functions;
  /** Grants on catalogs, schemas, tables, volumes and the metastore-level objects, kept with each object's metadata. */
  readonly grants: Grants;
  /** Metastore-level objects (metastore-objects.ts): they outlive every catalog. */
  readonly storageCredentials: StorageCredentials;
  readonly externalLocations: ExternalLocations;
  readonly connections: Connections;
  /** Tables created without columns, waiting for COPY INTO to give them a schema (schemaless.ts). */
  readonly schemaless: SchemalessTables;
  constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly meta: MetadataStore,
    private readonly catalogDir: string | undefined,
    readonly metastoreId: string,
    private readonly now: () => number,
    directory: GrantDirectory,
  ) {
    this.schemaless = new SchemalessTables(connect);
    this.volumes = new Volumes(meta, metastoreId, now, (c, s) => this.requireSchema(c, s));
    this.functions = new Functions(meta, connect, metastoreId, now, (c, s) => this.requireSchema(c, s));
    this.storageCredentials = new StorageCredentials(meta, 'storage_credential', directory, now, metastoreId);
    this.externalLocations = new ExternalLocations(meta, directory, now, metastoreId, this.storageCredentials);
    this.storageCredentials.usedBy = (id) => this.externalLocations.usingCredential(id);
    this.connections = new Connections(meta, 'connection', directory, now, metastoreId);
    const metastoreObjects = { storage_credential: this.storageCredentials, external_location: this.externalLocations, connection: this.connections };
    this.grants = new Grants(meta, {
      requireCatalog: (c) => this.requireCatalog(c),
      requireSchema: (c, s) => this.requireSchema(c, s),
      findTable: (c, s, t) => this.findTable(c, s, t),
      findVolume: (v) => this.volumes.find(v),
      volumeKey: (v) => this.volumes.key(v),
      functionKey: async (catalog, schema, name) => {
        await this.functions.find({ catalog, schema, name });
        return this.functions.key({ catalog, schema, name });
      },
      metastoreId,
      metastoreObjectKey: (kind, name) => {
        metastoreObjects[kind].find(name);
        return metastoreObjects[kind].key(name);
      },
    }, directory);
  }

  get removalCount(): number {
    return this.removals;
  }

  /** Notes that a statement may have removed a catalog or schema (see removalCount). */
  noteRemoval(): void {
    this.removals++;
  }

  private async q<T = unknown[]>(sql: string): Promise<T[]> {
    const c = await this.connect();
    try {
      return (await c.runAndReadAll(sql)).getRows() as T[];
    } finally {
      c.closeSync();
    }
  }

  // ---- catalogs ----

  async catalogNames(): Promise<string[]> {
    const rows = await this.q<[string]>('SELECT database_name FROM duckdb_databases() ORDER BY database_name');
    return rows.map((r) => r[0]).filter((n) => !INTERNAL_DATABASES.has(n)).map(ucCatalogName);
  }

  async catalogExists(name: string): Promise<boolean> {
    return (await this.catalogNames()).includes(name.toLowerCase());
  }

  /** Re-attaches catalogs persisted under the data dir (called once at start). */
  async attachPersisted(): Promise<void> {
    if (!this.catalogDir || !existsSync(this.catalogDir)) return;
    for (const f of readdirSync(this.catalogDir)) {
      if (!f.endsWith('.duckdb')) continue;
      const name = decodeURIComponent(f.slice(0, -'.duckdb'.length));
      if (!(await this.catalogExists(name))) await this.q(`ATTACH ${sqlString(join(this.catalogDir, f))} AS ${sqlIdent(duckCatalogName(name))}`);
    }
  }

  async createCatalog(name: string, user: string, opts: { comment?: string; properties?: Record<string, string>; storageRoot?: string; ifNotExists?: boolean } = {}): Promise<void> {
    const uc = name.toLowerCase();
    if (!NAME_RE.test(uc)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid catalog name '${name}'.`);
    if (RESERVED.has(uc)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `not supported by the emulator: catalog name '${uc}' is reserved by DuckDB.`);
    if (await this.catalogExists(uc)) {
      if (opts.ifNotExists) return;
      throw new UcError(409, 'CATALOG_ALREADY_EXISTS', `Catalog '${uc}' already exists`);
    }
    if (opts.storageRoot) this.externalLocations.requireManagedStorage(opts.storageRoot, user);
    let target = ':memory:';
    if (this.catalogDir) {
      mkdirSync(this.catalogDir, { recursive: true });
      target = join(this.catalogDir, `${encodeURIComponent(uc)}.duckdb`);
      rmSync(target, { force: true });
      rmSync(`${target}.wal`, { force: true });
    }
    const duck = sqlIdent(duckCatalogName(uc));
    await this.q(`ATTACH ${sqlString(target)} AS ${duck}`);
    try {
      await this.q(`CREATE SCHEMA ${duck}."default"`);
    } catch (e) {
      await this.q(`DETACH ${duck}`).catch(() => undefined);
      throw e;
    }
    this.meta.delete(uc);
    this.meta.ensure(uc, user, { comment: opts.comment, properties: opts.properties, storageRoot: opts.storageRoot });
    this.meta.ensure(`${uc}.default`, user, { comment: 'Default schema (auto-created)' });
  }

  async deleteCatalog(name: string, force: boolean): Promise<void> {
    const uc = name.toLowerCase();
    if (!(await this.catalogExists(uc))) throw new UcError(404, 'CATALOG_DOES_NOT_EXIST', `Catalog '${uc}' does not exist.`);
    if (!force) {
      const schemas = (await this.schemaNames(uc)).filter((s) => s !== 'default' && s !== 'information_schema');
      const tables = (await this.tableRows(uc)).length;
      const volumes = this.volumes.countUnder(uc);
      const functions = this.functions.countUnder(uc);
      if (schemas.length > 0 || tables > 0 || volumes > 0 || functions > 0) {
        // The functions count's place in the text is unverified.
        throw new UcError(400, 'INVALID_STATE', `Catalog '${uc}' is not empty. The catalog has ${schemas.length} schemas(s), ${tables} tables(s), ${functions} functions(s) and ${volumes} volumes(s).`);
      }
    }
    this.removals++;
    this.volumes.dropUnder(uc);
    await this.q(`DETACH ${sqlIdent(duckCatalogName(uc))}`);
    if (this.catalogDir) {
      const f = join(this.catalogDir, `${encodeURIComponent(uc)}.duckdb`);
      rmSync(f, { force: true });
      rmSync(`${f}.wal`, { force: true });
    }
    this.meta.delete(uc);
  }

  catalogInfo(name: string, user: string): Record<string, unknown> {
    const m = this.meta.ensure(name, user);
    return {
      name,
      full_name: name,
      catalog_type: 'MANAGED_CATALOG',
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      properties: m.properties ?? {},
      ...(m.storageRoot ? { storage_root: m.storageRoot } : {}),
      owner: m.owner,
      metastore_id: this.metastoreId,
      isolation_mode: 'OPEN',
      securable_type: 'CATALOG',
      browse_only: false,
      ...audit(m),
    };
  }

  // ---- schemas ----

  async schemaNames(catalog: string): Promise<string[]> {
    const rows = await this.q<[string]>(
      `SELECT schema_name FROM duckdb_schemas() WHERE lower(database_name) = ${sqlString(duckCatalogName(catalog))} AND NOT internal ORDER BY schema_name`,
    );
    return rows.map((r) => r[0].toLowerCase());
  }

  async requireCatalog(catalog: string): Promise<void> {
    if (!(await this.catalogExists(catalog))) throw new UcError(404, 'CATALOG_DOES_NOT_EXIST', `Catalog '${catalog}' does not exist.`);
  }

  async requireSchema(catalog: string, schema: string): Promise<void> {
    await this.requireCatalog(catalog);
    if (!(await this.schemaNames(catalog)).includes(schema)) throw new UcError(404, 'SCHEMA_DOES_NOT_EXIST', `Schema '${catalog}.${schema}' does not exist.`);
  }

  async createSchema(catalog: string, name: string, user: string, opts: { comment?: string; properties?: Record<string, string>; storageRoot?: string } = {}): Promise<void> {
    const c = catalog.toLowerCase();
    const s = name.toLowerCase();
    if (!NAME_RE.test(s)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid schema name '${name}'.`);
    await this.requireCatalog(c);
    if ((await this.schemaNames(c)).includes(s)) throw new UcError(409, 'SCHEMA_ALREADY_EXISTS', `Schema '${s}' already exists`);
    if (opts.storageRoot) this.externalLocations.requireManagedStorage(opts.storageRoot, user);
    await this.q(`CREATE SCHEMA ${sqlIdent(duckCatalogName(c))}.${sqlIdent(s)}`);
    this.meta.delete(`${c}.${s}`);
    this.meta.ensure(`${c}.${s}`, user, { comment: opts.comment, properties: opts.properties, storageRoot: opts.storageRoot });
  }

  async deleteSchema(catalog: string, name: string, force: boolean): Promise<void> {
    await this.requireSchema(catalog, name);
    const tables = (await this.tableRows(catalog, name)).length;
    const volumes = this.volumes.countUnder(`${catalog}.${name}`);
    const functions = this.functions.countUnder(`${catalog}.${name}`);
    if ((tables > 0 || volumes > 0 || functions > 0) && !force) {
      // The functions count's place in the text is unverified.
      throw new UcError(400, 'INVALID_STATE', `Schema '${catalog}.${name}' is not empty. The schema has ${tables} tables(s), ${functions} functions(s) and ${volumes} volumes(s).`);
    }
    this.removals++;
    this.volumes.dropUnder(`${catalog}.${name}`);
    await this.q(`DROP SCHEMA ${sqlIdent(duckCatalogName(catalog))}.${sqlIdent(name)}${force ? ' CASCADE' : ''}`);
    this.meta.delete(`${catalog}.${name}`);
  }

  schemaInfo(catalog: string, name: string, user: string): Record<string, unknown> {
    const m = this.meta.ensure(`${catalog}.${name}`, user);
    return {
      name,
      catalog_name: catalog,
      full_name: `${catalog}.${name}`,
      catalog_type: 'MANAGED_CATALOG',
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      properties: m.properties ?? {},
      ...(m.storageRoot ? { storage_root: m.storageRoot } : {}),
      owner: m.owner,
      metastore_id: this.metastoreId,
      schema_id: m.id,
      securable_type: 'SCHEMA',
      browse_only: false,
      ...audit(m),
    };
  }

  // ---- tables ----

  /** [schema, table, isView, viewSql] for one catalog (and optionally one schema). */
  async tableRows(catalog: string, schema?: string): Promise<[string, string, boolean, string | null][]> {
    const where = `lower(database_name) = ${sqlString(duckCatalogName(catalog))}${schema ? ` AND lower(schema_name) = ${sqlString(schema.toLowerCase())}` : ''} AND NOT internal AND NOT temporary`;
    const rows = await this.q<[string, string, boolean, string | null]>(
      `SELECT schema_name, table_name, false, NULL FROM duckdb_tables() WHERE ${where}
       UNION ALL SELECT schema_name, view_name, true, sql FROM duckdb_views() WHERE ${where}
       ORDER BY 1, 2`,
    );
    return rows.map(([s, t, v, sql]) => [s.toLowerCase(), t.toLowerCase(), v, sql]);
  }

  async createTable(
    catalog: string,
    schema: string,
    name: string,
    user: string,
    opts: { columns: CatalogColumnInput[]; tableType: string; dataSourceFormat: string; storageLocation?: string; comment?: string; properties?: Record<string, string> },
  ): Promise<void> {
    const t = name.toLowerCase();
    if (!NAME_RE.test(t)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid table name '${name}'.`);
    await this.requireSchema(catalog, schema);
    if ((await this.tableRows(catalog, schema)).some(([, n]) => n === t)) throw new UcError(409, 'TABLE_ALREADY_EXISTS', `Table '${catalog}.${schema}.${t}' already exists`);
    if (opts.columns.length === 0) throw new UcError(400, 'INVALID_PARAMETER_VALUE', 'not supported by the emulator: a table without columns');
    const defs = opts.columns.map((c, i) => {
      const text = c.type_text ?? c.type_name;
      if (!text) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `columns[${i}].type_text: required`);
      let duckType: string;
      try {
        const tokens = tokenize(text);
        const parsed = parseType(tokens, 0);
        if (parsed.next !== tokens.length) throw new Error('trailing');
        duckType = parsed.sql;
      } catch {
        throw new UcError(400, 'INVALID_PARAMETER_VALUE', `columns[${i}].type_text: unsupported type '${text}'`);
      }
      return `${sqlIdent(c.name)} ${duckType}${c.nullable === false ? ' NOT NULL' : ''}`;
    });
    const tableRef = tableSql(catalog, schema, t);
    try {
      await this.q(`CREATE TABLE ${tableRef} (${defs.join(', ')})`);
      for (const col of opts.columns) if (col.comment) await this.q(commentOnColumn(tableRef, sqlIdent(col.name), col.comment));
    } catch (e) {
      throw new UcError(400, 'INVALID_PARAMETER_VALUE', fromDuckDbError(e).message);
    }
    const key = `${catalog}.${schema}.${t}`;
    this.meta.delete(key);
    this.meta.ensure(key, user, {
      comment: opts.comment,
      properties: opts.properties,
      tableType: opts.tableType,
      dataSourceFormat: opts.dataSourceFormat,
      storageLocation: opts.storageLocation,
    });
  }

  async deleteTable(catalog: string, schema: string, name: string): Promise<void> {
    const row = await this.findTable(catalog, schema, name);
    await this.q(`DROP ${row[2] ? 'VIEW' : 'TABLE'} ${tableSql(catalog, schema, name)}`);
    this.meta.delete(`${catalog}.${schema}.${name}`);
  }

  async findTable(catalog: string, schema: string, name: string): Promise<[string, string, boolean, string | null]> {
    const missing = () => new UcError(404, 'TABLE_DOES_NOT_EXIST', `Table '${catalog}.${schema}.${name}' does not exist.`);
    if (!(await this.catalogExists(catalog))) throw missing();
    const row = (await this.tableRows(catalog, schema)).find(([, n]) => n === name);
    if (!row) throw missing();
    return row;
  }

  /**
   * `{full_name, table_type}` of a catalog's tables and views whose schema and table names match SQL
   * LIKE patterns (`%`, `_`; empty or unset matches all), ordered by name: the table-summaries listing.
   */
  async tableSummaries(catalog: string, schemaPattern = '', tablePattern = ''): Promise<{ full_name: string; table_type: string }[]> {
    await this.requireCatalog(catalog);
    const schemaOk = likeMatcher(schemaPattern);
    const tableOk = likeMatcher(tablePattern);
    return (await this.tableRows(catalog))
      .filter(([schema, table]) => schema !== 'information_schema' && schemaOk(schema) && tableOk(table))
      .map(([schema, table, isView]) => {
        const key = `${catalog}.${schema}.${table}`;
        return { full_name: key, table_type: isView ? 'VIEW' : (this.meta.get(key)?.tableType ?? 'MANAGED') };
      });
  }

  async tableInfo(catalog: string, schema: string, row: [string, string, boolean, string | null], user: string, opts: { omitColumns?: boolean; omitProperties?: boolean } = {}): Promise<Record<string, unknown>> {
    const [, name, isView, viewSql] = row;
    const key = `${catalog}.${schema}.${name}`;
    const m = this.meta.ensure(key, user);
    const columns = opts.omitColumns ? undefined : await this.columnsOf(catalog, schema, name);
    return {
      name,
      catalog_name: catalog,
      schema_name: schema,
      full_name: key,
      table_type: isView ? 'VIEW' : (m.tableType ?? 'MANAGED'),
      data_source_format: isView ? undefined : (m.dataSourceFormat ?? 'DELTA'),
      ...(columns ? { columns } : {}),
      ...(isView && viewSql ? { view_definition: viewQuery(viewSql) } : {}),
      storage_location: isView ? undefined : (m.storageLocation ?? `emulator://${key}`),
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      ...(opts.omitProperties ? {} : { properties: m.properties ?? {} }),
      owner: m.owner,
      metastore_id: this.metastoreId,
      table_id: m.id,
      securable_type: 'TABLE',
      browse_only: false,
      ...audit(m),
    };
  }

  private async columnsOf(catalog: string, schema: string, table: string): Promise<Record<string, unknown>[]> {
    const c = await this.connect();
    try {
      const declared = new Map(
        (await c.runAndReadAll(
          `SELECT column_name, is_nullable, comment FROM duckdb_columns() WHERE lower(database_name) = ${sqlString(duckCatalogName(catalog))} AND lower(schema_name) = ${sqlString(schema)} AND lower(table_name) = ${sqlString(table)}`,
        )).getRows().map(([n, nullable, comment]) => [String(n), { nullable: nullable as boolean, comment: typeof comment === 'string' && comment !== '' ? comment : undefined }]),
      );
      const r = await c.prepare(`SELECT * FROM ${tableSql(catalog, schema, table)}`);
      const cols: Record<string, unknown>[] = [];
      for (let i = 0; i < r.columnCount; i++) {
        const name = r.columnName(i);
        if (name === PLACEHOLDER_COLUMN) continue;
        const t = toDatabricksType(r.columnType(i));
        const nullable = declared.get(name)?.nullable ?? true;
        const comment = declared.get(name)?.comment;
        cols.push({
          name,
          type_name: t.typeName,
          type_text: t.typeText,
          type_json: JSON.stringify({ name, type: t.json, nullable, metadata: {} }),
          position: i,
          nullable,
          ...(comment !== undefined ? { comment } : {}),
          ...(t.precision !== undefined ? { type_precision: t.precision, type_scale: t.scale } : { type_precision: 0, type_scale: 0 }),
        });
      }
      r.destroySync();
      return cols;
    } catch (e) {
      // A view whose source table was dropped has no resolvable columns.
      if (fromDuckDbError(e) instanceof SqlError) return [];
      throw e;
    } finally {
      c.closeSync();
    }
  }

  /** Records a PATCH: comment/owner/properties and the updated_at/by audit fields. */
  touch(key: string, user: string, patch: { comment?: string | undefined; owner?: string | undefined; properties?: Record<string, string> | undefined }): void {
    this.meta.ensure(key, user);
    this.meta.update(key, {
      ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
      ...(patch.properties !== undefined ? { properties: patch.properties } : {}),
      updatedAt: this.now(),
      updatedBy: user,
    });
  }

  /** Sets (or with undefined clears) the comment of an object, as SQL COMMENT clauses do. */
  setComment(key: string, user: string, comment: string | undefined): void {
    const m = this.meta.ensure(key, user);
    if (m.comment === comment) return;
    this.meta.update(key, { comment, updatedAt: this.now(), updatedBy: user });
  }

  /** The files COPY INTO loaded into table `key` (copy-into.ts); they go with the table's metadata. */
  loadedFiles(key: string): readonly string[] {
    return this.meta.get(key)?.loadedFiles ?? [];
  }

  /** A table's id (its metadata entry is made on first sight, as for tables created in SQL). */
  tableId(catalog: string, schema: string, table: string, user: string): string {
    return this.meta.ensure(`${catalog}.${schema}.${table}`, user).id;
  }

  recordLoadedFiles(key: string, user: string, files: readonly string[]): void {
    const known = new Set(this.meta.ensure(key, user).loadedFiles);
    for (const f of files) known.add(f);
    this.meta.update(key, { loadedFiles: [...known] });
  }

  /** Drops metadata of objects that no longer exist (after SQL DROPs), so a re-created object starts fresh. */
  async prune(): Promise<void> {
    const live = new Set<string>();
    for (const c of await this.catalogNames()) {
      live.add(c);
      for (const s of await this.schemaNames(c)) live.add(`${c}.${s}`);
      for (const [s, t] of await this.tableRows(c)) live.add(`${c}.${s}.${t}`);
    }
    this.schemaless.retain(live);
    // A volume lives while its schema does; one whose schema a SQL DROP removed goes with it.
    for (const [key, schema] of this.volumes.schemaKeys()) if (live.has(schema)) live.add(key);
    for (const schema of new Set(this.volumes.schemaKeys().values())) if (!live.has(schema)) this.volumes.dropUnder(schema);
    // A function lives while its macro does (DROP SCHEMA … CASCADE drops macros with the schema).
    for (const key of await this.functions.liveKeys()) live.add(key);
    for (const k of this.meta.keys()) if (!live.has(k) && !isMetastoreLevelKey(k)) this.meta.delete(k);
  }

  forget(key: string): void {
    this.meta.delete(key);
  }
}

/** The query of a view as DuckDB stores it: `CREATE VIEW name [(columns)] AS query;` (the SQL as is if unreadable). */
function viewQuery(sql: string): string {
  try {
    const tokens = tokenize(sql);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'op' && t.text === '(') i = matchParen(tokens, i);
      else if (t.kind === 'word' && t.value === 'AS') {
        return tokens
          .slice(i + 1)
          .map((x, k) => (k === 0 ? x.text : x.pre + x.text))
          .join('')
          .replace(/;\s*$/, '');
      }
    }
  } catch {
    // Not lexable or unbalanced: fall through to the stored SQL.
  }
  return sql;
}

function audit(m: ObjectMeta): Record<string, unknown> {
  return { created_at: m.createdAt, created_by: m.createdBy, updated_at: m.updatedAt, updated_by: m.updatedBy };
}

/** A SQL LIKE pattern (`%` any run, `_` one character, no escape) as a case-insensitive test. */
function likeMatcher(pattern: string): (name: string) => boolean {
  if (pattern === '') return () => true;
  const body = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${body}$`, 'is');
  return (name) => re.test(name);
}
