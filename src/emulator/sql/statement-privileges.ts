import type { Binding, RoutineBinding } from './duck-binding.js';
import { insufficientPrivileges, notSupported, SqlError, tableNotFound } from './errors.js';
import { METASTORE, parentSecurables, type Grants, type Securable } from './grants.js';
import { doesNotHave } from './privileges.js';
import type { StatementAccess } from './statement-access.js';
import type { QualifiedName } from './translate.js';

/**
 * Unity Catalog privileges on SQL statements (privilege model 1.0): before a statement runs, the
 * caller must hold, directly, through a group or inherited from a parent,
 *   - SELECT on each table or view it reads, MODIFY on the table it writes,
 *   - CREATE TABLE (views too) or CREATE FUNCTION on the schema it creates in, CREATE SCHEMA on the
 *     catalog, CREATE CATALOG on the metastore,
 *   - EXECUTE on each UC function it calls (not on what the function's body reads: it runs as its owner),
 *   - and with each of those USE SCHEMA on the schema and USE CATALOG on the catalog;
 * DROP, ALTER and COMMENT ON (DROP FUNCTION too) need the owner or MANAGE (Grants.mayManage). Owners hold every
 * privilege on what they own; the emulator's admins bypass the checks (see Grants.hasPrivilege).
 * A denied statement has changed nothing: this runs before it.
 *
 * Objects that do not exist are not checked: the statement then fails with its own not-found error
 * (or succeeds for IF EXISTS), as it would have without privileges.
 */
export interface PrivilegeContext {
  user: string;
  grants: Grants;
  /** A table name as written → catalog, schema, table (the session's current catalog and schema fill in). */
  resolveTable(name: QualifiedName): Promise<[string, string, string]>;
  resolveSchema(name: QualifiedName): Promise<[string, string]>;
  /** Where DuckDB binds a table name (duck-binding.ts): a session's temporary object, a place in or outside UC, or nothing. */
  bindTable(name: QualifiedName): Promise<Binding | undefined>;
  /** Where DuckDB binds each called name (duck-binding.ts), in order: undefined for built-ins and unknown names. */
  bindRoutines(names: readonly QualifiedName[]): Promise<(RoutineBinding | undefined)[]>;
  /** Whether DuckDB has the schema, UC's or one of its internal ones. */
  duckSchemaExists(catalog: string, schema: string): Promise<boolean>;
}

export async function authorizeStatement(access: StatementAccess, ctx: PrivilegeContext): Promise<void> {
  if (ctx.grants.isAdmin(ctx.user)) return;
  if (access.opaque) throw notSupported('DuckDB query() and query_table() for a user other than an admin (the tables they read cannot be checked)');
  const missing: string[] = [];
  const need = (s: Securable, privilege: string) => {
    if (ctx.grants.hasPrivilege(s, ctx.user, privilege)) return;
    const line = doesNotHave(s, [privilege]);
    if (!missing.includes(line)) missing.push(line);
  };
  /** USE CATALOG and USE SCHEMA on the parents of s (or on s itself and its catalog, for a schema). */
  const needUse = (s: Securable) => {
    for (const p of [...parentSecurables(s), s]) {
      if (p.kind === 'catalog') need(p, 'USE_CATALOG');
      else if (p.kind === 'schema') need(p, 'USE_SCHEMA');
    }
  };
  const resolve = (type: string, fullName: string) => ctx.grants.resolve(type, fullName).catch(() => undefined);
  /**
   * The UC table or view a name binds to; undefined for a temporary one or none (the statement fails
   * by itself). A name DuckDB binds outside UC (its internal `main` schemas, the `memory` database of
   * results) does not exist for a non-admin, as it would not on a real workspace.
   */
  const table = async (name: QualifiedName) => {
    const b = await ctx.bindTable(name);
    if (!b || b.temporary) return undefined;
    const s = await resolve('table', `${b.catalog}.${b.schema}.${b.table}`);
    if (!s) throw tableNotFound(name.join('.'));
    return s;
  };
  /** The UC schema a create or drop names; a DuckDB-only schema it would reach instead does not exist (as above). */
  const schemaOf = async (catalog: string, schema: string, tableName?: QualifiedName) => {
    const s = await resolve('schema', `${catalog}.${schema}`);
    // A table `a.t` with no schema `a` in the current catalog is t in database a's internal `main` to DuckDB.
    const outside = !s && ((await ctx.duckSchemaExists(catalog, schema)) || (tableName?.length === 2 && (await ctx.duckSchemaExists(tableName[0]!, 'main'))));
    if (outside) throw new SqlError('SCHEMA_NOT_FOUND', `The schema \`${catalog}\`.\`${schema}\` cannot be found.`);
    return s;
  };

  for (const [names, privilege] of [
    [access.reads, 'SELECT'],
    [access.modifies, 'MODIFY'],
  ] as const) {
    for (const name of names) {
      const s = await table(name);
      if (!s) continue;
      needUse(s);
      need(s, privilege);
    }
  }
  const calls = access.calls ?? [];
  const bound = calls.length > 0 ? await ctx.bindRoutines(calls) : [];
  for (const b of bound) {
    // A macro DuckDB has outside UC's functions (none a user can make) is left to fail or run as it would.
    const s = b && !b.temporary ? await resolve('function', `${b.catalog}.${b.schema}.${b.name}`) : undefined;
    if (!s) continue;
    needUse(s);
    need(s, 'EXECUTE');
  }
  const c = access.creates;
  // Before the catalog's existence, as the REST create checks it (IF NOT EXISTS included).
  if (c?.kind === 'catalog') need(METASTORE, 'CREATE_CATALOG');
  else if (c?.kind === 'schema') {
    const [catalog] = await ctx.resolveSchema(c.name);
    const s = await resolve('catalog', catalog);
    if (s) {
      needUse(s);
      need(s, 'CREATE_SCHEMA');
    }
  } else if (c) {
    const [catalog, schema, name] = await ctx.resolveTable(c.name);
    const s = await schemaOf(catalog, schema, c.name);
    if (s) {
      needUse(s);
      need(s, c.kind === 'table' ? 'CREATE_TABLE' : 'CREATE_FUNCTION');
    }
    // CREATE OR REPLACE of an existing table drops it first, and of a function changes what its
    // callers run: the owner's (or a manager's) right.
    const existing = c.replace ? await resolve(c.kind, `${catalog}.${schema}.${name}`) : undefined;
    if (existing && !ctx.grants.mayManage(existing, ctx.user)) need(existing, 'MANAGE');
  }
  for (const m of access.manages) {
    const s =
      m.kind === 'table'
        ? await table(m.name)
        : m.kind === 'function'
          ? await resolve('function', (await ctx.resolveTable(m.name)).join('.'))
          : m.kind === 'schema'
            ? await schemaOf(...(await ctx.resolveSchema(m.name)))
            : await resolve('catalog', m.name.join('.'));
    if (s && !ctx.grants.mayManage(s, ctx.user)) need(s, 'MANAGE');
  }
  if (missing.length > 0) throw insufficientPrivileges(missing);
}
