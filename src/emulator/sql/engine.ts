import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UnityCatalog } from './catalog.js';
import { standaloneDirectory, type GrantDirectory } from './grants.js';
import { SqlError } from './errors.js';
import { splitStatements, sqlIdent, sqlString, tokenize } from './lexer.js';
import { MetadataStore } from './metadata.js';
import { bindParameters, validateParameters, type StatementParameter } from './params.js';
import { MemoryResultSet, type ResultSet } from './result.js';
import { Session } from './session.js';
import { seedWorkspaceCatalogGrants, WORKSPACE_CATALOG } from './workspace-catalog.js';

export interface SqlEngineOptions {
  /** With a data dir, catalogs are DuckDB files under `<dataDir>/sql` and survive a restart. */
  dataDir?: string;
  /** Epoch ms for created_at/updated_at; the emulator passes its virtual clock. */
  now?: () => number;
  /** Seed for deterministic table/schema ids. */
  seed?: string | number;
  /** Principal that owns objects created without an explicit user. */
  defaultUser?: string;
  /**
   * DuckDB worker threads (default 1). Emulator statements are small: waking a second thread for
   * each one cost more CPU than it saved (about 1 ms per pipeline in the throughput benchmark).
   */
  threads?: number;
  /**
   * Where the Files API keeps volume bytes (`<dir>/<volume_id>/`): read_files, COPY INTO and LIST read
   * volume files there. Without it those statements are refused.
   */
  volumeFilesDir?: string;
  /** Principals for Unity Catalog grants (who exists, who is admin); the emulator passes its workspace's. */
  directory?: GrantDirectory;
  /**
   * The group of every workspace user (the emulator's SCIM `users`), given the workspace catalog's
   * default grants when it is created (workspace-catalog.ts); unset, none are seeded.
   */
  workspaceUsers?: string;
}

const DEFAULT_USER = 'emulator@databricks.local';

export interface ExecuteOptions {
  catalog?: string;
  schema?: string;
  parameters?: readonly StatementParameter[];
  /** Principal running the statement (current_user(), owner of created objects). */
  user?: string;
}

const DEFAULT_CATALOGS = [WORKSPACE_CATALOG, 'hive_metastore'];
const DIVIDE_BY_ZERO = `error('[DIVIDE_BY_ZERO] Division by zero. Use \`try_divide\` to tolerate divisor being 0 and return NULL instead. SQLSTATE: 22012')`;
const ANSI_OPERATORS = ['/', '%', '//']
  .map((op) => `CREATE OR REPLACE TEMP MACRO "${op}"(a, b) AS CASE WHEN b = 0 THEN ${DIVIDE_BY_ZERO} ELSE system.main."${op}"(a, b) END;`)
  .join('\n');

/** Connections kept for the next statements (each costs a connect and its operator macros). */
const IDLE_SESSIONS = 4;

/**
 * The emulator's SQL engine: Databricks SQL translated onto one in-process DuckDB instance whose
 * attached databases are the Unity Catalog catalogs.
 */
export class SqlEngine {
  private resultCounter = 0;
  /** Pooled connections and where their last USE left them (see Session). */
  private readonly idleSessions: { conn: DuckDBConnection; place?: string }[] = [];
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly catalog: UnityCatalog,
    private readonly meta: MetadataStore,
    private readonly options: SqlEngineOptions,
  ) {}

  static async create(options: SqlEngineOptions = {}): Promise<SqlEngine> {
    const instance = await DuckDBInstance.create(':memory:');
    const catalogDir = options.dataDir ? join(options.dataDir, 'sql') : undefined;
    const setup = await instance.connect();
    // Spark orders NULLs first ascending and last descending; a warehouse's session time zone is
    // UTC. (Division by zero raises DIVIDE_BY_ZERO through per-connection operator macros.)
    await setup.run(`SET GLOBAL default_null_order = 'nulls_first_on_asc_last_on_desc'`);
    await setup.run('SET GLOBAL ieee_floating_point_ops = false');
    await setup.run(`SET GLOBAL TimeZone = 'UTC'`);
    await setup.run(`SET GLOBAL threads = ${Math.max(1, Math.floor(options.threads ?? 1))}`);
    if (catalogDir) {
      mkdirSync(catalogDir, { recursive: true });
      await setup.run(`SET GLOBAL allowed_directories = [${sqlString(catalogDir + '/')}]`);
    }
    // SQL must not read or write host files (read_csv('/etc/…'), COPY … TO): only the catalogs.
    await setup.run('SET GLOBAL enable_external_access = false');
    setup.closeSync();
    const now = options.now ?? Date.now;
    const meta = new MetadataStore(catalogDir ? join(catalogDir, 'metadata.json') : undefined, String(options.seed ?? 0), now);
    const metastoreId = new MetadataStore(undefined, String(options.seed ?? 0), now).ensure('metastore', 'system').id;
    const directory = options.directory ?? standaloneDirectory(options.defaultUser ?? DEFAULT_USER);
    const catalog = new UnityCatalog(() => instance.connect(), meta, catalogDir, metastoreId, now, directory);
    const engine = new SqlEngine(instance, catalog, meta, options);
    await catalog.attachPersisted();
    await engine.ensureDefaults();
    return engine;
  }

  get volumeFilesDir(): string | undefined {
    return this.options.volumeFilesDir;
  }

  get defaultUser(): string {
    return this.options.defaultUser ?? DEFAULT_USER;
  }

  private async ensureDefaults(): Promise<void> {
    for (const c of DEFAULT_CATALOGS) {
      // A catalog re-attached from the data dir keeps its grants as they were (revokes included).
      if (await this.catalog.catalogExists(c)) continue;
      await this.catalog.createCatalog(c, this.defaultUser);
      if (c === WORKSPACE_CATALOG && this.options.workspaceUsers) seedWorkspaceCatalogGrants(this.meta, this.options.workspaceUsers);
    }
  }

  /** Drops every catalog and result, then recreates the defaults (emulator reset). */
  async reset(): Promise<void> {
    for (const c of await this.catalog.catalogNames()) await this.catalog.deleteCatalog(c, true);
    const conn = await this.instance.connect();
    try {
      const tables = (await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'`)).getRows();
      for (const [t] of tables) await conn.run(`DROP TABLE memory.main.${sqlIdent(String(t))}`);
    } finally {
      conn.closeSync();
    }
    this.meta.clear();
    await this.ensureDefaults();
  }

  close(): void {
    for (const { conn } of this.idleSessions.splice(0)) conn.closeSync();
    this.instance.closeSync();
  }

  /**
   * Runs one statement as the statement execution API does (a single statement; parameters).
   * SQL errors are thrown as SqlError; parameter problems as ParameterError (a rejected request).
   */
  async execute(sql: string, options: ExecuteOptions = {}): Promise<ResultSet> {
    const params = validateParameters(options.parameters ?? []);
    const statements = splitStatements(tokenize(sql));
    if (statements.length === 0) throw new SqlError('PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.');
    if (statements.length > 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Only one statement per request is supported by the statement execution API.');
    return this.withSession(options, (s) => s.run(bindParameters(statements[0]!, params)));
  }

  /**
   * Runs a script (SQL notebook, SQL file): statements in order, stopping at the first error.
   * Returns the last statement's result.
   */
  async runScript(sql: string, options: ExecuteOptions = {}): Promise<ResultSet> {
    const params = validateParameters(options.parameters ?? []);
    const statements = splitStatements(tokenize(sql));
    return this.withSession(options, async (s) => {
      let last: ResultSet = new MemoryResultSet([], []);
      for (const st of statements) {
        await last.release();
        last = await s.run(bindParameters(st, params));
      }
      return last;
    });
  }

  private async withSession<T>(options: ExecuteOptions, fn: (s: Session) => Promise<T>): Promise<T> {
    const idle = this.idleSessions.pop();
    const conn = idle?.conn ?? (await this.sessionConnection());
    const session = new Session(this, conn, options.user ?? this.defaultUser, idle?.place);
    let reusable = false;
    try {
      await session.use(options.catalog ?? 'main', options.schema ?? 'default');
      const result = await fn(session);
      reusable = session.reusable;
      return result;
    } finally {
      // A connection goes back only after queries that succeeded: nothing of theirs stays on it, and
      // the next statement's USE sets its catalog and schema again unless it is already there. Any
      // other statement may have dropped a catalog or schema some pooled connection is at.
      if (reusable && this.idleSessions.length < IDLE_SESSIONS) this.idleSessions.push({ conn, place: session.location });
      else {
        if (!reusable) this.catalog.noteRemoval();
        conn.closeSync();
      }
    }
  }

  private async sessionConnection(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    // ANSI mode, a warehouse's default: division and modulo by zero raise DIVIDE_BY_ZERO. DuckDB
    // resolves operators through the catalog, so connection-local macros can replace them.
    await conn.run(ANSI_OPERATORS);
    return conn;
  }

  /** @internal used by Session */
  nextResultTable(): string {
    return `memory.main.${sqlIdent(`__result_${++this.resultCounter}`)}`;
  }

  /** @internal virtual now (epoch ms) for current_timestamp() and friends */
  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** @internal */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }
}
