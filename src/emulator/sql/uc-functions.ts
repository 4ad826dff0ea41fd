import type { DuckDBConnection } from '@duckdb/node-api';
import { fromDuckDbError } from './errors.js';
import { derivedDataAccess, derivedDeterminism, duckType, macroSql, type FunctionBody, type FunctionParam } from './function-macros.js';
import { sqlIdent } from './lexer.js';
import { countUnder, namesInSchema, type MetadataStore, type ObjectMeta } from './metadata.js';
import { duckCatalogName, UC_NAME_RE } from './names.js';
import { toDatabricksType, type DatabricksType } from './types.js';
import { UcError } from './uc-error.js';

/**
 * Unity Catalog SQL functions (routines). Each is a DuckDB macro in its catalog's database and
 * schema (so SQL calls it by 3-, 2- or 1-part name as it finds tables) plus a metadata entry keyed
 * `catalog.schema.name#function` holding the FunctionInfo fields: the suffix keeps it apart from a
 * table of the same name, the prefix makes it go with its schema or catalog. SQL and the REST API
 * both create through here, so each sees the other's functions.
 */
const SUFFIX = '#function';

export interface FunctionRef {
  catalog: string;
  schema: string;
  name: string;
}

export type FunctionDefinition = FunctionRef & FunctionBody;

export class Functions {
  constructor(
    private readonly meta: MetadataStore,
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly metastoreId: string,
    private readonly now: () => number,
    private readonly requireSchema: (catalog: string, schema: string) => Promise<void>,
  ) {}

  key(f: FunctionRef): string {
    return `${f.catalog}.${f.schema}.${f.name}${SUFFIX}`;
  }

  /** The function's DuckDB name (`main` has another name inside DuckDB: names.ts). */
  duckName(f: FunctionRef): string {
    return `${sqlIdent(duckCatalogName(f.catalog))}.${sqlIdent(f.schema)}.${sqlIdent(f.name)}`;
  }

  /** Function names of one schema, sorted. */
  names(catalog: string, schema: string): string[] {
    return namesInSchema(this.meta, catalog, schema, SUFFIX);
  }

  /** How many functions live under `catalog` or `catalog.schema` (a non-forced delete refuses when > 0). */
  countUnder(prefix: string): number {
    return countUnder(this.meta, prefix, SUFFIX);
  }

  /** Metadata keys of functions whose macro still exists (a SQL DROP SCHEMA … CASCADE drops macros). */
  async liveKeys(): Promise<string[]> {
    const c = await this.connect();
    try {
      const rows = (await c.runAndReadAll(`SELECT database_name, schema_name, function_name FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') AND NOT internal`)).getRows();
      const macros = new Set(rows.map(([d, s, f]) => `${String(d).toLowerCase()}.${String(s).toLowerCase()}.${String(f).toLowerCase()}`));
      return this.meta.keys().filter((k) => {
        if (!k.endsWith(SUFFIX)) return false;
        const [cat, sch, name] = k.slice(0, -SUFFIX.length).split('.') as [string, string, string];
        return macros.has(`${duckCatalogName(cat)}.${sch}.${name}`);
      });
    } finally {
      c.closeSync();
    }
  }

  get(f: FunctionRef): ObjectMeta | undefined {
    return this.meta.get(this.key(f));
  }

  /** The entry; a missing parent answers as the parent's own error, a missing function FUNCTION_DOES_NOT_EXIST (text unverified). */
  async find(f: FunctionRef): Promise<ObjectMeta> {
    const m = this.get(f);
    if (m) return m;
    await this.requireSchema(f.catalog, f.schema);
    throw new UcError(404, 'FUNCTION_DOES_NOT_EXIST', `Routine or Model '${f.catalog}.${f.schema}.${f.name}' does not exist.`);
  }

  /**
   * Creates (or replaces) the macro and its entry. The macro is made and bound with NULL arguments
   * inside one transaction, so a body that does not resolve (unknown column, table or function)
   * fails here, as on Databricks, and leaves nothing behind. Returns false when IF NOT EXISTS met
   * an existing function.
   */
  async create(def: FunctionDefinition, user: string, opts: { replace?: boolean; ifNotExists?: boolean } = {}): Promise<boolean> {
    const f = { catalog: def.catalog.toLowerCase(), schema: def.schema.toLowerCase(), name: def.name.toLowerCase() };
    if (!UC_NAME_RE.test(f.name)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid function name '${def.name}'.`);
    await this.requireSchema(f.catalog, f.schema);
    const existing = this.get(f);
    if (existing && opts.ifNotExists) return false;
    if (existing && !opts.replace) throw new UcError(409, 'FUNCTION_ALREADY_EXISTS', `Function '${f.catalog}.${f.schema}.${f.name}' already exists`);
    for (const list of [def.params, def.table ?? []]) {
      const seen = new Set<string>();
      for (const p of list) {
        if (seen.has(p.name.toLowerCase())) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Duplicate parameter or column name '${p.name}' in function '${f.name}'.`);
        seen.add(p.name.toLowerCase());
      }
    }
    const ctx = { currentUser: user, now: this.now() };
    const sql = macroSql(def, this.duckName(f), ctx, { replace: existing !== undefined });
    const { result, params } = await this.defineMacro(sql, f, def);
    const spec = this.spec(def, result, params);
    if (existing) this.meta.update(this.key(f), { spec, comment: def.comment, updatedAt: this.now(), updatedBy: user });
    else {
      this.meta.delete(this.key(f));
      this.meta.ensure(this.key(f), user, { spec, ...(def.comment !== undefined ? { comment: def.comment } : {}) });
    }
    return true;
  }

  /** Runs CREATE MACRO and binds a call in a transaction: the types DuckDB derives, or nothing changes. */
  private async defineMacro(sql: string, f: FunctionRef, def: FunctionBody): Promise<{ result: { name: string; type: DatabricksType }[]; params: DatabricksType[] }> {
    const c = await this.connect();
    try {
      await c.run('BEGIN TRANSACTION');
      try {
        await c.run(`USE ${sqlIdent(duckCatalogName(f.catalog))}.${sqlIdent(f.schema)}`);
        await c.run(sql);
        const args = def.params.map((p) => `CAST(NULL AS ${duckType(p.typeText)})`);
        const call = `${this.duckName(f)}(${args.join(', ')})`;
        const bound = await c.prepare(def.table === undefined ? `SELECT ${call}` : `SELECT * FROM ${call}`);
        const result = Array.from({ length: bound.columnCount }, (_, i) => ({ name: bound.columnName(i), type: toDatabricksType(bound.columnType(i)) }));
        bound.destroySync();
        const params = args.length === 0 ? [] : await describeTypes(c, args);
        await c.run('COMMIT');
        return { result, params };
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw e instanceof UcError ? e : fromDuckDbError(e);
      }
    } finally {
      c.closeSync();
    }
  }

  /** The FunctionInfo fields the entry keeps (the rest come from the entry itself: info()). */
  private spec(def: FunctionBody, result: { name: string; type: DatabricksType }[], params: DatabricksType[]): Record<string, unknown> {
    const scalar = def.table === undefined;
    const ret = result[0]?.type;
    return {
      input_params: { parameters: def.params.map((p, i) => parameterInfo(p, params[i]!, i, 'PARAM')) },
      ...(scalar
        ? // data_type is the ColumnTypeName enum; full_data_type's spelling (type text) is unverified.
          { data_type: ret?.typeName ?? 'NULL', full_data_type: ret?.typeText ?? 'void' }
        : {
            data_type: 'TABLE_TYPE',
            full_data_type: `table(${result.map((r) => `${r.name} ${r.type.typeText}`).join(', ')})`,
            return_params: { parameters: result.map((r, i) => parameterInfo({ name: r.name, typeText: r.type.typeText, ...(def.table?.[i]?.comment !== undefined ? { comment: def.table[i]!.comment } : {}) }, r.type, i, 'COLUMN')) },
          }),
      routine_definition: def.body.trim(),
      is_deterministic: def.deterministic ?? derivedDeterminism(def.body),
      sql_data_access: def.dataAccess ?? derivedDataAccess(def.body),
    };
  }

  async info(f: FunctionRef): Promise<Record<string, unknown>> {
    const m = await this.find(f);
    return {
      name: f.name,
      catalog_name: f.catalog,
      schema_name: f.schema,
      full_name: `${f.catalog}.${f.schema}.${f.name}`,
      ...m.spec,
      routine_body: 'SQL',
      parameter_style: 'S',
      is_null_call: false,
      security_type: 'DEFINER',
      specific_name: f.name,
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      owner: m.owner,
      metastore_id: this.metastoreId,
      function_id: m.id,
      securable_type: 'FUNCTION',
      browse_only: false,
      created_at: m.createdAt,
      created_by: m.createdBy,
      updated_at: m.updatedAt,
      updated_by: m.updatedBy,
    };
  }

  setOwner(f: FunctionRef, owner: string, user: string): void {
    this.meta.update(this.key(f), { owner, updatedAt: this.now(), updatedBy: user });
  }

  async delete(f: FunctionRef): Promise<void> {
    const m = await this.find(f);
    const table = m.spec?.data_type === 'TABLE_TYPE';
    const c = await this.connect();
    try {
      await c.run(`DROP MACRO ${table ? 'TABLE ' : ''}IF EXISTS ${this.duckName(f)}`);
    } finally {
      c.closeSync();
    }
    this.meta.delete(this.key(f));
  }
}

/** Databricks types of DuckDB type expressions, read from a prepared SELECT of them. */
async function describeTypes(c: DuckDBConnection, exprs: string[]): Promise<DatabricksType[]> {
  const p = await c.prepare(`SELECT ${exprs.join(', ')}`);
  const out = Array.from({ length: p.columnCount }, (_, i) => toDatabricksType(p.columnType(i)));
  p.destroySync();
  return out;
}

function parameterInfo(p: FunctionParam, t: DatabricksType, position: number, kind: 'PARAM' | 'COLUMN'): Record<string, unknown> {
  return {
    name: p.name,
    type_text: t.typeText,
    type_name: t.typeName,
    type_json: JSON.stringify({ name: p.name, type: t.json, nullable: true, metadata: {} }),
    ...(t.precision !== undefined ? { type_precision: t.precision, type_scale: t.scale } : {}),
    position,
    parameter_mode: 'IN',
    parameter_type: kind,
    ...(p.default !== undefined ? { parameter_default: p.default } : {}),
    ...(p.comment !== undefined ? { comment: p.comment } : {}),
  };
}
