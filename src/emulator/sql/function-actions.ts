import { VARCHAR } from '@duckdb/node-api';
import type { UnityCatalog } from './catalog.js';
import { notSupported, SqlError } from './errors.js';
import { macroSql } from './function-macros.js';
import { showPattern, type FunctionAction } from './function-statements.js';
import { sqlIdent } from './lexer.js';
import { MemoryResultSet, type ResultSet } from './result.js';
import { toDatabricksType } from './types.js';
import { UcError } from './uc-error.js';
import type { FunctionRef } from './uc-functions.js';

/** What a function statement needs from its session. */
export interface FunctionSession {
  catalog: UnityCatalog;
  user: string;
  now: number;
  /** A name resolved against the current catalog and schema, as tables are. */
  resolve(name: string[]): Promise<[string, string, string]>;
  resolveSchema(name: string[] | undefined): Promise<[string, string]>;
  /** Runs DuckDB SQL on the session's own connection (temporary functions live there). */
  runSql(sql: string): Promise<ResultSet>;
}

const STRING = toDatabricksType(VARCHAR);
const empty = () => new MemoryResultSet([], []);
const ticked = (f: FunctionRef) => `\`${f.catalog}\`.\`${f.schema}\`.\`${f.name}\``;

/**
 * Spark's error texts: ROUTINE_ALREADY_EXISTS's first sentence is a real answer
 * (unitycatalog/unitycatalog#661); the rest of it and ROUTINE_NOT_FOUND follow Spark's error
 * conditions and are unverified.
 */
const alreadyExists = (f: FunctionRef) =>
  new SqlError('ROUTINE_ALREADY_EXISTS', `Cannot create the routine ${ticked(f)} because it already exists. Choose a different name, drop or replace the existing routine, or add the IF NOT EXISTS clause to tolerate a pre-existing routine. SQLSTATE: 42723`);
export const routineNotFound = (f: FunctionRef) =>
  new SqlError(
    'ROUTINE_NOT_FOUND',
    `The routine ${ticked(f)} cannot be found. Verify the spelling and correctness of the schema and catalog. If you did not qualify the name with a schema and catalog, verify the current_schema() output, or qualify the name with the correct schema and catalog. To tolerate the error on drop use DROP FUNCTION IF EXISTS. SQLSTATE: 42883`,
  );

async function ref(s: FunctionSession, name: string[]): Promise<FunctionRef> {
  const [catalog, schema, fn] = await s.resolve(name);
  return { catalog, schema, name: fn };
}

/** The function, or ROUTINE_NOT_FOUND (a missing catalog or schema answers as itself). */
async function existing(s: FunctionSession, f: FunctionRef): Promise<void> {
  await s.catalog.requireSchema(f.catalog, f.schema);
  if (!s.catalog.functions.get(f)) throw routineNotFound(f);
}

export async function performFunctionAction(a: FunctionAction, s: FunctionSession): Promise<ResultSet> {
  const fns = s.catalog.functions;
  switch (a.kind) {
    case 'createFunction': {
      if (a.temp) return s.runSql(macroSql(a.def, sqlIdent(a.name[0]!), { currentUser: s.user, now: s.now }, { replace: a.replace, temp: true }));
      const f = await ref(s, a.name);
      try {
        await fns.create({ ...f, ...a.def }, s.user, { replace: a.replace, ifNotExists: a.ifNotExists });
      } catch (e) {
        if (e instanceof UcError && e.errorCode === 'FUNCTION_ALREADY_EXISTS') throw alreadyExists(f);
        throw e;
      }
      return empty();
    }
    case 'dropFunction': {
      if (a.temp) return s.runSql(`DROP MACRO ${a.ifExists ? 'IF EXISTS ' : ''}temp.main.${sqlIdent(a.name[0]!)}`);
      const f = await ref(s, a.name);
      if (a.ifExists && !fns.get(f)) return empty();
      await existing(s, f);
      await fns.delete(f);
      return empty();
    }
    case 'showFunctions': {
      const [c, sc] = await s.resolveSchema(a.schema);
      await s.catalog.requireSchema(c, sc);
      const matches = showPattern(a.pattern);
      // Spark names the column `function` and qualifies Unity Catalog functions fully.
      return new MemoryResultSet([{ name: 'function', type: STRING }], fns.names(c, sc).filter(matches).map((n) => [`${c}.${sc}.${n}`]));
    }
    case 'describeFunction':
      return describe(s, a.name, a.extended);
  }
}

/** DESCRIBE FUNCTION: one `function_desc` column, a line per fact (Spark's layout; the exact lines are unverified). */
async function describe(s: FunctionSession, name: string[], extended: boolean): Promise<ResultSet> {
  const f = await ref(s, name);
  if (name.length === 1 && !s.catalog.functions.get(f)) throw notSupported(`DESCRIBE FUNCTION of built-in or temporary functions (${name[0]})`);
  await existing(s, f);
  const info = await s.catalog.functions.info(f);
  type Param = { name: string; type_text: string; comment?: string; parameter_default?: string };
  const params = ((info.input_params as { parameters: Param[] }).parameters ?? []).map((p) => `${p.name} ${p.type_text.toUpperCase()}${p.parameter_default !== undefined ? ` DEFAULT ${p.parameter_default}` : ''}`);
  const table = info.return_params as { parameters: Param[] } | undefined;
  const returns = table ? table.parameters.map((p) => `${p.name} ${p.type_text.toUpperCase()}`) : [String(info.full_data_type).toUpperCase()];
  const lines = [`Function:    ${info.full_name as string}`, `Type:        ${table ? 'TABLE' : 'SCALAR'}`, `Input:       ${params.join(', ') || '()'}`, `Returns:     ${returns.join(', ')}`];
  if (extended) {
    lines.push(
      ...(info.comment !== undefined ? [`Comment:     ${info.comment as string}`] : []),
      `Deterministic: ${String(info.is_deterministic)}`,
      `Data Access: ${String(info.sql_data_access).replace(/_/g, ' ')}`,
      `Owner:       ${info.owner as string}`,
      `Create Time: ${new Date(info.created_at as number).toUTCString()}`,
      `Body:        ${info.routine_definition as string}`,
    );
  }
  return new MemoryResultSet([{ name: 'function_desc', type: STRING }], lines.map((l) => [l]));
}
