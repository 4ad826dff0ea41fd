import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator, warehouse } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
let wh: string;
beforeAll(async () => {
  ctx = await emulator();
  wh = await warehouse(ctx.call);
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
});
