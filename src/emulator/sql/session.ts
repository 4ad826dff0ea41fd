import { BIGINT, BOOLEAN, SQLNULL, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { UcError } from './catalog.js';
import { bindRoutines, bindTable, duckSchemaExists } from './duck-binding.js';
import type { SqlEngine } from './engine.js';
import { fromDuckDbError, SqlError } from './errors.js';
import { performFunctionAction, routineNotFound } from './function-actions.js';
import { securableFor } from './grants.js';
import { sqlIdent, type tokenize } from './lexer.js';
import { MetadataAccess } from './metadata-access.js';
import { duckCatalogName } from './names.js';
import { SECURABLE_TYPE_NAME } from './privileges.js';
import { MemoryResultSet, rowBytesExpression, rowValuesExpression, TableResultSet, type ResultColumn, type ResultSet, type Row } from './result.js';
import { statementAccess } from './statement-access.js';
import { authorizeStatement, type PrivilegeContext } from './statement-privileges.js';
import { translateStatement, type Action, type QualifiedName } from './translate.js';
import { toDatabricksType } from './types.js';
import { refuseSchemalessUse } from './schemaless-guard.js';
import { runVolumeStatement } from './volume-session.js';
import { volumeStatement } from './volume-statements.js';

const STRING = toDatabricksType(VARCHAR);
const LONG = toDatabricksType(BIGINT);
const BOOL = toDatabricksType(BOOLEAN);
const VOID = toDatabricksType(SQLNULL);
/** Query results up to this many rows stay in memory (see readSmallResult). */
const SMALL_RESULT_ROWS = 2048;

/** One DuckDB connection with a current catalog and schema (USE changes them for later statements). */
export class Session {
  private currentCatalog = 'main';
  /** Set once a statement may have left state on the connection (temp objects, settings, a transaction). */
  private changedState = false;
  /**
   * @param place where the connection's last USE left it (`catalog.schema#removals`), if it is a
   * pooled one: a statement for the same place skips the USE (one DuckDB round trip of three).
   */
  constructor(
    private readonly engine: SqlEngine,
    private readonly conn: DuckDBConnection,
    private readonly user: string,
    private place?: string,
  ) {}

  /** Where the connection is now, for the pool (see the constructor). */
  get location(): string | undefined {
    return this.place;
  }

  /** Whether the connection can serve another statement: only queries and lookups ran on it. */
  get reusable(): boolean {
    return !this.changedState;
  }

  async use(catalog: string, schema: string): Promise<void> {
    const c = catalog.toLowerCase();
    const place = `${c}.${schema.toLowerCase()}#${this.engine.catalog.removalCount}`;
    if (place === this.place) {
      this.currentCatalog = c;
      return;
    }
    this.place = undefined;
    try {
      await this.conn.run(`USE ${sqlIdent(duckCatalogName(c))}.${sqlIdent(schema.toLowerCase())}`);
    } catch (err) {
      // Every statement starts with a USE, so the catalog lookups that name the missing part run
      // only when it fails (they cost more than the statement itself).
      if (!(await this.engine.catalog.catalogExists(c))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `Catalog '${c}' was not found.`);
      if (!(await this.engine.catalog.schemaNames(c)).includes(schema.toLowerCase())) throw new SqlError('SCHEMA_NOT_FOUND', `The schema \`${c}\`.\`${schema.toLowerCase()}\` cannot be found.`);
      throw err;
    }
    this.currentCatalog = c;
    this.place = place;
  }

  private async currentSchema(): Promise<string> {
    return String((await this.conn.runAndReadAll('SELECT current_schema()')).getRows()[0]![0]);
  }

  async run(tokens: ReturnType<typeof tokenize>): Promise<ResultSet> {
    const volumes = volumeStatement(tokens);
    if (!volumes) return this.runTokens(tokens);
    // Reads of volume files use connection-local tables and transactions: the connection is not pooled after.
    this.changedState = true;
    try {
      return await runVolumeStatement(volumes, tokens, {
        conn: this.conn,
        user: this.user,
        catalog: this.engine.catalog,
        filesRoot: this.engine.volumeFilesDir,
        resolveTable: (name) => this.resolveTable(name),
        authorize: async (access) => {
          if (!this.engine.catalog.grants.isAdmin(this.user)) await authorizeStatement(access, this.privilegeContext());
        },
        runTokens: (t) => this.runTokens(t),
      });
    } catch (e) {
      if (e instanceof UcError) throw new SqlError(ucErrorClass(e), e.message);
      throw fromDuckDbError(e);
    }
  }

  private async runTokens(tokens: ReturnType<typeof tokenize>): Promise<ResultSet> {
    const action = translateStatement(tokens, { currentUser: this.user, now: this.engine.now() });
    try {
      // Privileges first, so a denied statement changes nothing (admins skip the token scan).
      if (!this.engine.catalog.grants.isAdmin(this.user)) await authorizeStatement(statementAccess(tokens), this.privilegeContext());
      await refuseSchemalessUse(tokens, this.engine.catalog.schemaless, async (name) => bindTable(this.conn, name, this.currentCatalog, await this.currentSchema()), (c, s, t) =>
        this.engine.catalog.tableId(c, s, t, this.user),
      );
      return await this.perform(action);
    } catch (e) {
      if (e instanceof UcError) throw new SqlError(ucErrorClass(e), e.message);
      throw fromDuckDbError(e);
    }
  }

  /** Who may see what SHOW, DESCRIBE and SHOW GRANTS answer (admins everything). */
  private get metadataAccess(): MetadataAccess {
    return new MetadataAccess(this.engine.catalog.grants, this.user);
  }

  private privilegeContext(): PrivilegeContext {
    return {
      user: this.user,
      grants: this.engine.catalog.grants,
      resolveTable: (name) => this.resolveTable(name),
      resolveSchema: (name) => this.resolveSchema(name),
      bindTable: async (name) => bindTable(this.conn, name, this.currentCatalog, await this.currentSchema()),
      bindRoutines: async (names) => bindRoutines(this.conn, names, this.currentCatalog, await this.currentSchema()),
      duckSchemaExists: (catalog, schema) => duckSchemaExists(this.conn, catalog, schema),
    };
  }

  private async perform(a: Action): Promise<ResultSet> {
    const uc = this.engine.catalog;
    switch (a.kind) {
      case 'createCatalog':
        if (!a.ifNotExists && (await uc.catalogExists(a.name))) throw new SqlError('CATALOG_ALREADY_EXISTS', `Cannot create catalog '${a.name}' because it already exists.`);
        await uc.createCatalog(a.name, this.user, { ifNotExists: a.ifNotExists, ...(a.comment !== undefined ? { comment: a.comment } : {}) });
        return empty();
      case 'dropCatalog':
        if (!(await uc.catalogExists(a.name))) {
          if (a.ifExists) return empty();
          throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `Catalog '${a.name}' was not found.`);
        }
        if (a.name === this.currentCatalog) throw new SqlError('INVALID_STATE', `not supported by the emulator: dropping the current catalog '${a.name}'`);
        await uc.deleteCatalog(a.name, a.cascade);
        return empty();
      case 'use':
        if (a.catalog && !a.schema) await this.use(a.catalog, 'default');
        else await this.use(a.catalog ?? this.currentCatalog, a.schema!);
        return empty();
      case 'showCatalogs': {
        const names = this.metadataAccess.visible(await uc.catalogNames(), (c) => securableFor('catalog', [c]));
        return new MemoryResultSet([{ name: 'catalog', type: STRING }], names.map((c) => [c]));
      }
      case 'showSchemas': {
        const c = a.catalog ?? this.currentCatalog;
        await uc.requireCatalog(c);
        const names = this.metadataAccess.visible(await uc.schemaNames(c), (s) => securableFor('schema', [c, s]));
        return new MemoryResultSet([{ name: 'databaseName', type: STRING }], names.map((s) => [s]));
      }
      case 'showTables': {
        const [c, s] = await this.resolveSchema(a.schema);
        await uc.requireSchema(c, s);
        const rows = this.metadataAccess.visible(await uc.tableRows(c, s), ([, t, isView]) => securableFor(isView ? 'view' : 'table', [c, s, t]));
        return new MemoryResultSet(
          [
            { name: 'database', type: STRING },
            { name: 'tableName', type: STRING },
            { name: 'isTemporary', type: BOOL },
          ],
          rows.map(([schema, t]) => [schema, t, 'false']),
        );
      }
      case 'describeTable': {
        const [c, s, t] = await this.resolveTable(a.table);
        const row = await uc.findTable(c, s, t).catch(() => {
          throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view \`${c}\`.\`${s}\`.\`${t}\` cannot be found.`);
        });
        this.metadataAccess.requireRead(securableFor(row[2] ? 'view' : 'table', [c, s, t]));
        // A first sight records the owner: a non-admin's DESCRIBE must not make the table its own.
        const info = await uc.tableInfo(c, s, row, uc.grants.isAdmin(this.user) ? this.user : this.engine.defaultUser);
        const cols = (info.columns as { name: string; type_text: string; comment?: string }[]) ?? [];
        if (a.namesOnly) return new MemoryResultSet([{ name: 'col_name', type: STRING }], cols.map((col) => [col.name]));
        return new MemoryResultSet(
          [
            { name: 'col_name', type: STRING },
            { name: 'data_type', type: STRING },
            { name: 'comment', type: STRING },
          ],
          cols.map((col) => [col.name, col.type_text, col.comment ?? null]),
        );
      }
      case 'grant': {
        const securable = await uc.grants.resolve(a.target.type, await this.grantTargetName(a.target));
        uc.grants.requireManage(securable, this.user);
        uc.grants.update(securable, [{ principal: a.principal, ...(a.revoke ? { remove: a.privileges } : { add: a.privileges }) }], this.user);
        return empty();
      }
      case 'showGrants': {
        const securable = await uc.grants.resolve(a.target.type, await this.grantTargetName(a.target));
        this.metadataAccess.requireShowGrants(securable, a.principal);
        const own = SECURABLE_TYPE_NAME[securable.kind];
        const rows = uc.grants
          .effective(securable, a.principal)
          .flatMap((g) => g.privileges.map((p) => [g.principal, p.privilege.replace(/_/g, ' '), p.inherited_from_type ?? own, p.inherited_from_name ?? securable.fullName]));
        return new MemoryResultSet(
          ['Principal', 'ActionType', 'ObjectType', 'ObjectKey'].map((name) => ({ name, type: STRING })),
          rows,
        );
      }
      case 'noop':
        if (a.table) {
          const [c, s, t] = await this.resolveTable(a.table);
          await uc.findTable(c, s, t).catch(() => {
            throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view \`${c}\`.\`${s}\`.\`${t}\` cannot be found.`);
          });
        }
        return empty();
      case 'transaction': {
        const affected = await this.inTransaction(a.statements);
        if (/^ALTER/i.test(a.statements[0] ?? '')) await uc.schemaless.settle();
        if (/^INSERT/i.test(a.statements.at(-1) ?? '')) return dmlResult('INSERT', affected);
        return empty();
      }
      case 'createSchema': {
        const [c, s] = await this.resolveSchema(a.name);
        try {
          // createSchema checks the catalog and that the schema is new.
          await uc.createSchema(c, s, this.user, a.comment !== undefined ? { comment: a.comment } : {});
        } catch (e) {
          if (!(e instanceof UcError && e.errorCode === 'SCHEMA_ALREADY_EXISTS')) throw e;
          if (a.ifNotExists) return empty();
          throw new SqlError('SCHEMA_ALREADY_EXISTS', `Cannot create schema \`${s}\` because it already exists. Choose a different name, drop the existing schema, or add the IF NOT EXISTS clause to tolerate pre-existing schema.`);
        }
        return empty();
      }
      case 'createTable': {
        const [c, s, t] = a.temp ? ['', '', ''] : await this.resolveTable(a.table);
        const existed = !a.temp && (await uc.findTable(c, s, t).then(() => true, () => false));
        if (a.statements.length === 1) await this.runSql(a.statements[0]!);
        else await this.inTransaction(a.statements);
        // IF NOT EXISTS on an existing table changes nothing; a new or replaced table takes the clause's comment.
        if (!a.temp && (!existed || a.replace)) {
          uc.setComment(`${c}.${s}.${t}`, this.user, a.comment);
          if (a.schemaless) uc.schemaless.add(`${c}.${s}.${t}`);
          else uc.schemaless.forget(`${c}.${s}.${t}`);
        }
        return empty();
      }
      case 'setComment': {
        const key = await this.commentTarget(a.target, a.name);
        uc.setComment(key, this.user, a.comment);
        return empty();
      }
      case 'sql':
        return this.runSql(a.sql, a.nullColumns);
      case 'createFunction':
      case 'dropFunction':
      case 'showFunctions':
      case 'describeFunction':
        return performFunctionAction(a, {
          catalog: uc,
          user: this.user,
          now: this.engine.now(),
          resolve: (name) => this.resolveTable(name),
          resolveSchema: (name) => this.resolveSchema(name),
          runSql: (sql) => this.runSql(sql),
        });
    }
  }

  private async runSql(sql: string, nullColumns: readonly number[] = []): Promise<ResultSet> {
    const prepared = await this.conn.prepare(sql);
    const type = prepared.statementType;
    // StatementType.SELECT = 1, EXPLAIN = 4: results worth materialising.
    if (type === 1) {
      const columns: ResultColumn[] = [];
      const duckTypes = [];
      for (let i = 0; i < prepared.columnCount; i++) {
        columns.push({ name: prepared.columnName(i), type: nullColumns.includes(i) ? VOID : toDatabricksType(prepared.columnType(i)) });
        duckTypes.push(prepared.columnType(i));
      }
      prepared.destroySync();
      const aliases = columns.map((_, i) => sqlIdent(`c${i}`)).join(', ');
      const small = await this.readSmallResult(sql, aliases, columns, duckTypes);
      if (small) return small;
      const table = this.engine.nextResultTable();
      await this.conn.run(`CREATE TABLE ${table} AS SELECT * FROM (${sql}\n) AS __q(${aliases})`);
      return TableResultSet.open(this.conn, () => this.engine.connect(), table, columns, duckTypes);
    }
    this.changedState = true;
    prepared.destroySync();
    const reader = await this.conn.runAndReadAll(sql);
    const kind = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
    if (kind === 'DROP' || kind === 'ALTER') await this.engine.catalog.prune();
    if (kind === 'ALTER') await this.engine.catalog.schemaless.settle();
    if (['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(kind)) return dmlResult(kind, Number(reader.getRows()[0]?.[0] ?? 0));
    if (type === 4) {
      const rows: Row[] = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
      return new MemoryResultSet(reader.columnNames().map((name) => ({ name, type: STRING })), rows);
    }
    return empty();
  }

  /**
   * Most results are a few rows (a count, a top-N): rendered and measured in one query, kept in
   * memory, no result table. A query with more rows than SMALL_RESULT_ROWS runs again into a table
   * (run twice, read lazily), so a large result is never held as JavaScript values.
   *
   * The LIMIT bounds the materialized result, so its chunks are read synchronously: one DuckDB round
   * trip through the thread pool instead of one per chunk plus the empty one that ends a stream.
   */
  private async readSmallResult(sql: string, aliases: string, columns: ResultColumn[], duckTypes: DuckDBType[]): Promise<ResultSet | undefined> {
    const result = await this.conn.run(`SELECT CAST(json_array(${rowValuesExpression(duckTypes)}) AS VARCHAR), (${rowBytesExpression(duckTypes)})::BIGINT FROM (${sql}\n) AS __q(${aliases}) LIMIT ${SMALL_RESULT_ROWS + 1}`);
    if (result.rowCount > SMALL_RESULT_ROWS) return undefined;
    const found = [];
    for (let i = 0; i < result.chunkCount; i++) found.push(...result.getChunk(i).getRows());
    return new MemoryResultSet(
      columns,
      found.map(([json]) => JSON.parse(String(json)) as Row),
      found.map(([, bytes]) => Number(bytes ?? 0)),
    );
  }

  /** Statements that apply together or not at all; returns the last INSERT's row count. */
  private async inTransaction(statements: string[]): Promise<number> {
    this.changedState = true;
    await this.conn.run('BEGIN TRANSACTION');
    let affected = 0;
    try {
      for (const st of statements) {
        const r = await this.conn.runAndReadAll(st);
        if (/^INSERT/i.test(st)) affected = Number(r.getRows()[0]?.[0] ?? 0);
      }
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return affected;
  }

  /** The metadata key of an existing catalog, schema or table named in COMMENT ON. */
  private async commentTarget(target: 'catalog' | 'schema' | 'table', name: QualifiedName): Promise<string> {
    const uc = this.engine.catalog;
    if (target === 'catalog') {
      await uc.requireCatalog(name[0]!);
      return name[0]!;
    }
    if (target === 'schema') {
      const [c, s] = await this.resolveSchema(name);
      await uc.requireSchema(c, s);
      return `${c}.${s}`;
    }
    const [c, s, t] = await this.resolveTable(name);
    await uc.findTable(c, s, t);
    return `${c}.${s}.${t}`;
  }

  private async resolveSchema(name: QualifiedName | undefined): Promise<[string, string]> {
    if (!name) return [this.currentCatalog, await this.currentSchema()];
    if (name.length === 1) return [this.currentCatalog, name[0]!];
    if (name.length === 2) return [name[0]!, name[1]!];
    throw new SqlError('PARSE_SYNTAX_ERROR', `Invalid schema name ${name.join('.')}`);
  }

  /** A GRANT's object as a full name: catalogs as written, the rest qualified by the current catalog and schema. */
  private async grantTargetName(target: { type: string; name: QualifiedName }): Promise<string> {
    if (target.type === 'catalog') return target.name.join('.');
    if (target.type === 'schema') return (await this.resolveSchema(target.name)).join('.');
    if (target.type === 'table' || target.type === 'volume') return (await this.resolveTable(target.name)).join('.');
    if (target.type === 'function') {
      const [catalog, schema, name] = await this.resolveTable(target.name);
      await this.engine.catalog.requireSchema(catalog, schema);
      // SQL names a missing function as DROP FUNCTION does, not in the REST API's words.
      if (!this.engine.catalog.functions.get({ catalog, schema, name })) throw routineNotFound({ catalog, schema, name });
      return `${catalog}.${schema}.${name}`;
    }
    return target.name.join('.');
  }

  private async resolveTable(name: QualifiedName): Promise<[string, string, string]> {
    if (name.length === 1) return [this.currentCatalog, await this.currentSchema(), name[0]!];
    if (name.length === 2) return [this.currentCatalog, name[0]!, name[1]!];
    if (name.length === 3) return [name[0]!, name[1]!, name[2]!];
    throw new SqlError('PARSE_SYNTAX_ERROR', `Invalid table name ${name.join('.')}`);
  }
}

const empty = () => new MemoryResultSet([], []);

/** Databricks reports DML outcomes as a one-row result. */
function dmlResult(kind: string, affected: number): ResultSet {
  const cols: ResultColumn[] = [{ name: 'num_affected_rows', type: LONG }];
  const row: Row = [String(affected)];
  if (kind === 'INSERT') {
    cols.push({ name: 'num_inserted_rows', type: LONG });
    row.push(String(affected));
  }
  return new MemoryResultSet(cols, [row]);
}

function ucErrorClass(e: UcError): string {
  switch (e.errorCode) {
    case 'CATALOG_DOES_NOT_EXIST':
      return 'NO_SUCH_CATALOG_EXCEPTION';
    case 'SCHEMA_DOES_NOT_EXIST':
      return 'SCHEMA_NOT_FOUND';
    case 'TABLE_DOES_NOT_EXIST':
      return 'TABLE_OR_VIEW_NOT_FOUND';
    default:
      return e.errorCode;
  }
}
