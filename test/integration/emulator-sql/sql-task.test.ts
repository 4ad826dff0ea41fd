import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator, warehouse } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
let wh: string;
beforeAll(async () => {
  ctx = await emulator();
  wh = await warehouse(ctx.call);
  for (const path of ['/Shared/etl', '/Shared/nb']) await ctx.call('POST', '/api/2.0/workspace/mkdirs', { path });
});
afterAll(() => ctx.emu.close());

async function runToEnd(taskSpec: Record<string, unknown>) {
  const submit = await ctx.call('POST', '/api/2.1/jobs/runs/submit', { run_name: 'sql', tasks: [{ task_key: 't', ...taskSpec }] });
  expect(submit.status).toBe(200);
  let run = (await ctx.call('GET', `/api/2.1/jobs/runs/get?run_id=${submit.body.run_id}`)).body;
  for (let i = 0; i < 300 && run.state.life_cycle_state !== 'TERMINATED' && run.state.life_cycle_state !== 'INTERNAL_ERROR'; i++) {
    await new Promise((r) => setTimeout(r, 10));
    run = (await ctx.call('GET', `/api/2.1/jobs/runs/get?run_id=${submit.body.run_id}`)).body;
  }
  const output = (await ctx.call('GET', `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body;
  return { run, output };
}

const saveQuery = async (query_text: string) =>
  (await ctx.call('POST', '/api/2.0/sql/queries', { query: { display_name: 'q', query_text, warehouse_id: wh } })).body.id as string;

describe('sql_task on DuckDB', () => {
  it('a saved query writes a table that a later statement reads', async () => {
    const id = await saveQuery('CREATE OR REPLACE TABLE main.default.daily AS SELECT * FROM VALUES (1, 10), (2, 20) AS t(day, amount); INSERT INTO main.default.daily VALUES (3, :extra)');
    const { run, output } = await runToEnd({ sql_task: { warehouse_id: wh, query: { query_id: id }, parameters: { extra: '30' } } });
    expect(run.state.result_state).toBe('SUCCESS');
    expect(output.error).toBeUndefined();
    const r = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT sum(amount) FROM main.default.daily', wait_timeout: '10s' });
    expect(r.body.result.data_array).toEqual([['60']]);
  });

  it('a SQL error fails the task with the error in runs/get-output', async () => {
    const id = await saveQuery('SELECT * FROM main.default.missing_table');
    const { run, output } = await runToEnd({ sql_task: { warehouse_id: wh, query: { query_id: id } } });
    expect(run.state.result_state).toBe('FAILED');
    expect(output.error).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
  });

  it('an unknown saved query or warehouse fails the task', async () => {
    expect((await runToEnd({ sql_task: { warehouse_id: wh, query: { query_id: 'nope' } } })).output.error).toMatch(/Query nope does not exist/);
    const id = await saveQuery('SELECT 1');
    expect((await runToEnd({ sql_task: { warehouse_id: 'nowhere', query: { query_id: id } } })).output.error).toMatch(/Warehouse nowhere does not exist/);
  });

  it('a SQL file from the workspace runs as the task', async () => {
    const sql = 'CREATE OR REPLACE TABLE main.default.from_file AS SELECT 5 AS v';
    const imp = await ctx.call('POST', '/api/2.0/workspace/import', { path: '/Shared/etl/load.sql', format: 'RAW', content: Buffer.from(sql).toString('base64') });
    expect(imp.status).toBe(200);
    const { run } = await runToEnd({ sql_task: { warehouse_id: wh, file: { path: '/Shared/etl/load.sql' } } });
    expect(run.state.result_state).toBe('SUCCESS');
    const r = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT v FROM main.default.from_file', wait_timeout: '10s' });
    expect(r.body.result.data_array).toEqual([['5']]);
  });
});

describe('SQL notebooks imported through the Workspace API', () => {
  const importNotebook = async (path: string, source: string) =>
    ctx.call('POST', '/api/2.0/workspace/import', { path, format: 'SOURCE', language: 'SQL', content: Buffer.from(source).toString('base64'), overwrite: true });

  it('run cell by cell on DuckDB (markdown cells skipped); the data is there afterwards', async () => {
    const notebook = [
      '-- Databricks notebook source',
      '-- MAGIC %md',
      '-- MAGIC # Daily load',
      '',
      '-- COMMAND ----------',
      'CREATE SCHEMA IF NOT EXISTS main.silver;',
      'CREATE OR REPLACE TABLE main.silver.totals (day INT, total DECIMAL(10,2)) USING DELTA',
      '',
      '-- COMMAND ----------',
      'INSERT INTO main.silver.totals SELECT day, sum(amount) FROM main.default.daily GROUP BY day',
    ].join('\n');
    expect((await importNotebook('/Shared/nb/load', notebook)).status).toBe(200);
    const { run, output } = await runToEnd({ notebook_task: { notebook_path: '/Shared/nb/load', warehouse_id: wh } });
    expect(output.error).toBeUndefined();
    expect(run.state.result_state).toBe('SUCCESS');
    const r = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT count(*) FROM main.silver.totals', wait_timeout: '10s' });
    expect(r.body.result.data_array).toEqual([['3']]);
  });

  it('a failing cell fails the task with the SQL error; earlier cells stay applied', async () => {
    await importNotebook('/Shared/nb/bad', 'CREATE TABLE main.default.before_error AS SELECT 1 AS x;\nSELECT no_such_column FROM main.default.before_error');
    const { run, output } = await runToEnd({ notebook_task: { notebook_path: '/Shared/nb/bad', warehouse_id: wh } });
    expect(run.state.result_state).toBe('FAILED');
    expect(output.error).toMatch(/UNRESOLVED_COLUMN/);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables/main.default.before_error')).status).toBe(200);
  });

  it('Python notebooks keep the simulated executor', async () => {
    await ctx.call('POST', '/api/2.0/workspace/import', { path: '/Shared/nb/py', format: 'SOURCE', language: 'PYTHON', content: Buffer.from('dbutils.notebook.exit("done")').toString('base64') });
    const { run, output } = await runToEnd({ notebook_task: { notebook_path: '/Shared/nb/py' }, existing_cluster_id: undefined, new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 } });
    expect(run.state.result_state).toBe('SUCCESS');
    expect(output.notebook_output).toEqual({ result: 'done', truncated: false });
  });
});

