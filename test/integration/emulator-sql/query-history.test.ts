import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StatementsApi } from '../../../src/emulator/services/statements/index.js';
import { TEXT_LIMIT } from '../../../src/emulator/services/statements/history.js';
import { emulator, warehouse } from './client.js';

/** The SQL Query History API: what warehouses ran, filtered and paged as the SDKs ask for it. */
let ctx: Awaited<ReturnType<typeof emulator>>;
let wh: string;
let wh2: string;
beforeAll(async () => {
  ctx = await emulator();
});
afterAll(() => ctx.emu.close());
beforeEach(async () => {
  ctx.emu.reset();
  wh = await warehouse(ctx.call, 'wh');
  wh2 = await warehouse(ctx.call, 'wh2');
  // The creator owns a new warehouse; user1 may run statements on it once granted CAN_USE.
  for (const id of [wh, wh2]) await ctx.call('PATCH', `/api/2.0/permissions/warehouses/${id}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] });
});

type Params = Record<string, string | number | boolean | (string | number)[]>;
/** The query string as the Python SDK flattens `filter_by` (dots, repeated keys). */
function history(params: Params = {}, token?: string) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  const s = q.toString();
  return ctx.call('GET', `/api/2.0/sql/history/queries${s ? `?${s}` : ''}`, undefined, token);
}
const ids = (r: { body: Record<string, any> }) => ((r.body.res ?? []) as { query_id: string }[]).map((e) => e.query_id); // eslint-disable-line @typescript-eslint/no-explicit-any
const exec = async (statement: string, warehouse_id = wh, token?: string) => {
  const r = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id, statement, wait_timeout: '30s' }, token);
  expect(r.status).toBe(200);
  return r.body as { statement_id: string; status: { state: string; error?: { message: string } } };
};
const meId = async (token?: string) => Number((await ctx.call('GET', '/api/2.0/preview/scim/v2/Me', undefined, token)).body.id);

describe('SQL query history', () => {
  it('records succeeded and failed statements, newest first, with status, type, text, user, times and rows', async () => {
    const before = ctx.emu.clock.now();
    const ok = await exec('SELECT range AS n FROM range(3)');
    const bad = await exec('SELECT * FROM main.default.nowhere');
    expect(bad.status.state).toBe('FAILED');
    const after = ctx.emu.clock.now();
    const r = await history();
    expect(r.status).toBe(200);
    expect(r.body.has_next_page).toBe(false);
    expect(r.body.next_page_token).toBeUndefined();
    const [failed, finished] = r.body.res;
    expect(ids(r)).toEqual([bad.statement_id, ok.statement_id]);
    const admin = { user_id: await meId(), user_name: 'admin@emulator.local' };
    expect(finished).toMatchObject({
      query_id: ok.statement_id,
      status: 'FINISHED',
      query_text: 'SELECT range AS n FROM range(3)',
      statement_type: 'SELECT',
      warehouse_id: wh,
      endpoint_id: wh,
      ...admin,
      executed_as_user_id: admin.user_id,
      executed_as_user_name: admin.user_name,
      rows_produced: 3,
      is_final: true,
    });
    expect(failed).toMatchObject({ query_id: bad.statement_id, status: 'FAILED', statement_type: 'SELECT', error_message: bad.status.error!.message, is_final: true, ...admin });
    expect(failed.error_message).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(failed.rows_produced).toBeUndefined();
    for (const e of [finished, failed]) {
      expect(e.query_start_time_ms).toBeGreaterThanOrEqual(before);
      expect(e.query_end_time_ms).toBeLessThanOrEqual(after);
      expect(e.execution_end_time_ms).toBe(e.query_end_time_ms);
      expect(e.duration).toBe(e.query_end_time_ms - e.query_start_time_ms);
      expect(e.metrics).toBeUndefined();
    }
    expect(finished.query_start_time_ms).toBeLessThanOrEqual(failed.query_start_time_ms);
  });

  it('names the statement type by its first keyword, past comments and parentheses', async () => {
    const cases: [string, string][] = [
      ['CREATE TABLE main.default.t (id INT)', 'CREATE'],
      ['INSERT INTO main.default.t VALUES (1), (2)', 'INSERT'],
      ['-- a comment\n/* another */ (SELECT id FROM main.default.t)', 'SELECT'],
      ['WITH x AS (SELECT 1 AS v) SELECT v FROM x', 'SELECT'],
      ['desc main.default.t', 'DESCRIBE'],
      ['UPDATE main.default.t SET id = 3 WHERE id = 1', 'UPDATE'],
      ['SHOW TABLES IN main.default', 'SHOW'],
      ['DROP TABLE main.default.t', 'DROP'],
      ['MSCK REPAIR TABLE x', 'OTHER'],
    ];
    for (const [sql] of cases) await exec(sql);
    const r = await history();
    expect((r.body.res as { query_text: string; statement_type: string }[]).map((e) => [e.query_text, e.statement_type]).reverse()).toEqual(cases);
    const insert = (r.body.res as { statement_type: string; rows_produced: number; status: string }[]).find((e) => e.statement_type === 'INSERT');
    expect(insert).toMatchObject({ status: 'FINISHED', rows_produced: 1 });
  });

  it('filters by statement ids, warehouses, statuses, users and start time, all together', async () => {
    const a = await exec('SELECT 1');
    await ctx.emu.advance(60);
    const b = await exec('SELECT * FROM nowhere', wh2);
    await ctx.emu.advance(60);
    const c = await exec('SELECT 3', wh2, 'dapi-user1');
    const entries = (await history()).body.res as { query_id: string; query_start_time_ms: number }[];
    const startOf = (id: string) => entries.find((e) => e.query_id === id)!.query_start_time_ms;
    expect(startOf(b.statement_id) - startOf(a.statement_id)).toBeGreaterThanOrEqual(60_000);

    expect(ids(await history({ 'filter_by.statement_ids': [a.statement_id, c.statement_id] }))).toEqual([c.statement_id, a.statement_id]);
    expect(ids(await history({ 'filter_by.warehouse_ids': wh2 }))).toEqual([c.statement_id, b.statement_id]);
    expect(ids(await history({ 'filter_by.statuses': 'FAILED' }))).toEqual([b.statement_id]);
    expect(ids(await history({ 'filter_by.statuses': ['FAILED', 'FINISHED'] }))).toEqual([c.statement_id, b.statement_id, a.statement_id]);
    expect(ids(await history({ 'filter_by.statuses': 'RUNNING' }))).toEqual([]);
    expect(ids(await history({ 'filter_by.user_ids': await meId('dapi-user1') }))).toEqual([c.statement_id]);
    expect(ids(await history({ 'filter_by.user_ids': await meId() }))).toEqual([b.statement_id, a.statement_id]);
    const range = (start: number, end?: number) => ({ 'filter_by.query_start_time_range.start_time_ms': start, ...(end !== undefined ? { 'filter_by.query_start_time_range.end_time_ms': end } : {}) });
    expect(ids(await history(range(startOf(b.statement_id))))).toEqual([c.statement_id, b.statement_id]);
    expect(ids(await history(range(startOf(a.statement_id), startOf(b.statement_id))))).toEqual([b.statement_id, a.statement_id]);
    expect(ids(await history(range(startOf(a.statement_id) + 1, startOf(c.statement_id) - 1)))).toEqual([b.statement_id]);
    // Filters combine with AND.
    expect(ids(await history({ 'filter_by.warehouse_ids': wh2, 'filter_by.statuses': 'FINISHED' }))).toEqual([c.statement_id]);
    expect(ids(await history({ 'filter_by.warehouse_ids': wh, 'filter_by.user_ids': await meId('dapi-user1') }))).toEqual([]);
    // Old clients send filter_by as a GET body.
    const viaBody = await request(`${ctx.emu.url}/api/2.0/sql/history/queries`, {
      method: 'GET',
      headers: { authorization: `Bearer ${ctx.emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filter_by: { warehouse_ids: [wh] } }),
    });
    expect(ids({ body: (await viaBody.body.json()) as Record<string, unknown> })).toEqual([a.statement_id]);
  });

  it('pages newest first with max_results and page_token; a statement run between pages does not shift them', async () => {
    const runs: string[] = [];
    for (let i = 0; i < 5; i++) runs.push((await exec(`SELECT ${i}`)).statement_id);
    const p1 = await history({ max_results: 2 });
    expect(ids(p1)).toEqual([runs[4], runs[3]]);
    expect(p1.body.has_next_page).toBe(true);
    await exec('SELECT 99');
    const p2 = await history({ max_results: 2, page_token: p1.body.next_page_token });
    expect(ids(p2)).toEqual([runs[2], runs[1]]);
    const p3 = await history({ max_results: 2, page_token: p2.body.next_page_token });
    expect(ids(p3)).toEqual([runs[0]]);
    expect(p3.body).toMatchObject({ has_next_page: false });
    expect(p3.body.next_page_token).toBeUndefined();
    // The default page is 100 (also for 0, which a proto API cannot tell from unset).
    for (let i = 0; i < 100; i++) await exec('SELECT 1');
    for (const params of [{}, { max_results: 0 }] as Params[]) {
      const r = await history(params);
      expect(r.body.res).toHaveLength(100);
      expect(r.body.has_next_page).toBe(true);
    }
    expect((await history({ max_results: 999 })).body.res).toHaveLength(106);
  });

  it('rejects bad paging and filter values with 400 INVALID_PARAMETER_VALUE', async () => {
    await exec('SELECT 1');
    const bad = async (params: Params, message: RegExp) => {
      const r = await history(params);
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(r.body.message).toMatch(message);
    };
    await bad({ max_results: 1000 }, /^max_results must be less than 1000 and not negative, got 1000\.$/);
    await bad({ max_results: -1 }, /^max_results must be less than 1000 and not negative, got -1\.$/);
    await bad({ max_results: 'ten' }, /max_results: expected number, got string/);
    await bad({ page_token: 'not-a-token' }, /^Invalid page token: not-a-token$/);
    await bad({ 'filter_by.statuses': 'DONE' }, /filter_by\.statuses\[0\]: "DONE" is not one of QUEUED, RUNNING/);
    await bad({ 'filter_by.user_ids': 'me' }, /filter_by\.user_ids\[0\]: expected number/);
    await bad({ 'filter_by.query_start_time_range.start_time_ms': 2000, 'filter_by.query_start_time_range.end_time_ms': 1000 }, /start_time_ms \(2000\) is after end_time_ms \(1000\)/);
    await bad({ 'filter_by.query_start_time_range.start_time_ms': 0, 'filter_by.query_start_time_range.end_time_ms': 31 * 86_400_000 }, /must span at most 30 days/);
    await bad({ include_metrics: 'yes' }, /include_metrics: expected boolean/);
  });

  it('adds metrics only when include_metrics is true', async () => {
    await exec('SELECT range FROM range(4)');
    expect((await history({ include_metrics: false })).body.res[0].metrics).toBeUndefined();
    const e = (await history({ include_metrics: true })).body.res[0];
    expect(e.metrics).toMatchObject({ rows_produced_count: 4, total_time_ms: e.duration, result_from_cache: false });
    expect(e.metrics.execution_time_ms).toBe(e.query_end_time_ms - e.metrics.query_compilation_start_timestamp);
    expect(e.metrics.execution_time_ms).toBeLessThanOrEqual(e.metrics.total_time_ms);
    // Nothing the emulator cannot measure.
    expect(e.metrics.read_bytes).toBeUndefined();
    expect(e.metrics.photon_total_time_ms).toBeUndefined();
  });

  it('a non-admin sees only their own statements; an admin sees everyone’s', async () => {
    const mine = await exec('SELECT 1', wh, 'dapi-user1');
    const theirs = await exec('SELECT 2');
    expect(ids(await history({}, 'dapi-user1'))).toEqual([mine.statement_id]);
    expect(ids(await history({ 'filter_by.statement_ids': theirs.statement_id }, 'dapi-user1'))).toEqual([]);
    expect(ids(await history())).toEqual([theirs.statement_id, mine.statement_id]);
    expect((await history({}, 'dapi-user1')).body.res[0]).toMatchObject({ user_name: 'user1@emulator.local', user_id: await meId('dapi-user1') });
  });

  it('is cleared by /_emulator/reset and keeps only the newest entries past its limit', async () => {
    await exec('SELECT 1');
    expect((await ctx.call('POST', '/_emulator/reset')).status).toBe(200);
    expect((await history()).body).toEqual({ has_next_page: false });

    wh = await warehouse(ctx.call);
    const runs: string[] = [];
    for (let i = 0; i < 4; i++) runs.push((await exec(`SELECT ${i}`)).statement_id);
    ctx.emu.service<StatementsApi>('statements')!.setHistoryLimit(3);
    expect(ids(await history())).toEqual([runs[3], runs[2], runs[1]]);
    runs.push((await exec('SELECT 4')).statement_id);
    expect(ids(await history())).toEqual([runs[4], runs[3], runs[2]]);
  });

  it('keeps the first TEXT_LIMIT characters of a long statement', async () => {
    const statement = `SELECT 1 AS one -- ${'x'.repeat(TEXT_LIMIT)}`;
    await exec(statement);
    expect((await history()).body.res[0].query_text).toBe(statement.slice(0, TEXT_LIMIT));
  });

  it('records a sql_task script on its warehouse, with the lookup key of its run output', async () => {
    const sql = 'CREATE OR REPLACE TABLE main.default.hist AS SELECT 1 AS v; SELECT v FROM main.default.hist';
    const q = await ctx.call('POST', '/api/2.0/sql/queries', { query: { display_name: 'q', query_text: sql, warehouse_id: wh } });
    const run = async (query_id: string) => {
      const submit = await ctx.call('POST', '/api/2.1/jobs/runs/submit', { run_name: 'sql', tasks: [{ task_key: 't', sql_task: { warehouse_id: wh, query: { query_id } } }] });
      let r = (await ctx.call('GET', `/api/2.1/jobs/runs/get?run_id=${submit.body.run_id}`)).body;
      for (let i = 0; i < 300 && r.state.life_cycle_state !== 'TERMINATED'; i++) {
        await new Promise((res) => setTimeout(res, 10));
        r = (await ctx.call('GET', `/api/2.1/jobs/runs/get?run_id=${submit.body.run_id}`)).body;
      }
      return (await ctx.call('GET', `/api/2.1/jobs/runs/get-output?run_id=${r.tasks[0].run_id}`)).body;
    };
    const out = await run(q.body.id);
    const key = out.sql_output.query_output.sql_statements[0].lookup_key as string;
    const [entry] = (await history()).body.res;
    expect(entry).toMatchObject({ lookup_key: key, status: 'FINISHED', query_text: sql, statement_type: 'CREATE', warehouse_id: wh, user_name: 'admin@emulator.local', rows_produced: 1 });

    const failing = await ctx.call('POST', '/api/2.0/sql/queries', { query: { display_name: 'f', query_text: 'SELECT * FROM main.default.gone', warehouse_id: wh } });
    const failedOut = await run(failing.body.id);
    const failed = (await history({ 'filter_by.statuses': 'FAILED' })).body.res;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'FAILED', query_text: 'SELECT * FROM main.default.gone', error_message: failedOut.error });
  });
});

describe('SQL query history on a paused clock', () => {
  let paused: Awaited<ReturnType<typeof emulator>>;
  beforeAll(async () => {
    paused = await emulator({ speed: 0 });
  });
  afterAll(() => paused.emu.close());

  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    for (let i = 0; i < 500; i++) {
      const v = await read();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('condition not reached');
  };
  const entry = async () => (await paused.call('GET', '/api/2.0/sql/history/queries?include_metrics=true')).body.res?.[0];

  it('goes QUEUED (waiting for its warehouse) → RUNNING → FINISHED, with times and metrics from the virtual clock', async () => {
    const w = await warehouse(paused.call, 'slow');
    const t0 = paused.emu.clock.now();
    const sub = await paused.call('POST', '/api/2.0/sql/statements', { warehouse_id: w, statement: '-- emulator: duration=30\nSELECT 1', wait_timeout: '0s' });
    expect(sub.body.status.state).toBe('PENDING');
    const queued = await entry();
    expect(queued).toMatchObject({ query_id: sub.body.statement_id, status: 'QUEUED', query_start_time_ms: t0, is_final: false, metrics: { provisioning_queue_start_timestamp: t0 } });
    expect(queued.query_end_time_ms).toBeUndefined();
    expect(queued.duration).toBeUndefined();

    // The warehouse takes 150 s to start; the statement runs once it is RUNNING and holds 30 s.
    await paused.emu.advance(150);
    const running = await until(entry, (e) => e.status === 'RUNNING');
    const ranAt = running.metrics.query_compilation_start_timestamp as number;
    expect(ranAt).toBeGreaterThanOrEqual(t0 + 150_000);
    expect(ranAt).toBeLessThanOrEqual(paused.emu.clock.now());
    expect(running.is_final).toBe(false);
    expect(running.metrics.total_time_ms).toBeUndefined();

    await paused.emu.advance(30);
    const done = await until(entry, (e) => e.status === 'FINISHED');
    const end = done.query_end_time_ms as number;
    expect(end).toBeGreaterThanOrEqual(ranAt + 30_000);
    expect(end).toBeLessThanOrEqual(paused.emu.clock.now());
    expect(done).toMatchObject({ query_start_time_ms: t0, duration: end - t0, is_final: true, rows_produced: 1 });
    expect(done.metrics).toMatchObject({ total_time_ms: end - t0, execution_time_ms: end - ranAt, provisioning_queue_start_timestamp: t0 });
  });

  it('a canceled statement is CANCELED', async () => {
    const w = await warehouse(paused.call, 'cancel');
    const sub = await paused.call('POST', '/api/2.0/sql/statements', { warehouse_id: w, statement: 'SELECT 1', wait_timeout: '0s' });
    expect((await paused.call('POST', `/api/2.0/sql/statements/${sub.body.statement_id}/cancel`)).status).toBe(200);
    expect(await entry()).toMatchObject({ query_id: sub.body.statement_id, status: 'CANCELED', is_final: true, duration: 0 });
  });
});
