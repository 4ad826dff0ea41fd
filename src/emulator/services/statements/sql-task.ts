import { SqlError, type SqlEngine } from '../../sql/index.js';
import { notebookExecutor, readDirectives, type TaskExecutionInput, type TaskExecutor, type TaskOutcome } from '../jobs/executors.js';
import type { ServiceContext } from '../types.js';
import type { WarehousesApi } from '../warehouses/index.js';
import { sleep } from '../../../common/waits.js';
import type { WorkspaceApi } from '../workspace/index.js';
import type { ScimApi } from '../scim/index.js';
import type { QueryHistory } from './history.js';
import type { SavedQueries } from './queries.js';

/**
 * Real SQL for jobs: `sql_task` (saved query or workspace file) and SQL notebooks run on the
 * DuckDB engine once the run reaches RUNNING; a SQL error fails the task with the error in
 * runs/get-output. Emulator directives (`-- emulator: outcome=FAILED`) still pick a simulated
 * outcome, so tests can force failures without writing bad SQL.
 */
interface Deps {
  ctx: ServiceContext;
  /** True once the emulator closes (ends the wait for a warehouse). */
  closed: () => boolean;
  engine: () => Promise<SqlEngine>;
  queries: SavedQueries;
  history: QueryHistory;
}

const SQL_NOTEBOOK_HEADER = /^\s*--\s*Databricks notebook source/;

/** Notebook cells are separated by `-- COMMAND ----------`; `-- MAGIC` lines are markdown or other languages. */
export function sqlNotebookScript(source: string): string {
  const cells = source.split(/^\s*--\s*COMMAND\s*-+\s*$/m);
  const out: string[] = [];
  for (const cell of cells) {
    const magic = /^\s*--\s*MAGIC\s+%(\w+)/m.exec(cell);
    if (magic && magic[1] !== 'md' && magic[1] !== 'sql') throw new SqlError('NOT_SUPPORTED_BY_EMULATOR', `not supported by the emulator: %${magic[1]} cells in a SQL notebook`);
    const sql = cell
      .split('\n')
      .filter((l) => !/^\s*--\s*MAGIC\b/.test(l))
      .join('\n')
      .trim();
    if (sql) out.push(sql.replace(/;\s*$/, ''));
  }
  return out.join(';\n');
}

async function waitForWarehouse(ctx: ServiceContext, id: string, closed: () => boolean): Promise<string | undefined> {
  const warehouses = ctx.service<WarehousesApi>('warehouses');
  for (;;) {
    if (closed()) return 'The emulator shut down.';
    const w = warehouses?.find(id);
    if (!w || w.state === 'DELETED' || w.state === 'DELETING') return `Warehouse ${id} does not exist.`;
    if (w.state === 'RUNNING') return undefined;
    warehouses?.ensureStarted(id);
    await sleep(ctx.clock.instant ? 1 : 20);
  }
}

/** A script on a warehouse is one query history entry (its lookup_key is the run output's); undefined without a warehouse. */
function beginHistory(d: Deps, input: TaskExecutionInput, sql: string, warehouseId: string | undefined): string | undefined {
  const wh = warehouseId ? d.ctx.service<WarehousesApi>('warehouses')?.find(warehouseId) : undefined;
  if (!wh || wh.state === 'DELETED' || wh.state === 'DELETING') return undefined;
  let id = d.ctx.ids.uuid();
  while (!d.ctx.ids.claim(`st${id}`)) id = d.ctx.ids.uuid();
  const kind = d.ctx.service<ScimApi>('scim')?.servicePrincipalExists(input.runAs) ? 'service_principal' : 'user';
  d.history.begin({ queryId: id, text: sql, warehouseId: wh.id, user: { userName: input.runAs, kind }, waitsForWarehouse: wh.state !== 'RUNNING', lookupKey: id });
  return id;
}

async function runSql(d: Deps, input: TaskExecutionInput, sql: string, where: { warehouseId?: string; catalog?: string; schema?: string }): Promise<TaskOutcome> {
  const elapsed = () => Math.max(1000, d.ctx.clock.now() - input.startedAt);
  const queryId = beginHistory(d, input, sql, where.warehouseId);
  const failed = (message: string): TaskOutcome => {
    if (queryId) d.history.end(queryId, 'FAILED', { error: message });
    return { durationMs: elapsed(), result: 'FAILED', message, output: { error: message, error_trace: message } };
  };
  if (where.warehouseId) {
    const problem = await waitForWarehouse(d.ctx, where.warehouseId, d.closed);
    if (problem) return failed(problem);
    d.ctx.service<WarehousesApi>('warehouses')?.activity(where.warehouseId, 1);
  }
  if (queryId) d.history.running(queryId);
  try {
    const engine = await d.engine();
    // Job parameters become :name parameters (strings); names that are not identifiers (emulator.*) are directives.
    const parameters = Object.entries(input.parameters)
      .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      .map(([name, value]) => ({ name, value }));
    const result = await engine.runScript(sql, { ...(where.catalog ? { catalog: where.catalog } : {}), ...(where.schema ? { schema: where.schema } : {}), parameters, user: input.runAs });
    const rows = result.rowCount;
    await result.release();
    if (queryId) d.history.end(queryId, 'FINISHED', { rows });
    return {
      durationMs: elapsed(),
      result: 'SUCCESS',
      output: { sql_output: { query_output: { query_text: sql, ...(where.warehouseId ? { warehouse_id: where.warehouseId } : {}), sql_statements: [{ lookup_key: queryId ?? `run-${input.runId}` }] } } },
    };
  } catch (e) {
    if (e instanceof SqlError) return failed(e.message);
    // Whatever the executor reports for an unexpected error, the entry must not stay RUNNING.
    if (queryId) d.history.end(queryId, 'FAILED', { error: 'Unexpected error while executing the statement.' });
    throw e;
  } finally {
    if (where.warehouseId) d.ctx.service<WarehousesApi>('warehouses')?.activity(where.warehouseId, -1);
  }
}

function simulated(input: TaskExecutionInput): boolean {
  return readDirectives(input).outcome !== undefined;
}

export function sqlTaskExecutor(d: Deps): TaskExecutor {
  return {
    async execute(input) {
      const spec = (input.task.sql_task ?? {}) as { warehouse_id?: string; query?: { query_id?: string }; file?: { path?: string; source?: string } };
      const warehouseId = spec.warehouse_id;
      let sql: string | undefined;
      let catalog: string | undefined;
      let schema: string | undefined;
      if (spec.query?.query_id) {
        const q = d.queries.queries.get(spec.query.query_id);
        if (!q) return { durationMs: 1000, result: 'FAILED', message: `Query ${spec.query.query_id} does not exist.`, output: { error: `Query ${spec.query.query_id} does not exist.` } };
        sql = q.query_text;
        catalog = q.catalog;
        schema = q.schema;
      } else if (spec.file?.path) {
        if (spec.file.source === 'GIT') return { durationMs: 1000, result: 'FAILED', message: 'not supported by the emulator: sql_task files from Git', output: { error: 'not supported by the emulator: sql_task files from Git' } };
        sql = d.ctx.service<WorkspaceApi>('workspace')?.readSource(spec.file.path);
        if (sql === undefined) return { durationMs: 1000, result: 'FAILED', message: `File ${spec.file.path} does not exist.`, output: { error: `File ${spec.file.path} does not exist.` } };
      } else {
        const msg = 'not supported by the emulator: sql_task without query or file (alerts and dashboards)';
        return { durationMs: 1000, result: 'FAILED', message: msg, output: { error: msg } };
      }
      if (simulated({ ...input, source: sql })) return notebookExecutor.execute({ ...input, source: sql });
      return runSql(d, input, sql, { ...(warehouseId ? { warehouseId } : {}), ...(catalog ? { catalog } : {}), ...(schema ? { schema } : {}) });
    },
  };
}

/** SQL notebooks run on DuckDB; every other notebook keeps the simulated executor. */
export function notebookTaskExecutor(d: Deps): TaskExecutor {
  return {
    async execute(input) {
      const source = input.source;
      const nb = (input.task.notebook_task ?? {}) as { notebook_path?: string; warehouse_id?: string };
      const language = nb.notebook_path ? d.ctx.service<WorkspaceApi>('workspace')?.language?.(nb.notebook_path) : undefined;
      const isSql = language === 'SQL' || (source !== undefined && SQL_NOTEBOOK_HEADER.test(source));
      if (source === undefined || !isSql || simulated(input)) return notebookExecutor.execute(input);
      let script: string;
      try {
        script = sqlNotebookScript(source);
      } catch (e) {
        const msg = (e as Error).message;
        return { durationMs: 1000, result: 'FAILED', message: msg, output: { error: msg } };
      }
      return runSql(d, input, script, nb.warehouse_id ? { warehouseId: nb.warehouse_id } : {});
    },
  };
}
